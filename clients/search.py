"""Find Client: what a typed search means, and the index-backed queries that answer it.

A search is split into parts: a date is a date of birth, an e-mail an e-mail, a postal code a postal code,
a family code a family, a run of digits a client number, an identifier or a phone number, and the words
left over are names. Every part is answered through an index of (agency, key); names go through the
agency's dictionary of name words (clients_nameword), so a typo or a missing accent is expanded to the
words clients really have before the clients are looked up by word.
"""

import contextlib
import difflib
import re
from dataclasses import dataclass, field
from datetime import date

import phonenumbers
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from agencies.models import Agency
from agencies.statements import rows_of
from agencies.validators import ascii_digits, postal_code_compact
from clients.models import Client, NameWord, identifier_key
from clients.models.family import looks_like_family_code, normalise_family_code
from clients.text import comments_folded, fold

# A date of birth as OCMS writes it (1946-03-27) or as the help article does (1946/03/27).
DATE_IN_TEXT_RE = re.compile(r"(?<!\d)(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d)")
EMAIL_IN_TEXT_RE = re.compile(r"[^@\s]+@[^@\s]+")
# Digits with the separators people write them with: phones, identifiers, client numbers.
NUMBER_IN_TEXT_RE = re.compile(r"(?<![\w@-])\+?\(?\d[\d\-\s().]{4,}\d(?![\w@])")
# The name every anonymous client is shown by ("Anonymous Client", "Client anonyme"), or part of it, as typed words.
ANONYMOUS_NAMES = ({"anonymous"}, {"anonymous", "client"}, {"anonyme"}, {"client", "anonyme"})
# How many spellings of one typed word a search may expand to.
MAX_EXPANSIONS = 40
# Words this short match by Levenshtein distance only with their first letter right.
SHORT_WORD = 4
# Trigram similarity that makes a name word a variant of a typed one: as much found as at pg_trgm's 0.3,
# with far fewer unrelated words (search.md).
VARIANT_SIMILARITY = 0.4
# How many clients a name search ranks, of those with the typed words and of those with variants.
RANKED = 300


@dataclass
class ParsedQuery:
    text: str
    words: list[str] = field(default_factory=list)
    birth_dates: list[date] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    postal_codes: list[str] = field(default_factory=list)
    family_codes: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # digits: client number, identifier or phone

    @property
    def only_words(self) -> bool:
        """Names, and nothing else."""
        return not (self.birth_dates or self.emails or self.postal_codes or self.family_codes or self.numbers)

    @property
    def only_numbers(self) -> bool:
        """Client numbers, identifiers and telephone numbers, and nothing else."""
        return bool(self.numbers) and not (
            self.words or self.birth_dates or self.emails or self.postal_codes or self.family_codes
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.words or self.birth_dates or self.emails or self.postal_codes or self.family_codes or self.numbers
        )


def parse_query(text: str) -> ParsedQuery:
    """Split a search into its parts; a phone number written with spaces stays one part."""
    parsed = ParsedQuery(text=text.strip())

    def take_date(match: re.Match) -> str:
        with contextlib.suppress(ValueError):  # an impossible date such as 2020-02-31 is ignored
            parsed.birth_dates.append(date(*(int(match[part]) for part in ("year", "month", "day"))))
        return " "

    def take_email(match: re.Match) -> str:
        parsed.emails.append(match.group(0).lower())
        return " "

    def take_number(match: re.Match) -> str:
        parsed.numbers.append(match.group(0).strip())
        return " "

    remaining = DATE_IN_TEXT_RE.sub(take_date, parsed.text)
    remaining = EMAIL_IN_TEXT_RE.sub(take_email, remaining)
    remaining = NUMBER_IN_TEXT_RE.sub(take_number, remaining)
    tokens = remaining.replace(",", " ").replace(";", " ").split()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        pair = postal_code_compact(f"{token}{tokens[index + 1]}") if index + 1 < len(tokens) else None
        if len(token) == 3 and pair:
            parsed.postal_codes.append(pair)
            index += 2
            continue
        if looks_like_family_code(token):
            parsed.family_codes.append(normalise_family_code(token))
        elif postal_code_compact(token):
            parsed.postal_codes.append(postal_code_compact(token))
        elif ascii_digits(token):
            parsed.numbers.append(token)
        else:
            parsed.words.extend(fold(token).split())
        index += 1
    return parsed


def phone_key(text: str) -> str | None:
    """A typed phone number in E.164, as phones are stored; None when it cannot be one."""
    digits = re.sub(r"\D", "", text)
    if len(digits) < 10:
        return None
    try:
        number = phonenumbers.parse(text, "CA")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Name words -----------------------------------------------------------------------------------


