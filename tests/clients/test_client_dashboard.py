"""The Client Dashboard: the client at a glance (name, number, age, iCARE readiness, family, programs, last
sessions) with the usual next actions, for the client's agency only; Find Client and the family table
link to it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, ClientProgram, Family, ProgramStatus
from clients.models.family import family_check_letter
from clients.search import name_words_remember
from registration.models import Draft
from tests.factories import SessionFactory
from tests.wizard import foss_id_type, official_language, saved_client, text

pytestmark = pytest.mark.django_db


def dashboard_url(client: Client) -> str:
    return reverse("clients:client-dashboard", kwargs={"code": client.code})


def detail_url(client: Client) -> str:
    return reverse("clients:client-detail", kwargs={"code": client.code})


def dashboard(browser, client: Client) -> str:
    response = browser.get(dashboard_url(client))
    assert response.status_code == 200
    return text(response)


def card(page: str, heading: str) -> str:
    """One card of the dashboard, from its heading to the end of the card."""
    return page.split(f">{heading}</h2>", 1)[1].split('<div class="col-', 1)[0]


def actions(page: str) -> str:
    return page.split('aria-label="Next actions"', 1)[1].split('<div class="row', 1)[0]


def family(agency) -> Family:
    return Family.objects.create(agency=agency, code=f"F-4821-{family_check_letter('4821')}")


def thirty_years_ago() -> date:
    today = timezone.localdate()
    return date(today.year - 30, today.month, min(today.day, 28))


def icare_ready(staff, **fields) -> Client:
    """A client with every green and yellow field iCARE needs."""
    client = saved_client(staff, official_language=official_language("English"), research_consent=False, **fields)
    client.identifiers.create(identifier_type=foss_id_type(staff.agency), value="UCI 1234-5678")
    return client


# At a glance


def test_it_shows_the_name_number_and_age(caseworker_client, caseworker):
    client = saved_client(caseworker, first_name="Leila", last_name="Mansour", date_of_birth=thirty_years_ago())

    page = dashboard(caseworker_client, client)

    assert "<h1" in page and ">Leila Mansour</h1>" in page
    assert f"Client number <strong>{client.number}</strong>" in page
    assert "30 years old" in page


def test_it_says_what_keeps_the_client_from_icare(caseworker_client, caseworker):
    client = saved_client(caseworker, research_consent=False)
    client.identifiers.create(identifier_type=foss_id_type(caseworker.agency), value="UCI 1234-5678")

    page = dashboard(caseworker_client, client)

    badge = page.split("Not ready for iCARE", 1)[1].split("</div>", 1)[0]
    assert "Preferred Official Language" in badge
    assert "iCARE client identifier" not in badge


def test_it_shows_icare_ready_when_nothing_is_missing(caseworker_client, caseworker):
    page = dashboard(caseworker_client, icare_ready(caseworker))

    assert "iCARE ready" in page
    assert "Not ready for iCARE" not in page


def test_it_lists_the_other_family_members_with_links_to_their_dashboards(caseworker_client, caseworker, agency):
    theirs = family(agency)
    client = saved_client(caseworker, first_name="Leila", family=theirs)
    sister = saved_client(caseworker, first_name="Nour", family=theirs, date_of_birth=date(2001, 5, 6))
    stranger = saved_client(caseworker, first_name="Olga")

    members = card(dashboard(caseworker_client, client), "Family Members")

    assert f'<a href="{dashboard_url(sister)}">Nour {sister.last_name}</a> · {sister.number} · 2001-05-06' in members
    assert f"Family Code {theirs.code}" in dashboard(caseworker_client, client)
    assert dashboard_url(client) not in members
    assert stranger.first_name not in members


def test_it_says_when_no_family_member_is_recorded(caseworker_client, caseworker):
    members = card(dashboard(caseworker_client, saved_client(caseworker)), "Family Members")

    assert "No family members recorded." in members


def test_it_shows_new_or_returning_in_each_program(caseworker_client, caseworker, agency):
    client = saved_client(caseworker)
    settlement = agency.programs.get(name="Settlement")
    language = agency.programs.get(name="Language Training")
    ClientProgram.objects.create(client=client, program=settlement, status=ProgramStatus.NEW)
    ClientProgram.objects.create(client=client, program=language, status=ProgramStatus.RETURNING)

    programs = card(dashboard(caseworker_client, client), "Programs")

    assert "Settlement: New Client" in programs
    assert "Language Training: Returning Client" in programs


def test_it_shows_the_last_sessions_newest_first(caseworker_client, caseworker, agency):
    client = saved_client(caseworker)
    today = timezone.localdate()
    settlement = agency.programs.get(name="Settlement")
    for days in range(6):
        SessionFactory(client=client, date=today - timedelta(days=10 * days), program=settlement)
    SessionFactory(client=saved_client(caseworker, first_name="Olga"), date=today - timedelta(days=1))

    sessions = card(dashboard(caseworker_client, client), "Last sessions")

    shown = [(today - timedelta(days=10 * days)).isoformat() for days in range(5)]
    assert [sessions.index(f"<td>{day}</td>") for day in shown] == sorted(
        sessions.index(f"<td>{day}</td>") for day in shown
    )
    assert (today - timedelta(days=50)).isoformat() not in sessions
    assert (today - timedelta(days=1)).isoformat() not in sessions
    assert f"<td>{today.isoformat()}</td><td>Settlement</td>" in sessions


def test_it_says_when_there_is_no_session_yet(caseworker_client, caseworker):
    sessions = card(dashboard(caseworker_client, saved_client(caseworker)), "Last sessions")

    assert "No sessions yet." in sessions
    assert "<table" not in sessions


# The usual next actions


def test_it_offers_the_usual_next_actions(caseworker_client, caseworker):
    client = saved_client(caseworker)

    buttons = actions(dashboard(caseworker_client, client))

    assert f'href="{detail_url(client)}">Edit Profile</a>' in buttons
    assert (
        f'href="{reverse("clients:session-create", kwargs={"code": client.code})}">Begin Session with Client</a>'
        in buttons
    )
    assert "Print the Registration Receipt</a>" in buttons
    assert "Create New Family Member</button>" in buttons


def test_create_new_family_member_opens_the_wizard_prefilled_from_the_client(caseworker_client, caseworker):
    client = saved_client(caseworker, last_name="Mansour")
    buttons = actions(dashboard(caseworker_client, client))
    form = buttons.split("Create New Family Member", 1)[0].rsplit("<form", 1)[1]
    assert f'action="{reverse("registration:draft-create")}"' in form
    assert f'name="relative" value="{client.code}"' in form

    response = caseworker_client.post(reverse("registration:draft-create"), {"relative": str(client.code)})

    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.prefilled_from == client
    assert draft.prefill["primary"]["last_name"] == "Mansour"


def test_the_receipt_button_prints_the_registration_receipt(caseworker_client, caseworker):
    client = saved_client(caseworker)
    buttons = actions(dashboard(caseworker_client, client))
    href = buttons.split("Print the Registration Receipt</a>", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]

    response = caseworker_client.get(href)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_anonymous_clients_dashboard_offers_no_family_member_nor_receipt(caseworker_client, caseworker, agency):
    anonymous = Client.objects.create(
        agency=agency, number=1_000_050, is_anonymous=True, postal_code="M5V2T6", created_by=caseworker.user
    )

    page = dashboard(caseworker_client, anonymous)

    assert "Anonymous Client" in page
    assert "Begin Session" in actions(page)
    assert "Create New Family Member" not in page
    assert "Print the Registration Receipt" not in page


# Who may see it


@pytest.mark.parametrize("persona", ["caseworker_client", "coordinator_client", "manager_client"])
def test_every_role_of_the_agency_sees_the_dashboard(request, caseworker, persona):
    client = saved_client(caseworker, first_name="Leila")

    assert "Leila" in dashboard(request.getfixturevalue(persona), client)


def test_the_outsider_gets_404(outsider_client, caseworker):
    client = saved_client(caseworker, first_name="Leila")

    response = outsider_client.get(dashboard_url(client))

    assert response.status_code == 404
    assert "Leila" not in text(response)


def test_an_anonymous_visitor_is_sent_to_login(client, caseworker):
    response = client.get(dashboard_url(saved_client(caseworker)))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Reaching it


def test_find_client_links_each_result_to_its_dashboard(caseworker_client, caseworker):
    client = saved_client(caseworker, first_name="Leila", last_name="Mansour")
    name_words_remember(client)

    page = text(caseworker_client.get(reverse("clients:client-find"), {"q": "Mansour"}))

    assert f'href="{dashboard_url(client)}"' in page


def test_the_profiles_family_table_links_to_each_members_profile_and_dashboard(caseworker_client, caseworker, agency):
    theirs = family(agency)
    client = saved_client(caseworker, first_name="Leila", family=theirs)
    sister = saved_client(caseworker, first_name="Nour", family=theirs, date_of_birth=date(2001, 5, 6))

    page = text(caseworker_client.get(detail_url(client)))
    table = page.split('id="family-members-heading"', 1)[1].split("</section>", 1)[0]

    assert f"<td>Nour {sister.last_name}</td><td>{sister.number}</td><td>2001-05-06</td>" in table
    assert f'href="{detail_url(sister)}">Profile' in table
    assert f'href="{dashboard_url(sister)}">Dashboard' in table
    assert f"<td>{client.display_name}</td>" not in table
    assert "Create New Family Member" in table
