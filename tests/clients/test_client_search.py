"""Find Client: each kind of search finds the right client among a few hundred invented ones, only ever in
the user's agency; names are found in any order, without their accents and with small typos; the page
asks for two characters, lists the best match first and pages through the rest."""

from datetime import date

import pytest
from django.urls import resolve, reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import StaffProfile
from clients.models import Client
from clients.models.family import family_check_letter
from clients.search import client_search, parse_query
from tests.clients.crowd import crowd_fixtures
from tests.clients.pages import attribute, elements, form_errors, login_url, parsed, text_of
from tests.factories import (
    AgencyFactory,
    ClientFactory,
    FamilyFactory,
    IdentifierFactory,
    SiteFactory,
    StaffFactory,
    searchable,
)
from tests.wizard import identifier_type

pytestmark = pytest.mark.django_db

FIND_URL = reverse("clients:client-find")
TWO_CHARACTERS = (
    "Type at least two characters: part of a name, a client number, a phone number, an identifier or a date of birth."
)
FAMILY_DIGITS = "482913"
FAMILY_CODE = f"F-{FAMILY_DIGITS}-{family_check_letter(FAMILY_DIGITS)}"


def client_like_qasim(staff, **fields) -> Client:
    """Mohammed Qasim of the staff member's agency, with every detail a search can find him by."""
    values = {
        "first_name": "Mohammed",
        "last_name": "Qasim",
        "date_of_birth": date(1980, 1, 15),
        "phone": "+14165550199",
        "email": "Mohammed.Qasim@Example.org",
        "postal_code": "M4C1B5",
        "comments": "Asked about tenancy rights at the food bank.",
        "family": FamilyFactory(agency=staff.agency, code=FAMILY_CODE),
        **fields,
    }
    return searchable(ClientFactory(registered_by=staff, with_identifier=True, identifier__value="8765-4321", **values))


def found(agency, typed: str, **options) -> list[Client]:
    return list(client_search(agency=agency, text=typed, **options))


def profile_codes(response) -> list[str]:
    """The clients a results page answered 200 lists, in order: the codes its Profile links lead to."""
    links = [link for link in elements(parsed(response), "a") if text_of(link).split()[:1] == ["Profile"]]
    return [str(resolve(attribute(link, "href")).kwargs["code"]) for link in links]


# Three hundred invented clients in each agency, built once for the module, and the personas of tests/conftest.py
# taken from them: the same seed gives both agencies the same people, client numbers, telephones and identifiers.
crowd, agency, other_agency, caseworker, outsider = crowd_fixtures(seed=7)


@pytest.fixture
def lone_caseworker(db) -> StaffProfile:
    """A caseworker of an agency with no client yet, away from the crowd."""
    agency = AgencyFactory(name="Quiet Test Agency")
    SiteFactory(agency=agency, name="Quiet Office")
    return StaffFactory(agency=agency)


@pytest.fixture
def qasim(crowd, caseworker) -> Client:
    return client_like_qasim(caseworker)


@pytest.fixture
def other_qasim(crowd, outsider) -> Client:
    """The other agency's client with the same name, birth date, identifier, phone, email, postal code, family code
    and comments as ours."""
    return client_like_qasim(outsider)


# What a search means ----------------------------------------------------------------------------


def test_a_search_splits_into_names_date_email_postal_code_family_and_numbers():
    parsed = parse_query("Nguyễn, Thị Lan 1990-04-12 LAN.Nguyen@Example.org m4c 1b5 f-482913-x (416) 555-0199")

    assert parsed.words == ["nguyen", "thi", "lan"]
    assert parsed.birth_dates == [date(1990, 4, 12)]
    assert parsed.emails == ["lan.nguyen@example.org"]
    assert parsed.postal_codes == ["M4C1B5"]
    assert parsed.family_codes == ["F-482913-X"]
    assert parsed.numbers == ["(416) 555-0199"]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("(416) 555-0199", "(416) 555-0199"),
        ("416 555 0199", "416 555 0199"),
        ("+1 416-555-0199", "+1 416-555-0199"),
        ("1000123", "1000123"),
        ("1234-5678", "1234-5678"),
    ],
)
def test_a_number_written_with_spaces_or_hyphens_stays_one_number(typed, number):
    parsed = parse_query(typed)

    assert parsed.numbers == [number]
    assert parsed.words == []


