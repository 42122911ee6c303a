"""Production hardening: `check --deploy` is clean with production settings; CSRF on every form; secure,
HttpOnly cookies; a Content-Security-Policy without inline scripts; HSTS; 20-minute idle sessions that lose
no draft."""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from agencies.models import LoginSession as HttpSession
from registration.models import Draft
from tests.clients.sensitive_helpers import client_with_secrets, unlock_url
from tests.factories import PASSWORD
from tests.wizard import draft_start, step_data, step_post

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATES = BASE_DIR / "templates"


def production_env(**overrides: str) -> dict[str, str]:
    """The environment production runs with: a long random secret key, hosts named, debug unset."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "OCMS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="ocms.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        OCMS_DRAFT_KEYS=Fernet.generate_key().decode(),
        DJANGO_ALLOWED_HOSTS="ocms.example.org",
        PYTHONPATH=str(BASE_DIR),
    )
    env.update(overrides)
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    name: getattr(settings, name)
    for name in (
        "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_AGE",
        "SESSION_SAVE_EVERY_REQUEST", "MIDDLEWARE",
    )
} | {"SECURE_CSP": {key: [str(v) for v in value] for key, value in settings.SECURE_CSP.items()}}))
"""


@pytest.fixture(scope="module")
def production() -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SETTINGS],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Production settings


def test_check_deploy_gives_no_warnings_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "variable",
    [
        pytest.param("DJANGO_SECRET_KEY", id="secret-key"),
        pytest.param("OCMS_DRAFT_KEYS", id="key-for-the-drafts-sensitive-information"),
    ],
)
def test_production_refuses_to_start_without_a_key(variable):
    env = production_env()
    del env[variable]

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert f"Set the environment variable {variable}" in result.stderr


def test_production_refuses_a_trusted_proxy_that_is_not_an_address():
    result = run_manage("check", env=production_env(OCMS_TRUSTED_PROXIES="10.0.0.1,proxy.example.org"))

    assert result.returncode != 0
    assert "'proxy.example.org' is not an IP address or network" in result.stderr


def test_production_runs_without_debug_behind_https(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_production_cookies_are_secure_and_http_only(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_HTTPONLY"] is True


def test_production_sessions_expire_after_20_idle_minutes(production):
    assert production["SESSION_COOKIE_AGE"] == 20 * 60
    # Renewed once a minute of activity by agencies.middleware.SessionLifetimeMiddleware, not on every request.
    assert "agencies.middleware.SessionLifetimeMiddleware" in production["MIDDLEWARE"]


def test_production_csp_allows_no_inline_or_evaluated_script(production):
    csp = production["SECURE_CSP"]

    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert not [value for values in csp.values() for value in values if "unsafe" in value]
    assert "django.middleware.csrf.CsrfViewMiddleware" in production["MIDDLEWARE"]
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in production["MIDDLEWARE"]


# What the responses carry


@pytest.mark.django_db
def test_every_page_carries_the_csp_and_hsts_over_https(caseworker_client):
    response = caseworker_client.get(reverse("home"), secure=True)

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_renewed_for_20_minutes(caseworker_client):
    response = caseworker_client.get(reverse("home"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 20 * 60
    assert cookie["httponly"]


@pytest.mark.django_db
def test_an_idle_session_ends_and_the_draft_is_still_there_after_logging_in_again(caseworker, caseworker_client):
    code = draft_start(caseworker_client)
    data = step_data("primary", staff=caseworker) | {"first_name": "Noor", "last_name": "Rahimi"}
    step_post(caseworker_client, code, "primary", data)
    HttpSession.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    start = reverse("registration:register-start")
    timed_out = caseworker_client.get(start)
    assertRedirects(timed_out, f"{reverse('login')}?next={start}", fetch_redirect_response=False)
    again = HttpClient()
    logged_in = again.post(reverse("login"), {"username": "casey", "password": PASSWORD})
    assertRedirects(logged_in, reverse("home"))
    page = again.get(start)

    assertContains(page, "Noor Rahimi")
    assert Draft.objects.get(code=code).data["primary"]["first_name"] == ["Noor"]


# CSRF everywhere


def post_forms(template: str) -> list[str]:
    return re.findall(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", template, flags=re.S | re.I)


def test_every_post_form_in_the_templates_carries_a_csrf_token():
    forms = {path: post_forms(path.read_text(encoding="utf-8")) for path in TEMPLATES.rglob("*.html")}

    assert sum(len(found) for found in forms.values()) >= 10, "the scan found too few forms to prove anything"
    missing = [
        str(path.relative_to(BASE_DIR)) for path, found in forms.items() for body in found if "csrf_token" not in body
    ]
    assert missing == []


def test_no_template_has_an_inline_script_or_event_handler():
    offending = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text, flags=re.I) or re.search(
            r"\s(on[a-z]+|hx-on[:\-\w]*)=", text
        ):
            offending.append(str(path.relative_to(BASE_DIR)))

    assert offending == []


def views_of(resolver: URLResolver):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from views_of(entry)
        elif isinstance(entry, URLPattern):
            yield entry.name, entry.callback


def test_no_view_is_exempt_from_csrf():
    exempt = [name for name, view in views_of(get_resolver()) if getattr(view, "csrf_exempt", False)]

    assert exempt == []


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(caseworker):
    client = client_with_secrets(caseworker)
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(caseworker.user)

    response = http.post(unlock_url(client), {"password": PASSWORD})

    assert response.status_code == 403
    assert not client.unlock_attempts.exists()
