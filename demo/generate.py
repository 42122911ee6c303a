"""Invented clients in bulk, for demos, tests and benchmarks: names of many origins, families,
identifiers and phone numbers. On PostgreSQL rows are streamed with COPY; elsewhere bulk inserts."""

import functools
import itertools
import json
import random
import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from agencies.models import Agency, AgencyList, IcareList, IcareValue, ListItem, Program, Site
from clients.models import Client, ClientProgram, Family, Identifier, NameWord, identifier_key, search_keys
from clients.models.family import family_code_of
from clients.text import fold

# Common given names and family names of the origins settlement agencies serve (names.json: for each
# origin, female and male given names and family names, roughly the most common first). They are combined
# at random, so no generated person is a real one.
ORIGINS: dict[str, tuple[list[str], list[str], list[str]]] = {
    origin: (names["female"], names["male"], names["family"])
    for origin, names in json.loads((Path(__file__).parent / "names.json").read_text(encoding="utf-8")).items()
}
ORIGIN_NAMES = list(ORIGINS)
AREA_CODES = ["416", "647", "437", "905", "289", "613", "343", "519", "226", "705", "902", "204", "403", "604"]
# The addresses of the clients completed for iCARE: Ontario towns (the demo agency is in Toronto), each with the first
# letter of its postal codes, and invented streets of common names.
TOWNS = [("Toronto", "M"), ("Mississauga", "L"), ("Brampton", "L"), ("Hamilton", "L"), ("Ottawa", "K"), ("London", "N")]
STREETS = ["Queen", "King", "Maple", "Elm", "Church", "Victoria", "Main", "Park", "Lakeshore", "Birch"]
STREET_TYPES = ["Street", "Avenue", "Road", "Drive", "Crescent", "Boulevard"]
# The official language of preference, by weight.
OFFICIAL_LANGUAGES = {"English": 80, "French": 12, "Unknown/No preference": 8}


@functools.cache
def zipf_cumulative(size: int) -> list[float]:
    """Cumulative weights 1, 1/2, 1/3 …: the n-th most common name about n times rarer than the first."""
    return list(itertools.accumulate(1 / rank for rank in range(1, size + 1)))


def skewed(rng: random.Random, values: list[str]) -> str:
    """Pick from a list with the first values far more frequent than the last, as real names are."""
    return rng.choices(values, cum_weights=zipf_cumulative(len(values)))[0]


def phone(rng: random.Random) -> str:
    return f"+1{rng.choice(AREA_CODES)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"


def postal_code(rng: random.Random) -> str:
    first, later = "ABCEGHJKLMNPRSTVXY", "ABCEGHJKLMNPRSTVWXYZ"
    return "".join(
        (rng.choice(first), str(rng.randint(1, 9)), rng.choice(later), str(rng.randint(0, 9)), rng.choice(later))
    ) + str(rng.randint(0, 9))


def uci(rng: random.Random) -> str:
    if rng.random() < 0.7:
        digits = f"{rng.randint(0, 99_999_999):08d}"
        return f"{digits[:4]}-{digits[4:]}"
    digits = f"{rng.randint(0, 9_999_999_999):010d}"
    return f"{digits[:2]}-{digits[2:6]}-{digits[6:]}"


def with_typo(word: str, rng: random.Random) -> str:
    """One letter changed, dropped or doubled: the small slips caseworkers make."""
    if len(word) < 4:
        return word
    position = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["change", "drop", "double", "swap"])
    if kind == "change":
        return word[:position] + rng.choice("aeiouyrnst") + word[position + 1 :]
    if kind == "drop":
        return word[:position] + word[position + 1 :]
    if kind == "double":
        return word[:position] + word[position] + word[position:]
    return word[: position - 1] + word[position] + word[position - 1] + word[position + 1 :]