@pytest.mark.parametrize("typed", ["M4C1B5", "m4c 1b5", "M4C-1B5"])
def test_a_postal_code_is_read_with_or_without_a_space(typed):
    assert parse_query(typed).postal_codes == ["M4C1B5"]


@pytest.mark.parametrize(
    ("typed", "code"), [("F-482913-X", "F-482913-X"), ("f482913x", "F-482913-X"), ("f-4829k", "F-4829-K")]
)
def test_a_family_code_is_read_in_any_case_with_or_without_hyphens(typed, code):
    assert parse_query(typed).family_codes == [code]


def test_an_impossible_date_is_ignored_rather_than_read_as_a_name():
    parsed = parse_query("2020-02-31")

    assert parsed.birth_dates == []
    assert parsed.words == []
    assert parsed.is_empty


def test_a_blank_search_is_empty():
    assert parse_query("   ").is_empty


# Names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Mohammed Qasim", "Qasim Mohammed", "qasim, MOHAMMED", "Qasim"])
def test_it_finds_a_client_by_name_in_any_order_and_case(qasim, typed):
    assert found(qasim.agency, typed)[0] == qasim


def test_it_finds_a_client_by_preferred_name(crowd, caseworker):
    mina = searchable(
        ClientFactory(registered_by=caseworker, first_name="Aminata", last_name="Ouedraogo", preferred_name="Mina")
    )

    assert found(caseworker.agency, "Mina Ouedraogo")[0] == mina


def test_it_finds_nguyen_when_the_name_is_stored_with_its_accents(crowd, caseworker):
    thao = searchable(ClientFactory(registered_by=caseworker, first_name="Thảo", last_name="Nguyễn"))

    assert found(caseworker.agency, "Thao Nguyen")[0] == thao
    assert found(caseworker.agency, "nguyen thao")[0] == thao


def test_it_finds_a_name_stored_without_accents_when_typed_with_them(crowd, caseworker):
    hoa = searchable(ClientFactory(registered_by=caseworker, first_name="Hoa", last_name="Nguyen"))

    assert found(caseworker.agency, "Hòa Nguyễn")[0] == hoa


def test_every_client_named_nguyen_is_found_whether_typed_with_accents_or_without(crowd, agency):
    named_nguyen = set(Client.objects.for_agency(agency).filter(name_words__contains=" nguyen "))
    assert len(named_nguyen) >= 3, "the invented crowd should hold a few Nguyễns"

    assert named_nguyen <= set(found(agency, "Nguyen"))
    assert named_nguyen <= set(found(agency, "Nguyễn"))


def test_it_finds_mohammed_when_mohamad_is_typed(qasim):
    assert found(qasim.agency, "Mohamad Qasim")[0] == qasim


def test_it_finds_a_name_typed_with_two_letters_swapped(qasim):
    assert found(qasim.agency, "Mohammed Qaism")[0] == qasim
    assert found(qasim.agency, "Mohmamed Qasim")[0] == qasim


def test_it_finds_a_name_with_a_letter_missing(qasim):
    assert found(qasim.agency, "Mohammed Qasm")[0] == qasim


def test_it_finds_muhammad_spelt_another_way(qasim):
    assert found(qasim.agency, "Muhammad Qasim")[0] == qasim


def test_it_finds_a_client_by_the_start_of_the_last_word_typed(qasim):
    assert found(qasim.agency, "Mohammed Qas")[0] == qasim


