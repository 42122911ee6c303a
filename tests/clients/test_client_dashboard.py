"""The Client Dashboard: the client at a glance (name, number, age, iCARE readiness, family, programs, last
sessions) with the usual next actions, for the client's agency only; Find Client and the family table
link to it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clients.models import Client, ClientProgram, ProgramStatus
from clients.search import name_words_remember
from registration.models import Draft
from tests.clients.pages import attribute, elements, fragment, login_url, one, parsed, text_of
from tests.factories import ClientFactory, MentorMatchFactory, SessionFactory

pytestmark = pytest.mark.django_db

CREATE_NEW_FAMILY_MEMBER = '<button class="btn btn-outline-primary" type="submit">Create New Family Member</button>'


def dashboard_url(client: Client) -> str:
    return reverse("clients:client-dashboard", kwargs={"code": client.code})


def detail_url(client: Client) -> str:
    return reverse("clients:client-detail", kwargs={"code": client.code})


def receipt_url(client: Client) -> str:
    return reverse("reports:client-document", kwargs={"code": client.code, "document": "receipt"}) + (
        "?format=pdf&lang=en"
    )


def receipt_link(response):
    """The dashboard's Print the Registration Receipt link."""
    (link,) = (
        link for link in elements(parsed(response), "a") if text_of(link).startswith("Print the Registration Receipt")
    )
    return link


def relative_form(response, client: Client):
    """The form that registers a new family member of `client`: a post to Named Client with the client's code."""
    (form,) = (
        form
        for form in elements(parsed(response), "form", method="post")
        if fragment(f'<input type="hidden" name="relative" value="{client.code}">') in form
    )
    return form


def thirty_years_ago() -> date:
    today = timezone.localdate()
    return date(today.year - 30, today.month, min(today.day, 28))


# At a glance


def test_it_shows_the_name_number_and_age(caseworker_client, caseworker):
    client = ClientFactory(
        registered_by=caseworker, first_name="Leila", last_name="Mansour", date_of_birth=thirty_years_ago()
    )

    response = caseworker_client.get(dashboard_url(client))

    assertContains(response, '<h1 class="h3 mb-1">Leila Mansour</h1>', html=True)
    assertContains(
        response,
        f'<p class="text-body-secondary mb-0">Client Dashboard · Client number <strong>{client.number}</strong>'
        " · 30 years old</p>",
        html=True,
    )


def test_it_says_what_keeps_the_client_from_icare(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, research_consent=False, with_identifier=True)

    response = caseworker_client.get(dashboard_url(client))

    # The badge's whole text: the one thing missing, and not the identifier the client has; a link to the edit of its
    # section, where it is filled in.
    fix = reverse("registration:section-edit", args=[client.code, "primary"])
    assertContains(
        response,
        '<div class="badge badge-icare-missing text-wrap text-start fs-6 fw-normal" role="status">'
        "<strong>Not ready for iCARE</strong> — missing: "
        f'<a class="icare-fix" href="{fix}">Preferred Official Language</a></div>',
        html=True,
    )


def test_it_shows_icare_ready_when_nothing_is_missing(caseworker_client, caseworker):
    response = caseworker_client.get(dashboard_url(ClientFactory(registered_by=caseworker, ready_for_icare=True)))

    assertContains(response, '<span class="badge badge-icare-ready fs-6" role="status">iCARE ready</span>', html=True)
    assertNotContains(response, "Not ready for iCARE")


def test_it_lists_the_other_family_members_with_links_to_their_dashboards(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, first_name="Leila", with_family=True)
    sister = ClientFactory(
        registered_by=caseworker, first_name="Nour", family=client.family, date_of_birth=date(2001, 5, 6)
    )
    stranger = ClientFactory(registered_by=caseworker, first_name="Olga")

    response = caseworker_client.get(dashboard_url(client))

    assertContains(
        response,
        f'<li><a href="{dashboard_url(sister)}">Nour {sister.last_name}</a> · {sister.number} · 2001-05-06</li>',
        html=True,
    )
    assertContains(response, f"Family Code {client.family.code}")
    assertNotContains(response, f'href="{dashboard_url(client)}"')
    assertNotContains(response, stranger.first_name)


def test_it_says_when_no_family_member_is_recorded(caseworker_client, caseworker):
    response = caseworker_client.get(dashboard_url(ClientFactory(registered_by=caseworker)))

    assertContains(response, '<p class="mb-0 text-body-secondary">No family members recorded.</p>', html=True)


def test_it_shows_new_or_returning_in_each_program(caseworker_client, caseworker, agency):
    client = ClientFactory(registered_by=caseworker)
    settlement = agency.programs.get(name="Settlement")
    language = agency.programs.get(name="Language Training")
    ClientProgram.objects.create(client=client, program=settlement, status=ProgramStatus.NEW)
    ClientProgram.objects.create(client=client, program=language, status=ProgramStatus.RETURNING)

    response = caseworker_client.get(dashboard_url(client))

    assertContains(response, "<li>Settlement: New Client</li>", html=True)
    assertContains(response, "<li>Language Training: Returning Client</li>", html=True)


