"""Family codes: unique in an agency (another agency may hold the same one), checked by their letter when
typed, joined when they already exist, set and removed from the profile."""

import itertools
import random
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clients.models import Family
from clients.models.family import (
    FAMILY_CODE_EXAMPLE,
    FAMILY_CODE_LONGER_EXAMPLE,
    family_check_letter,
    family_code_is_valid,
    normalise_family_code,
)
from families import services as family_services
from families.services import family_reserve
from tests.clients.pages import attribute, descendants, elements, input_value, one, parsed, text_of
from tests.concurrency import at_once
from tests.conftest import client_for
from tests.factories import ClientFactory, FamilyFactory
from tests.registration.edit_pages import edit_post
from tests.wizard import draft_start, registered_client, step_data, step_url, walk

pytestmark = pytest.mark.django_db

WRONG_CODE_MESSAGE = (
    "This is not a family code of your agency. Codes look like F-4821-B, or F-482156-H in a larger agency: "
    "check it, or click New."
)


def code_of(digits: str) -> str:
    return f"F-{digits}-{family_check_letter(digits)}"


def wrong_letter(digits: str) -> str:
    return next(letter for letter in "XYZW" if letter != family_check_letter(digits))


def edit_url(client, section: str) -> str:
    return reverse("registration:section-edit", kwargs={"code": client.code, "section": section})


def detail_url(client) -> str:
    return reverse("clients:client-detail", kwargs={"code": client.code})


def primary_data(staff, family_code: str) -> dict:
    """The primary section of a profile built by ClientFactory, as its edit page posts it."""
    return {**step_data("primary", staff=staff), "family_code": family_code}


def primary_errors(response) -> dict:
    """The errors of the primary section's form, shown again on a page answered 200."""
    assert response.status_code == 200, response.status_code
    return response.context["section"].forms["primary"].errors


def family_code_shown(response) -> str | None:
    return input_value(parsed(response), "family_code")


def random_digits(monkeypatch, *draws: int) -> None:
    """Make family_reserve draw these numbers, in order."""
    numbers = iter(draws)
    monkeypatch.setattr(family_services.secrets, "randbelow", lambda _limit: next(numbers))


# Unique per agency


def test_a_family_code_cannot_be_used_twice_in_one_agency(agency):
    FamilyFactory(agency=agency, code=code_of("4821"))

    with pytest.raises(ValidationError, match="already exists"):
        Family(agency=agency, code=code_of("4821")).full_clean()


def test_another_agency_may_hold_the_same_family_code(agency, other_agency):
    ours = FamilyFactory(agency=agency, code=code_of("4821"))
    theirs = Family(agency=other_agency, code=code_of("4821"))

    theirs.full_clean()
    theirs.save()

    assert Family.objects.filter(code=code_of("4821")).count() == 2
    assert ours.agency != theirs.agency


def test_new_draws_again_when_the_agency_already_has_the_code(monkeypatch, agency):
    taken = FamilyFactory(agency=agency, code=code_of("4821"))
    random_digits(monkeypatch, 4821, 1234)

    family = family_reserve(agency=agency)

    assert family.code == code_of("1234")
    assert list(Family.objects.for_agency(agency).order_by("code")) == [family, taken]


def test_new_may_give_a_code_another_agency_already_has(monkeypatch, agency, other_agency):
    FamilyFactory(agency=other_agency, code=code_of("4821"))
    random_digits(monkeypatch, 4821)

    assert family_reserve(agency=agency).code == code_of("4821")


def test_new_gives_a_short_code_with_its_check_letter_and_reserves_it(agency):
    family = family_reserve(agency=agency)

    assert re.fullmatch(r"F-\d{4}-[A-Z]", family.code)
    assert family.code[-1] == family_check_letter(family.code[2:6])
    assert family_code_is_valid(family.code)
    assert Family.objects.get(agency=agency, code=family.code) == family


def test_new_switches_to_six_digits_once_four_would_often_collide(monkeypatch, agency):
    Family.objects.bulk_create(FamilyFactory.build(agency=agency, code=code_of(f"{n:04d}")) for n in range(3_000))
    random_digits(monkeypatch, 482913)

    assert family_reserve(agency=agency).code == code_of("482913")


