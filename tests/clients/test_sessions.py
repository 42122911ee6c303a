"""Begin Session with Client, the client's session list, and Add mentor/tutor match."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Program
from clients.models import DeliveryMode, MentorMatch, Session, SessionType
from tests.factories import ClientFactory, ProgramFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(agency, caseworker):
    return ClientFactory(agency=agency, first_name="Amina", last_name="Haddad", primary_worker=caseworker)


def session_create_url(client) -> str:
    return reverse("clients:session-create", kwargs={"code": client.code})


def mentor_match_create_url(client) -> str:
    return reverse("clients:mentor-match-create", kwargs={"code": client.code})


def profile_url(client) -> str:
    return reverse("clients:client-detail", kwargs={"code": client.code})


def session_data(agency, **overrides) -> dict:
    data = {
        "date": "2026-03-05",
        "program": Program.objects.get(agency=agency, name="Employment").pk,
        "session_type": SessionType.JOB_DEVELOPMENT,
        "delivery_mode": DeliveryMode.PHONE,
        "services": ["employment", "documents"],
        "duration_minutes": "50",
        "notes": "Reviewed the résumé.",
    }
    return {**data, **overrides}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_begin_session_offers_today_and_the_agencys_programs(caseworker_client, registered, other_agency):
    response = caseworker_client.get(session_create_url(registered))

    assert response.status_code == 200
    page = page_text(response)
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert "Begin Session with Client" in page
    for name in ("Settlement", "Language Training", "Employment"):
        assert f">{name}</option>" in page
    assert f'<option value="{other_agency.programs.get().pk}"' not in page
    for label in SessionType.labels:
        assert str(label) in page
    assert "Information & Orientation group activity" in page
    assert "Needs assessment and referrals" in page


def test_begin_session_saves_a_session_of_the_agency_by_the_logged_in_worker(
    caseworker_client, registered, agency, caseworker
):
    response = caseworker_client.post(session_create_url(registered), session_data(agency))

    assert response.status_code == 302
    assert response.url == reverse("clients:session-list", kwargs={"code": registered.code})
    session = Session.objects.get()
    assert session.agency == agency
    assert session.client == registered
    assert session.worker == caseworker
    assert session.date == date(2026, 3, 5)
    assert session.program.name == "Employment"
    assert session.session_type == SessionType.JOB_DEVELOPMENT
    assert session.delivery_mode == DeliveryMode.PHONE
    assert session.services == ["employment", "documents"]
    assert session.duration_minutes == 50
    assert session.notes == "Reviewed the résumé."

    listed = page_text(caseworker_client.get(response.url))
    assert "The session of 2026-03-05 with Amina Haddad is saved." in listed
    assert "Direct Service (Job Development)" in listed
    assert "Employment-related services; Forms and documents" in listed


def test_a_coordinator_may_begin_a_session_too(coordinator_client, registered, agency, coordinator):
    coordinator_client.post(session_create_url(registered), session_data(agency))

    assert Session.objects.get().worker == coordinator


def test_the_worker_cannot_be_chosen_in_the_form(caseworker_client, registered, agency, caseworker, caseworker2):
    caseworker_client.post(session_create_url(registered), session_data(agency, worker=caseworker2.pk))

    assert Session.objects.get().worker == caseworker


def test_it_explains_what_is_missing_and_keeps_the_input(caseworker_client, registered, agency):
    data = session_data(agency, program="", session_type="", services=[], duration_minutes="", notes="Keep me")

    response = caseworker_client.post(session_create_url(registered), data)

    assert response.status_code == 200
    page = page_text(response)
    assert "The session is not saved yet: correct the fields marked below." in page
    assert "Choose the program this session belongs to." in page
    assert "Choose the session type." in page
    assert "Choose at least one service given in this session." in page
    assert "Enter how long the session took, in minutes." in page
    assert "Keep me" in page
    assert 'value="2026-03-05"' in page
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        ("0", "Duration must be at least 1 minute."),
        ("1441", "Duration must be at most 1440 minutes (one day)."),
        ("an hour", "Enter the duration as a whole number of minutes, such as 45."),
    ],
)
def test_it_refuses_a_duration_out_of_range(caseworker_client, registered, agency, duration, message):
    response = caseworker_client.post(session_create_url(registered), session_data(agency, duration_minutes=duration))

    assert message in page_text(response)
    assert not Session.objects.exists()


def test_it_refuses_a_date_in_the_future(caseworker_client, registered, agency):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = caseworker_client.post(session_create_url(registered), session_data(agency, date=tomorrow))

    assert "This date is in the future: enter a date up to today." in page_text(response)
    assert not Session.objects.exists()


def test_it_refuses_another_agencys_program(caseworker_client, registered, agency, other_agency):
    foreign = other_agency.programs.get()

    response = caseworker_client.post(session_create_url(registered), session_data(agency, program=foreign.pk))

    assert "Choose one of your agency's programs." in page_text(response)
    assert not Session.objects.exists()


def test_it_refuses_an_unknown_service(caseworker_client, registered, agency):
    response = caseworker_client.post(session_create_url(registered), session_data(agency, services=["haircut"]))

    assert "Select a valid choice. haircut is not one of the available choices." in page_text(response)
    assert not Session.objects.exists()


def test_it_offers_only_active_programs(caseworker_client, registered, agency):
    ProgramFactory(agency=agency, name="Closed Program", is_active=False)

    assert "Closed Program" not in page_text(caseworker_client.get(session_create_url(registered)))


def test_begin_session_answers_404_to_the_outsider(outsider_client, registered, agency):
    assert outsider_client.get(session_create_url(registered)).status_code == 404
    assert outsider_client.post(session_create_url(registered), session_data(agency)).status_code == 404
    assert not Session.objects.exists()


def test_the_session_list_answers_404_to_the_outsider(outsider_client, registered):
    url = reverse("clients:session-list", kwargs={"code": registered.code})

    assert outsider_client.get(url).status_code == 404


def test_begin_session_needs_a_login(client, registered):
    response = client.get(session_create_url(registered))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_profile_lists_the_sessions_newest_first(caseworker_client, registered, caseworker2):
    SessionFactory(client=registered, date=date(2026, 1, 10), notes="The first visit", worker=caseworker2)
    SessionFactory(
        client=registered, date=date(2026, 2, 14), session_type=SessionType.LANGUAGE_TRAINING, notes="The second"
    )

    page = page_text(caseworker_client.get(profile_url(registered)))

    assert "Begin Session with Client" in page
    assert f'href="{session_create_url(registered)}"' in page
    assert page.index("2026-02-14") < page.index("2026-01-10")
    assert "Language Training" in page
    assert "The first visit" in page
    assert caseworker2.display_name in page


def test_the_profile_links_to_all_sessions_when_there_are_many(caseworker_client, registered):
    for day in range(1, 13):
        SessionFactory(client=registered, date=date(2026, 1, day))

    page = page_text(caseworker_client.get(profile_url(registered)))

    assert "See all 12 sessions" in page
    assert "2026-01-12" in page
    assert "2026-01-02" not in page


def test_the_profile_shows_no_session_of_another_client(caseworker_client, registered, agency):
    SessionFactory(client=ClientFactory(agency=agency), notes="Someone else's session")

    page = page_text(caseworker_client.get(profile_url(registered)))

    assert "Someone else's session" not in page
    assert "No session has been recorded for this client yet." in page


def test_add_mentor_match_saves_it_on_the_client(caseworker_client, registered, agency):
    program = Program.objects.get(agency=agency, name="Settlement")
    data = {
        "kind": "tutor",
        "name": "Jean-François Côté",
        "program": program.pk,
        "start_date": "2026-05-01",
        "end_date": "",
        "notes": "English conversation",
    }

    response = caseworker_client.post(mentor_match_create_url(registered), data)

    assert response.status_code == 302
    match = MentorMatch.objects.get()
    assert (match.agency, match.client, match.kind, match.name) == (agency, registered, "tutor", "Jean-François Côté")
    assert match.program == program
    assert match.end_date is None
    page = page_text(caseworker_client.get(profile_url(registered)))
    assert "Jean-François Côté" in page
    assert "English conversation" in page


def test_add_mentor_match_refuses_an_end_before_the_start(caseworker_client, registered, agency):
    data = {
        "kind": "mentor",
        "name": "Claire Tremblay",
        "program": Program.objects.get(agency=agency, name="Settlement").pk,
        "start_date": "2026-05-01",
        "end_date": "2026-04-01",
    }

    response = caseworker_client.post(mentor_match_create_url(registered), data)

    assert response.status_code == 200
    assert "The end date is before the start date: enter a date on or after it." in page_text(response)
    assert 'value="Claire Tremblay"' in page_text(response)
    assert not MentorMatch.objects.exists()


def test_add_mentor_match_answers_404_to_the_outsider(outsider_client, registered):
    assert outsider_client.get(mentor_match_create_url(registered)).status_code == 404