def test_in_french_a_program_and_its_status_are_set_apart_by_a_spaced_colon(
    caseworker_client, caseworker, agency, settings
):
    client = ClientFactory(registered_by=caseworker)
    settlement = agency.programs.get(name="Settlement")
    settlement.name_fr = "Établissement"
    settlement.save()
    ClientProgram.objects.create(client=client, program=settlement, status=ProgramStatus.NEW)
    caseworker_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = caseworker_client.get(dashboard_url(client))

    assertContains(response, "<li>Établissement : Nouveau client</li>", html=True)


def test_it_shows_the_last_sessions_newest_first(caseworker_client, caseworker, agency):
    client = ClientFactory(registered_by=caseworker)
    today = timezone.localdate()
    settlement = agency.programs.get(name="Settlement")
    sessions = [
        SessionFactory(client=client, date=today - timedelta(days=10 * days), program=settlement) for days in range(6)
    ]
    SessionFactory(client=ClientFactory(registered_by=caseworker, first_name="Olga"), date=today - timedelta(days=1))

    response = caseworker_client.get(dashboard_url(client))

    # The five newest, in order, and nothing else: not the sixth, not another client's.
    shown = "".join(
        f"<tr><td>{s.date.isoformat()}</td><td>Settlement</td><td>{s.get_session_type_display()}</td>"
        f"<td>{s.worker}</td></tr>"
        for s in sessions[:5]
    )
    assertContains(response, f"<tbody>{shown}</tbody>", html=True)
    assertNotContains(response, (today - timedelta(days=50)).isoformat())
    assertNotContains(response, (today - timedelta(days=1)).isoformat())
    # The sixth, and every other, a link away.
    session_list = reverse("clients:session-list", kwargs={"code": client.code})
    assertContains(response, f'<a href="{session_list}">See every session, with its notes</a>', html=True)


def test_it_shows_the_familys_last_sessions_with_who_had_them(caseworker_client, caseworker, agency):
    client = ClientFactory(registered_by=caseworker, first_name="Leila", with_family=True)
    sister = ClientFactory(registered_by=caseworker, first_name="Nour", family=client.family)
    stranger = ClientFactory(registered_by=caseworker, first_name="Olga")
    today = timezone.localdate()
    own = SessionFactory(client=client, date=today - timedelta(days=2))
    hers = SessionFactory(client=sister, date=today - timedelta(days=3), program=agency.programs.get(name="Settlement"))
    SessionFactory(client=stranger, date=today - timedelta(days=4))

    response = caseworker_client.get(dashboard_url(client))

    table = one(elements(parsed(response), "div", **{"aria-labelledby": "family-sessions-heading"}))
    assert [text_of(row) for row in elements(table, "tr")][1:] == [
        f"{hers.date.isoformat()} Nour {sister.last_name} Settlement {hers.get_session_type_display()} {hers.worker}"
    ]
    assert attribute(one(elements(table, "a")), "href") == dashboard_url(sister)
    assert own.date.isoformat() not in text_of(table)  # the client's own are in the card above
    assertNotContains(response, "Olga")


def test_it_says_when_the_family_has_no_other_session(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, with_family=True)

    response = caseworker_client.get(dashboard_url(client))

    assertContains(response, "No session with another member of the family yet.")
    # A client of no family has no such card at all.
    assertNotContains(caseworker_client.get(dashboard_url(ClientFactory(registered_by=caseworker))), "The family")


def test_it_shows_the_clients_mentor_and_tutor_matches(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)
    match = MentorMatchFactory(client=client, kind="tutor", name="Claire Tremblay")

    response = caseworker_client.get(dashboard_url(client))

    table = one(elements(parsed(response), "div", **{"aria-labelledby": "dashboard-matches-heading"}))
    assert text_of(elements(table, "tbody")[0]) == (
        f"Tutor Claire Tremblay {match.program} {match.start_date.isoformat()} —"
    )


@pytest.mark.parametrize("page", ["dashboard", "profile"])
def test_it_lists_the_matches_newest_first_as_it_does_the_sessions(caseworker_client, caseworker, page):
    client = ClientFactory(registered_by=caseworker)
    MentorMatchFactory(client=client, name="Older Match", start_date=date(2024, 1, 10))
    MentorMatchFactory(client=client, name="Newer Match", start_date=date(2025, 6, 2))
    url = dashboard_url(client) if page == "dashboard" else reverse("clients:client-detail", args=[client.code])

    shown = caseworker_client.get(url).content.decode()

    assert shown.index("Newer Match") < shown.index("Older Match")


def test_it_says_when_there_is_no_session_yet(caseworker_client, caseworker):
    response = caseworker_client.get(dashboard_url(ClientFactory(registered_by=caseworker)))

    assertContains(response, '<p class="mb-0 text-body-secondary">No sessions yet.</p>', html=True)
    assertNotContains(response, "<table")


# The usual next actions