def name_words_remember(client: Client) -> None:
    """Add a client's name words to the agency's dictionary (existing ones are left alone), as registering or
    renaming the client does."""
    NameWord.objects.bulk_create(
        [NameWord(agency=client.agency, word=word[:60]) for word in client.search_name.split()],
        ignore_conflicts=True,
    )


def letters_swapped(word: str) -> list[str]:
    """The word with two neighbouring letters swapped, each way: a slip an edit distance counts twice."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1) if word[i] != word[i + 1]]


def word_expansions(*, agency: Agency, word: str, prefix: bool = False) -> list[str]:
    """The agency's name words a typed word may stand for: itself, small typos, swapped letters, variants."""
    if connection.vendor == "postgresql":
        return _pg_word_expansions(agency.pk, word, prefix)
    known = list(NameWord.objects.for_agency(agency).values_list("word", flat=True))
    found = difflib.get_close_matches(word, known, n=MAX_EXPANSIONS, cutoff=0.7)
    found += [w for w in letters_swapped(word) if w in known and w not in found]
    if prefix:
        found += [w for w in known if w.startswith(word) and w not in found][:MAX_EXPANSIONS]
    return [word, *[w for w in found if w != word]]


def _pg_word_expansions(agency_id: int, word: str, prefix: bool) -> list[str]:
    # Trigram similarity finds variants (index-backed); Levenshtein catches typos in short words that share
    # few trigrams, and swapped letters are looked up as they are; all over the agency's dictionary only, a
    # few thousand words. Two edits in a word of five letters or fewer would make most short names alike, and
    # one edit anywhere in a word of SHORT_WORD letters or fewer still reaches a good part of a dictionary of short
    # names ("hao": ha, hai, han, cao, dao, gao, yao …): there the first letter must be right. A sound code
    # of one or two letters ("hao" and "hu" are both H, "maria" and "moore" MR) says nothing: it is not used.
    max_edits = 1 if len(word) <= 5 else 2
    sql = """
        SELECT word FROM clients_nameword
        WHERE agency_id = %(agency)s::bigint
          AND ((word %% %(word)s AND similarity(word, %(word)s) >= %(similar)s)
               OR (length(word) BETWEEN %(shortest)s AND %(longest)s
                   AND (%(long)s OR left(word, 1) = left(%(word)s, 1))
                   AND levenshtein_less_equal(word, %(word)s, %(edits)s) <= %(edits)s)
               OR word = ANY(%(swapped)s)
               OR (length(dmetaphone(%(word)s)) >= 3 AND dmetaphone(word) = dmetaphone(%(word)s))
               {prefix})
        ORDER BY levenshtein_less_equal(word, %(word)s, 3), similarity(word, %(word)s) DESC
        LIMIT %(limit)s
    """.format(prefix="OR word LIKE %(like)s" if prefix else "")
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "agency": agency_id,
                "word": word,
                "shortest": len(word) - max_edits,
                "longest": len(word) + max_edits,
                "edits": max_edits,
                "long": len(word) > SHORT_WORD,
                "similar": VARIANT_SIMILARITY,
                "swapped": letters_swapped(word),
                "like": word.replace("%", "").replace("_", "") + "%",
                "limit": MAX_EXPANSIONS,
            },
        )
        found = [row[0] for row in cursor.fetchall()]
    return [word, *[w for w in found if w != word]]


def name_word_array() -> Func:
    """string_to_array(btrim(name_words), ' '): the expression the GIN index of migration 0004 is built on."""
    return Func(
        Func(F("name_words"), function="btrim"),
        Value(" "),
        function="string_to_array",
        output_field=ArrayField(TextField()),
    )


def with_name_words(queryset: QuerySet, groups: list[list[str]]) -> QuerySet:
    """Clients having, for every typed word, one of its expansions among their name words."""
    if connection.vendor == "postgresql":
        queryset = queryset.annotate(name_word_array=name_word_array())
        for expansions in groups:
            queryset = queryset.filter(name_word_array__overlap=expansions)
        return queryset
    for expansions in groups:
        condition = Q()
        for word in expansions:
            condition |= Q(name_words__contains=f" {word} ")
        queryset = queryset.filter(condition)
    return queryset


def order_by_name_likeness(queryset: QuerySet, typed_words: list[str]) -> QuerySet:
    """Best match first: trigram similarity on PostgreSQL; elsewhere, how many typed words match exactly."""
    if connection.vendor == "postgresql":
        likeness = RawSQL("similarity(clients_client.search_name, %s)", [" ".join(typed_words)], FloatField())
    else:
        likeness = sum(
            (Case(When(name_words__contains=f" {word} ", then=Value(1.0)), default=Value(0.0)) for word in typed_words),
            Value(0.0),
        )
    return queryset.annotate(likeness=likeness).order_by("-likeness", "last_name", "first_name", "number")


