"""Each process keeps an agency's list values between pages (agencies/rows.py: the drop-downs' options, the values a
profile shows), and shows a value changed by the coordinator on the very next page, whichever way it was changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from agencies.lists import agency_lists_seed
from agencies.models import AgencyList, ListItem, Program
from tests.agencies.test_admin_scope import admin_url
from tests.conftest import client_for
from tests.factories import ClientFactory, StaffFactory
from tests.wizard import step_url, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def primary_url(caseworker_client, caseworker) -> str:
    """The Primary Information step of a draft (Gender is a drop-down of the agency's own list), shown once."""
    code, _response = walk(caseworker_client, caseworker, {}, until="primary")
    url = step_url(code, "primary")
    assert caseworker_client.get(url).status_code == 200
    return url


def gender_options(client, url: str) -> tuple[list[str], list[str]]:
    """The Gender drop-down's options on the page, and the queries that read the agency's list values for it (not
    the one that checks the value chosen)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    select = response.content.decode().split('name="gender"', 1)[1].split("</select>", 1)[0]
    options = [part.split(">", 1)[1].split("<", 1)[0] for part in select.split("<option")[1:]]
    reads = [
        sql
        for sql in (query["sql"] for query in queries)
        if 'FROM "agencies_listitem"' in sql and '"agencies_listitem"."id" =' not in sql  # not the chosen value's
    ]
    return options, reads


def test_a_page_shown_again_reads_none_of_the_agencys_lists(caseworker_client, primary_url):
    options, reads = gender_options(caseworker_client, primary_url)

    assert "Female" in options
    assert reads == []


def test_a_value_renamed_in_the_admin_shows_on_the_next_page(caseworker_client, primary_url, coordinator):
    item = ListItem.objects.get(agency=coordinator.agency, list=AgencyList.GENDER, label="Female")
    response = client_for(coordinator).post(
        admin_url(ListItem, "change", item.pk),
        {"label": "Woman", "label_fr": "Femme", "list": item.list, "position": item.position, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    options, reads = gender_options(caseworker_client, primary_url)

    assert "Woman" in options
    assert "Female" not in options
    assert len(reads) == 1  # read again, once, for the page after the change


def test_a_value_deactivated_in_the_admin_change_list_leaves_the_next_page(caseworker_client, primary_url, coordinator):
    item = ListItem.objects.get(agency=coordinator.agency, list=AgencyList.GENDER, label="Female")
    response = client_for(coordinator).post(
        admin_url(ListItem, "changelist") + f"?list={AgencyList.GENDER}",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(item.pk),
            "form-0-position": str(item.position),
            "form-0-is_active": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not ListItem.objects.get(pk=item.pk).is_active

    options, _reads = gender_options(caseworker_client, primary_url)

    assert "Female" not in options


def test_a_value_deleted_in_the_admin_leaves_the_next_page(caseworker_client, primary_url, coordinator):
    unused = ListItem.objects.create(agency=coordinator.agency, list=AgencyList.GENDER, label="Unused value")
    assert "Unused value" in gender_options(caseworker_client, primary_url)[0]

    response = client_for(coordinator).post(
        admin_url(ListItem, "changelist"),
        {"action": "delete_selected", "_selected_action": [unused.pk], "post": "yes"},
    )
    assert response.status_code == 302

    assert "Unused value" not in gender_options(caseworker_client, primary_url)[0]


def test_values_seeded_in_bulk_renew_the_version_the_processes_compare(agency):
    before = agency.lists_version
    ListItem.objects.filter(agency=agency, list=AgencyList.GENDER, label="Female").delete()
    deleted = type(agency).objects.get(pk=agency.pk).lists_version
    assert deleted != before

    agency_lists_seed(agency=agency)  # puts Female back, in one INSERT that sends no signal

    assert type(agency).objects.get(pk=agency.pk).lists_version not in (before, deleted)


def test_an_agency_saved_from_a_copy_read_earlier_does_not_put_an_old_version_back(agency):
    earlier = type(agency).objects.get(pk=agency.pk)
    read = earlier.lists_version
    ListItem.objects.create(agency=agency, list=AgencyList.GENDER, label="Another")
    changed = type(agency).objects.get(pk=agency.pk).lists_version

    earlier.save()  # e.g. the admin's agency form, opened before the value was added

    assert type(agency).objects.get(pk=agency.pk).lists_version not in (read, changed)


def test_another_agencys_change_leaves_this_agencys_options_read(caseworker_client, primary_url, other_agency):
    ListItem.objects.create(agency=other_agency, list=AgencyList.GENDER, label="Elsewhere")

    options, reads = gender_options(caseworker_client, primary_url)

    assert "Elsewhere" not in options
    assert reads == []


def test_the_page_in_french_has_its_own_options(caseworker_client, primary_url):
    caseworker_client.post(reverse("set_language"), {"language": "fr", "next": primary_url})

    options, _reads = gender_options(caseworker_client, primary_url)

    assert "Femme" in options


def test_a_value_renamed_shows_on_the_next_profile_of_a_client_holding_it(caseworker_client, caseworker):
    item = ListItem.objects.get(agency=caseworker.agency, list=AgencyList.GENDER, label="Female")
    client = ClientFactory(registered_by=caseworker, gender=item)
    url = reverse("clients:client-detail", kwargs={"code": client.code})
    assertContains(caseworker_client.get(url), "Female")

    item.label = "Woman"
    item.save()

    assertContains(caseworker_client.get(url), "Woman")
    assertNotContains(caseworker_client.get(url), "Female")


def program_reads(client, url: str) -> tuple[str, list[str]]:
    """The step's page, and the queries that read the agency's programs for its Agency Program Table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries if 'FROM "agencies_program"' in q["sql"]]


