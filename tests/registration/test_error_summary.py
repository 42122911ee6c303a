"""The error summary a step with errors opens on (templates/_error_summary.html): one link per message, to the field it
is about, naming the row of a formset and the tab of a consent contact, described by the message beside the field
(written once on the page); none on a step without errors."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.registration.test_draft_consent import minor_contacts
from tests.wizard import descendants, element_text, elements, foss_id_type, identifier_rows, step_url, walk

pytestmark = pytest.mark.django_db


def summary_links(response) -> list[tuple[str, str, str]]:
    """The summary's links, as (where each leads, what it says, the message that describes it)."""
    summaries = elements(response, "section", id="error-summary")
    assert len(summaries) == 1, "one error summary"
    links = []
    for link in descendants(summaries[0]):
        if link.name != "a":
            continue
        attributes = dict(link.attributes)
        described = elements(response, "div", id=attributes["aria-describedby"])
        assert len(described) == 1, f"the message {attributes['aria-describedby']} is on the page once"
        links.append((attributes["href"], element_text(link), element_text(described[0])))
    return links


def test_it_links_a_formset_rows_message_to_its_field_and_names_the_row(caseworker_client, caseworker, agency):
    foss = foss_id_type(agency)
    # The second row's value is not posted at all.
    overrides = {"identification": identifier_rows((foss, "1234-5678"), (foss, None))}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.request["PATH_INFO"] == step_url(code, "identification")
    assert summary_links(response) == [
        (
            "#id_identifiers-1-value",
            "Identifier 2: Identifier Value",
            "Type the identifier's number, or remove the row.",
        )
    ]
    assertContains(response, "or remove the row.", count=1)  # written once, beside its field: found there alone
    assertContains(response, '<h2 class="h5" id="error-summary-title">This page has 1 error</h2>', html=True)
    # The summary is the region the page opens on (static/js/ocms.js focuses it).
    assertContains(response, 'tabindex="-1" aria-labelledby="error-summary-title" data-error-summary')


def test_it_names_the_consent_tab_of_a_contacts_message(caseworker_client, caseworker, agency):
    guardian_only = {key: value for key, value in minor_contacts(agency).items() if key.startswith("guardian-")}
    overrides = {"consent": {"consent_required": "true", **guardian_only}}

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.request["PATH_INFO"] == step_url(code, "consent")
    links = summary_links(response)
    assert [href for href, _text, _message in links] == [
        "#id_consenter-name",
        "#id_consenter-relationship",
        "#id_consenter-phone",
        "#id_emergency-name",
        "#id_emergency-relationship",
        "#id_emergency-phone",
    ]
    assert links[3][1] == "Emergency Contact: Name"
    assert links[3][2].startswith("Emergency Contact: Name is required by OCMS")


def test_it_spaces_the_colon_as_french_writes_it(caseworker_client, caseworker, agency):
    foss = foss_id_type(agency)
    overrides = {"identification": identifier_rows((foss, "1234-5678"), (foss, None))}
    caseworker_client.cookies["django_language"] = "fr"

    _code, response = walk(caseworker_client, caseworker, overrides)

    [(_href, text, _message)] = summary_links(response)
    assert text == "Identifiant 2 : Valeur de l'identifiant"


def test_a_message_about_a_hidden_field_links_to_it_for_the_page_to_find_its_block(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, {"summary": {"registration_site": ""}})

    assert response.request["PATH_INFO"] == step_url(code, "summary")
    assert summary_links(response) == [
        (
            "#id_registration_site",
            "Registration Site",
            "Registration Site is required by OCMS: fill it in to register the client.",
        )
    ]


def test_a_step_without_errors_has_no_summary(caseworker_client, caseworker):
    code, _response = walk(caseworker_client, caseworker, until="primary")

    response = caseworker_client.get(step_url(code, "immigration"))

    assert response.status_code == 200
    assertNotContains(response, "data-error-summary")
