"""Logging in and out, and how passwords and sessions are kept.

Locks after repeated failures are in test_lockout.py, the working-day limit of a session in
test_session_lifetime.py.
"""

import importlib

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from tests.agencies.login_helpers import WRONG, log_in, logged_in_user_id

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"


def test_it_shows_the_login_page():
    response = Client().get(LOGIN_URL)

    assertContains(response, "Username or e-mail")
    assertContains(response, "Password")
    assertContains(response, ">Log in</button>")


@pytest.mark.parametrize(
    "login", [pytest.param("casey", id="username"), pytest.param("Casey@Example.org", id="email-in-any-case")]
)
def test_it_logs_in_by_username_or_email(caseworker, password, login):
    client = Client()

    response = log_in(client, login, password)

    assertRedirects(response, reverse("home"))
    assert logged_in_user_id(client) == str(caseworker.user.pk)


def test_it_shows_an_error_and_keeps_the_username_for_a_wrong_password(caseworker):
    client = Client()

    response = log_in(client, "casey", WRONG)

    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Please enter a correct username and password")
    assertContains(response, "Please enter a correct username and password")
    assertContains(response, 'value="casey"')
    assert logged_in_user_id(client) is None


def test_it_does_not_log_out_on_get(caseworker_client):
    response = caseworker_client.get(reverse("logout"))

    assert response.status_code == 405
    assert caseworker_client.get("/").status_code == 200


def test_it_logs_out_on_post(caseworker_client):
    response = caseworker_client.post(reverse("logout"))

    assertRedirects(response, reverse("login"))
    assert logged_in_user_id(caseworker_client) is None
    assertRedirects(caseworker_client.get("/"), f"{reverse('login')}?next=/")


def test_it_hashes_passwords_with_argon2_in_production():
    production = importlib.import_module("ocms.settings")
    hasher = Argon2PasswordHasher()

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # The library is installed: a hash is made and checks out.
    encoded = hasher.encode("correct-horse-battery", hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify("correct-horse-battery", encoded)


def test_it_ends_the_session_after_twenty_minutes_idle(caseworker_client):
    assert settings.SESSION_COOKIE_AGE == 20 * 60

    # The first page view of a minute pushes the expiry 20 minutes forward (test_session_lifetime.py has the rest).
    response = caseworker_client.get("/")

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 20 * 60