class ClientGenerator:
    """Invented clients of one agency."""

    def __init__(self, *, agency: Agency, created_by, seed: int = 2026, icare_share: float = 0.0) -> None:
        self.agency = agency
        self.created_by = created_by
        self.rng = random.Random(seed)
        # What iCARE needs is drawn apart, so that the same seed invents the same people whatever the share.
        self.icare_share = icare_share
        self.icare_rng = random.Random(seed + 1)
        # By IRCC's strings, their trailing spaces aside ("Crescent ").
        self.icare_values = {(v.list, v.value.strip()): v.pk for v in IcareValue.objects.all()} if icare_share else {}
        genders = list(ListItem.objects.for_agency(agency).of(AgencyList.GENDER))
        self.female = next((g for g in genders if g.label == "Female"), None)
        self.male = next((g for g in genders if g.label == "Male"), None)
        self.id_type = ListItem.objects.for_agency(agency).of(AgencyList.IDENTIFIER_TYPE).order_by("position").first()
        self.site = Site.objects.for_agency(agency).first()
        self.worker = agency.staff.first()
        self.program = Program.objects.for_agency(agency).order_by("name").first()
        self.today = timezone.localdate()
        self.family_digits = 6
        self.seen: set[tuple[str, date]] = set()

    def person(self, origin: str) -> dict:
        rng = self.rng
        female_names, male_names, family_names = ORIGINS[origin]
        female = rng.random() < 0.5
        born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 30_000))
        return {
            "first_name": skewed(rng, female_names if female else male_names),
            "last_name": skewed(rng, family_names),
            "gender_id": (self.female if female else self.male).pk,
            "date_of_birth": min(born, self.today - timedelta(days=30)),
        }

    def distinct(self, person: dict) -> None:
        """Invented people are distinct people: no two of one generator share a name (as compared, accents aside)
        and a date of birth, which would be a duplicate registration nobody planted."""
        key = fold(f"{person['first_name']} {person['last_name']}")
        while (key, person["date_of_birth"]) in self.seen:
            person["date_of_birth"] -= timedelta(days=self.rng.randint(1, 400))
        self.seen.add((key, person["date_of_birth"]))

    def clients(self, count: int, first_number: int) -> Iterator[tuple[dict, str | None, str | None]]:
        """Clients as column values, each with its family code (relatives share a last name) and maybe a UCI."""
        rng = self.rng
        made = 0
        while made < count:
            size = 1 if rng.random() < 0.6 else rng.randint(2, 5)
            size = min(size, count - made)
            family_code = None
            if size > 1:
                digits = f"{rng.randint(0, 10**self.family_digits - 1):0{self.family_digits}d}"
                family_code = family_code_of(digits)
            origin = rng.choice(ORIGIN_NAMES)  # a family's members have names of one origin
            shared = self.person(origin)
            home_phone = phone(rng)
            registered = self.today - timedelta(days=rng.randint(0, 3650))
            postal = postal_code(rng)
            address = self.icare_address() if self.icare_rng.random() < self.icare_share else None
            if address:
                postal = address.pop("town_letter") + postal[1:]
            for member in range(size):
                person = shared if member == 0 else self.person(origin) | {"last_name": shared["last_name"]}
                self.distinct(person)
                search_name, words = search_keys(person["first_name"], person["last_name"], "")
                # An address as people have them: ASCII letters ("ngoc", not "ngọc", which no form would accept).
                mailbox = re.sub(r"[^a-z]", "", fold(person["first_name"].split()[0])) or "client"
                email = f"{mailbox}.{first_number + made}@example.org"
                yield (
                    person
                    | {
                        "number": first_number + made,
                        "phone": home_phone if member == 0 or rng.random() < 0.5 else phone(rng),
                        "email": email if rng.random() < 0.4 else "",
                        "postal_code": postal,
                        "research_consent": rng.random() < 0.7,
                        # Never before the client was born (a child born after the family first came).
                        "registration_date": max(registered, person["date_of_birth"]),
                        "search_name": search_name,
                        "name_words": words,
                    }
                    | (self.icare_completion(address) if address else {}),
                    family_code,
                    (uci(rng) if rng.random() < 0.6 else None) or (uci(self.icare_rng) if address else None),
                )
                made += 1

    def icare_address(self) -> dict:
        """A family's address, complete as iCARE asks for it (with the first letter of its town's postal codes)."""
        rng, values = self.icare_rng, self.icare_values
        town, letter = rng.choice(TOWNS)
        return {
            "street_number": str(rng.randint(1, 2999)),
            "street_name": rng.choice(STREETS),
            "street_type_id": values[(IcareList.STREET_TYPE, rng.choice(STREET_TYPES))],
            "city": town,
            "province_id": values[(IcareList.PROVINCE, "Ontario")],
            "town_letter": letter,
        }

    def icare_completion(self, address: dict) -> dict:
        """A client's own part of what iCARE needs (its identifier aside): its family's address and its official
        language of preference."""
        language = self.icare_rng.choices(list(OFFICIAL_LANGUAGES), list(OFFICIAL_LANGUAGES.values()))[0]
        return address | {"official_language_id": self.icare_values[(IcareList.OFFICIAL_LANGUAGE, language)]}


