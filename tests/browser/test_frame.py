"""The frame every page shares, in a real browser: sidebar, who is logged in, accessibility, a request that fails."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import press_next
from tests.browser.test_register import confirm_privacy, start_named_client
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


def test_a_request_within_the_page_that_fails_says_so_until_one_succeeds(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")

    def server_error(route):
        if route.request.headers.get("hx-request"):
            route.fulfill(status=500, body="Server Error")
        else:
            route.continue_()

    page.route("**/*", server_error)
    page.get_by_role("button", name="Find", exact=True).click()
    alert = page.get_by_role("alert").filter(has_text="OCMS could not do that just now")
    expect(alert).to_be_visible()
    expect(page.get_by_label("First Name", exact=False)).to_be_editable()  # the page stays as it was

    page.unroute("**/*")
    page.get_by_role("button", name="Find", exact=True).click()
    expect(page.get_by_label("Find the client's relative")).to_be_visible()
    expect(alert).to_be_hidden()
