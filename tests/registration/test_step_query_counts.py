"""A wizard step's drop-downs read their options once, all lists in one query, whatever the number of rows or forms
showing them, and then not again while the agency's lists stay the same (tests/agencies/test_list_choices.py); the
value each row chose is checked against them, not read again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from agencies.models import lists_changed
from tests.factories import ProgramFactory, SiteFactory
from tests.wizard import identifier_type, management, step_data, step_url, walk

pytestmark = pytest.mark.django_db

TYPES = ["FOSS/GCMS Client ID", "Passport Number", "Driver's Licence Number"]


def identification_with(client, staff, rows: int):
    """A draft walked to Identification with `rows` identifiers; returns the step's URL."""
    agency = staff.agency
    data = management("identifiers", rows)
    for index in range(rows):
        data |= {
            f"identifiers-{index}-identifier_type": str(identifier_type(agency, TYPES[index % len(TYPES)]).pk),
            f"identifiers-{index}-value": f"{index:04d}-{rows:04d}",
        }
    code, response = walk(client, staff, {"identification": data}, until="identification")
    assert response.status_code == 302, "the rows are accepted"
    return step_url(code, "identification")


def queries_of(client, url: str) -> list[str]:
    client.get(url)  # the session's first minute is saved once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def queries_of_first(client, url: str) -> list[dict]:
    """The queries of one request, as it is made (the log of the next request starts afresh)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return queries.captured_queries


def options_read(queries: list[str]) -> list[str]:
    """The queries that read the agency's list values (not one chosen value), counted or through a cursor."""
    return [sql for sql in queries if 'FROM "agencies_listitem"' in sql and '"agencies_listitem"."id" =' not in sql]


@pytest.mark.parametrize("rows", [1, 3])
def test_the_identification_step_reads_the_identifier_types_once_for_all_its_rows(caseworker_client, caseworker, rows):
    url = identification_with(caseworker_client, caseworker, rows)
    lists_changed(caseworker.agency_id)  # as after a coordinator changed a value
    first_read = options_read([query["sql"] for query in queries_of_first(caseworker_client, url)])
    queries = queries_of(caseworker_client, url)

    # One read for every row and the row [+] copies, then none; no COUNT, no server-side cursor.
    assert len(first_read) == 1, "\n".join(first_read)
    assert options_read(queries) == []
    assert not [sql for sql in queries if sql.startswith(("DECLARE", "SELECT COUNT(*)"))]


@pytest.mark.parametrize("rows", [1, 3])
def test_the_rows_chosen_identifier_types_are_checked_without_a_query_each(caseworker_client, caseworker, rows):
    queries = queries_of(caseworker_client, identification_with(caseworker_client, caseworker, rows))

    # Each row's type is found among the agency's list values the process keeps (agencies/rows.py), not read again.
    chosen = [sql for sql in queries if 'FROM "agencies_listitem"' in sql and '"agencies_listitem"."id" =' in sql]
    assert chosen == [], "\n".join(chosen)
    assertContains(caseworker_client.get(identification_with(caseworker_client, caseworker, rows)), "Passport Number")


def test_the_sensitive_step_reads_its_lists_in_one_query_without_a_server_side_cursor(caseworker_client, caseworker):
    # The caseworker holds the grant: the step shows the Sensitive Information form beside the Volunteer one
    # (health insurance status, self-identity and family income: three lists of the agency's).
    code, _response = walk(caseworker_client, caseworker, {}, until="sensitive")
    lists_changed(caseworker.agency_id)
    queries = [query["sql"] for query in queries_of_first(caseworker_client, step_url(code, "sensitive"))]

    assert len(options_read(queries)) == 1, "\n".join(options_read(queries))
    assert not [sql for sql in queries if sql.startswith("DECLARE")]


def test_the_consent_step_reads_no_list_again_and_no_server_side_cursor(caseworker_client, caseworker):
    # Learned about Program is a list of checkboxes of an IRCC list: read once a process like the drop-downs.
    code, _response = walk(caseworker_client, caseworker, {}, until="consent")

    queries = queries_of(caseworker_client, step_url(code, "consent"))

    assert not [sql for sql in queries if 'FROM "agencies_icarevalue"' in sql or 'FROM "agencies_listitem"' in sql]
    assert not [sql for sql in queries if sql.startswith("DECLARE")]


def test_the_summary_step_and_the_anonymous_form_read_staff_and_sites_without_a_server_side_cursor(
    caseworker_client, caseworker
):
    code, _response = walk(caseworker_client, caseworker, {}, register=False)

    for url in (step_url(code, "summary"), reverse("registration:anonymous-register")):
        queries = queries_of(caseworker_client, url)
        assert not [sql for sql in queries if sql.startswith("DECLARE")], url


def test_the_summary_step_names_the_default_registration_site_without_reading_it_again(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, {}, register=False)

    queries = queries_of(caseworker_client, step_url(code, "summary"))

    # The site picker shows the caseworker's default site by its name: the site came with the user.
    assert [sql for sql in queries if 'FROM "agencies_site"' in sql] == []


def test_the_summary_step_reads_a_registration_site_picked_instead_of_the_default_once_to_check_and_name_it(
    caseworker_client, caseworker
):
    agency = caseworker.agency
    other = SiteFactory(agency=agency, group=agency.site_groups.first(), name="Harbour Street Office")
    code, _response = walk(caseworker_client, caseworker, {}, register=False)
    picked = step_data("summary", staff=caseworker, overrides={"summary": {"registration_site": str(other.code)}})
    response = caseworker_client.post(step_url(code, "summary"), {**picked, "go": "consent"})  # kept, not registered
    assert response.status_code == 302

    response = caseworker_client.get(step_url(code, "summary"))
    queries = queries_of(caseworker_client, step_url(code, "summary"))

    assertContains(response, 'value="Harbour Street Office"')
    assert len([sql for sql in queries if 'FROM "agencies_site"' in sql]) == 1, "\n".join(queries)


@pytest.mark.parametrize("step", ["identification", "sensitive"])
def test_the_agency_program_table_reads_no_program_for_its_rows(caseworker_client, caseworker, step):
    ProgramFactory.create_batch(3, agency=caseworker.agency)
    code, _response = walk(caseworker_client, caseworker, {}, until=step)  # every row posted with a status

    queries = queries_of(caseworker_client, step_url(code, step))

    # The posted codes are checked against the agency's programs the process keeps (agencies.rows.agency_programs,
    # read as the walk showed the table first), not each read again.
    programs = [sql for sql in queries if 'FROM "agencies_program"' in sql]
    assert programs == []
