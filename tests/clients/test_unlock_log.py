"""Sensitive Information Access: the managers' review of every unlock attempt, its filters and CSV export,
and who opened a client's information on the client's own profile."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import UnlockAttempt, UnlockOutcome
from tests.clients.sensitive_helpers import WRONG, client_with_secrets, detail_url, is_not_cacheable, page_text, unlock
from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOG_URL = reverse("clients:unlock-log")
CSV_URL = reverse("clients:unlock-log-csv")


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
    """The table's rows, each as its text."""
    content = response.content.decode()
    body = content.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in content else ""
    return [page_text_of(row) for row in body.split("</tr>") if "<td" in row]


def page_text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


# Who may see it


def test_it_lists_every_attempt_of_the_agency_newest_first_for_a_manager(manager_client, attempts, amara, bilal):
    response = manager_client.get(LOG_URL)

    assert response.status_code == 200
    listed = rows(response)
    assert len(listed) == 4
    assert "Bilal Haddad" in listed[0] and "Granted" in listed[0] and "192.0.2.30" in listed[0]
    assert "Bilal Haddad" in listed[1] and "Refused: not granted access" in listed[1]
    assert "Amara Okafor" in listed[2] and "Granted" in listed[2]
    assert "Amara Okafor" in listed[3] and "Wrong password" in listed[3]
    assert f'href="{detail_url(amara)}"' in response.content.decode()
    assert is_not_cacheable(response)


@pytest.mark.parametrize("persona", ["caseworker_client", "caseworker2_client", "coordinator_client"])
def test_it_refuses_the_log_and_its_export_to_anyone_but_a_manager(request, persona, attempts):
    http = request.getfixturevalue(persona)

    assert http.get(LOG_URL).status_code == 403
    assert http.get(CSV_URL).status_code == 403


def test_it_shows_the_sidebar_link_to_managers_only(manager_client, caseworker_client, coordinator_client):
    link = f'href="{LOG_URL}">Sensitive Information Access</a>'

    assert link in manager_client.get(reverse("home")).content.decode()
    assert link not in caseworker_client.get(reverse("home")).content.decode()
    assert link not in coordinator_client.get(reverse("home")).content.decode()


def test_it_never_lists_another_agencys_attempts(manager_client, outsider_client, outsider, attempts):
    theirs = client_with_secrets(outsider, first_name="Harbour", last_name="Person")
    unlock(outsider_client, theirs)

    response = manager_client.get(LOG_URL)

    assert len(rows(response)) == 4
    assert "Harbour Person" not in page_text(response)


def test_it_answers_405_to_a_post(manager_client):
    assert manager_client.post(LOG_URL).status_code == 405


# Refusals of staff without the grant stand out


def test_it_marks_refusals_of_staff_without_the_grant_in_words(manager_client, attempts, caseworker2):
    response = manager_client.get(LOG_URL)

    text = page_text(response)
    assert "1 attempt by staff without access to sensitive information." in text
    refused = [row for row in rows(response) if caseworker2.display_name in row]
    assert refused == [refused[0]]
    assert "Refused: not granted access" in refused[0]
    assert '<tr class="table-danger ocms-refused">' in response.content.decode()


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

    assert response.status_code == 200
    assert "The end date is before the start date" in page_text(response)
    assert rows(response) == []


def test_it_keeps_the_filters_on_the_export_link(manager_client, attempts, caseworker):
    response = manager_client.get(LOG_URL, {"staff": caseworker.pk, "outcome": "granted"})

    assert f'href="{CSV_URL}?staff={caseworker.pk}&amp;outcome=granted"' in response.content.decode()


def test_it_pages_a_long_log(manager_client, manager, amara):
    UnlockAttempt.objects.bulk_create(
        UnlockAttempt(agency=manager.agency, client=amara, user=manager.user, outcome=UnlockOutcome.GRANTED)
        for _ in range(60)
    )

    first = manager_client.get(LOG_URL)
    second = manager_client.get(LOG_URL, {"page": 2})

    assert len(rows(first)) == 50
    assert len(rows(second)) == 10
    assert "Page 1 of 2" in page_text(first)


def test_its_page_links_keep_the_filters(manager_client, manager, amara):
    UnlockAttempt.objects.bulk_create(
        UnlockAttempt(agency=manager.agency, client=amara, user=manager.user, outcome=UnlockOutcome.GRANTED)
        for _ in range(60)
    )

    first = manager_client.get(LOG_URL, {"outcome": "granted"})
    second = manager_client.get(LOG_URL, {"outcome": "granted", "page": 2})

    assert 'href="?outcome=granted&amp;page=2"' in first.content.decode()
    assert 'href="?outcome=granted&amp;page=1"' in second.content.decode()


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


def test_it_exports_every_attempt_without_filters(manager_client, attempts):
    _header, *lines = csv_rows(manager_client.get(CSV_URL))

    assert len(lines) == 4
    assert "Not permitted" in [line[5] for line in lines]


def test_it_keeps_a_name_from_running_as_a_spreadsheet_formula(manager_client, manager, caseworker):
    client = client_with_secrets(caseworker, first_name="=HYPERLINK(1)", last_name="Test")
    UnlockAttempt.objects.create(agency=manager.agency, client=client, user=manager.user, outcome="granted")

    _header, line = csv_rows(manager_client.get(CSV_URL))

    assert line[4] == "'=HYPERLINK(1) Test"


# The client's own profile


def test_it_shows_a_manager_who_opened_the_clients_information(manager_client, attempts, amara, caseworker):
    response = manager_client.get(detail_url(amara))

    text = page_text(response)
    assert "Who opened this client's Sensitive Information" in text
    section = text.split("Who opened this client's Sensitive Information", 1)[1]
    assert caseworker.display_name in section
    assert "Granted" in section and "Wrong password" in section
    assert f'href="{LOG_URL}?client={amara.number}"' in response.content.decode()


def test_it_hides_who_opened_the_information_from_caseworkers(caseworker_client, attempts, amara):
    text = page_text(caseworker_client.get(detail_url(amara)))

    assert "Who opened this client's Sensitive Information" not in text


def test_it_lists_the_managers_own_new_attempt_in_the_unlocked_section(manager_client, manager, amara):
    response = unlock(manager_client, amara, PASSWORD, htmx=True)

    section = page_text(response).split("Who opened this client's Sensitive Information", 1)[1]
    assert manager.display_name in section