def history_begin(rows: list, user) -> None:
    """The first record of each row's change history ("Registered", "Added"), dated its client's registration."""
    for row in rows:
        client = row if isinstance(row, Client) else row.client
        row._history_date = timezone.make_aware(datetime.combine(client.registration_date, time(12)))
    if rows:
        type(rows[0]).history.bulk_history_create(rows, default_user=user)


def clients_generate(
    *,
    agency: Agency,
    count: int,
    created_by,
    seed: int = 2026,
    batch: int = 20_000,
    history: bool = False,
    icare_share: float = 0.0,
) -> int:
    """Add `count` invented clients to an agency; returns how many were made. `history`: each client and identifier
    with the first record of its change history, dated the day it was registered, as a client registered through
    the wizard has (without it, the Change History could not say what a first edit changed), and a row of the
    Agency Program Table (a new client of the agency's first program), which the wizard asks for; the benchmarks'
    hundreds of thousands go without. `icare_share`: about this share of the families are complete for iCARE (an
    address, each member's official language of preference and an identifier); the others lack what only iCARE asks
    for."""
    generator = ClientGenerator(agency=agency, created_by=created_by, seed=seed, icare_share=icare_share)
    first = Client.objects.for_agency(agency).next_number()
    # Every other column as a client registered by the agency's first worker would have it.
    template = Client(
        agency=agency,
        privacy_confirmed=True,
        registration_site=generator.site,
        primary_worker=generator.worker,
        created_by=created_by,
    )
    words: set[str] = set()
    rows = generator.clients(count, first)
    made = 0
    while made < count:
        chunk = [next(rows) for _ in range(min(batch, count - made))]
        with transaction.atomic():
            families = families_for(agency, {code for _values, code, _uci in chunk if code})
            for values, code, _uci in chunk:
                values["family_id"] = families[code].pk if code else None
                words.update(values["search_name"].split())
            if connection.vendor == "postgresql":
                copy_rows(Client, template, [values for values, _code, _uci in chunk])
                ids = dict(
                    Client.objects.filter(
                        agency=agency, number__range=(chunk[0][0]["number"], chunk[-1][0]["number"])
                    ).values_list("number", "pk")
                )
            else:
                created = Client.objects.bulk_create(
                    [Client(**(model_values(template) | values)) for values, _code, _uci in chunk]
                )
                ids = {client.number: client.pk for client in created}
            Identifier.objects.bulk_create(
                [
                    Identifier(
                        client_id=ids[values["number"]],
                        identifier_type=generator.id_type,
                        value=value,
                        value_key=identifier_key(value),
                    )
                    for values, _code, value in chunk
                    if value and generator.id_type
                ],
                batch_size=5_000,
            )
            if history:
                made_ids = ids.values()
                identifiers = Identifier.objects.filter(client_id__in=made_ids).select_related("client")
                history_begin(list(Client.objects.filter(pk__in=made_ids)), created_by)
                history_begin(list(identifiers), created_by)
                if generator.program is not None:
                    programs = ClientProgram.objects.bulk_create(
                        [ClientProgram(client_id=pk, program=generator.program) for pk in made_ids]
                    )
                    history_begin(
                        list(ClientProgram.objects.filter(pk__in=[p.pk for p in programs]).select_related("client")),
                        created_by,
                    )
        made += len(chunk)
    NameWord.objects.bulk_create([NameWord(agency=agency, word=w[:60]) for w in words], ignore_conflicts=True)
    return made


def model_values(template: Client) -> dict:
    return {
        f.attname: getattr(template, f.attname)
        for f in Client._meta.concrete_fields
        if not f.primary_key and f.attname != "code"
    }


