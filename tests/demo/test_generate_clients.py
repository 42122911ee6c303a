"""generate_clients: invented clients in bulk, complete enough to search (numbers, families, identifiers, phones,
the name-word dictionary); and on PostgreSQL, the index a name search stands on."""

import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from clients.history import client_changes
from clients.models import Client, Identifier, NameWord, identifier_key
from clients.search import parse_query, with_name_words, word_expansions
from demo.generate import TOWNS
from tests.registration.edit_pages import edit_post
from tests.wizard import step_data

pytestmark = pytest.mark.django_db

E164_CANADA_RE = re.compile(r"^\+1\d{10}$")


def generate(agency, count: int = 300, *flags: str) -> str:
    out = StringIO()
    call_command("generate_clients", *flags, count=count, agency=agency.name, stdout=out)
    return out.getvalue()


@pytest.fixture
def generated(agency, caseworker) -> list[Client]:
    generate(agency)
    return list(Client.objects.for_agency(agency).select_related("family").prefetch_related("identifiers"))


def test_it_adds_the_number_of_clients_asked_for_and_says_so(agency, caseworker):
    said = generate(agency)

    assert Client.objects.for_agency(agency).count() == 300
    assert "Added 300 clients to" in said


def test_every_client_has_a_seven_digit_number_of_its_own(generated):
    numbers = [client.number for client in generated]

    assert all(1_000_000 <= number <= 9_999_999 for number in numbers)
    assert len(set(numbers)) == 300


def test_it_numbers_after_the_agencys_existing_clients(generated, agency):
    highest = max(client.number for client in generated)

    generate(agency, 5, "--seed", "3")

    added = Client.objects.for_agency(agency).filter(number__gt=highest)
    assert sorted(added.values_list("number", flat=True)) == list(range(highest + 1, highest + 6))


def test_every_client_is_named_with_a_birth_date_and_search_keys(generated):
    for client in generated:
        assert client.first_name and client.last_name and client.date_of_birth
        assert not client.is_anonymous
        assert client.search_name == " ".join(client.name_words.split())
        assert client.name_words.startswith(" ") and client.name_words.endswith(" ")


def test_families_have_several_members_sharing_a_last_name(generated):
    members = defaultdict(list)
    for client in generated:
        if client.family:
            members[client.family.code].append(client)

    assert len(members) >= 10
    assert all(len(family) >= 2 for family in members.values())
    assert all(len({member.last_name for member in family}) == 1 for family in members.values())
    assert all(re.fullmatch(r"F-\d{6}-[A-Z]", code) for code in members)


def test_identifiers_are_stored_with_their_comparison_key(generated, agency):
    identifiers = list(Identifier.objects.for_agency(agency))

    assert len(identifiers) >= 100
    assert all(identifier.value_key == identifier_key(identifier.value) for identifier in identifiers)
    assert all(identifier.value_key.isdigit() for identifier in identifiers)


def test_phones_are_stored_in_e164(generated):
    phones = [str(client.phone.as_e164) for client in generated]

    assert all(E164_CANADA_RE.match(phone) for phone in phones)
    assert len(set(phones)) > 100


def test_names_come_from_many_origins_with_their_accents(generated):
    last_names = {client.last_name for client in generated}

    assert len(last_names) >= 40
    assert any(name != name.encode("ascii", "ignore").decode() for name in last_names)


def test_every_name_word_is_in_the_agencys_dictionary(generated, agency, other_agency):
    dictionary = set(NameWord.objects.for_agency(agency).values_list("word", flat=True))
    words = {word for client in generated for word in client.search_name.split()}

    assert words <= dictionary
    assert not NameWord.objects.for_agency(other_agency).exists()


def test_the_same_seed_invents_the_same_people(generated, other_agency, outsider):
    generate(other_agency)

    theirs = Client.objects.for_agency(other_agency)
    assert sorted(theirs.values_list("number", "first_name", "last_name", "date_of_birth")) == sorted(
        (c.number, c.first_name, c.last_name, c.date_of_birth) for c in generated
    )


def test_most_families_are_complete_for_icare_and_the_others_are_not(generated):
    ready = [client for client in generated if client.is_icare_ready]
    missing = {rule.key for client in generated for rule in client.icare_missing}

    # The demo shows both: clients to export, and clients to complete first.
    assert len(generated) / 2 < len(ready) < len(generated)
    assert {"official_language", "street_number", "city"} <= missing
    for client in ready:
        if client.city:
            # An Ontario address whose postal code is of its town.
            assert str(client.province) == "Ontario"
            assert client.postal_code[0] == dict(TOWNS)[client.city]


def test_with_no_share_ready_for_icare_it_invents_the_same_people_none_of_them_ready(generated, other_agency, outsider):
    generate(other_agency, 300, "--icare-ready", "0")

    theirs = list(Client.objects.for_agency(other_agency))
    assert not any(client.is_icare_ready for client in theirs)
    assert not any(client.official_language_id or client.city for client in theirs)
    assert sorted((c.number, c.first_name, c.last_name, c.date_of_birth) for c in theirs) == sorted(
        (c.number, c.first_name, c.last_name, c.date_of_birth) for c in generated
    )


def test_it_refuses_a_share_outside_0_to_1(agency, caseworker):
    with pytest.raises(CommandError, match="between 0 and 1"):
        generate(agency, 10, "--icare-ready", "1.5")

    assert not Client.objects.exists()


