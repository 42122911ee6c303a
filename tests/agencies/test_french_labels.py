"""French to the data: every list a caseworker picks from shows a label in the page's language, while the value stored
and exported stays IRCC's; the agency's own texts (privacy statement, program, site and site group names) in English
and French; text left in the other language is marked with its lang."""

import csv

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from pytest_django.asserts import assertContains, assertNotContains

from agencies.lists import AGENCY_LIST_START, DATA_DIR, icare_lists
from agencies.models import AgencyList, IcareList, IcareValue, ListItem
from tests.conftest import client_for
from tests.factories import ClientFactory, ProgramFactory, SiteFactory, icare_value
from tests.wizard import draft_start, step_url

pytestmark = pytest.mark.django_db


def shown(value, language: str) -> str:
    with translation.override(language):
        return str(value)


def shown_lang(value, language: str) -> str:
    with translation.override(language):
        return str(value).foreign_lang


def french_page(http: HttpClient) -> HttpClient:
    http.post(reverse("set_language"), {"language": "fr"})
    return http


# IRCC's lists


def test_every_ircc_value_a_caseworker_picks_has_a_french_label_but_the_street_types():
    unlabelled = IcareValue.objects.filter(label_fr="").exclude(list=IcareList.STREET_TYPE)

    assert list(unlabelled.values_list("list", "value")) == []
    assert IcareValue.objects.exclude(list=IcareList.STREET_TYPE).count() > 262


def test_language_names_come_from_cldr_by_their_code():
    assert shown(icare_value(IcareList.LANGUAGE, "German"), "fr") == "Allemand"
    assert shown(icare_value(IcareList.LANGUAGE, "Tigrigna"), "fr") == "Tigrigna"
    assert shown(icare_value(IcareList.LANGUAGE, "Plautdietsch (Mennonite Low German)"), "fr") == (
        "Plautdietsch (bas allemand mennonite)"
    )
    assert shown(icare_value(IcareList.LANGUAGE, "German"), "en") == "German"


def test_a_language_without_a_code_has_the_french_name_written_here():
    assert shown(icare_value(IcareList.LANGUAGE, "Other African Languages "), "fr") == "Autres langues africaines"
    assert shown(icare_value(IcareList.LANGUAGE, "Braille (translation only)"), "fr") == (
        "Braille (traduction seulement)"
    )


@pytest.mark.parametrize(
    ("ircc", "english", "french"),
    [
        ("Ukranoan", "Ukrainian", "Ukrainien"),
        ("Hillgaynon", "Hiligaynon", "Hiligaynon"),
        ("Other Western Hemishphere Indian Languages", "Other Western Hemisphere Indian Languages", None),
        ("More", "Mooré (Mossi)", "Moré"),
    ],
)
def test_irccs_misspelled_languages_are_shown_properly_spelled_in_both_languages(ircc, english, french):
    value = icare_value(IcareList.LANGUAGE, ircc)

    assert value.value == ircc  # stored as IRCC spells it
    assert shown(value, "en") == english
    if french:
        assert shown(value, "fr") == french


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_two_values_of_an_icare_list_look_alike_in_its_drop_down(language):
    # IRCC lists Tshiluba twice, once misspelled "Zshiluba": properly spelled, the two would be one name twice.
    seen: dict[tuple[str, str], str] = {}
    for value in IcareValue.objects.all():
        label = shown(value, language)
        assert (value.list, label) not in seen, f"{value.value!r} and {seen[value.list, label]!r} both show {label!r}"
        seen[value.list, label] = value.value
    assert shown(icare_value(IcareList.LANGUAGE, "Zshiluba"), language) == "Tshiluba (Zshiluba)"


