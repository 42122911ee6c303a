"""The frame every page shares, in a real browser: sidebar, who is logged in, accessibility."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import axe_violations, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_caseworker_the_sidebar_after_logging_in(live_server, page: Page, caseworker):
    browser_login(page, live_server, "casey")

    menu = page.get_by_role("navigation", name="Main menu")
    expect(page.get_by_role("heading", level=1)).to_have_text("My Tasks")
    expect(menu.get_by_role("link", name="Register New Client")).to_be_visible()
    expect(menu.get_by_role("link", name="Find Client")).to_be_visible()
    expect(menu).to_contain_text("Maple Test Agency")
    expect(menu).to_contain_text(caseworker.display_name)
    assert axe_violations(page) == []


def test_it_has_an_accessible_login_page(live_server, page: Page):
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.get_by_label("Username or e-mail")).to_be_visible()
    assert axe_violations(page) == []