def test_new_switches_to_eight_digits_once_six_would_often_collide(monkeypatch, agency):
    # The thresholds made small, so that a handful of families stands for 300,000.
    monkeypatch.setattr(family_services, "FOUR_DIGITS_BELOW", 2)
    monkeypatch.setattr(family_services, "SIX_DIGITS_BELOW", 4)
    FamilyFactory.create_batch(3, agency=agency)
    random_digits(monkeypatch, 482913)
    assert family_reserve(agency=agency).code == code_of("482913")

    random_digits(monkeypatch, 48291357)
    code = family_reserve(agency=agency).code

    assert code == code_of("48291357")
    assert family_code_is_valid(code) and len(code) == Family._meta.get_field("code").max_length


@pytest.mark.django_db(transaction=True)
def test_new_pressed_at_once_by_many_never_hands_out_one_code_twice(monkeypatch, agency):
    # Few codes to draw from, so that the presses collide often.
    draws = random.Random(7)
    monkeypatch.setattr(family_services.secrets, "randbelow", lambda _limit: draws.randrange(150))

    def presses(count: int) -> list[str]:
        try:
            return [family_reserve(agency=agency).code for _ in range(count)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = [code for batch in pool.map(presses, [25] * 4) for code in batch]

    assert len(codes) == 100
    assert len(set(codes)) == 100
    assert Family.objects.for_agency(agency).count() == 100


@pytest.mark.django_db(transaction=True)
def test_new_pressed_at_once_in_many_browsers_never_hands_out_one_code_twice(
    monkeypatch, agency, caseworker, coordinator
):
    # Each browser its own login, thread and database connection, pressing New through the whole request;
    # few codes to draw from, so that the presses collide often.
    draws = random.Random(11)
    monkeypatch.setattr(family_services.secrets, "randbelow", lambda _limit: draws.randrange(150))
    browsers = [client_for(staff) for staff in (caseworker, coordinator, caseworker, coordinator)]

    def presses(browser) -> list[str]:
        codes = []
        for _ in range(25):
            response = browser.get(reverse("registration:family-code-new"))
            assert response.status_code == 200
            codes.append(re.search(r'name="family_code" value="([^"]*)"', response.content.decode())[1])
        return codes

    codes = [
        code for batch in at_once(*(lambda browser=browser: presses(browser) for browser in browsers)) for code in batch
    ]

    assert len(codes) == 100 and all(codes)
    assert len(set(codes)) == 100
    assert set(Family.objects.for_agency(agency).values_list("code", flat=True)) == set(codes)


# The check letter


@pytest.mark.parametrize("digits", ["4821", "0000", "9999", "482913", "000000", "48291357", "99999999"])
def test_a_code_with_its_check_letter_is_valid_however_it_is_typed(digits):
    letter = family_check_letter(digits)

    for typed in (
        f"F-{digits}-{letter}",
        f"f-{digits}-{letter.lower()}",
        f"F{digits}{letter}",
        f" f {digits} {letter}",
    ):
        assert family_code_is_valid(typed), typed
        assert normalise_family_code(typed) == f"F-{digits}-{letter}"


@pytest.mark.parametrize("width", [4, 8])
def test_the_check_letter_catches_every_changed_digit(width):
    missed = []
    for number in range(0, 10**width, {4: 1, 8: 99_991}[width]):
        digits = f"{number:0{width}d}"
        code = code_of(digits)
        for position, other in itertools.product(range(width), "0123456789"):
            if other == digits[position]:
                continue
            changed = digits[:position] + other + digits[position + 1 :]
            if family_code_is_valid(f"F-{changed}-{code[-1]}"):
                missed.append((code, changed))

    assert missed == []


@pytest.mark.parametrize("width", [4, 6, 8])
def test_the_check_letter_catches_every_swap_of_two_different_digits(width):
    missed = []
    for number in range(0, 10**width, {4: 1, 6: 97, 8: 9_973}[width]):
        digits = f"{number:0{width}d}"
        letter = family_check_letter(digits)
        for first, second in itertools.combinations(range(width), 2):
            if digits[first] == digits[second]:
                continue
            swapped = list(digits)
            swapped[first], swapped[second] = swapped[second], swapped[first]
            if family_code_is_valid(f"F-{''.join(swapped)}-{letter}"):
                missed.append((digits, "".join(swapped)))

    assert missed == []


@pytest.mark.parametrize(
    "typed", ["F-482-K", "F-48210-K", "F-4821357-K", "F-4821357913-K", "G-4821-K", "F-48A1-K", "4821", "", "F--"]
)
def test_a_code_of_the_wrong_shape_is_not_valid(typed):
    assert not family_code_is_valid(typed)


# Typing a code in the wizard's primary step


def test_it_says_what_is_wrong_with_a_mistyped_code_and_keeps_it(caseworker_client, caseworker):
    typed = f"F-4821-{wrong_letter('4821')}"

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": typed}}, until="primary")

    assert primary_errors(response) == {"family_code": [WRONG_CODE_MESSAGE]}
    assert family_code_shown(response) == typed
    assert not Family.objects.exists()


def test_the_message_of_a_mistyped_code_is_announced_with_its_field(caseworker_client, caseworker):
    typed = f"F-4821-{wrong_letter('4821')}"

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": typed}}, until="primary")

    page = parsed(response)
    field = one(elements(page, "input", name="family_code"))
    described_by = attribute(field, "aria-describedby").split()
    descriptions = [text_of(element) for element in descendants(page) if attribute(element, "id") in described_by]
    assert attribute(field, "aria-invalid") == "true"
    assert WRONG_CODE_MESSAGE in descriptions, described_by


def test_typing_an_existing_code_of_the_agency_joins_that_family(caseworker_client, caseworker, agency):
    family = FamilyFactory(agency=agency, code=code_of("4821"))
    relative = ClientFactory(registered_by=caseworker, first_name="Ngozi", family=family)
    typed = f"f4821{family.code[-1].lower()}"  # as read aloud: no dashes, lower case

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": typed}})

    client = registered_client(response)
    assert client.family == family
    assert set(family.members.all()) == {client, relative}
    assert Family.objects.count() == 1


def test_typing_another_agencys_code_never_joins_its_family(caseworker_client, caseworker, other_agency, outsider):
    theirs = FamilyFactory(agency=other_agency, code=code_of("4821"))
    stranger = ClientFactory(registered_by=outsider, first_name="Olga", family=theirs)

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": theirs.code}})

    client = registered_client(response)
    assert client.family != theirs
    assert client.family.agency == caseworker.agency
    assert client.family.code == theirs.code
    assert list(theirs.members.all()) == [stranger]


# Setting and removing the code on the profile


def test_a_code_typed_on_the_profile_joins_the_family(caseworker_client, caseworker, agency):
    family = FamilyFactory(agency=agency, code=code_of("4821"))
    relative = ClientFactory(registered_by=caseworker, first_name="Ngozi", family=family)
    client = ClientFactory(registered_by=caseworker, first_name="Chidi")

    response = edit_post(caseworker_client, client, "primary", primary_data(caseworker, family.code))

    assertRedirects(response, f"{detail_url(client)}#section-primary")
    client.refresh_from_db()
    assert client.family == family
    assertContains(
        caseworker_client.get(detail_url(relative)),
        f"<td>{client.display_name}</td><td>{client.number}</td>",
        html=True,
    )


def test_a_mistyped_code_on_the_profile_is_refused_with_its_message(caseworker_client, caseworker):
    client = ClientFactory(registered_by=caseworker)
    typed = f"F-4821-{wrong_letter('4821')}"

    response = edit_post(caseworker_client, client, "primary", primary_data(caseworker, typed))

    assert primary_errors(response) == {"family_code": [WRONG_CODE_MESSAGE]}
    assert family_code_shown(response) == typed
    client.refresh_from_db()
    assert client.family is None


def test_removing_the_code_on_the_profile_makes_the_client_leave_the_family(caseworker_client, caseworker, agency):
    family = FamilyFactory(agency=agency, code=code_of("4821"))
    relative = ClientFactory(registered_by=caseworker, first_name="Ngozi", family=family)
    client = ClientFactory(registered_by=caseworker, first_name="Chidi", family=family)
    assert family_code_shown(caseworker_client.get(edit_url(client, "primary"))) == family.code

    response = edit_post(caseworker_client, client, "primary", primary_data(caseworker, ""))

    assertRedirects(response, f"{detail_url(client)}#section-primary")
    client.refresh_from_db()
    assert client.family is None
    assert list(family.members.all()) == [relative]
    relative_page = caseworker_client.get(detail_url(relative))
    assertNotContains(relative_page, f"<td>{client.number}</td>")
    assertContains(
        relative_page,
        '<p class="small text-body-secondary">No other family member is registered with this family code.</p>',
        html=True,
    )


def test_the_examples_of_a_family_code_are_valid_codes():
    assert family_code_is_valid(FAMILY_CODE_EXAMPLE) and family_code_is_valid(FAMILY_CODE_LONGER_EXAMPLE)


def test_the_family_code_hint_shows_the_codes_real_format(caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "primary"))

    assertContains(
        response,
        '<div class="form-text" id="id_family_code_helptext">Click New to generate a code, or type the code of the '
        "client's family (codes look like F-4821-B, or F-482156-H in a larger agency).</div>",
        html=True,
    )