def test_the_language_mapping_names_every_language_of_irccs_list_and_no_other():
    with (DATA_DIR / "icare" / "language_names.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))

    assert {row["ircc"] for row in rows} == {value.strip() for value in icare_lists()["language_of_service"]}


@pytest.mark.parametrize(
    ("ircc", "proper"),
    [
        ("Holl", "Hollow"),
        ("Iceland", "Island"),
        ("Platau", "Plateau"),
        ("ésplanade", "Esplanade"),
        ("Crescent ", "Crescent"),
    ],
)
def test_street_types_are_spelled_properly_and_never_translated(ircc, proper):
    street_type = icare_value(IcareList.STREET_TYPE, ircc)

    assert shown(street_type, "en") == shown(street_type, "fr") == proper
    assert street_type.value == ircc


def test_a_street_type_says_its_language_on_a_page_of_the_other():
    street, rue, avenue = (icare_value(IcareList.STREET_TYPE, name) for name in ("Street", "Rue", "Avenue"))

    assert (shown_lang(street, "fr"), shown_lang(street, "en")) == ("en", "")
    assert (shown_lang(rue, "fr"), shown_lang(rue, "en")) == ("", "fr")
    assert (shown_lang(avenue, "fr"), shown_lang(avenue, "en")) == ("", "")
    assert shown(icare_value(IcareList.STREET_TYPE, "Not Applicable"), "fr") == "Sans objet"


@pytest.mark.parametrize(
    ("icare_list", "ircc", "french"),
    [
        (IcareList.CLB_READING, "Insufficient Evidence ", "Preuves insuffisantes"),
        (IcareList.CLB_LISTENING, "Pre-CLB", "Pré-NCLC"),
        (IcareList.CHILD_AGE, "Toddler (19-35 months)", "Tout-petit (19 à 35 mois)"),
        (
            IcareList.REFERRAL_SOURCE,
            "Overseas orientation session (e.g. CIIP)",
            "Séance d'orientation à l'étranger (p. ex. PCII)",
        ),
        (IcareList.EMPLOYMENT_STATUS, "Unemployed", "Sans emploi"),
        (IcareList.EDUCATION_STATUS, "Not a student", "Pas aux études"),
        (IcareList.PROVINCE, "British Columbia", "Colombie-Britannique"),
    ],
)
def test_the_other_icare_lists_have_french_labels(icare_list, ircc, french):
    assert shown(icare_value(icare_list, ircc), "fr") == french


def test_every_starting_value_of_the_agency_lists_has_a_french_label(agency):
    assert all(label_fr for items in AGENCY_LIST_START.values() for _label, label_fr, _group in items)
    assert not ListItem.objects.for_agency(agency).filter(label_fr="").exists()


def test_an_agency_value_without_french_shows_its_english_marked_as_english(agency):
    item = ListItem.objects.create(agency=agency, list=AgencyList.GENDER, label="Two-Spirit")

    assert shown(item, "fr") == "Two-Spirit"
    assert shown_lang(item, "fr") == "en"


# The drop-downs


def language_step(http: HttpClient) -> str:
    code = draft_start(http)
    return http.get(step_url(code, "language")).content.decode()


def test_the_language_drop_down_shows_french_names_in_french_order_with_irccs_values(caseworker_client):
    page = language_step(french_page(caseworker_client))

    ukranoan = icare_value(IcareList.LANGUAGE, "Ukranoan")
    assert f'<option value="{ukranoan.pk}">Ukrainien</option>' in page
    assert "Ukranoan" not in page
    # English and French first, then the others in the alphabetical order of their French names.
    names = ("Anglais", "Français", "Allemand", "Arabe", "Ukrainien", "Zoulou")
    places = [page.index(f">{name}</option>") for name in names]
    assert places == sorted(places)


def test_the_drop_downs_keep_each_language_apart(caseworker_client, caseworker2):
    french = language_step(french_page(caseworker_client))
    english = language_step(client_for(caseworker2))

    assert ">Ukrainien<" in french and ">Ukrainian<" not in french
    assert ">Ukrainian<" in english and ">Ukrainien<" not in english


def test_english_street_types_are_marked_english_in_the_french_drop_down(caseworker_client):
    code = draft_start(french_page(caseworker_client))
    page = caseworker_client.get(step_url(code, "contact")).content.decode()

    street, rue = icare_value(IcareList.STREET_TYPE, "Street"), icare_value(IcareList.STREET_TYPE, "Rue")
    assert f'<option value="{street.pk}" lang="en">Street</option>' in page
    assert f'<option value="{rue.pk}">Rue</option>' in page


# The agency's own texts


def test_program_and_site_names_follow_the_page_language_and_fall_back_to_the_other(agency):
    program = ProgramFactory(agency=agency, name="Youth", name_fr="Jeunesse")
    site = SiteFactory(agency=agency, group=agency.site_groups.first(), name="Harbourfront Office")

    assert (shown(program, "en"), shown(program, "fr")) == ("Youth", "Jeunesse")
    assert (shown(site, "fr"), shown_lang(site, "fr")) == ("Harbourfront Office", "en")
    site.name_fr = "Bureau du port"
    assert (shown(site, "fr"), shown_lang(site, "fr")) == ("Bureau du port", "")


def test_the_profile_in_french_shows_french_labels_and_marks_english_only_names(caseworker_client, caseworker, agency):
    site = agency.sites.get(name="Main Office")
    client = ClientFactory(
        registered_by=caseworker,
        registration_site=site,
        street_type=icare_value(IcareList.STREET_TYPE, "Holl"),
        province=icare_value(IcareList.PROVINCE, "British Columbia"),
        employment_status=icare_value(IcareList.EMPLOYMENT_STATUS, "Unemployed"),
    )

    response = french_page(caseworker_client).get(reverse("clients:client-detail", args=[client.code]))

    assertContains(response, "Colombie-Britannique")
    assertContains(response, "Sans emploi")
    assertContains(response, '<span lang="en">Hollow</span>', html=True)
    assertContains(response, '<span lang="en">Main Office</span>', html=True)
    assertNotContains(response, "Unemployed", status_code=200)


@pytest.mark.parametrize(
    ("language", "address"),
    # The street type keeps its own language on a page of the other (the list holds English and French types).
    [("en", "12 Dundas Street W<br>"), ("fr", '12 Dundas <span lang="en">Street</span> O<br>')],
)
def test_the_profile_writes_a_street_direction_as_an_address_does(caseworker_client, caseworker, language, address):
    client = ClientFactory(
        registered_by=caseworker,
        street_number="12",
        street_name="Dundas",
        street_type=icare_value(IcareList.STREET_TYPE, "Street"),
        street_direction=icare_value(IcareList.STREET_DIRECTION, "W - West"),
    )
    if language == "fr":
        french_page(caseworker_client)

    response = caseworker_client.get(reverse("clients:client-detail", args=[client.code]))

    assertContains(response, address)
    assertNotContains(response, "West")
    assertNotContains(response, "Ouest")


def test_the_privacy_step_shows_the_statement_of_the_page_language(caseworker_client, agency):
    agency.privacy_statement_fr = "Nous protégeons vos renseignements."
    agency.save()
    code = draft_start(french_page(caseworker_client))

    response = caseworker_client.get(step_url(code, "privacy"))

    assertContains(response, "Nous protégeons vos renseignements.")
    assertNotContains(response, "We keep your information private.", status_code=200)


def test_the_privacy_step_in_french_shows_the_english_statement_marked_when_there_is_no_french(caseworker_client):
    code = draft_start(french_page(caseworker_client))

    response = caseworker_client.get(step_url(code, "privacy"))

    assertContains(response, 'text-body-secondary" lang="en">We keep your information private.</blockquote>')


def test_the_site_search_finds_a_site_by_its_french_name(caseworker_client, agency):
    SiteFactory(agency=agency, group=agency.site_groups.first(), name="Harbourfront Office", name_fr="Bureau du port")

    response = french_page(caseworker_client).get(reverse("registration:site-search"), {"q": "port"})

    assertContains(response, "Bureau du port")
    assertNotContains(response, "Harbourfront", status_code=200)


# The admin: agencies enter their texts and names in both languages


@pytest.fixture
def coordinator_admin(coordinator) -> HttpClient:
    coordinator.user.is_staff = True
    coordinator.user.save()
    coordinator.user.user_permissions.add(*Permission.objects.filter(content_type__app_label="agencies"))
    return client_for(coordinator)


def test_a_coordinator_names_a_program_and_a_site_in_english_and_french(coordinator_admin, agency):
    group = agency.site_groups.get(name="Schools")

    coordinator_admin.post(
        reverse("admin:agencies_program_add"), {"name": "Youth", "name_fr": "Jeunesse", "is_active": "on"}
    )
    coordinator_admin.post(
        reverse("admin:agencies_site_add"),
        {"name": "Lakeview School", "name_fr": "École Lakeview", "group": group.pk, "is_active": "on"},
    )

    assert agency.programs.get(name="Youth").name_fr == "Jeunesse"
    assert agency.sites.get(name="Lakeview School").name_fr == "École Lakeview"


def test_a_coordinator_writes_the_privacy_statement_in_french(coordinator_admin, agency):
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    fields = {"name": agency.name, "privacy_statement": agency.privacy_statement}

    form = coordinator_admin.get(url)
    response = coordinator_admin.post(url, fields | {"privacy_statement_fr": "Nous protégeons vos renseignements."})

    assertContains(form, 'name="privacy_statement_fr"')
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.privacy_statement_fr == "Nous protégeons vos renseignements."


def test_the_agency_details_that_head_every_document_are_checked(coordinator_admin, agency):
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    typed = {
        "name": agency.name,
        "postal_code": "ZZZ 999",
        "phone": "call me maybe",
        "province": "Narnia",
        "privacy_statement": "",
        "privacy_statement_fr": "Nous protégeons vos renseignements.",
    }

    response = coordinator_admin.post(url, typed)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"postal_code", "phone", "province", "privacy_statement"}
    assert errors["postal_code"] == ["Postal code must look like A1A 1A1 (letters D, F, I, O, Q and U are never used)."]
    agency.refresh_from_db()
    assert (agency.postal_code, agency.phone, agency.province) == ("M5V 2T6", "416-555-0100", "Ontario")


