"""Begin Session with Client, the client's session list, and Add mentor/tutor match."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import Program
from clients.models import DeliveryMode, MentorMatch, Session, SessionType
from tests.clients.pages import (
    attribute,
    elements,
    form_errors,
    input_value,
    login_url,
    one,
    parsed,
    table_rows,
    text_of,
)
from tests.factories import ClientFactory, ProgramFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(caseworker):
    return ClientFactory(registered_by=caseworker, first_name="Amina", last_name="Haddad")


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


def session_rows(response) -> list[str]:
    """The rows of the profile's table of the latest sessions, newest first."""
    (table,) = (
        table
        for table in elements(parsed(response), "table")
        if any(text_of(caption) == "Latest sessions, newest first" for caption in elements(table, "caption"))
    )
    return table_rows(table)


def test_begin_session_offers_today_and_the_agencys_programs(caseworker_client, registered, other_agency):
    response = caseworker_client.get(session_create_url(registered))

    page = parsed(response)
    assert input_value(page, "date") == timezone.localdate().isoformat()
    assertContains(response, "Begin Session with Client")
    program = one(elements(page, "select", name="program"))
    offered = [(attribute(option, "value"), text_of(option)) for option in elements(program, "option")]
    ours = [(str(p.pk), p.name) for p in registered.agency.programs.order_by("name")]
    assert [name for _pk, name in ours] == ["Employment", "Language Training", "Settlement"]
    assert offered == [("", "Choose a program"), *ours]
    assert str(other_agency.programs.get().pk) not in dict(offered)
    for label in SessionType.labels:
        assertContains(response, escape(label))
    assertContains(response, escape("Information & Orientation group activity"))
    assertContains(response, "Needs assessment and referrals")


def test_begin_session_saves_a_session_of_the_agency_by_the_logged_in_worker(
    caseworker_client, registered, agency, caseworker
):
    response = caseworker_client.post(session_create_url(registered), session_data(agency))

    # Not followed here: following it would show, and so use up, the message the list must show.
    list_url = reverse("clients:session-list", kwargs={"code": registered.code})
    assertRedirects(response, list_url, fetch_redirect_response=False)
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

    listed = caseworker_client.get(list_url)
    assertContains(listed, "The session of 2026-03-05 with Amina Haddad is saved.")
    assertContains(listed, "Direct Service (Job Development)")
    assertContains(listed, "Employment-related services; Forms and documents")


def test_a_coordinator_may_begin_a_session_too(coordinator_client, registered, agency, coordinator):
    coordinator_client.post(session_create_url(registered), session_data(agency))

    assert Session.objects.get().worker == coordinator


def test_the_worker_cannot_be_chosen_in_the_form(caseworker_client, registered, agency, caseworker, caseworker2):
    caseworker_client.post(session_create_url(registered), session_data(agency, worker=caseworker2.pk))

    assert Session.objects.get().worker == caseworker


def test_it_explains_what_is_missing_and_keeps_the_input(caseworker_client, registered, agency):
    data = session_data(agency, program="", session_type="", services=[], duration_minutes="", notes="Keep me")

    response = caseworker_client.post(session_create_url(registered), data)

    assert form_errors(response) == {
        "program": ["Choose the program this session belongs to."],
        "session_type": ["Choose the session type."],
        "services": ["Choose at least one service given in this session."],
        "duration_minutes": ["Enter how long the session took, in minutes."],
    }
    assertContains(response, "The session is not saved yet: correct the fields marked below.")
    assertContains(response, "Keep me")
    assert input_value(parsed(response), "date") == "2026-03-05"
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

    assert form_errors(response) == {"duration_minutes": [message]}
    assert not Session.objects.exists()


def test_it_refuses_a_date_in_the_future(caseworker_client, registered, agency):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = caseworker_client.post(session_create_url(registered), session_data(agency, date=tomorrow))

    assert form_errors(response) == {"date": ["This date is in the future: enter a date up to today."]}
    assert not Session.objects.exists()


def test_a_session_or_a_match_before_the_client_was_born_is_refused_beside_its_date(
    caseworker_client, registered, agency
):
    born = registered.date_of_birth.isoformat()
    message = f"This date is before the client's Date of Birth {born}: enter the date it happened."
    match = {
        "kind": "mentor",
        "name": "Claire Tremblay",
        "program": Program.objects.get(agency=agency, name="Settlement").pk,
    }

    session = caseworker_client.post(session_create_url(registered), session_data(agency, date="1900-01-01"))
    matched = caseworker_client.post(mentor_match_create_url(registered), {**match, "start_date": "1900-01-01"})

    assert form_errors(session) == {"date": [message]}
    assert form_errors(matched) == {"start_date": [message]}
    assert not Session.objects.exists() and not MentorMatch.objects.exists()


def test_it_refuses_another_agencys_program(caseworker_client, registered, agency, other_agency):
    foreign = other_agency.programs.get()

    response = caseworker_client.post(session_create_url(registered), session_data(agency, program=foreign.pk))

    assert form_errors(response) == {"program": ["Choose one of your agency's programs."]}
    assert not Session.objects.exists()


def test_it_refuses_an_unknown_service(caseworker_client, registered, agency):
    response = caseworker_client.post(session_create_url(registered), session_data(agency, services=["haircut"]))

    assert form_errors(response) == {
        "services": ["Select a valid choice. haircut is not one of the available choices."]
    }
    assert not Session.objects.exists()


