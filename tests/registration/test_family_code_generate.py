"""The New button beside Family Code."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from clients.models import Family
from clients.models.family import family_code_is_valid
from tests.wizard import login_url

pytestmark = pytest.mark.django_db

NEW = reverse("registration:family-code-new")


def test_it_returns_a_valid_family_code_reserved_for_the_agency(caseworker_client, caseworker):
    response = caseworker_client.get(NEW, {"field": "id_family_code", "name": "family_code"})

    code = response.context["code"]
    assert re.fullmatch(r"F-\d{4}-[A-Z]", code)
    assert family_code_is_valid(code)
    assertContains(
        response,
        f'<input type="text" name="family_code" value="{code}" maxlength="12" class="form-control" '
        'id="id_family_code" aria-describedby="id_family_code_helptext" autofocus>',
        html=True,
    )
    # Said to a screen reader through the lookup's status region, as Find's results are.
    assertContains(response, f'<span class="visually-hidden" data-announce>New family code: {code}.</span>', html=True)
    # Reserved as it is handed out: no one else pressing New can be given it.
    assert Family.objects.get(code=code).agency == caseworker.agency
    assert not Family.objects.get(code=code).members.exists()


def test_presses_of_new_never_hand_out_one_code_twice(caseworker_client):
    codes = [caseworker_client.get(NEW).context["code"] for _ in range(40)]

    assert len(set(codes)) == 40
    assert Family.objects.filter(code__in=codes).count() == 40


def test_it_answers_405_to_a_post(caseworker_client):
    assert caseworker_client.post(NEW).status_code == 405


def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(NEW)

    assertRedirects(response, login_url(NEW))


def test_a_field_or_name_that_is_not_shaped_like_ours_becomes_the_family_code_field(caseworker_client):
    response = caseworker_client.get(NEW, {"field": 'id_a" autofocus onfocus="alert(1)', "name": "family code\u0000"})

    code = response.context["code"]
    assertContains(
        response,
        f'<input type="text" name="family_code" value="{code}" maxlength="12" class="form-control" '
        'id="id_family_code" aria-describedby="id_family_code_helptext" autofocus>',
        html=True,
    )
    # Said to a screen reader through the lookup's status region, as Find's results are.
    assertContains(response, f'<span class="visually-hidden" data-announce>New family code: {code}.</span>', html=True)
