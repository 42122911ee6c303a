"""Family Code, at Primary Information: a code with a wrong check letter is refused and kept for correcting; a new
valid code, however typed, makes the family; an existing family of the agency is joined."""

import pytest

from clients.models import Family
from clients.models.family import family_check_letter
from tests.factories import ClientFactory
from tests.wizard import (
    descendants,
    element_text,
    elements,
    field_errors,
    form_errors,
    input_value,
    registered_client,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db


def test_it_refuses_a_family_code_with_a_wrong_check_letter_and_keeps_it(caseworker_client, caseworker):
    right = family_check_letter("1234")
    wrong = next(letter for letter in "XYZW" if letter != right)

    code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": f"F-1234-{wrong}"}})

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == step_url(code, "primary")
    message = (
        "This is not a family code of your agency. Codes look like F-4821-B, or F-482156-H in a larger agency: "
        "check it, or click New."
    )
    assert form_errors(response, "primary") == {"family_code": [message]}
    assert field_errors(response, "id_family_code") == [message]
    # Shown in the Family Code field, beside its New and Find buttons.
    [field] = elements(response, "div", id="family-code-field")
    shown = [element_text(e) for e in descendants(field) if ("id", "id_family_code_error") in e.attributes]
    assert shown == [message]
    assert input_value(response, "family_code") == f"F-1234-{wrong}"
    assert not Family.objects.exists()


def test_it_creates_the_family_of_a_new_valid_code_typed_loosely(caseworker_client, caseworker, agency):
    code = f"f 1234 {family_check_letter('1234').lower()}"

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": code}})

    client = registered_client(response)
    assert client.family.code == f"F-1234-{family_check_letter('1234')}"
    assert client.family.agency == agency


def test_it_joins_an_existing_family_of_the_agency(caseworker_client, caseworker):
    relative = ClientFactory(registered_by=caseworker, with_family=True, first_name="Ngozi")
    family = relative.family

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": family.code}})

    client = registered_client(response)
    assert client.family == family
    assert set(family.members.all()) == {client, relative}
    assert Family.objects.count() == 1
