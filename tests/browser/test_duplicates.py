"""Duplicates resolved in a real browser: a caseworker flags a profile as a possible duplicate; the coordinator
scans, opens the pair from the queue, compares the two profiles side by side, merges them choosing a value, finds
the tombstone by its old number, and undoes the merge."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from clients.models import Client
from tests.browser.pages import assert_accessible
from tests.conftest import browser_login
from tests.factories import ClientFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_reviews_merges_finds_the_tombstone_and_undoes(live_server, page: Page, coordinator, worker):
    born = date(1988, 7, 14)
    kept = ClientFactory(registered_by=coordinator, first_name="Amara", date_of_birth=born, city="Toronto")
    other = ClientFactory(registered_by=coordinator, first_name="Amarah", date_of_birth=born, city="Ottawa")
    SessionFactory(client=other, worker=coordinator)

    browser_login(page, live_server, "cora")
    page.get_by_role("link", name="Possible Duplicates").click()
    expect(page.get_by_role("heading", name="Possible Duplicates", level=1)).to_be_visible()
    page.get_by_role("button", name="Scan for duplicates now").click()
    expect(page.get_by_text("1 possible pair, 1 new")).to_be_visible(timeout=15_000)
    assert_accessible(page, "duplicate-queue")

    page.get_by_role("link", name=f"Compare {kept.number} {other.number}").click()
    expect(page.get_by_role("heading", name="Compare two clients")).to_be_visible()
    city = page.get_by_role("row", name="City")
    expect(city).to_contain_text("Toronto")
    expect(city).to_contain_text("Ottawa")
    expect(city).to_contain_text("differs")
    expect(page.get_by_role("row", name="Sessions")).to_contain_text("0")
    assert_accessible(page, "duplicate-pair")

    page.get_by_role("link", name=f"Merge, keeping client {kept.number}").click()
    expect(page.get_by_role("heading", name="Merge two clients")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=re.compile(r"^Sessions: 1$"))).to_be_visible()  # what moves
    page.get_by_role("group", name="City").get_by_label(f"Ottawa (client {other.number})").check()
    assert_accessible(page, "duplicate-merge")
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.get_by_text(f"Client {other.number} is merged into client {kept.number}.")).to_be_visible()
    assert Client.objects.get(pk=kept.pk).city == "Ottawa"

    page.get_by_role("link", name="Find Client").first.click()
    page.get_by_label("Search", exact=True).fill(str(other.number))
    page.get_by_label("Search", exact=True).press("Enter")
    page.get_by_role("link", name=f"Merged into client {kept.number}").click()
    expect(page.get_by_role("heading", name=kept.display_name, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Sessions", exact=True)).to_be_visible()

    # From the kept profile to the merge and its Undo.
    expect(page.get_by_text(f"Client {other.number} was merged into this profile")).to_be_visible()
    page.get_by_role("link", name=f"See the merge {other.number}").click()
    expect(page.get_by_role("heading", name=f"Client {other.number} merged into client {kept.number}")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=re.compile(r"^Sessions: 1$"))).to_be_visible()
    assert_accessible(page, "merge-detail")
    page.get_by_role("button", name="Undo merge").click()
    expect(page.get_by_text("The merge is undone")).to_be_visible()
    expect(page.get_by_role("heading", name=other.display_name, level=1)).to_be_visible()
    assert Client.objects.get(pk=kept.pk).city == "Toronto"
    assert other.sessions.count() == 1


def test_a_caseworker_flags_a_possible_duplicate_from_the_profile(live_server, page: Page, caseworker):
    client = ClientFactory(registered_by=caseworker)
    other = ClientFactory(registered_by=caseworker, first_name="Amarah")

    browser_login(page, live_server, "casey")
    page.goto(f"{live_server.url}/clients/{client.code}/")
    page.get_by_text("Flag a possible duplicate").click()
    page.get_by_label("Client number of the other profile").fill("12")
    page.get_by_role("button", name="Flag for review").click()
    expect(page.get_by_text("No other named client of your agency has this number.", exact=True)).to_be_visible()
    expect(page.get_by_label("Client number of the other profile")).to_have_value("12")
    page.get_by_label("Client number of the other profile").fill(str(other.number))
    page.get_by_label("Client number of the other profile").press("Enter")
    expect(page.get_by_text("flagged as a possible duplicate for a coordinator to review")).to_be_visible()