@pytest.mark.parametrize("typed", ["Jean Luc OBrien", "jean-luc o'brien", "Jeanluc Obrien"])
def test_it_finds_a_name_with_a_hyphen_and_an_apostrophe_typed_without_them(crowd, caseworker, typed):
    jean_luc = searchable(ClientFactory(registered_by=caseworker, first_name="Jean-Luc", last_name="O'Brien"))

    assert found(caseworker.agency, typed)[0] == jean_luc


def test_it_does_not_find_a_client_by_an_unrelated_name(qasim):
    assert qasim not in found(qasim.agency, "Svitlana Qasim")


def test_the_exact_name_is_listed_before_a_typo_match(crowd, caseworker):
    mohammed = searchable(ClientFactory(registered_by=caseworker, first_name="Mohammed", last_name="Qasim"))
    mohamad = searchable(ClientFactory(registered_by=caseworker, first_name="Mohamad", last_name="Qasim"))

    assert found(caseworker.agency, "Mohamad Qasim")[:2] == [mohamad, mohammed]
    assert found(caseworker.agency, "Mohammed Qasim")[:2] == [mohammed, mohamad]


def test_a_short_name_with_a_typo_keeps_its_first_letter(agency, caseworker):
    hai = searchable(ClientFactory(registered_by=caseworker, first_name="Hai", last_name="Tran"))
    cao = searchable(ClientFactory(registered_by=caseworker, first_name="Cao", last_name="Tran"))

    assert found(agency, "Hao Tran") == [hai]
    assert cao in found(agency, "Cao Tran")


def test_letters_swapped_in_a_short_name_are_found(lone_caseworker):
    # Away from the crowd: it holds a Wang Fang Li, whom "Li Wnag" rightly finds too.
    wang = searchable(ClientFactory(registered_by=lone_caseworker, first_name="Li", last_name="Wang"))

    assert found(lone_caseworker.agency, "Li Wnag") == [wang]


def test_a_one_letter_sound_code_makes_no_variant(agency, caseworker):
    # "Hu" and "Hawa" share the double-metaphone code H; "Hu" is no spelling of "Hawa".
    hawa = searchable(ClientFactory(registered_by=caseworker, first_name="Hawa", last_name="Osman"))

    assert found(agency, "Hawa Osman") == [hawa]
    assert found(agency, "Hu Osman") == []


# Every other kind of search ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1980-01-15", "1980/01/15"], ids=["as-ocms-writes-it", "as-the-article-does"])
def test_it_finds_the_clients_born_on_a_date(qasim, typed):
    born_that_day = found(qasim.agency, typed)

    assert qasim in born_that_day
    assert {c.date_of_birth for c in born_that_day} == {date(1980, 1, 15)}


def test_a_date_of_birth_narrows_a_name_search(qasim, caseworker):
    namesake = searchable(
        ClientFactory(
            registered_by=caseworker, first_name="Mohammed", last_name="Qasim", date_of_birth=date(1995, 6, 1)
        )
    )

    assert set(found(qasim.agency, "Mohammed Qasim")) >= {qasim, namesake}
    assert found(qasim.agency, "Mohammed Qasim", birth_date=date(1995, 6, 1)) == [namesake]
    assert found(qasim.agency, "Mohammed Qasim 1980-01-15") == [qasim]


def test_it_finds_a_client_by_client_number(qasim):
    assert found(qasim.agency, str(qasim.number)) == [qasim]


@pytest.mark.parametrize("typed", ["8765-4321", "87654321", "8765 4321", " 8765 - 4321 "])
def test_it_finds_a_client_by_identifier_with_or_without_spaces_and_hyphens(qasim, typed):
    assert found(qasim.agency, typed) == [qasim]


@pytest.mark.parametrize(
    ("kind", "value", "typed"),
    [
        ("Passport Number", "AB123456", "AB123456"),
        ("Passport Number", "AB123456", "ab 123456"),
        ("Driver's Licence Number", "A1234-56789-01234", "A1234-56789-01234"),
        ("Provincial Health Card Number", "1234-567-890-AB", "1234567890AB"),
    ],
)
def test_it_finds_a_client_by_an_identifier_with_letters(qasim, kind, value, typed):
    IdentifierFactory(client=qasim, identifier_type=identifier_type(qasim.agency, kind), value=value)

    assert found(qasim.agency, typed) == [qasim]


