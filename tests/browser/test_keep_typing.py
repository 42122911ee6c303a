"""Nothing typed is lost to time or language: a step keeps what is typed as it is typed, the idle logout warns two
minutes before with a button that keeps the login, and after a logout or a language switch the step is there
again as it was typed."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from registration.models import Draft
from tests.browser.pages import assert_accessible, press_next
from tests.browser.test_register import confirm_privacy, start_named_client
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def on_primary_step(page: Page, live_server) -> None:
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")


def kept_first_name() -> list[str] | None:
    draft = Draft.objects.get()
    return draft.data.get("primary", {}).get("first_name")


def test_switching_to_french_mid_step_keeps_what_was_typed(live_server, page: Page, caseworker):
    on_primary_step(page, live_server)
    page.get_by_label("First Name", exact=False).fill("Nadia")
    page.get_by_label("Last Name", exact=False).fill("Haddad")

    page.get_by_role("button", name="Français").click()

    expect(page.get_by_role("heading", level=2, name=re.compile("votre client"))).to_be_visible()
    expect(page.get_by_label("Prénom", exact=False)).to_have_value("Nadia")
    expect(page.get_by_label("Nom de famille", exact=False)).to_have_value("Haddad")
    # Shown as typed: not yet checked, so no message for what is still to fill in.
    expect(page.locator(".invalid-feedback:visible")).to_have_count(0)


@pytest.fixture
def short_login(settings, monkeypatch):
    """A login that ends after `age` seconds idle, warned `warning` seconds before; every request is activity."""

    def shorten(age: int, warning: int) -> None:
        settings.SESSION_COOKIE_AGE = age
        settings.OCMS_IDLE_WARNING_SECONDS = warning
        monkeypatch.setattr("agencies.middleware.SEEN_EVERY", 0)

    return shorten


def test_the_idle_logout_warns_and_stay_signed_in_keeps_the_login(live_server, page: Page, caseworker, short_login):
    short_login(age=25, warning=20)  # warned 5 seconds after the last request
    on_primary_step(page, live_server)

    warning = page.get_by_role("alertdialog", name="You will be signed out in two minutes")
    expect(warning).to_be_visible(timeout=15_000)
    expect(warning).to_contain_text("kept in its draft")
    keep = warning.get_by_role("button", name="Stay signed in")
    expect(keep).to_be_focused()
    assert_accessible(page, "idle-warning")
    keep.press("Enter")

    expect(warning).to_be_hidden()
    # The login was kept: Next opens the next step, not the login page.
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_role("heading", name="Privacy/Confidentiality Statement")).to_be_visible()


def test_after_the_idle_logout_the_step_is_there_as_it_was_typed(
    live_server, page: Page, caseworker, short_login, settings
):
    short_login(age=12, warning=6)
    on_primary_step(page, live_server)
    page.get_by_label("First Name", exact=False).fill("Nadia")
    expect(page.get_by_role("alertdialog")).to_be_visible(timeout=15_000)

    # Signed out: the login page, and after it the step, as typed.
    expect(page.get_by_label("Username or e-mail")).to_be_visible(timeout=20_000)
    assert kept_first_name() == ["Nadia"]
    settings.SESSION_COOKIE_AGE = 20 * 60
    page.get_by_label("Username or e-mail").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=2, name="About Your Client (Primary Information)")).to_be_visible()
    expect(page.get_by_label("First Name", exact=False)).to_have_value("Nadia")


def test_a_closed_tab_keeps_what_was_typed(live_server, page: Page, caseworker):
    on_primary_step(page, live_server)
    page.get_by_label("First Name", exact=False).press_sequentially("Nadia")

    page.close(run_before_unload=True)

    for _attempt in range(50):
        if kept_first_name() == ["Nadia"]:
            break
        time.sleep(0.1)
    assert kept_first_name() == ["Nadia"]
