"""Sensitive Information Access: the managers' review of every unlock attempt, its filters and CSV export,
and who opened a client's information on the client's own profile."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clients.models import UnlockAttempt, UnlockOutcome, UnlockSubject
from tests.clients.pages import attribute, elements, one, parsed, table_rows, text_of
from tests.clients.sensitive_helpers import WRONG, client_with_secrets, detail_url, is_not_cacheable, unlock
from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOG_URL = reverse("clients:unlock-log")
CSV_URL = reverse("clients:unlock-log-csv")
WHO_OPENED = "Who opened this client's Sensitive Information"


@pytest.fixture
def caseworker2_client(caseworker2):
    return client_for(caseworker2)


@pytest.fixture
def amara(caseworker):
    return client_with_secrets(caseworker, first_name="Amara", last_name="Okafor")


@pytest.fixture
def bilal(caseworker):
    return client_with_secrets(caseworker, first_name="Bilal", last_name="Haddad")


@pytest.fixture
def attempts(caseworker_client, caseworker2_client, manager_client, amara, bilal) -> None:
    """A granted unlock and a wrong password by the granted caseworker, a refusal of the caseworker without
    the grant, and a granted unlock by the manager."""
    unlock(caseworker_client, amara, WRONG, address="192.0.2.10")
    unlock(caseworker_client, amara, address="192.0.2.10")
    unlock(caseworker2_client, bilal, address="192.0.2.20")
    unlock(manager_client, bilal, address="192.0.2.30")


def rows(response) -> list[str]:
    """The log's rows, each as its text, on a page answered 200."""
    return table_rows(parsed(response))


def attempts_on_profile(response) -> list[str]:
    """The rows of the profile's table of who opened the client's Sensitive Information."""
    return table_rows(one(elements(parsed(response), "table", **{"aria-labelledby": "unlock-attempts-heading"})))


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


# Who may see it


def test_it_lists_every_attempt_of_the_agency_newest_first_for_a_manager(manager_client, attempts, amara, bilal):
    response = manager_client.get(LOG_URL)

    listed = rows(response)
    assert len(listed) == 4
    assert "Bilal Haddad" in listed[0] and "Granted" in listed[0] and "192.0.2.30" in listed[0]
    assert "Bilal Haddad" in listed[1] and "Refused: not granted access" in listed[1]
    assert "Amara Okafor" in listed[2] and "Granted" in listed[2]
    assert "Amara Okafor" in listed[3] and "Wrong password" in listed[3]
    assertContains(response, f'<a href="{detail_url(amara)}">Amara Okafor</a>', count=2, html=True)
    assert is_not_cacheable(response)


@pytest.mark.parametrize("persona", ["caseworker_client", "caseworker2_client", "coordinator_client"])
def test_it_refuses_the_log_and_its_export_to_anyone_but_a_manager(request, persona, attempts):
    http = request.getfixturevalue(persona)

    assert http.get(LOG_URL).status_code == 403
    assert http.get(CSV_URL).status_code == 403


def test_it_shows_the_sidebar_link_to_managers_only(manager_client, caseworker_client, coordinator_client):
    link = f'<a class="nav-link" href="{LOG_URL}">Sensitive Information Access</a>'

    assertContains(manager_client.get(reverse("home")), link, html=True)
    assertNotContains(caseworker_client.get(reverse("home")), f'href="{LOG_URL}"')
    assertNotContains(coordinator_client.get(reverse("home")), f'href="{LOG_URL}"')


def test_it_never_lists_another_agencys_attempts(manager_client, outsider_client, outsider, attempts):
    theirs = client_with_secrets(outsider, first_name="Harbour", last_name="Person")
    unlock(outsider_client, theirs)

    response = manager_client.get(LOG_URL)

    assert len(rows(response)) == 4
    assertNotContains(response, "Harbour Person")


def test_it_answers_405_to_a_post(manager_client):
    assert manager_client.post(LOG_URL).status_code == 405


# Refusals of staff without the grant stand out


