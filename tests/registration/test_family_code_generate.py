"""The New button beside Family Code."""

import re

import pytest
from django.urls import reverse

from clients.models import Family
from clients.models.family import family_code_is_valid

pytestmark = pytest.mark.django_db

NEW = reverse("registration:family-code-new")


def test_it_returns_a_valid_unused_family_code(caseworker_client):
    response = caseworker_client.get(NEW, {"field": "id_family_code", "name": "family_code"})

    assert response.status_code == 200
    code = re.search(r'value="([^"]+)"', response.content.decode()).group(1)
    assert re.fullmatch(r"F-\d{4}-[A-Z]", code)
    assert family_code_is_valid(code)
    assert 'name="family_code"' in response.content.decode()
    assert not Family.objects.filter(code=code).exists()


def test_it_answers_405_to_a_post(caseworker_client):
    assert caseworker_client.post(NEW).status_code == 405


def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(NEW)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