def test_it_offers_the_usual_next_actions(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)

    response = caseworker_client.get(dashboard_url(client))

    actions = one(elements(parsed(response), "div", role="group", **{"aria-label": "Next actions"}))
    session_create = reverse("clients:session-create", kwargs={"code": client.code})
    assert fragment(f'<a class="btn btn-primary" href="{detail_url(client)}">Edit Profile</a>') in actions
    assert (
        fragment(f'<a class="btn btn-outline-primary" href="{session_create}">Begin Session with Client</a>') in actions
    )
    assert receipt_link(response) in actions.children
    assert attribute(receipt_link(response), "href") == receipt_url(client)
    assert relative_form(response, client) in actions.children
    assert fragment(CREATE_NEW_FAMILY_MEMBER) in relative_form(response, client)


def test_create_new_family_member_opens_the_wizard_prefilled_from_the_client(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, last_name="Mansour")
    form = relative_form(caseworker_client.get(dashboard_url(client)), client)
    assert dict(form.attributes)["action"] == reverse("registration:draft-create")
    assert fragment(CREATE_NEW_FAMILY_MEMBER) in form

    response = caseworker_client.post(reverse("registration:draft-create"), {"relative": str(client.code)})

    draft = Draft.objects.get()
    # What to copy from the client comes first: the last name among it, ticked.
    assertRedirects(response, reverse("registration:draft-family-copy", kwargs={"code": draft.code}))
    assert draft.prefilled_from == client
    assertContains(caseworker_client.get(response.url), 'value="primary.last_name" id="copy-last_name" checked')


def test_the_receipt_button_prints_the_registration_receipt(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)
    href = attribute(receipt_link(caseworker_client.get(dashboard_url(client))), "href")

    response = caseworker_client.get(href)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_anonymous_clients_dashboard_offers_no_family_member_nor_receipt(caseworker_client, caseworker):
    anonymous = ClientFactory(registered_by=caseworker, anonymous=True)

    response = caseworker_client.get(dashboard_url(anonymous))

    session_create = reverse("clients:session-create", kwargs={"code": anonymous.code})
    assertContains(response, '<h1 class="h3 mb-1">Anonymous Client</h1>', html=True)
    assertContains(
        response, f'<a class="btn btn-outline-primary" href="{session_create}">Begin Session with Client</a>', html=True
    )
    assertNotContains(response, "Create New Family Member")
    assertNotContains(response, "Print the Registration Receipt")


# Who may see it


@pytest.mark.parametrize("persona", ["caseworker_client", "coordinator_client", "manager_client"])
def test_every_role_of_the_agency_sees_the_dashboard(request, caseworker, persona):
    client = ClientFactory(registered_by=caseworker, first_name="Leila")

    response = request.getfixturevalue(persona).get(dashboard_url(client))

    assertContains(response, f'<h1 class="h3 mb-1">Leila {client.last_name}</h1>', html=True)


def test_the_outsider_gets_404(outsider_client, caseworker):
    client = ClientFactory(registered_by=caseworker, first_name="Leila")

    response = outsider_client.get(dashboard_url(client))

    assertNotContains(response, "Leila", status_code=404)


def test_an_anonymous_visitor_is_sent_to_login(client, caseworker):
    url = dashboard_url(ClientFactory(registered_by=caseworker))

    assertRedirects(client.get(url), login_url(url))


# Reaching it


def test_find_client_links_each_result_to_its_dashboard(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, first_name="Leila", last_name="Mansour")
    name_words_remember(client)

    response = caseworker_client.get(reverse("clients:client-find"), {"q": "Mansour"})

    assertContains(
        response,
        f'<a href="{dashboard_url(client)}">Dashboard<span class="visually-hidden"> Leila Mansour</span></a>',
        html=True,
    )


def test_the_profiles_family_table_links_to_each_members_profile_and_dashboard(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker, first_name="Leila", with_family=True)
    sister = ClientFactory(
        registered_by=caseworker, first_name="Nour", family=client.family, date_of_birth=date(2001, 5, 6)
    )

    response = caseworker_client.get(detail_url(client))

    section = one(elements(parsed(response), "section", **{"aria-labelledby": "family-members-heading"}))
    name = sister.display_name
    row = (
        f"<tr><td>{name}</td><td>{sister.number}</td><td>2001-05-06</td><td class='text-nowrap'>"
        f'<a href="{detail_url(sister)}">Profile<span class="visually-hidden"> {name}</span></a> · '
        f'<a href="{dashboard_url(sister)}">Dashboard<span class="visually-hidden"> {name}</span></a></td></tr>'
    )
    assert fragment(row) in section
    assert fragment(f"<td>{client.display_name}</td>") not in section
    assert "Create New Family Member" in [text for button in elements(section, "button") for text in button.children]


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_profile_leads_to_the_dashboard(caseworker_client, caseworker, anonymous):
    client = ClientFactory(registered_by=caseworker, anonymous=anonymous)

    response = caseworker_client.get(detail_url(client))

    assertContains(
        response, f'<a class="btn btn-outline-secondary" href="{dashboard_url(client)}">Dashboard</a>', html=True
    )
