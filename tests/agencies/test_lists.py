"""Reference lists: IRCC's lists spelled as IRCC spells them, the agencies' starting lists, NOC 2021."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.lists import agency_lists_seed
from agencies.models import Agency, AgencyList, IcareList, IcareValue, ListItem, Occupation

pytestmark = pytest.mark.django_db

ICARE_IDENTIFIER_TYPES = [
    "FOSS/GCMS Client ID",
    "Temporary Resident or Minister’s Permit Number",
    "IMM5292, IMM5509, IMM1000 Number",
]
PROVINCES = [
    "Newfoundland and Labrador",
    "Prince Edward Island",
    "Nova Scotia",
    "New Brunswick",
    "Québec",
    "Ontario",
    "Manitoba",
    "Saskatchewan",
    "Alberta",
    "Northwest Territories",
    "British Columbia",
    "Yukon",
    "Nunavut",
]


def icare_values(icare_list: str) -> list[str]:
    return list(IcareValue.objects.of(icare_list).order_by("position").values_list("value", flat=True))


def test_it_has_irccs_three_identifier_types_with_the_typographic_apostrophe():
    assert icare_values(IcareList.IDENTIFIER_TYPE) == ICARE_IDENTIFIER_TYPES


def test_it_has_the_thirteen_provinces_and_territories_in_irccs_order():
    assert icare_values(IcareList.PROVINCE) == PROVINCES


def test_it_keeps_irccs_own_spellings_of_street_types():
    street_types = icare_values(IcareList.STREET_TYPE)

    assert {"Holl", "Platau", "Crescent ", "Street", "Avenue", "Not Applicable"} <= set(street_types)
    # iCARE rejects a value that differs from its own, even by a trailing space.
    assert "Crescent" not in street_types


def test_it_has_the_official_languages_of_preference():
    assert icare_values(IcareList.OFFICIAL_LANGUAGE) == ["English", "French", "Unknown/No preference"]


@pytest.fixture
def new_agency() -> Agency:
    # Created directly, not through the factory, which seeds the lists itself.
    return Agency.objects.create(name="Prairie Newcomer Hub")


def labels(agency: Agency, agency_list: str) -> list[str]:
    return list(ListItem.objects.for_agency(agency).of(agency_list).values_list("label", flat=True))


def test_it_gives_a_new_agency_the_starting_gender_list(new_agency):
    agency_lists_seed(agency=new_agency)

    assert labels(new_agency, AgencyList.GENDER) == ["Female", "Male", "Gender diverse", "Prefer not to say"]


def test_it_puts_the_icare_identifier_types_first_and_links_them_to_irccs_values(new_agency):
    agency_lists_seed(agency=new_agency)

    items = list(ListItem.objects.for_agency(new_agency).of(AgencyList.IDENTIFIER_TYPE))

    assert [item.label for item in items[:3]] == ICARE_IDENTIFIER_TYPES
    assert [item.icare_value.value for item in items[:3]] == ICARE_IDENTIFIER_TYPES
    assert "Passport Number" in [item.label for item in items[3:]]
    assert all(item.icare_value is None for item in items[3:])


def test_it_creates_no_duplicates_when_seeding_twice(new_agency):
    agency_lists_seed(agency=new_agency)
    first = ListItem.objects.for_agency(new_agency).count()

    agency_lists_seed(agency=new_agency)

    assert first > 0
    assert ListItem.objects.for_agency(new_agency).count() == first


def test_it_keeps_an_agencys_own_edits_when_seeding_again(new_agency):
    agency_lists_seed(agency=new_agency)
    ListItem.objects.filter(agency=new_agency, list=AgencyList.GENDER, label="Female").update(label_fr="Femme (F)")

    agency_lists_seed(agency=new_agency)

    assert ListItem.objects.get(agency=new_agency, list=AgencyList.GENDER, label="Female").label_fr == "Femme (F)"


def test_it_has_the_516_noc_2021_unit_groups():
    assert Occupation.objects.count() == 516


def codes(query) -> list[str]:
    return list(query.values_list("code", flat=True))


def test_it_finds_occupations_by_the_first_digits_of_the_code():
    found = codes(Occupation.objects.search("2123"))

    assert found == ["21230", "21231", "21232", "21233", "21234"]


def test_it_finds_occupations_by_english_words():
    found = codes(Occupation.objects.search("web developers"))

    assert "21234" in found  # Web developers and programmers
    assert "21233" not in found  # Web designers: every word typed must match


def test_it_finds_occupations_by_french_words():
    found = codes(Occupation.objects.search("ingénieurs logiciel"))

    assert "21231" in found  # Ingénieurs/ingénieures et concepteurs/conceptrices en logiciel
    assert "21232" not in found


def test_it_finds_nothing_for_blank_search():
    assert not Occupation.objects.search("   ").exists()


OCCUPATIONS_URL = reverse("agencies:occupation-search")


def test_it_shows_matching_occupations_to_staff(caseworker_client):
    response = caseworker_client.get(OCCUPATIONS_URL, {"q": "software engineers"})

    assertContains(response, "21231")
    assertContains(response, "Software engineers and designers")
    assertNotContains(response, "Web designers")


def test_each_select_button_is_named_by_its_occupation_code_and_title(caseworker_client):
    response = caseworker_client.get(OCCUPATIONS_URL, {"q": "software engineers", "target": "id_current_profession"})

    assertContains(response, '<span class="visually-hidden"> 21231 Software engineers and designers</span>', html=True)


def test_it_asks_for_at_least_two_characters(caseworker_client):
    response = caseworker_client.get(OCCUPATIONS_URL, {"q": "s"})

    assertContains(response, "Type at least two letters")
    assertNotContains(response, "list-group-item")


def test_it_sends_anonymous_users_to_the_login_page_from_the_occupation_search(db):
    response = Client().get(OCCUPATIONS_URL, {"q": "software"})

    login = f"{reverse('login')}?{urlencode({'next': f'{OCCUPATIONS_URL}?q=software'}, safe='/')}"
    assertRedirects(response, login)