@pytest.mark.parametrize("typed", ["(416) 555-0199", "416 555 0199", "+1 416-555-0199", "416.555.0199", "4165550199"])
def test_it_finds_a_client_by_phone_written_any_common_way(qasim, typed):
    assert found(qasim.agency, typed) == [qasim]


def test_it_finds_a_client_by_an_alternative_phone(crowd, caseworker):
    client = searchable(ClientFactory(registered_by=caseworker, phone_alt2="+16135550142"))

    assert found(caseworker.agency, "613-555-0142") == [client]


@pytest.mark.parametrize(
    "typed", ["mohammed.qasim@example.org", "MOHAMMED.QASIM@EXAMPLE.ORG", "Mohammed.Qasim@Example.org"]
)
def test_it_finds_a_client_by_email_in_any_case(qasim, typed):
    assert found(qasim.agency, typed) == [qasim]


@pytest.mark.parametrize("typed", ["M4C 1B5", "m4c1b5"])
def test_it_finds_a_client_by_postal_code_with_or_without_a_space(qasim, typed):
    at_that_address = found(qasim.agency, typed)

    assert qasim in at_that_address
    assert {c.postal_code for c in at_that_address} == {"M4C1B5"}


def test_it_finds_every_member_of_a_family_by_family_code(qasim, caseworker):
    sister = searchable(
        ClientFactory(registered_by=caseworker, first_name="Huda", last_name="Qasim", family=qasim.family)
    )

    assert set(found(qasim.agency, FAMILY_CODE)) == {qasim, sister}
    assert set(found(qasim.agency, FAMILY_CODE.lower().replace("-", ""))) == {qasim, sister}


def test_it_finds_words_of_the_comments_only_when_asked(qasim):
    assert found(qasim.agency, "tenancy") == []
    assert found(qasim.agency, "tenancy", search_comments=True) == [qasim]
    assert found(qasim.agency, "tenancy rights", search_comments=True) == [qasim]


def test_it_finds_words_of_the_comments_with_or_without_their_accents(qasim):
    qasim.comments = "Réfugié from Haïti; asked about ÉCOLE registration."
    qasim.save()

    for typed in ("réfugié", "refugie", "REFUGIE", "Haiti", "haïti école", "ecole"):
        assert found(qasim.agency, typed, search_comments=True) == [qasim], typed
    assert found(qasim.agency, "refugee", search_comments=True) == []


def test_searching_the_comments_still_finds_names(qasim):
    assert qasim in found(qasim.agency, "Mohammed Qasim", search_comments=True)


def test_it_leaves_out_anonymous_clients_unless_asked(crowd, caseworker):
    anonymous = ClientFactory(registered_by=caseworker, anonymous=True, postal_code="K1A0B1")

    assert found(caseworker.agency, str(anonymous.number)) == []
    assert found(caseworker.agency, "K1A 0B1") == []
    assert found(caseworker.agency, str(anonymous.number), include_anonymous=True) == [anonymous]
    assert found(caseworker.agency, "K1A 0B1", include_anonymous=True) == [anonymous]


# Never another agency's client ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Mohammed Qasim",
        "Mohamad Qasim",
        "1980-01-15",
        "8765-4321",
        "(416) 555-0199",
        "mohammed.qasim@example.org",
        "M4C 1B5",
        FAMILY_CODE,
    ],
)
def test_it_never_finds_another_agencys_client_with_the_same_details(qasim, other_qasim, typed):
    assert qasim in found(qasim.agency, typed)
    assert other_qasim in found(other_qasim.agency, typed)
    assert other_qasim not in found(qasim.agency, typed)
    assert {c.agency_id for c in found(qasim.agency, typed)} == {qasim.agency_id}


