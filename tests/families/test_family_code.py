"""Family codes: unique in an agency (another agency may hold the same one), checked by their letter when
typed, joined when they already exist, set and removed from the profile."""

import html
import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.models import Family
from clients.models.family import family_check_letter, family_code_is_valid, normalise_family_code
from families import services as family_services
from families.services import family_code_new
from tests.wizard import input_value, registered_client, saved_client, step_data, text, walk

pytestmark = pytest.mark.django_db

WRONG_CODE_MESSAGE = "This is not a family code of your agency. Codes look like F-4821-K: check it, or click New."


def code_of(digits: str) -> str:
    return f"F-{digits}-{family_check_letter(digits)}"


def wrong_letter(digits: str) -> str:
    return next(letter for letter in "XYZW" if letter != family_check_letter(digits))


def text_of(fragment: str) -> str:
    """An HTML fragment as read: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def edit_url(client, section: str) -> str:
    return reverse("registration:section-edit", kwargs={"code": client.code, "section": section})


def detail_url(client) -> str:
    return reverse("clients:client-detail", kwargs={"code": client.code})


def primary_data(staff, family_code: str) -> dict:
    """The primary section of a profile saved by `saved_client`, as its edit page posts it."""
    return {**step_data("primary", staff=staff), "family_code": family_code}


def random_digits(monkeypatch, *draws: int) -> None:
    """Make family_code_new draw these numbers, in order."""
    numbers = iter(draws)
    monkeypatch.setattr(family_services.secrets, "randbelow", lambda _limit: next(numbers))


# Unique per agency


def test_a_family_code_cannot_be_used_twice_in_one_agency(agency):
    Family.objects.create(agency=agency, code=code_of("4821"))

    with pytest.raises(ValidationError, match="already exists"):
        Family(agency=agency, code=code_of("4821")).full_clean()


def test_another_agency_may_hold_the_same_family_code(agency, other_agency):
    ours = Family.objects.create(agency=agency, code=code_of("4821"))
    theirs = Family(agency=other_agency, code=code_of("4821"))

    theirs.full_clean()
    theirs.save()

    assert Family.objects.filter(code=code_of("4821")).count() == 2
    assert ours.agency != theirs.agency


def test_new_draws_again_when_the_agency_already_has_the_code(monkeypatch, agency):
    Family.objects.create(agency=agency, code=code_of("4821"))
    random_digits(monkeypatch, 4821, 1234)

    assert family_code_new(agency=agency) == code_of("1234")


def test_new_may_give_a_code_another_agency_already_has(monkeypatch, agency, other_agency):
    Family.objects.create(agency=other_agency, code=code_of("4821"))
    random_digits(monkeypatch, 4821)

    assert family_code_new(agency=agency) == code_of("4821")


def test_new_gives_a_short_code_with_its_check_letter(agency):
    code = family_code_new(agency=agency)

    assert re.fullmatch(r"F-\d{4}-[A-Z]", code)
    assert code[-1] == family_check_letter(code[2:6])
    assert family_code_is_valid(code)


def test_new_switches_to_six_digits_once_four_would_often_collide(monkeypatch, agency):
    Family.objects.bulk_create(Family(agency=agency, code=code_of(f"{n:04d}")) for n in range(3_000))
    random_digits(monkeypatch, 482913)

    assert family_code_new(agency=agency) == code_of("482913")


# The check letter


@pytest.mark.parametrize("digits", ["4821", "0000", "9999", "482913", "000000"])
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


def test_the_check_letter_catches_every_changed_digit():
    missed = []
    for number in range(10_000):
        digits = f"{number:04d}"
        code = code_of(digits)
        for position, other in itertools.product(range(4), "0123456789"):
            if other == digits[position]:
                continue
            changed = digits[:position] + other + digits[position + 1 :]
            if family_code_is_valid(f"F-{changed}-{code[-1]}"):
                missed.append((code, changed))

    assert missed == []


@pytest.mark.parametrize("width", [4, 6])
def test_the_check_letter_catches_every_swap_of_two_different_digits(width):
    missed = []
    for number in range(0, 10**width, 1 if width == 4 else 97):
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


@pytest.mark.parametrize("typed", ["F-482-K", "F-48210-K", "G-4821-K", "F-48A1-K", "4821", "", "F--"])
def test_a_code_of_the_wrong_shape_is_not_valid(typed):
    assert not family_code_is_valid(typed)


# Typing a code in the wizard's primary step


def test_it_says_what_is_wrong_with_a_mistyped_code_and_keeps_it(caseworker_client, caseworker):
    typed = f"F-4821-{wrong_letter('4821')}"

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": typed}}, until="primary")

    assert response.status_code == 200
    field = text(response).split('id="family-code-field"', 1)[1].split('id="id_official_language"', 1)[0]
    assert WRONG_CODE_MESSAGE in field
    assert input_value(response, "family_code") == typed
    assert not Family.objects.exists()


def test_the_message_of_a_mistyped_code_is_announced_with_its_field(caseworker_client, caseworker):
    typed = f"F-4821-{wrong_letter('4821')}"

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": typed}}, until="primary")

    page = response.content.decode()
    field = re.search(r'<input[^>]*\bname="family_code"[^>]*>', page).group(0)
    described_by = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()
    descriptions = [re.search(rf'id="{name}">(.*?)</div>', page, re.S) for name in described_by]
    assert any(d and WRONG_CODE_MESSAGE in text_of(d.group(1)) for d in descriptions), described_by


def test_typing_an_existing_code_of_the_agency_joins_that_family(caseworker_client, caseworker, agency):
    family = Family.objects.create(agency=agency, code=code_of("4821"))
    relative = saved_client(caseworker, first_name="Ngozi", family=family)
    typed = f"f4821{family.code[-1].lower()}"  # as read aloud: no dashes, lower case

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": typed}})

    client = registered_client(response)
    assert client.family == family
    assert set(family.members.all()) == {client, relative}
    assert Family.objects.count() == 1


def test_typing_another_agencys_code_never_joins_its_family(caseworker_client, caseworker, other_agency, outsider):
    theirs = Family.objects.create(agency=other_agency, code=code_of("4821"))
    stranger = saved_client(outsider, first_name="Olga", family=theirs)

    _code, response = walk(caseworker_client, caseworker, {"primary": {"family_code": theirs.code}})

    client = registered_client(response)
    assert client.family != theirs
    assert client.family.agency == caseworker.agency
    assert client.family.code == theirs.code
    assert list(theirs.members.all()) == [stranger]


# Setting and removing the code on the profile


def test_a_code_typed_on_the_profile_joins_the_family(caseworker_client, caseworker, agency):
    family = Family.objects.create(agency=agency, code=code_of("4821"))
    relative = saved_client(caseworker, first_name="Ngozi", family=family)
    client = saved_client(caseworker, first_name="Chidi")

    response = caseworker_client.post(edit_url(client, "primary"), primary_data(caseworker, family.code))

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.family == family
    assert f"<td>{client.display_name}</td><td>{client.number}</td>" in text(
        caseworker_client.get(detail_url(relative))
    )


def test_a_mistyped_code_on_the_profile_is_refused_with_its_message(caseworker_client, caseworker):
    client = saved_client(caseworker)
    typed = f"F-4821-{wrong_letter('4821')}"

    response = caseworker_client.post(edit_url(client, "primary"), primary_data(caseworker, typed))

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in text(response)
    assert input_value(response, "family_code") == typed
    client.refresh_from_db()
    assert client.family is None


def test_removing_the_code_on_the_profile_makes_the_client_leave_the_family(caseworker_client, caseworker, agency):
    family = Family.objects.create(agency=agency, code=code_of("4821"))
    relative = saved_client(caseworker, first_name="Ngozi", family=family)
    client = saved_client(caseworker, first_name="Chidi", family=family)
    assert input_value(caseworker_client.get(edit_url(client, "primary")), "family_code") == family.code

    response = caseworker_client.post(edit_url(client, "primary"), primary_data(caseworker, ""))

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.family is None
    assert list(family.members.all()) == [relative]
    relative_page = text(caseworker_client.get(detail_url(relative)))
    assert f"<td>{client.number}</td>" not in relative_page
    assert "No other family member is registered with this family code." in relative_page
