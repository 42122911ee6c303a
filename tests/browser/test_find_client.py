"""Find Client in a real browser, as a caseworker uses it before registering: from My Tasks, a misspelt name,
the results, the profile; axe-core on each page."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from clients.models import Client
from clients.search import name_words_remember
from demo.generate import clients_generate
from tests.browser.pages import assert_accessible
from tests.conftest import browser_login
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def qasim(caseworker) -> Client:
    """Mohammed Qasim among three hundred invented clients of the caseworker's agency."""
    agency = caseworker.agency
    clients_generate(agency=agency, count=300, created_by=caseworker.user)
    client = ClientFactory(
        agency=agency,
        number=Client.objects.for_agency(agency).next_number(),
        first_name="Mohammed",
        last_name="Qasim",
        date_of_birth=date(1980, 1, 15),
        created_by=caseworker.user,
    )
    name_words_remember(client)
    return client


def open_find_client(page: Page, live_server) -> None:
    browser_login(page, live_server, "casey")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Find Client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find Client")


def search(page: Page, typed: str) -> None:
    page.get_by_label("Search", exact=True).fill(typed)
    page.get_by_role("button", name="Search", exact=True).click()


def test_a_caseworker_finds_a_client_by_a_misspelt_name_and_opens_the_profile(live_server, page: Page, qasim):
    open_find_client(page, live_server)
    assert_accessible(page)

    search(page, "Mohamad Qasim")

    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    first_row = page.get_by_role("table").get_by_role("row").nth(1)
    expect(first_row).to_contain_text("Mohammed Qasim")
    expect(first_row).to_contain_text("1980-01-15")
    expect(first_row).to_contain_text(str(qasim.number))
    expect(first_row.get_by_role("link", name="Dashboard Mohammed Qasim")).to_be_visible()
    assert_accessible(page)

    first_row.get_by_role("link", name="Profile Mohammed Qasim").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mohammed Qasim")
    assert page.url == f"{live_server.url}/clients/{qasim.code}/"
    assert_accessible(page)


def test_a_one_letter_search_explains_what_to_type(live_server, page: Page, qasim):
    open_find_client(page, live_server)

    search(page, "M")

    expect(page.get_by_label("Search", exact=True)).to_have_accessible_description(
        re.compile("Type at least two characters")
    )
    expect(page.get_by_role("heading", name="Results")).to_have_count(0)
    assert_accessible(page)