def test_it_never_finds_another_agencys_client_by_comments(qasim, other_qasim):
    assert found(qasim.agency, "tenancy", search_comments=True) == [qasim]


def test_it_never_finds_another_agencys_client_by_the_same_client_number(crowd, agency, other_agency):
    ours = Client.objects.for_agency(agency).order_by("number")[150]
    theirs = Client.objects.for_agency(other_agency).get(number=ours.number)

    assert found(agency, str(ours.number)) == [ours]
    assert found(other_agency, str(ours.number)) == [theirs]


def test_it_finds_invented_clients_by_each_of_their_details_and_never_their_twins(crowd, agency):
    with_identifiers = Client.objects.for_agency(agency).filter(identifiers__isnull=False).order_by("number")
    for client in with_identifiers[:300:40]:
        identifier = client.identifiers.get()
        for typed in (
            f"{client.first_name} {client.last_name} {client.date_of_birth:%Y-%m-%d}",
            str(client.number),
            identifier.value,
            identifier.value_key,
            client.phone.as_national,
        ):
            results = found(agency, typed)
            assert client in results, typed
            assert {c.agency_id for c in results} == {agency.pk}, typed


# The Find Client page -------------------------------------------------------------------------------


def test_the_page_lists_a_match_with_its_details_and_links_to_profile_and_dashboard(qasim, caseworker_client):
    response = caseworker_client.get(FIND_URL, {"q": "Mohamad Qasim"})

    profile = reverse("clients:client-detail", args=[qasim.code])
    dashboard = reverse("clients:client-dashboard", args=[qasim.code])
    assertContains(
        response,
        f'<tr><td>Mohammed Qasim</td><td class="text-nowrap">1980-01-15</td><td>{qasim.number}</td>'
        f'<td class="text-nowrap">{FAMILY_CODE}</td><td class="text-nowrap">(416) 555-0199</td>'
        f'<td class="text-nowrap">{qasim.registration_date:%Y-%m-%d}</td>'
        f'<td class="text-nowrap"><a href="{profile}">Profile<span class="visually-hidden"> Mohammed Qasim</span></a>'
        f' · <a href="{dashboard}">Dashboard<span class="visually-hidden"> Mohammed Qasim</span></a></td></tr>',
        html=True,
    )
    assert profile_codes(response)[0] == str(qasim.code)


@pytest.mark.parametrize("typed", ["", "a", "  b  "])
def test_the_page_asks_for_two_characters_instead_of_listing_everyone(qasim, caseworker_client, typed):
    response = caseworker_client.get(FIND_URL, {"q": typed})

    assert form_errors(response) == {"q": [TWO_CHARACTERS]}
    assert profile_codes(response) == []


def test_a_page_past_the_last_says_so_and_leads_to_the_first_rather_than_telling_to_check_the_spelling(
    qasim, caseworker_client
):
    response = caseworker_client.get(FIND_URL, {"q": "Mohamad Qasim", "page": "999"})

    assert profile_codes(response) == []
    assertContains(response, "This search has no page 999: it found fewer clients.")
    assertContains(response, '<a href="?q=Mohamad+Qasim">Go to the first page of results</a>', html=True)
    assertNotContains(response, "Check the spelling")


def test_the_page_lists_nothing_and_asks_nothing_before_a_search(qasim, caseworker_client):
    response = caseworker_client.get(FIND_URL)

    assert not response.context["form"].is_bound
    assertNotContains(response, "Type at least two characters")
    assert profile_codes(response) == []


def test_the_page_finds_by_date_of_birth_alone(qasim, caseworker_client):
    response = caseworker_client.get(FIND_URL, {"q": "", "date_of_birth": "1980-01-15"})

    assert form_errors(response) == {}
    assert str(qasim.code) in profile_codes(response)


