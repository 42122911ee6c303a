"""Likely duplicates while registering: among a few hundred invented clients, the same identifier, the same
birth date with a similar name, the same phone or email are each caught with the reason, never a client of
another agency; the wizard shows them as names are typed and on the summary, and records the reason the
caseworker gives for registering anyway."""

from datetime import date

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from clients.duplicates import likely_duplicates
from clients.models import Client
from tests.clients.crowd import crowd_fixtures
from tests.clients.pages import elements, one, parsed
from tests.conftest import client_for
from tests.factories import ClientFactory, searchable
from tests.wizard import draft_start, foss_id_type, identifier_type, registered_client, step_url, walk

pytestmark = pytest.mark.django_db

PANEL = "Potential duplicate identities"
PANEL_HEADING = f'<h3 class="h6" id="duplicates-heading">{PANEL}</h3>'
SIMILAR_NAME = "same date of birth and a similar name"
SAME_PHONE = "same telephone number"
SAME_EMAIL = "same email"
SAME_FOSS = "same FOSS/GCMS Client ID: 8765-4321"
REASON_LABEL = "Reason for registering despite a possible duplicate"
QASIM_BORN = date(1980, 1, 15)


def client_like_qasim(staff) -> Client:
    """Mohammed Qasim of the staff member's agency, born 1980-01-15, with an identifier, a phone and an email."""
    return searchable(
        ClientFactory(
            registered_by=staff,
            first_name="Mohammed",
            last_name="Qasim",
            date_of_birth=QASIM_BORN,
            phone="+14165550199",
            phone_alt1="+16475550123",
            email="mohammed.qasim@example.org",
            with_identifier=True,
            identifier__value="8765-4321",
        )
    )


def candidate_row(client: Client, reasons: str) -> str:
    """A client's row in the Potential duplicate identities table: who, why, and the link to the profile."""
    profile = reverse("clients:client-detail", kwargs={"code": client.code})
    name = client.display_name
    return (
        f"<tr><td>{name}</td><td>{client.date_of_birth:%Y-%m-%d}</td><td>{client.number}</td><td>{reasons}</td>"
        f'<td><a href="{profile}" target="_blank" rel="noopener">Open profile'
        f'<span class="visually-hidden"> {name}</span></a></td></tr>'
    )


def reasons_by_client(candidates) -> dict[Client, list[str]]:
    return {candidate.client: candidate.reasons for candidate in candidates}


def named_like(agency, first: str, last: str, born: date = QASIM_BORN, **more) -> list:
    """The candidates for a person being registered with these names and birth date."""
    return likely_duplicates(agency=agency, first_name=first, last_name=last, date_of_birth=born, **more)


# Three hundred invented clients in each agency, built once for the module, and the personas of tests/conftest.py
# taken from them: the same seed gives both agencies the same people, client numbers, telephones and identifiers.
crowd, agency, other_agency, caseworker, outsider = crowd_fixtures(seed=11)


@pytest.fixture
def qasim(crowd, caseworker) -> Client:
    return client_like_qasim(caseworker)


@pytest.fixture
def other_qasim(crowd, outsider) -> Client:
    """The other agency's client with exactly our Qasim's name, birth date, identifier, phone and email."""
    return client_like_qasim(outsider)


# likely_duplicates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["87654321", "8765-4321", "8765 4321"])
def test_it_catches_the_same_identifier_and_says_which(qasim, agency, typed):
    candidates = likely_duplicates(agency=agency, identifiers=[(foss_id_type(agency), typed)])

    assert reasons_by_client(candidates) == {qasim: [SAME_FOSS]}


def test_it_catches_the_same_identifier_value_under_another_type_and_says_so(qasim, agency):
    passport = identifier_type(agency, "Passport Number")

    candidates = likely_duplicates(agency=agency, identifiers=[(passport, "8765-4321")])

    assert reasons_by_client(candidates) == {qasim: ["same identifier value (FOSS/GCMS Client ID): 8765-4321"]}


@pytest.mark.parametrize(
    ("first", "last"),
    [("Mohamad", "Qasim"), ("Mohammed", "Qassim"), ("Qasim", "Mohammed"), ("MOHAMMED", "qasim")],
)
def test_it_catches_a_similar_name_on_the_same_birth_date_and_says_so(qasim, agency, first, last):
    assert reasons_by_client(named_like(agency, first, last)) == {qasim: [SIMILAR_NAME]}