def test_the_program_table_is_read_once_and_again_after_a_program_is_added_or_renamed(
    caseworker_client, caseworker, coordinator
):
    code, _response = walk(caseworker_client, caseworker, {}, until="identification")
    url = step_url(code, "identification")
    caseworker_client.get(url)

    page, reads = program_reads(caseworker_client, url)
    assert reads == []  # kept by the process, like the lists

    program = Program.objects.create(agency=coordinator.agency, name="Employment Bridge")
    page, reads = program_reads(caseworker_client, url)
    assert "Employment Bridge" in page
    assert len(reads) == 1

    program.name = "Bridge to Work"
    program.save()
    page, reads = program_reads(caseworker_client, url)
    assert "Bridge to Work" in page
    assert "Employment Bridge" not in page


@pytest.fixture
def summary_url(caseworker_client, caseworker) -> str:
    """The Registration Summary step of a draft (its Primary Worker is a drop-down of the agency's staff), shown
    once."""
    code = walk(caseworker_client, caseworker, register=False)[0]
    url = step_url(code, "summary")
    assert caseworker_client.get(url).status_code == 200
    return url


def worker_options(client, url: str) -> tuple[list[tuple[str, bool]], list[str]]:
    """The Primary Worker drop-down's options (name, chosen), and the queries that read the agency's staff for it
    (the session's statement reads the signed-in user's staff profile, joined to it: not counted)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    select = response.content.decode().split('name="primary_worker"', 1)[1].split("</select>", 1)[0]
    options = [
        (part.split(">", 1)[1].split("<", 1)[0], " selected" in part.split(">", 1)[0])
        for part in select.split("<option")[1:]
    ]
    reads = [query["sql"] for query in queries if 'FROM "agencies_staffprofile"' in query["sql"]]
    return options, reads


def test_the_staff_drop_down_is_not_read_again_for_each_page(coordinator, caseworker, caseworker_client, summary_url):
    options, reads = worker_options(caseworker_client, summary_url)

    assert (caseworker.display_name, True) in options  # the one registering, chosen
    assert (coordinator.display_name, False) in options
    assert reads == []


def test_a_staff_member_renamed_added_or_removed_shows_on_the_next_page(
    coordinator, caseworker_client, summary_url, agency
):
    coordinator.user.last_name = "Renamed"
    coordinator.user.save()
    options, reads = worker_options(caseworker_client, summary_url)
    assert coordinator.display_name in [name for name, _chosen in options]
    assert len(reads) == 1

    newcomer = StaffFactory(agency=agency, user__first_name="Nadia", user__last_name="Newly")
    assert "Nadia Newly" in [name for name, _chosen in worker_options(caseworker_client, summary_url)[0]]

    newcomer.delete()
    assert "Nadia Newly" not in [name for name, _chosen in worker_options(caseworker_client, summary_url)[0]]


def test_a_login_leaves_the_staff_drop_down_as_the_processes_keep_it(coordinator, caseworker_client, summary_url):
    client_for(coordinator)  # a login saves the time of the user's last login, and nothing else

    assert worker_options(caseworker_client, summary_url)[1] == []


def test_another_agencys_staff_are_never_offered(caseworker_client, summary_url, other_agency):
    outsider = StaffFactory(agency=other_agency, user__first_name="Olga", user__last_name="Outside")

    names = [name for name, _chosen in worker_options(caseworker_client, summary_url)[0]]

    assert outsider.display_name not in names