def test_it_marks_refusals_of_staff_without_the_grant_in_words(manager_client, attempts, caseworker2):
    response = manager_client.get(LOG_URL)

    assertContains(response, "1 attempt by staff without access to sensitive information.", html=True)
    refused = [row for row in rows(response) if caseworker2.display_name in row]
    assert len(refused) == 1
    assert "Refused: not granted access" in refused[0]
    marked = one(elements(parsed(response), "tr", class_="table-danger"))
    assert attribute(marked, "class") == "ocms-refused table-danger"
    assert [text_of(marked)] == refused
    # The filter names the outcome as the table does (and the export, below).
    assertContains(response, '<option value="not_permitted">Refused: not granted access</option>', html=True)


# Filters


def test_it_filters_by_staff_member(manager_client, attempts, caseworker):
    response = manager_client.get(LOG_URL, {"staff": caseworker.pk})

    listed = rows(response)
    assert len(listed) == 2
    assert all(caseworker.display_name in row for row in listed)


def test_it_filters_by_client_number(manager_client, attempts, bilal):
    listed = rows(manager_client.get(LOG_URL, {"client": str(bilal.number)}))

    assert len(listed) == 2
    assert all("Bilal Haddad" in row for row in listed)


def test_it_filters_by_part_of_the_clients_name(manager_client, attempts):
    listed = rows(manager_client.get(LOG_URL, {"client": "okaf"}))

    assert len(listed) == 2
    assert all("Amara Okafor" in row for row in listed)


def test_it_filters_by_outcome(manager_client, attempts):
    listed = rows(manager_client.get(LOG_URL, {"outcome": UnlockOutcome.WRONG_PASSWORD}))

    assert len(listed) == 1
    assert "Wrong password" in listed[0]


def test_it_filters_by_date_range(manager_client, attempts, amara):
    today = timezone.localdate()
    old = UnlockAttempt.objects.filter(client=amara)
    old.update(at=timezone.now() - timedelta(days=10))

    recent = rows(manager_client.get(LOG_URL, {"date_from": today.isoformat()}))
    earlier = rows(
        manager_client.get(
            LOG_URL,
            {"date_from": (today - timedelta(days=11)).isoformat(), "date_to": (today - timedelta(days=9)).isoformat()},
        )
    )

    assert len(recent) == 2 and all("Bilal Haddad" in row for row in recent)
    assert len(earlier) == 2 and all("Amara Okafor" in row for row in earlier)


def test_it_explains_a_date_range_that_ends_before_it_starts(manager_client, attempts):
    today = timezone.localdate()
    response = manager_client.get(
        LOG_URL, {"date_from": today.isoformat(), "date_to": (today - timedelta(days=1)).isoformat()}
    )

    assert response.context["form"].errors == {
        "date_to": ["The end date is before the start date: enter a date on or after it."]
    }
    assert rows(response) == []


def test_it_keeps_the_filters_on_the_export_link(manager_client, attempts, caseworker):
    response = manager_client.get(LOG_URL, {"staff": caseworker.pk, "outcome": "granted"})

    assertContains(
        response,
        f'<a class="btn btn-outline-secondary ms-auto" href="{CSV_URL}?staff={caseworker.pk}&amp;outcome=granted" '
        "download>Export as CSV</a>",
        html=True,
    )


def test_it_pages_a_long_log(manager_client, manager, amara):
    UnlockAttempt.objects.bulk_create(
        UnlockAttempt(agency=manager.agency, client=amara, user=manager.user, outcome=UnlockOutcome.GRANTED)
        for _ in range(60)
    )

    first = manager_client.get(LOG_URL)
    second = manager_client.get(LOG_URL, {"page": 2})

    assert len(rows(first)) == 50
    assert len(rows(second)) == 10
    assertContains(first, '<span class="page-link">Page 1 of 2</span>', html=True)


def test_its_page_links_keep_the_filters(manager_client, manager, amara):
    UnlockAttempt.objects.bulk_create(
        UnlockAttempt(agency=manager.agency, client=amara, user=manager.user, outcome=UnlockOutcome.GRANTED)
        for _ in range(60)
    )

    first = manager_client.get(LOG_URL, {"outcome": "granted"})
    second = manager_client.get(LOG_URL, {"outcome": "granted", "page": 2})

    assertContains(first, '<a class="page-link" href="?outcome=granted&amp;page=2">Next</a>', html=True)
    assertContains(second, '<a class="page-link" href="?outcome=granted&amp;page=1">Previous</a>', html=True)


