"""One iCARE identifier, one client: a client whose FOSS/GCMS Client ID another client of the agency also holds
(compared without spaces, hyphens or case) is Not ready, naming that client, until a reason is recorded or the
values differ; no file holds one identifier value on two rows."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertInHTML

from clients.models import PairReason
from clients.scan import pair_decide_different, pair_raise
from clients.sections import SectionName
from tests.registration.edit_pages import Editor
from tests.reports.test_icare import (
    check_page,
    client_link,
    dashboard_url,
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
    label = f"same FOSS/GCMS Client ID as client {other.number}"
    hidden = f'<span class="visually-hidden"> ({label}, {escape(client.display_name)})</span>'
    fix = f'<a href="{fix_url(client, "identification")}">Fix in Identification{hidden}</a>'
    reason = f'<a href="{reason_url(client)}">or record the reason the two are different people{hidden}</a>'
    return f'<li><span class="marker marker-icare">Missing</span> {label} · {fix} · {reason}</li>'


def reason_url(client) -> str:
    return fix_url(client, "summary") + "#id_duplicate_reason"


def second_holder_item(client, first) -> str:
    label = (
        f"same FOSS/GCMS Client ID as client {first.number}, whom the file holds: iCARE takes one client per identifier"
    )
    fix = f'<a href="{fix_url(client, "identification")}">Fix in Identification'
    fix += f'<span class="visually-hidden"> ({label}, {escape(client.display_name)})</span></a>'
    return f'<li><span class="marker marker-icare">Missing</span> {label} · {fix}</li>'


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


def test_a_reason_recorded_through_the_check_page_makes_the_client_ready(manager_client, manager):
    """The Not ready line links to the Registration Summary, which offers the reason although none was recorded;
    once recorded there, the check page shows the client Ready and the other still Not ready."""
    first = ready_client(manager, "1111-2222", first_name="Amina")
    second = ready_client(manager, "1111 2222", first_name="Omar", date_of_birth=date(1985, 1, 1))
    assert reason_url(second) in table_row(section(check_page(manager_client), "not-ready-heading"), second)

    editor = Editor(manager_client, second, SectionName.SUMMARY)
    assert editor.data["duplicate_reason"] == [""]
    assert editor.type(duplicate_reason="Different person: IRCC gave the ID to Amina").save().status_code == 302

    page = check_page(manager_client)
    assertInHTML(client_link(second), section(page, "ready-heading"))
    assertInHTML(shared_item(first, second), table_row(section(page, "not-ready-heading"), first))


def test_a_second_holder_the_file_leaves_out_is_not_shown_ready(manager_client, manager):
    """Both have a reason: the first by number goes in the file, and the other is Not ready, saying why."""
    reason = "Different person: the ID was checked with IRCC"
    first = ready_client(manager, "1111-2222", first_name="Amina", duplicate_reason=reason)
    second = ready_client(manager, "1111 2222", first_name="Omar", duplicate_reason=reason)

    page = check_page(manager_client)

    assertInHTML(client_link(first), section(page, "ready-heading"))
    assert dashboard_url(second) not in section(page, "ready-heading")
    assertInHTML(second_holder_item(second, first), table_row(section(page, "not-ready-heading"), second))
    assert [row[ID_COLUMN] for row in data_rows(download(manager_client))] == ["1111-2222"]


def badge(http, client) -> str:
    """The client's iCARE status, as the profile shows it: the dashboard's and Next Steps' are the same badge."""
    page = http.get(reverse("clients:client-detail", kwargs={"code": client.code}))
    assert page.status_code == 200
    found = re.search(r'<(span|div) class="badge badge-icare-[^"]*"[^>]*>(.*?)</\1>', page.content.decode())
    assert found, "no iCARE badge on the profile"
    return re.sub(r"<[^>]+>", "", found.group(2))


def test_the_profile_badge_says_of_a_shared_identifier_what_the_check_says(manager_client, manager):
    first = ready_client(manager, "1111-2222", first_name="Amina")
    second = ready_client(manager, "1111 2222", first_name="Omar")

    assert (
        badge(manager_client, first)
        == f"Not ready for iCARE — missing: same FOSS/GCMS Client ID as client {second.number}"
    )
    assert (
        badge(manager_client, second)
        == f"Not ready for iCARE — missing: same FOSS/GCMS Client ID as client {first.number}"
    )

    Editor(manager_client, second, SectionName.SUMMARY).type(duplicate_reason="IRCC gave the ID to Amina").save()

    assertInHTML(client_link(second), section(check_page(manager_client), "ready-heading"))
    assert badge(manager_client, second) == "iCARE ready"
    assert (
        badge(manager_client, first)
        == f"Not ready for iCARE — missing: same FOSS/GCMS Client ID as client {second.number}"
    )


def test_different_people_decided_in_the_queue_is_the_reason_and_the_file_takes_the_first(manager_client, manager):
    first = ready_client(manager, "1111-2222", first_name="Amina")
    second = ready_client(manager, "1111 2222", first_name="Omar")
    pair = pair_raise(agency=first.agency, a=first, b=second, reason=PairReason.IDENTIFIER)
    pair_decide_different(pair=pair, by=manager.user, note="Two people: IRCC confirmed Amina's ID")

    page = check_page(manager_client)

    assertInHTML(client_link(first), section(page, "ready-heading"))
    assertInHTML(second_holder_item(second, first), table_row(section(page, "not-ready-heading"), second))
    assert badge(manager_client, first) == "iCARE ready"
    assert badge(manager_client, second) == (
        f"Not ready for iCARE — missing: same FOSS/GCMS Client ID as client {first.number}, "
        "whom the file holds: iCARE takes one client per identifier"
    )
    # A compared field changed since the decision: the decision no longer holds, as in the queue.
    Editor(manager_client, second, SectionName.PRIMARY).type(first_name="Omer").save()
    assert (
        badge(manager_client, second)
        == f"Not ready for iCARE — missing: same FOSS/GCMS Client ID as client {first.number}"
    )