def test_it_catches_a_name_typed_without_its_accents(crowd, caseworker, agency):
    thao = ClientFactory(
        registered_by=caseworker, first_name="Thảo", last_name="Nguyễn", date_of_birth=date(1992, 3, 8)
    )

    assert reasons_by_client(named_like(agency, "Thao", "Nguyen", date(1992, 3, 8))) == {thao: [SIMILAR_NAME]}


def test_it_ignores_a_similar_name_born_on_another_day(qasim, agency):
    assert named_like(agency, "Mohamad", "Qasim", date(1980, 1, 16)) == []


def test_it_ignores_a_different_name_born_on_the_same_day(qasim, agency):
    assert named_like(agency, "Svitlana", "Koval") == []


@pytest.mark.parametrize("phone", ["+14165550199", "+16475550123"])
def test_it_catches_the_same_phone_and_says_so(qasim, agency, phone):
    candidates = likely_duplicates(agency=agency, phones=[phone])

    assert reasons_by_client(candidates) == {qasim: [SAME_PHONE]}


def test_it_catches_the_same_email_in_any_case_and_says_so(qasim, agency):
    candidates = likely_duplicates(agency=agency, emails=["Mohammed.Qasim@EXAMPLE.org"])

    assert reasons_by_client(candidates) == {qasim: [SAME_EMAIL]}


def test_a_client_matching_several_ways_is_listed_first_with_every_reason(qasim, caseworker, agency):
    namesake = ClientFactory(
        registered_by=caseworker, first_name="Mohamad", last_name="Qasim", date_of_birth=QASIM_BORN
    )

    candidates = named_like(
        agency,
        "Mohammed",
        "Qasim",
        identifiers=[(foss_id_type(agency), "87654321")],
        phones=["+14165550199"],
        emails=["mohammed.qasim@example.org"],
    )

    assert [c.client for c in candidates] == [qasim, namesake]
    assert set(candidates[0].reasons) == {SAME_FOSS, SIMILAR_NAME, SAME_PHONE, SAME_EMAIL}
    assert candidates[1].reasons == [SIMILAR_NAME]


def test_it_never_shows_another_agencys_client_with_identical_details(qasim, other_qasim, agency):
    everything = {
        "first_name": "Mohammed",
        "last_name": "Qasim",
        "date_of_birth": QASIM_BORN,
        "identifiers": [(foss_id_type(agency), "8765-4321")],
        "phones": ["+14165550199"],
        "emails": ["mohammed.qasim@example.org"],
    }

    assert [c.client for c in likely_duplicates(agency=agency, **everything)] == [qasim]
    assert [c.client for c in likely_duplicates(agency=other_qasim.agency, **everything)] == [other_qasim]


def test_it_never_shows_another_agencys_client_with_the_same_identifier_when_the_agency_has_none(other_qasim, agency):
    assert likely_duplicates(agency=agency, identifiers=[(foss_id_type(agency), "8765-4321")]) == []


def test_it_leaves_out_the_client_being_edited(qasim, agency):
    assert named_like(agency, "Mohammed", "Qasim", exclude=qasim) == []


def test_it_catches_invented_clients_by_identifier_and_by_misspelt_name_never_their_twins(crowd, agency):
    with_identifiers = Client.objects.for_agency(agency).filter(identifiers__isnull=False).order_by("number")
    for client in with_identifiers[:300:40]:
        identifier = client.identifiers.get()
        misspelt = client.first_name[:-1] + client.first_name[-1] * 2

        by_identifier = likely_duplicates(agency=agency, identifiers=[(identifier.identifier_type, identifier.value)])
        by_name = named_like(agency, misspelt, client.last_name, client.date_of_birth)

        assert client in [c.client for c in by_identifier], identifier.value
        assert client in [c.client for c in by_name], misspelt
        assert {c.client.agency_id for c in by_identifier + by_name} == {agency.pk}


# As the names are typed ----------------------------------------------------------------------------


def duplicates_url(code) -> str:
    return reverse("registration:draft-duplicates", kwargs={"code": code})


