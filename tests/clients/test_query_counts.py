"""The profile page and the dashboard read a client in a constant number of queries, whatever the number of
family members, identifiers, languages, sessions and change-history rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from agencies.models import AgencyList, IcareList, IcareValue
from clients.models import ClientLanguage, ClientProgram, ProgramStatus
from tests.factories import ClientFactory, FamilyFactory, IdentifierFactory, SessionFactory, icare_value, list_item

pytestmark = pytest.mark.django_db

PAGES = ["clients:client-detail", "clients:client-dashboard"]


def client_with(staff, count: int):
    """A client with `count` of each: relatives in the family, identifiers, languages, sessions, history rows."""
    family = FamilyFactory(agency=staff.agency)
    client = ClientFactory(registered_by=staff, family=family)
    languages = list(IcareValue.objects.of(IcareList.LANGUAGE).order_by("pk")[:count])
    for index in range(count):
        ClientFactory(registered_by=staff, family=family, first_name=f"Relative{index}")
        IdentifierFactory(client=client, value=f"{index:04d}-{count:04d}")
        ClientLanguage.objects.create(client=client, language=languages[index])
        SessionFactory(client=client)
        client.comments = f"Change {index}"
        client.save()  # a change-history record each
    return client


def queries_of(browser, page: str, client) -> list[str]:
    browser.get(reverse(page, kwargs={"code": client.code}))  # the session's first minute is saved once
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(reverse(page, kwargs={"code": client.code}))
    assert response.status_code == 200
    return [query["sql"] for query in queries]


@pytest.mark.parametrize("page", PAGES)
def test_the_page_reads_a_client_of_ten_of_each_in_the_queries_of_a_client_of_one(manager_client, manager, page):
    one, ten = client_with(manager, 1), client_with(manager, 10)

    with_one, with_ten = queries_of(manager_client, page, one), queries_of(manager_client, page, ten)

    assert len(with_ten) == len(with_one), "\n".join(with_ten)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_names_the_agency_from_the_request_without_reading_it_again(manager_client, manager, page):
    client = client_with(manager, 1)

    queries = queries_of(manager_client, page, client)

    # The agency was read with the user (agencies/backends.py); the client found among its rows is of that agency.
    assert not [sql for sql in queries if sql.startswith('SELECT "agencies_agency"')], "\n".join(queries)


def test_the_profile_counts_the_sessions_with_the_latest_of_them(manager_client, manager):
    client = client_with(manager, 10)

    queries = queries_of(manager_client, "clients:client-detail", client)

    # One read of the client's sessions, the newest ten each carrying the number of them all; no count apart.
    assert len([sql for sql in queries if 'FROM "clients_session"' in sql]) == 1, "\n".join(queries)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_reads_each_program_with_the_clients_status_in_it(manager_client, manager, page):
    client = client_with(manager, 1)
    for program in manager.agency.programs.all()[:2]:
        ClientProgram.objects.create(client=client, program=program, status=ProgramStatus.NEW)

    queries = queries_of(manager_client, page, client)

    assert not [sql for sql in queries if sql.startswith('SELECT "agencies_program"')], "\n".join(queries)
    response = manager_client.get(reverse(page, kwargs={"code": client.code}))
    for program in manager.agency.programs.all()[:2]:
        assertContains(response, program.name)


# A column of each list table, which a query reads only to show a value (the identifiers' order joins the types).
LIST_COLUMNS = ('"agencies_icarevalue"."label_en"', '"agencies_listitem"."label"', '"agencies_occupation"."title_en"')


@pytest.mark.parametrize("page", PAGES)
def test_the_page_shows_the_list_values_without_joining_or_reading_the_lists(manager_client, manager, page):
    client = client_with(manager, 3)
    client.gender = list_item(manager.agency, AgencyList.GENDER, "Female")
    client.official_language = icare_value(IcareList.OFFICIAL_LANGUAGE, "French")
    client.current_profession_id = "31301"
    client.save()
    ClientLanguage.objects.filter(client=client).update(listening=icare_value(IcareList.CLB_LISTENING, "5"))

    queries = queries_of(manager_client, page, client)

    # The process keeps them (agencies/rows.py); only Learned about Program is read, through its own table.
    lists = [sql for sql in queries if any(column in sql for column in LIST_COLUMNS)]
    assert [sql for sql in lists if "clients_client_referral_sources" not in sql] == [], "\n".join(lists)
    if page == "clients:client-detail":
        assertContains(manager_client.get(reverse(page, kwargs={"code": client.code})), "Registered nurses")