# Find Client ----------------------------------------------------------------------------------


def client_search(
    *,
    agency: Agency,
    text: str,
    include_anonymous: bool = False,
    search_comments: bool = False,
    birth_date: date | None = None,
) -> QuerySet:
    """The agency's clients matching a typed search, best match first."""
    by_number = found_by_number(agency=agency, text=text, birth_date=birth_date)
    if by_number is not None:
        return by_number.clients(agency=agency, include_anonymous=include_anonymous)
    return clients_matching(
        agency=agency,
        text=text,
        include_anonymous=include_anonymous,
        search_comments=search_comments,
        birth_date=birth_date,
    )


@dataclass(frozen=True)
class NumberFound:
    """The clients a search by number alone found, by id; `live_only`: the tombstones of merges left out."""

    ids: list[int]
    live_only: bool

    def clients(self, *, agency: Agency, include_anonymous: bool) -> QuerySet:
        """These clients of the agency, by name."""
        clients = Client.objects.for_agency(agency).filter(pk__in=self.ids)
        if not include_anonymous:
            clients = clients.filter(is_anonymous=False)
        return (clients.live() if self.live_only else clients).order_by("last_name", "first_name", "number")


def whole_identifier(text: str) -> str:
    """The whole search as an identifier key, when it may be one (five characters or more, a digit among them)."""
    whole = identifier_key(text)
    return whole if len(whole) >= 5 and any(ch.isdigit() for ch in whole) else ""


def found_by_number(*, agency: Agency, text: str, birth_date: date | None = None) -> NumberFound | None:
    """The clients of a search by number alone: an identifier typed whole, with letters or not (a passport, a health
    card: live clients only), or nothing but client numbers, identifiers and telephone numbers (the tombstone of a
    merge is found by its old client number, and leads to the survivor). None for any other search."""
    whole = whole_identifier(text)
    if whole:
        holders = ids_where(IDENTIFIER_HOLDERS, agency.pk, whole)
        if holders:
            return NumberFound(ids=sorted(holders), live_only=True)
    parsed = parse_query(text)
    if birth_date or not parsed.only_numbers:
        return None
    found = set.intersection(*(number_ids(agency, number, not_an_identifier=whole) for number in parsed.numbers))
    return NumberFound(ids=sorted(found), live_only=False)


def clients_matching(
    *, agency: Agency, text: str, include_anonymous: bool, search_comments: bool, birth_date: date | None
) -> QuerySet:
    """client_search of a search that found_by_number does not answer: names, dates, emails, postal codes and family
    codes, with numbers among them or not."""
    clients = Client.objects.for_agency(agency)
    if not include_anonymous:
        clients = clients.filter(is_anonymous=False)
    looked_up = whole_identifier(text)  # as an identifier, found_by_number found it nowhere
    parsed = parse_query(text)
    if include_anonymous and set(parsed.words) in ANONYMOUS_NAMES:
        # The name an anonymous client is shown by, in either language: those clients (by postal code too, if typed).
        clients = clients.filter(is_anonymous=True)
        parsed.words = []
    if not parsed.numbers:
        # The tombstone of a merge is found by its old client number only, and leads to the survivor.
        clients = clients.live()
    if birth_date:
        parsed.birth_dates.append(birth_date)
    if parsed.birth_dates:
        clients = clients.filter(date_of_birth__in=parsed.birth_dates)
    if parsed.emails:
        clients = clients.annotate(email_upper=Upper("email")).filter(
            email_upper__in=[e.upper() for e in parsed.emails]
        )
    if parsed.postal_codes:
        clients = clients.filter(postal_code__in=parsed.postal_codes)
    if parsed.family_codes:
        clients = clients.filter(family__code__in=parsed.family_codes, family__agency=agency)
    for number in parsed.numbers:
        clients = clients.filter(number_matches(agency, number, not_an_identifier=looked_up))
    if parsed.words:
        if search_comments:
            clients = clients.filter(comments_or_names(agency, parsed.words))
        else:
            groups = [
                word_expansions(agency=agency, word=word, prefix=index == len(parsed.words) - 1)
                for index, word in enumerate(parsed.words)
            ]
            # A very common name can match tens of thousands of clients; ranking them all would be slow.
            # Rank at most RANKED clients with exactly the typed words and as many with their variants.
            # Both lists are read on their own (index scans); as subqueries of one OR they made a table scan.
            typed = [[word] for word in parsed.words]
            if connection.vendor == "postgresql" and parsed.only_words:
                # The commonest search, names alone: both lists by a fixed statement (as the numbers, below).
                statement = named_like(len(groups), include_anonymous)
                ranked = ids_where(statement, agency.pk, *typed) | ids_where(statement, agency.pk, *groups)
            else:
                ranked = {
                    *with_name_words(clients, typed).order_by().values_list("pk", flat=True)[:RANKED],
                    *with_name_words(clients, groups).order_by().values_list("pk", flat=True)[:RANKED],
                }
            clients = clients.filter(pk_among(sorted(ranked)))
        return order_by_name_likeness(clients, parsed.words)
    return clients.order_by("last_name", "first_name", "number")


