"""The row template the [+] button copies (templates/registration/_rows.html): the same markup on every page, made
once a process for each formset, agency lists and language (RowFormSet.empty_row_key), and made again when one of
them changes."""

import re

import pytest
from django.urls import reverse

from agencies.models import AgencyList, ListItem
from registration.forms.formsets import RowFormSet
from tests.wizard import step_url, walk

pytestmark = pytest.mark.django_db


def empty_row(html: str, prefix: str) -> str:
    """The <template> of a formset's empty row on the page."""
    match = re.search(rf'<template id="{prefix}-empty">(.*?)</template>', html, re.S)
    assert match, f"no empty row of {prefix}"
    return match.group(1)


@pytest.fixture
def identification(caseworker_client, caseworker) -> str:
    code, _response = walk(caseworker_client, caseworker, {}, until="identification")
    return step_url(code, "identification")


@pytest.fixture
def empty_forms_built(monkeypatch) -> list[str]:
    """The prefixes of the empty rows built (RowFormSet.empty_form) while the test runs."""
    built = []
    empty_form = RowFormSet.empty_form

    def counted(formset):
        built.append(formset.prefix)
        return empty_form.fget(formset)

    monkeypatch.setattr(RowFormSet, "empty_form", property(counted))
    return built


def test_a_page_shown_again_copies_the_same_empty_row_without_building_it(
    caseworker_client, identification, empty_forms_built
):
    first = caseworker_client.get(identification).content.decode()
    built_first = list(empty_forms_built)
    second = caseworker_client.get(identification).content.decode()

    assert empty_row(second, "identifiers") == empty_row(first, "identifiers")
    assert 'name="identifiers-__prefix__-value"' in empty_row(second, "identifiers")
    assert empty_forms_built == built_first  # nothing built for the second page


def test_an_identifier_type_added_by_the_coordinator_is_in_the_next_empty_row(
    caseworker_client, caseworker, identification
):
    caseworker_client.get(identification)
    ListItem.objects.create(agency=caseworker.agency, list=AgencyList.IDENTIFIER_TYPE, label="Band Card Number")

    html = caseworker_client.get(identification).content.decode()

    assert "Band Card Number" in empty_row(html, "identifiers")


def test_the_empty_row_is_in_the_pages_language(caseworker_client, identification):
    english = empty_row(caseworker_client.get(identification).content.decode(), "identifiers")
    caseworker_client.post(reverse("set_language"), {"language": "fr"})

    french = empty_row(caseworker_client.get(identification).content.decode(), "identifiers")

    assert "Remove" in english
    assert "Remove" not in french
    assert "Retirer" in french
