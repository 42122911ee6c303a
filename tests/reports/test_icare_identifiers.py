"""One iCARE identifier, one client: a client whose FOSS/GCMS Client ID another client of the agency also holds
(compared without spaces, hyphens or case) is Not ready, naming that client, until a reason is recorded or the
values differ; no file holds one identifier value on two rows."""

import pytest
from django.utils.html import escape
from pytest_django.asserts import assertInHTML

from tests.reports.test_icare import (
    check_page,
    client_link,
    data_rows,
    download,
    fix_url,
    ready_client,
    section,
    table_row,
)

pytestmark = pytest.mark.django_db

# Where the FOSS/GCMS Client ID is in a row of the file (IRCC's template: validation type, then the value).
ID_COLUMN = 2


def shared_item(client, other) -> str:
    fix = f'<a href="{fix_url(client, "identification")}">Fix in Identification'
    fix += f'<span class="visually-hidden"> ({escape(client.display_name)})</span></a>'
    return (
        f'<li><span class="marker marker-icare">Missing</span> '
        f"same FOSS/GCMS Client ID as client {other.number} · {fix}</li>"
    )


def test_two_clients_with_one_identifier_are_not_ready_each_naming_the_other(manager_client, manager):
    first = ready_client(manager, "1111-2222", first_name="Amina")
    second = ready_client(manager, "1111 2222", first_name="Omar")

    not_ready = section(check_page(manager_client), "not-ready-heading")

    assertInHTML(shared_item(first, second), table_row(not_ready, first))
    assertInHTML(shared_item(second, first), table_row(not_ready, second))


def test_a_reason_recorded_makes_the_client_ready(manager_client, manager):
    first = ready_client(manager, "1111-2222", first_name="Amina")
    second = ready_client(manager, "11112222", first_name="Omar", duplicate_reason="Mistyped ID on the other profile")

    page = check_page(manager_client)

    assertInHTML(client_link(second), section(page, "ready-heading"))
    assertInHTML(shared_item(first, second), table_row(section(page, "not-ready-heading"), first))


def test_different_values_are_no_conflict(manager_client, manager):
    ready_client(manager, "1111-2222", first_name="Amina")
    ready_client(manager, "1111-2223", first_name="Omar")

    page = check_page(manager_client)

    assert "same FOSS/GCMS Client ID" not in section(page, "not-ready-heading")


def test_another_agencys_client_with_the_value_is_no_conflict(manager_client, manager, outsider):
    ready_client(manager, "1111-2222", first_name="Amina")
    ready_client(outsider, "1111-2222", first_name="Omar")

    assert "same FOSS/GCMS Client ID" not in section(check_page(manager_client), "not-ready-heading")


def test_no_file_holds_one_identifier_value_on_two_rows(manager_client, manager):
    reason = "Different person: the ID was checked with IRCC"
    ready_client(manager, "1111-2222", first_name="Amina", duplicate_reason=reason)
    ready_client(manager, "1111 2222", first_name="Omar", duplicate_reason=reason)
    ready_client(manager, "3333-4444", first_name="Leila")

    rows = data_rows(download(manager_client))

    assert sorted(row[ID_COLUMN] for row in rows) == ["1111-2222", "3333-4444"]