def test_with_if_empty_it_adds_none_to_an_agency_with_clients(generated, agency):
    generate(agency, 50, "--if-empty")

    assert Client.objects.for_agency(agency).count() == 300


def test_with_if_empty_it_fills_an_empty_agency(agency, caseworker):
    generate(agency, 20, "--if-empty")

    assert Client.objects.for_agency(agency).count() == 20


def test_it_refuses_an_unknown_agency(agency, caseworker):
    with pytest.raises(CommandError, match="There is no agency named 'Nowhere Agency'"):
        call_command("generate_clients", count=10, agency="Nowhere Agency")

    assert not Client.objects.exists()


def test_it_refuses_an_agency_without_staff(other_agency):
    with pytest.raises(CommandError, match="has no staff"):
        call_command("generate_clients", count=10, agency=other_agency.name)

    assert not Client.objects.exists()


# PostgreSQL indexes -------------------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN indexes exist on PostgreSQL only"
)


@postgresql_only
def test_the_search_indexes_exist_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename IN ('clients_client', 'clients_nameword')")
        names = {row[0] for row in cursor.fetchall()}

    assert {"clients_client_words_gin", "clients_nameword_trgm", "clients_client_comments_folded"} <= names


def name_search_plan(agency, typed: str) -> str:
    """EXPLAIN of a Find Client name search, with only the name-word index left to find the agency's rows by.

    At a few hundred clients PostgreSQL rightly prefers reading the table or one of the btree indexes that start
    with the agency; taking those away (inside the test's transaction, undone after it) shows whether the
    name-word index can answer the search, as it must at a million clients.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_client")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses to run with deferred checks pending
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, c.conname FROM pg_index i "
            "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid "
            "WHERE i.indrelid = 'clients_client'::regclass "
            "AND pg_get_indexdef(i.indexrelid) LIKE '%%(agency_id%%' AND i.indexrelid::regclass::text <> %s",
            ["clients_client_words_gin"],
        )
        for index, constraint in cursor.fetchall():
            if constraint:
                cursor.execute(f'ALTER TABLE clients_client DROP CONSTRAINT "{constraint}"')
            else:
                cursor.execute(f'DROP INDEX "{index}"')
    # The name-word lookups of a search (its final query ranks the few ids they find, by primary key).
    words = parse_query(typed).words
    groups = [word_expansions(agency=agency, word=word) for word in words]
    return with_name_words(Client.objects.for_agency(agency), groups).values("pk").explain()


@postgresql_only
def test_a_name_search_with_a_typo_can_be_answered_by_the_name_word_index(generated, agency, other_agency, outsider):
    generate(other_agency)

    plan = name_search_plan(agency, "Mohamad Garcia")

    assert "Bitmap Index Scan on clients_client_words_gin" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_planted_duplicates_are_registered_again_with_realistic_slips(generated, agency, caseworker):
    from demo.generate import duplicates_plant

    planted = duplicates_plant(agency=agency, count=60, created_by=caseworker.user)

    clients = Client.objects.in_bulk([pk for pair in planted for pk in pair])
    pairs = [(clients[a], clients[b]) for a, b in planted]
    assert len(pairs) == 60 and all(copy.family_id is None for _original, copy in pairs)
    slipped = sum((o.first_name, o.last_name) != (c.first_name, c.last_name) for o, c in pairs)
    assert slipped >= 45  # a slip in the name, but in a short name a typo or an accent may find nothing to change
    assert any((o.first_name, o.last_name) == (c.last_name, c.first_name) for o, c in pairs)  # names swapped
    # Not every copy gives the same telephone and email: a scan must find most of them by name or identifier.
    same_phone = sum(bool(o.phone) and o.phone == c.phone for o, c in pairs)
    assert 0 < same_phone < 45
    assert any(c.phone and c.phone != o.phone for o, c in pairs) and any(not c.phone for _o, c in pairs)
    assert any(o.email and o.email != c.email for o, c in pairs)


def test_a_generated_clients_first_edit_shows_in_its_change_history(generated, caseworker, caseworker_client):
    """Each generated client and identifier begins its history as a registered one does, so the first edit of a
    demo client says what it changed."""
    client = next(client for client in generated if client.identifiers.exists())
    assert client.history.count() == 1 and client.identifiers.first().history.count() == 1

    data = {**step_data("contact", staff=caseworker), "city": "Kingston"}
    assert edit_post(caseworker_client, client, "contact", data).status_code == 302

    changes = client_changes(client)
    assert changes[0].action == "Changed"
    assert [(change.old, change.new) for change in changes[0].fields if change.label == "City"] == [
        (client.city or "—", "Kingston")
    ]


def test_every_generated_client_is_a_new_client_of_a_program_so_its_receipt_names_one(generated, agency):
    program = agency.programs.order_by("name").first()
    assert program is not None

    rows = {client.pk: list(client.program_statuses.all()) for client in generated}

    assert all([(row.program, row.status) for row in kept] == [(program, "new")] for kept in rows.values())
    assert all(row.history.count() == 1 for row in generated[0].program_statuses.all())


def test_every_generated_client_keeps_the_rules_a_save_checks_so_each_section_saves_unchanged(generated):
    """Registered on or after the day they were born, with an e-mail address the Contact form accepts (a first name
    with accents gave "ngọc.1000010@example.org", refused on the next save of Contact)."""
    from django.core.validators import validate_email

    for client in generated:
        assert client.registration_date >= client.date_of_birth, client
        if client.email:
            validate_email(client.email)
            assert client.email.isascii(), client.email