def pk_among(ids: list[int]) -> Q | RawSQL:
    """Clients whose key is one of `ids`. On PostgreSQL one array parameter (`= ANY`): the statement's text then
    stays the same however many ids a search ranks, so psycopg keeps it parsed, where IN with up to 600 placeholders
    was parsed, and each id prepared by the ORM, again on every search."""
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    return RawSQL("clients_client.id = ANY(%s)", (ids,), BooleanField())


def number_matches(agency: Agency, typed: str, not_an_identifier: str = "") -> Q:
    """Clients whose client number, identifier or telephone the typed run of digits may be (number_ids)."""
    return Q(pk__in=sorted(number_ids(agency, typed, not_an_identifier)))


def number_ids(agency: Agency, typed: str, not_an_identifier: str = "") -> set[int]:
    """A run of digits may be a client number, an identifier value or a phone number.

    Each meaning is looked up on its own index and the client ids joined here: one query with an OR
    across a subquery would make PostgreSQL read every client of the agency. `not_an_identifier`: a key
    already looked up and found nowhere.
    """
    ids = set()
    key = identifier_key(typed)
    if key != not_an_identifier:
        ids |= ids_where(IDENTIFIER_HOLDERS, agency.pk, key)
    digits = re.sub(r"\D", "", typed)
    if digits and len(digits) <= 9:
        ids |= ids_where(NUMBER_HOLDER, agency.pk, int(digits))
    phone = phone_key(typed)
    if phone:
        # Already in E.164, as phones are stored: compared as it is, not parsed again by each phone field.
        ids |= ids_where(PHONE_HOLDERS, agency.pk, phone, phone, phone)
    return ids


# The lookups of a number, written once: a search by number runs two or three of them, and through the ORM each
# cost more to put together than to run (`make bench`, Find Client by phone and by identifier).
IDENTIFIER_HOLDERS = (
    "SELECT i.client_id FROM clients_identifier i JOIN clients_client c ON c.id = i.client_id"
    " WHERE c.agency_id = %s AND i.value_key = %s"
)
NUMBER_HOLDER = "SELECT id FROM clients_client WHERE agency_id = %s AND number = %s"
PHONE_HOLDERS = (
    "SELECT id FROM clients_client WHERE agency_id = %s AND (phone = %s OR phone_alt1 = %s OR phone_alt2 = %s)"
)


def named_like(words: int, include_anonymous: bool) -> str:
    """with_name_words over the agency's live clients (anonymous ones too, or not), for `words` typed words, each
    an array of the spellings it may stand for: at most RANKED of them, in no order."""
    return (
        "SELECT id FROM clients_client WHERE agency_id = %s AND merged_into_id IS NULL"
        + ("" if include_anonymous else " AND NOT is_anonymous")
        + " AND string_to_array(btrim(name_words), ' ') && %s::text[]" * words
        + f" LIMIT {RANKED}"
    )


def ids_where(statement: str, *params) -> set[int]:
    """The ids one of the lookups above finds."""
    return {row[0] for row in rows_of(statement, *params)}


def comments_or_names(agency: Agency, words: list[str]) -> Q:
    """Clients whose comments hold every typed word, accents or not (full-text on PostgreSQL), or whose names
    match."""
    groups = [word_expansions(agency=agency, word=word) for word in words]
    by_name = with_name_words(Client.objects.for_agency(agency), groups).values("pk")
    clients = Client.objects.for_agency(agency)
    if connection.vendor == "postgresql":
        by_comment = clients.filter(
            RawSQL(
                f"{comments_folded('clients_client.comments')} @@ plainto_tsquery('simple', %s)",
                [" ".join(words)],
                BooleanField(),
            )
        ).values("pk")
    else:  # the demo's few hundred clients, folded here
        by_comment = [
            pk
            for pk, comments in clients.exclude(comments="").values_list("pk", "comments")
            if all(word in fold(comments) for word in words)
        ]
    return Q(pk__in=by_name) | Q(pk__in=by_comment)