def test_it_offers_only_active_programs(caseworker_client, registered, agency):
    ProgramFactory(agency=agency, name="Closed Program", is_active=False)

    assertNotContains(caseworker_client.get(session_create_url(registered)), "Closed Program")


def test_begin_session_answers_404_to_the_outsider(outsider_client, registered, agency):
    assert outsider_client.get(session_create_url(registered)).status_code == 404
    assert outsider_client.post(session_create_url(registered), session_data(agency)).status_code == 404
    assert not Session.objects.exists()


def test_the_session_list_answers_404_to_the_outsider(outsider_client, registered):
    url = reverse("clients:session-list", kwargs={"code": registered.code})

    assert outsider_client.get(url).status_code == 404


def test_begin_session_needs_a_login(client, registered):
    response = client.get(session_create_url(registered))

    assertRedirects(response, login_url(session_create_url(registered)))


def test_the_profile_lists_the_sessions_newest_first(caseworker_client, registered, caseworker2):
    SessionFactory(client=registered, date=date(2026, 1, 10), notes="The first visit", worker=caseworker2)
    SessionFactory(
        client=registered, date=date(2026, 2, 14), session_type=SessionType.LANGUAGE_TRAINING, notes="The second"
    )

    response = caseworker_client.get(profile_url(registered))

    assertContains(
        response,
        f'<a class="btn btn-sm btn-outline-primary mb-1" href="{session_create_url(registered)}">Add session</a>',
        html=True,
    )
    assertContains(response, "Begin Session with Client</a>", count=1)  # the profile's actions: one link so named
    second, first = session_rows(response)
    assert second.startswith("2026-02-14 ") and "Language Training" in second and "The second" in second
    assert first.startswith("2026-01-10 ") and "Notes: The first visit" in first  # labelled, not read as a service
    assert first.endswith(caseworker2.display_name)


def test_the_profile_links_to_all_sessions_when_there_are_many(caseworker_client, registered):
    for day in range(1, 13):
        SessionFactory(client=registered, date=date(2026, 1, day))

    response = caseworker_client.get(profile_url(registered))

    list_url = reverse("clients:session-list", kwargs={"code": registered.code})
    assertContains(response, f'<a href="{list_url}">See all 12 sessions</a>', html=True)
    assert [row.split()[0] for row in session_rows(response)] == [f"2026-01-{day:02d}" for day in range(12, 2, -1)]
    assertNotContains(response, "2026-01-02")


def test_the_profile_shows_no_session_of_another_client(caseworker_client, registered, caseworker):
    SessionFactory(client=ClientFactory(registered_by=caseworker), notes="Someone else's session")

    response = caseworker_client.get(profile_url(registered))

    assertNotContains(response, escape("Someone else's session"))
    assertContains(response, "No session has been recorded for this client yet.", html=True)


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

    assertRedirects(response, f"{profile_url(registered)}#section-mentor-matches")
    match = MentorMatch.objects.get()
    assert (match.agency, match.client, match.kind, match.name) == (agency, registered, "tutor", "Jean-François Côté")
    assert match.program == program
    assert match.end_date is None
    profile = caseworker_client.get(profile_url(registered))
    assertContains(profile, "<td>Jean-François Côté</td><td>Settlement</td>", html=True)
    assertContains(profile, "<td>English conversation</td>", html=True)


def test_add_mentor_match_refuses_an_end_before_the_start(caseworker_client, registered, agency):
    data = {
        "kind": "mentor",
        "name": "Claire Tremblay",
        "program": Program.objects.get(agency=agency, name="Settlement").pk,
        "start_date": "2026-05-01",
        "end_date": "2026-04-01",
    }

    response = caseworker_client.post(mentor_match_create_url(registered), data)

    assert form_errors(response) == {
        "end_date": ["The end date is before the start date: enter a date on or after it."]
    }
    assert input_value(parsed(response), "name") == "Claire Tremblay"
    assert not MentorMatch.objects.exists()


def test_add_mentor_match_refuses_the_same_match_twice(caseworker_client, registered, agency):
    program = Program.objects.get(agency=agency, name="Settlement")
    data = {"kind": "mentor", "name": "Claire Tremblay", "program": program.pk, "start_date": "2026-05-01"}
    caseworker_client.post(mentor_match_create_url(registered), data)

    again = caseworker_client.post(mentor_match_create_url(registered), {**data, "name": "claire tremblay"})

    assert form_errors(again) == {
        "name": [
            "This client already has this match: Mentor claire tremblay in Settlement from 2026-05-01. "
            "It is listed under Mentor/Tutor Matches on the profile."
        ]
    }
    assert MentorMatch.objects.count() == 1
    # Another start date (a new match with the same mentor) or another client is not the same match.
    later = caseworker_client.post(mentor_match_create_url(registered), {**data, "start_date": "2026-06-01"})
    assert later.status_code == 302
    other = ClientFactory(agency=agency)
    assert caseworker_client.post(mentor_match_create_url(other), data).status_code == 302
    assert MentorMatch.objects.count() == 3


def test_add_mentor_match_answers_404_to_the_outsider(outsider_client, registered):
    assert outsider_client.get(mentor_match_create_url(registered)).status_code == 404
