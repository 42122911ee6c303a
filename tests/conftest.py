"""Personas, once: a caseworker, a coordinator and a manager of agency A, and an outsider of agency B."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from agencies.lists import icare_values_load, occupations_load
from agencies.models import IcareValue, Occupation, Role
from agencies.rows import icare_values, occupations
from registration.forms.widgets import _icare_choices as icare_choices_cache
from tests.factories import PASSWORD, StaffFactory, agency_create, other_agency_create

# Playwright's sync API runs an event loop in the main thread; without this Django refuses ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright cannot download a browser of its own here.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _reference_lists(request) -> None:
    """Put back the IRCC lists and the NOC list the migrations load: a transactional test (the browser
    tests) empties every table when it ends, these included."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        reference_lists_load()


def reference_lists_load() -> None:
    """The IRCC lists and the NOC list the migrations load, put back where a transactional test emptied them."""
    if not IcareValue.objects.exists():
        icare_values_load(IcareValue)
        # The process keeps IRCC's values and the drop-downs' options (agencies/rows.py); reloaded, the values have
        # new keys.
        icare_values.cache_clear()
        icare_choices_cache.clear()
    if not Occupation.objects.exists():
        occupations_load(Occupation)
        occupations.cache_clear()


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch) -> None:
    """The background worker, run inside a test, must not close the test's database connection: Django's own
    test cases disconnect close_old_connections from the request signals for the same reason."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    """Files the worker makes and uploads it reads go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def agency(db):
    return agency_create("Maple Test Agency")


@pytest.fixture
def other_agency(db):
    return other_agency_create("Harbour Test Centre")


@pytest.fixture
def caseworker(agency):
    return StaffFactory(agency=agency, role=Role.CASEWORKER, user__username="casey", may_unlock_sensitive=True)


@pytest.fixture
def caseworker2(agency):
    return StaffFactory(agency=agency, role=Role.CASEWORKER, user__username="casey2")


@pytest.fixture
def coordinator(agency):
    return StaffFactory(agency=agency, role=Role.COORDINATOR, user__username="cora")


@pytest.fixture
def manager(agency):
    return StaffFactory(
        agency=agency, role=Role.MANAGER, user__username="mana", may_unlock_sensitive=True, may_upload_icare=True
    )


@pytest.fixture
def outsider(other_agency):
    return StaffFactory(agency=other_agency, role=Role.CASEWORKER, user__username="otto", may_unlock_sensitive=True)


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


@pytest.fixture
def caseworker_client(caseworker) -> Client:
    return client_for(caseworker)


@pytest.fixture
def coordinator_client(coordinator) -> Client:
    return client_for(coordinator)


@pytest.fixture
def manager_client(manager) -> Client:
    return client_for(manager)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return client_for(outsider)


def axe_violations(page) -> list[dict]:
    """Every violation axe-core finds on the page, whatever its impact: WCAG 2.1 A and AA, and axe's best practices."""
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy forbids inline scripts.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return result["violations"]


def browser_login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
