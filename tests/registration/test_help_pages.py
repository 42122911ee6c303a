"""The article's two help links: Client Identifier Descriptions beside Client Identifier, and the Family Code help,
in English and in French."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.wizard import step_url, walk

pytestmark = pytest.mark.django_db

IDENTIFIERS = reverse("registration:help-identifiers")
FAMILY_CODE = reverse("registration:help-family-code")


def test_the_identification_step_links_to_the_identifier_descriptions(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    page = caseworker_client.get(step_url(code, "identification"))

    assertContains(page, f'<a href="{IDENTIFIERS}" target="_blank" rel="noopener">Client Identifier Descriptions')


def test_the_primary_step_links_to_the_family_code_help(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="privacy")

    page = caseworker_client.get(step_url(code, "primary"))

    assertContains(page, f'<a href="{FAMILY_CODE}" target="_blank" rel="noopener">Family Code help')


def test_the_identifier_descriptions_say_which_three_icare_accepts(caseworker_client):
    page = caseworker_client.get(IDENTIFIERS)

    rows = {kind.label: (kind.icare_value_id is not None, help_text) for kind, help_text in page.context["rows"]}
    assert {label for label, (icare, _help) in rows.items() if icare} == {
        "FOSS/GCMS Client ID",
        "Temporary Resident or Minister’s Permit Number",
        "IMM5292, IMM5509, IMM1000 Number",
    }
    assert "Unique Client Identifier" in str(rows["FOSS/GCMS Client ID"][1])
    assert rows["Passport Number"] == (False, None)
    assertContains(page, "Recorded by your agency; not reported to iCARE.")


def test_the_family_code_help_explains_new_and_find_with_the_real_format(caseworker_client):
    page = caseworker_client.get(FAMILY_CODE)

    assertContains(page, "F-4821-B")
    assertContains(page, '<h2 class="h5">New</h2>', html=True)
    assertContains(page, '<h2 class="h5">Find</h2>', html=True)


@pytest.mark.parametrize(
    ("url", "french"),
    [
        (IDENTIFIERS, "Descriptions des identifiants du client"),
        (FAMILY_CODE, "Code de famille"),
    ],
)
def test_the_help_pages_are_in_french(caseworker_client, url, french):
    caseworker_client.cookies["django_language"] = "fr"

    page = caseworker_client.get(url)

    assertContains(page, f'<h1 class="h3">{french}</h1>', html=True)