# CSV export


def test_it_exports_the_filtered_log_as_csv(manager_client, attempts, amara, caseworker):
    response = manager_client.get(CSV_URL, {"client": str(amara.number)})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="sensitive-information-access-')
    assert is_not_cacheable(response)
    header, *lines = csv_rows(response)
    assert header == ["When", "Staff member", "Username", "Client number", "Client", "Outcome", "From address"]
    assert [line[1:] for line in lines] == [
        [caseworker.display_name, "casey", str(amara.number), "Amara Okafor", "Granted", "192.0.2.10"],
        [caseworker.display_name, "casey", str(amara.number), "Amara Okafor", "Wrong password", "192.0.2.10"],
    ]


def test_an_export_with_filters_that_mean_nothing_leads_to_the_log_saying_what_to_correct(manager_client, attempts):
    response = manager_client.get(CSV_URL, {"date_from": "abc", "client": "Amara"})

    assertRedirects(response, f"{LOG_URL}?date_from=abc&client=Amara", fetch_redirect_response=False)
    assert manager_client.get(response.url).context["form"].errors["date_from"]


def test_it_exports_every_attempt_without_filters(manager_client, attempts):
    _header, *lines = csv_rows(manager_client.get(CSV_URL))

    assert len(lines) == 4
    assert "Refused: not granted access" in [line[5] for line in lines]


def test_it_keeps_a_name_from_running_as_a_spreadsheet_formula(manager_client, manager, caseworker):
    client = client_with_secrets(caseworker, first_name="=HYPERLINK(1)", last_name="Test")
    UnlockAttempt.objects.create(agency=manager.agency, client=client, user=manager.user, outcome="granted")

    _header, line = csv_rows(manager_client.get(CSV_URL))

    assert line[4] == "'=HYPERLINK(1) Test"


# The client's own profile


def test_it_shows_a_manager_who_opened_the_clients_information(manager_client, attempts, amara, caseworker):
    response = manager_client.get(detail_url(amara))

    assertContains(response, f'<h3 class="h6" id="unlock-attempts-heading">{WHO_OPENED}</h3>', html=True)
    granted, wrong = attempts_on_profile(response)
    assert caseworker.display_name in granted and "Granted" in granted
    assert caseworker.display_name in wrong and "Wrong password" in wrong
    assertContains(response, f'<a href="{LOG_URL}?client={amara.number}">Every attempt for this client</a>', html=True)


def test_it_hides_who_opened_the_information_from_caseworkers(caseworker_client, attempts, amara):
    response = caseworker_client.get(detail_url(amara))

    assertNotContains(response, escape(WHO_OPENED))
    assertNotContains(response, "unlock-attempts-heading")


def test_it_lists_the_managers_own_new_attempt_in_the_unlocked_section(manager_client, manager, amara):
    response = unlock(manager_client, amara, PASSWORD, htmx=True)

    assert [row for row in attempts_on_profile(response) if manager.display_name in row]


def test_it_names_the_client_a_draft_unlocked_on_became(manager_client, caseworker, amara):
    # A registration keeps its draft's code: the draft's unlock names the client it became.
    UnlockAttempt.objects.create(
        agency=caseworker.agency,
        user=caseworker.user,
        subject=UnlockSubject.DRAFT,
        reference=amara.code,
        outcome=UnlockOutcome.GRANTED,
        address="192.0.2.10",
    )

    response = manager_client.get(LOG_URL)

    assert rows(response) == [
        f"{timezone.localtime(UnlockAttempt.objects.get().at):%Y-%m-%d %H:%M:%S} "
        f"{caseworker.user.get_full_name()} Registration in progress: registered since as client {amara.number} "
        f"{amara.display_name} Granted 192.0.2.10"
    ]
    assertContains(response, reverse("clients:client-detail", kwargs={"code": amara.code}))