def families_for(agency: Agency, codes: set[str]) -> dict[str, Family]:
    existing = {f.code: f for f in Family.objects.for_agency(agency).filter(code__in=codes)}
    Family.objects.bulk_create(
        [Family(agency=agency, code=code) for code in codes if code not in existing], ignore_conflicts=True
    )
    return {f.code: f for f in Family.objects.for_agency(agency).filter(code__in=codes)}


def copy_rows(model, template, rows: list[dict]) -> None:
    """Stream rows into PostgreSQL with COPY: many times faster than INSERTs for a million rows.

    Columns a row does not give take the template instance's value, prepared for the database once.
    """
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_db_prep_save(getattr(template, f.attname), connection)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    names = [f.attname for f in fields]
    with connection.cursor() as cursor, cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = defaults | row
            values["code"] = str(uuid.uuid4())
            copy.write_row([values[name] for name in names])


# How a planted duplicate differs from the profile it copies, as caseworkers' second registrations do.
SLIPS = ("typo", "accents", "swapped", "identifier", "typo")
# Whether a planted duplicate gives the same telephone and email (weights of: the same, another, none): people
# change numbers, and a second registration often leaves them out. A copy that kept all of them would be found by
# its telephone alone, whatever its name, and say nothing of the scan's name matching.
PHONE_KEPT = (45, 40, 15)
EMAIL_KEPT = (35, 25, 40)


def contact_variant(rng: random.Random, original: Client) -> tuple[str, str]:
    """The telephone and email a second registration of the person gives: the same, others, or none."""
    kinds = ("same", "other", "none")
    phone_kept, email_kept = rng.choices(kinds, PHONE_KEPT)[0], rng.choices(kinds, EMAIL_KEPT)[0]
    other_email = f"{fold(original.first_name)[:1]}{rng.randint(1, 99_999)}@example.net"
    number = {"same": str(original.phone or ""), "other": phone(rng), "none": ""}[phone_kept]
    email = {"same": original.email, "other": other_email, "none": ""}[email_kept]
    return number, email


def duplicates_plant(*, agency: Agency, count: int, created_by, seed: int = 2026) -> list[tuple[int, int]]:
    """Register `count` of the agency's clients a second time, each with one slip (a typo in the first name, the
    accents dropped or added, first and last name swapped, or only the same identifier under another spelling of
    the name), and often another telephone or email, or none (contact_variant): what a duplicate scan must find. The
    pairs (original, copy) by primary key."""
    rng = random.Random(seed)
    pks = list(Client.objects.for_agency(agency).named().exclude(date_of_birth=None).values_list("pk", flat=True))
    originals = list(Client.objects.filter(pk__in=rng.sample(pks, min(count, len(pks)))).order_by("pk"))
    identifiers = dict(Identifier.objects.filter(client__in=originals).values_list("client_id", "value"))
    number = Client.objects.for_agency(agency).next_number()
    copies, planted_identifiers = [], []
    for original in originals:
        slip = rng.choice(SLIPS)
        first, last = original.first_name, original.last_name
        if slip == "typo" or (slip == "identifier" and original.pk not in identifiers):
            first = with_typo(first, rng)
        elif slip == "accents":
            folded = fold(first).title()
            first = folded if folded != first else first.replace("a", "á", 1).replace("e", "é", 1)
        elif slip == "swapped":
            first, last = last, first
        copy = Client(**(model_values(original) | {"first_name": first, "last_name": last, "number": number}))
        copy.family_id = None  # registered again on its own
        copy.phone, copy.email = contact_variant(rng, original)
        copy.search_name, copy.name_words = search_keys(first, last, copy.preferred_name)
        if slip == "identifier" and original.pk in identifiers:
            copy.first_name, copy.date_of_birth = f"{first[:1]}.", None
            planted_identifiers.append((len(copies), identifiers[original.pk]))
        copies.append(copy)
        number += 1
    created = Client.objects.bulk_create(copies, batch_size=2000)
    id_type = ListItem.objects.for_agency(agency).of(AgencyList.IDENTIFIER_TYPE).order_by("position").first()
    Identifier.objects.bulk_create(
        Identifier(client=created[index], identifier_type=id_type, value=value, value_key=identifier_key(value))
        for index, value in planted_identifiers
    )
    return [(original.pk, copy.pk) for original, copy in zip(originals, created, strict=True)]