def test_the_live_check_shows_a_similar_client_with_the_reason_and_a_link(qasim, caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(
        duplicates_url(code), {"first_name": "Mohamad", "last_name": "Qasim", "date_of_birth": "1980-01-15"}
    )

    assertContains(response, PANEL_HEADING, html=True)
    assertContains(response, candidate_row(qasim, SIMILAR_NAME), html=True)


def test_the_live_check_shows_nothing_for_a_name_without_a_similar_client(qasim, caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(
        duplicates_url(code), {"first_name": "Mohamad", "last_name": "Qasim", "date_of_birth": "1999-09-09"}
    )

    assertNotContains(response, PANEL)


def test_the_live_check_waits_for_both_names(qasim, caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(duplicates_url(code), {"first_name": "Mohammed", "date_of_birth": "1980-01-15"})

    assertNotContains(response, PANEL)


def test_the_live_check_never_shows_another_agencys_client(other_qasim, caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(
        duplicates_url(code), {"first_name": "Mohammed", "last_name": "Qasim", "date_of_birth": "1980-01-15"}
    )

    assertNotContains(response, PANEL)
    assertNotContains(response, str(other_qasim.code))


def test_the_live_check_is_not_found_for_another_users_draft(qasim, caseworker2, caseworker_client):
    code = draft_start(client_for(caseworker2))

    response = caseworker_client.get(duplicates_url(code), {"first_name": "Mohammed", "last_name": "Qasim"})

    assert response.status_code == 404


def test_the_live_check_is_not_found_for_an_outsider(qasim, caseworker_client, outsider_client):
    code = draft_start(caseworker_client)

    response = outsider_client.get(duplicates_url(code), {"first_name": "Mohammed", "last_name": "Qasim"})

    assert response.status_code == 404


def test_the_live_check_refuses_a_post(qasim, caseworker_client):
    code = draft_start(caseworker_client)

    assert caseworker_client.post(duplicates_url(code)).status_code == 405


def test_the_primary_step_runs_the_live_check_as_names_are_typed(caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "primary"))

    assertContains(
        response,
        f'<div id="duplicate-check" aria-live="polite" hx-get="{duplicates_url(code)}" '
        'hx-trigger="load, change from:#id_first_name, change from:#id_last_name, change from:#id_date_of_birth" '
        'hx-include="#id_first_name, #id_last_name, #id_date_of_birth"></div>',
        html=True,
    )


# On the summary, and registering anyway ---------------------------------------------------------------


SIMILAR_PRIMARY = {"primary": {"first_name": "Mohamad", "last_name": "Qasim", "date_of_birth": "1980-01-15"}}


def test_the_summary_shows_the_candidates_and_asks_for_a_reason(qasim, caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, SIMILAR_PRIMARY, register=False)

    response = caseworker_client.get(step_url(code, "summary"))

    assertContains(response, PANEL_HEADING, html=True)
    assertContains(response, candidate_row(qasim, SIMILAR_NAME), html=True)
    assertContains(response, f'<label class="form-label" for="id_duplicate_reason">{REASON_LABEL}</label>', html=True)
    one(elements(parsed(response), "input", name="duplicate_reason"))


def test_the_summary_shows_a_client_with_the_same_phone_and_email(qasim, caseworker_client, caseworker):
    contact = {"contact": {"phone": "416-555-0199", "email": "MOHAMMED.QASIM@example.org"}}
    code, _response = walk(caseworker_client, caseworker, contact, register=False)

    response = caseworker_client.get(step_url(code, "summary"))

    assertContains(response, candidate_row(qasim, f"{SAME_PHONE}; {SAME_EMAIL}"), html=True)


def test_the_summary_asks_for_no_reason_without_candidates(qasim, caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, register=False)

    response = caseworker_client.get(step_url(code, "summary"))

    assertNotContains(response, PANEL)
    assertNotContains(response, REASON_LABEL)


def test_the_summary_never_shows_another_agencys_client(other_qasim, caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, SIMILAR_PRIMARY, register=False)

    response = caseworker_client.get(step_url(code, "summary"))

    assertNotContains(response, PANEL)
    assertNotContains(response, str(other_qasim.code))


def test_registering_despite_a_candidate_records_the_reason(qasim, caseworker_client, caseworker):
    overrides = {**SIMILAR_PRIMARY, "summary": {"duplicate_reason": "Different person: another Mohamad Qasim"}}

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    assert client.pk != qasim.pk
    assert client.duplicate_reason == "Different person: another Mohamad Qasim"


def test_registering_despite_a_candidate_is_not_blocked_without_a_reason(qasim, caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker, SIMILAR_PRIMARY)

    client = registered_client(response)
    assert (client.first_name, client.last_name) == ("Mohamad", "Qasim")
    assert client.duplicate_reason == ""
    assert client.pk != qasim.pk
    assert Client.objects.for_agency(caseworker.agency).filter(pk=qasim.pk).exists()