@pytest.mark.parametrize("typed", ["15/01/1980", "01/15/1980", "15-01-1980", "15.01.1980", "Qasim 15/01/1980"])
def test_a_date_of_birth_written_year_last_is_asked_for_year_first_not_searched_as_a_name(
    qasim, caseworker_client, typed
):
    response = caseworker_client.get(FIND_URL, {"q": typed})

    written = typed.removeprefix("Qasim ")
    assert form_errors(response) == {
        "q": [
            f"Type a date of birth year first, such as 1946-03-27: “{written}” is read day first by some and month "
            "first by others."
        ]
    }
    assert profile_codes(response) == []


def test_the_date_of_birth_box_takes_the_date_as_the_article_writes_it_too(qasim, caseworker_client):
    response = caseworker_client.get(FIND_URL, {"q": "", "date_of_birth": "1980/01/15"})

    assert form_errors(response) == {}
    assert profile_codes(response) == [str(qasim.code)]


@pytest.mark.parametrize("typed", ["Anonymous", "anonymous client", "Client anonyme"])
def test_anonymous_clients_are_found_by_the_name_they_are_shown_by(qasim, caseworker, caseworker_client, typed):
    anonymous = ClientFactory(registered_by=caseworker, anonymous=True, postal_code="K1A0B1")
    elsewhere = ClientFactory(registered_by=caseworker, anonymous=True, postal_code="M5V2T6")

    found_all = caseworker_client.get(FIND_URL, {"q": typed, "include_anonymous": "on"})
    found_by_postal_code = caseworker_client.get(FIND_URL, {"q": f"{typed} K1A 0B1", "include_anonymous": "on"})
    left_out = caseworker_client.get(FIND_URL, {"q": typed})

    assert set(profile_codes(found_all)) == {str(anonymous.code), str(elsewhere.code)}
    assert profile_codes(found_by_postal_code) == [str(anonymous.code)]
    assert profile_codes(left_out) == []


def test_a_wrong_date_of_birth_alone_gets_its_own_message_only(qasim, caseworker_client):
    response = caseworker_client.get(FIND_URL, {"q": "", "date_of_birth": "1980-02-30"})

    errors = form_errors(response)
    assert list(errors) == ["date_of_birth"]
    assert "not a valid date" in errors["date_of_birth"][0]
    assert profile_codes(response) == []


def test_the_page_includes_anonymous_clients_when_the_box_is_ticked(crowd, caseworker, caseworker_client):
    anonymous = ClientFactory(registered_by=caseworker, anonymous=True)

    without = caseworker_client.get(FIND_URL, {"q": str(anonymous.number)})
    with_box = caseworker_client.get(FIND_URL, {"q": str(anonymous.number), "include_anonymous": "on"})

    assert profile_codes(without) == []
    # Not "no client matches" (which offers to register one again): the page says where the client is.
    assertContains(without, "This number is an anonymous client's: tick “Include anonymous clients”")
    assertNotContains(without, "No client of your agency matches this search.")
    assert profile_codes(with_box) == [str(anonymous.code)]
    assertContains(with_box, "<td>Anonymous Client</td>", html=True)


def test_a_number_no_client_has_is_no_match_not_an_anonymous_client(crowd, caseworker_client):
    response = caseworker_client.get(FIND_URL, {"q": "9999999"})

    assertContains(response, "No client of your agency matches this search.")
    assertNotContains(response, "anonymous client's")


NOTHING_TO_SEARCH = (
    "There is nothing to search by in this text. Type the name in Latin letters, as on the client's documents, or a "
    "date of birth, telephone number, client number or identifier."
)


@pytest.mark.parametrize("typed", ["!!!", "欧阳明", "الهاشمي", "-- --"])
def test_a_search_with_nothing_to_search_by_says_so_rather_than_listing_everyone(qasim, caseworker_client, typed):
    response = caseworker_client.get(FIND_URL, {"q": typed})

    assert form_errors(response) == {"q": [NOTHING_TO_SEARCH]}
    assert profile_codes(response) == []
    # With a date of birth, the text adds nothing and the date alone is searched.
    by_date = caseworker_client.get(FIND_URL, {"q": typed, "date_of_birth": "1980-01-15"})
    assert form_errors(by_date) == {}
    assert str(qasim.code) in profile_codes(by_date)