def test_the_agency_telephone_is_a_number_in_canada(coordinator_admin, agency):
    """Kept as Canada dials it, without its country code: a number abroad would be printed unusable on receipts."""
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    typed = {"name": agency.name, "postal_code": "M5V 2T6", "phone": "+44 20 7946 0958", "province": "Ontario",
             "privacy_statement": agency.privacy_statement}  # fmt: skip

    response = coordinator_admin.post(url, typed)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {"phone": ["Enter the agency's telephone number in Canada, such as 416-555-0199."]}
    agency.refresh_from_db()
    assert agency.phone == "416-555-0100"


def test_the_agency_details_are_kept_as_the_documents_write_them(coordinator_admin, agency):
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    typed = {
        "name": agency.name,
        "postal_code": "k1a0b1",
        "phone": "613 555 0199",
        "province": "Québec",
        "privacy_statement": agency.privacy_statement,
    }

    assert coordinator_admin.post(url, typed).status_code == 302

    agency.refresh_from_db()
    assert (agency.postal_code, agency.phone, agency.province) == ("K1A 0B1", "(613) 555-0199", "Québec")


def test_a_coordinator_keeps_the_agencys_name_which_is_the_superusers_to_set(coordinator_admin, agency, other_agency):
    """Renaming it to another agency's name was refused with "Agency with this Name already exists": a way to learn
    which other agencies use OCMS."""
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    name = agency.name
    typed = {"name": other_agency.name, "privacy_statement": agency.privacy_statement, "city": "Kingston"}

    response = coordinator_admin.post(url, typed)

    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.city) == (name, "Kingston")
    assertNotContains(coordinator_admin.get(url), 'name="name"')


@pytest.mark.parametrize("language", ["en", "fr"])
def test_countries_are_named_as_caseworkers_look_them_up(language):
    with translation.override(language):
        assert (countries.name("NR"), countries.name("BS")) == ("Nauru", "Bahamas")  # not "Naoero", "Bahamas (The)"