def test_the_page_searches_comments_when_the_box_is_ticked(qasim, caseworker_client):
    without = caseworker_client.get(FIND_URL, {"q": "tenancy"})
    with_box = caseworker_client.get(FIND_URL, {"q": "tenancy", "search_comments": "on"})

    assert profile_codes(without) == []
    assert profile_codes(with_box) == [str(qasim.code)]


def test_the_page_shows_twenty_matches_and_a_distinct_second_page(crowd, caseworker, caseworker_client):
    okonkwos = {
        str(searchable(ClientFactory(registered_by=caseworker, first_name=f"Chidi{letter}", last_name="Okonkwo")).code)
        for letter in "abcdefghijklmnopqrstuvwxy"
    }
    next_page = '<a class="btn btn-sm btn-outline-secondary" href="?q=Okonkwo&amp;page=2">Next</a>'

    first = caseworker_client.get(FIND_URL, {"q": "Okonkwo"})
    second = caseworker_client.get(FIND_URL, {"q": "Okonkwo", "page": "2"})

    assert len(profile_codes(first)) == 20
    assertContains(first, next_page, html=True)
    assert len(profile_codes(second)) == 5
    assertNotContains(second, "page=3")
    assert set(profile_codes(first)).isdisjoint(profile_codes(second))
    assert set(profile_codes(first)) | set(profile_codes(second)) == okonkwos
    assertContains(first, '<span class="small">Results 1–20</span>', html=True)
    assertContains(second, '<span class="small">Results 21–25</span>', html=True)


def test_the_page_never_shows_another_agencys_client_to_an_outsider(qasim, outsider_client):
    response = outsider_client.get(FIND_URL, {"q": "Mohammed Qasim"})

    assertNotContains(response, str(qasim.code))
    assertContains(response, "No client of your agency matches")


def test_the_page_asks_a_visitor_to_log_in(client, qasim):
    response = client.get(FIND_URL, {"q": "Mohammed Qasim"})

    assertRedirects(response, login_url(f"{FIND_URL}?q=Mohammed+Qasim"))


def test_a_result_row_shows_each_cell_as_a_caseworker_reads_it(caseworker, caseworker_client):
    qasim = client_like_qasim(caseworker, preferred_name="Mo", registration_date=date(2024, 3, 5))
    abroad = searchable(
        ClientFactory(registered_by=caseworker, first_name="Qasim", last_name="Abroad", phone="+442071838750")
    )
    abroad.date_of_birth = None
    abroad.save()

    response = caseworker_client.get(FIND_URL, {"q": "qasim"})

    profile = reverse("clients:client-detail", args=[qasim.code])
    dashboard = reverse("clients:client-dashboard", args=[qasim.code])
    assertContains(
        response,
        f"""<tr><td>Mohammed Qasim <span class="text-body-secondary">(Mo)</span></td>
        <td class="text-nowrap">1980-01-15</td><td>{qasim.number}</td><td class="text-nowrap">{FAMILY_CODE}</td>
        <td class="text-nowrap">(416) 555-0199</td><td class="text-nowrap">2024-03-05</td>
        <td class="text-nowrap"><a href="{profile}">Profile<span class="visually-hidden"> Mohammed Qasim</span></a>
        · <a href="{dashboard}">Dashboard<span class="visually-hidden"> Mohammed Qasim</span></a></td></tr>""",
        html=True,
    )
    # No date of birth or family: a dash; a number from abroad with its country code.
    abroad_row = next(row for row in elements(parsed(response), "tr") if "Qasim Abroad" in text_of(row))
    cells = [text_of(cell) for cell in elements(abroad_row, "td")]
    assert cells[1:5] == ["—", str(abroad.number), "—", "+44 20 7183 8750"]
