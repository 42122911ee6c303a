"""A saved profile edited into an impossible state, in a real browser: refused, with the message on the field
being edited naming the other section's date; the value typed stays for the caseworker to correct."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from clients.models import Client
from tests.browser.pages import assert_accessible
from tests.conftest import browser_login
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_birth_date_after_the_arrival_is_refused_on_its_field(live_server, page: Page, caseworker):
    client = ClientFactory(
        registered_by=caseworker,
        first_name="Amara",
        last_name="Okafor",
        date_of_birth=date(1990, 4, 12),
        arrival_date=date(2019, 3, 10),
    )
    browser_login(page, live_server, "casey")
    page.goto(f"{live_server.url}/clients/{client.code}/")
    page.get_by_role("link", name="Edit About Your Client (Primary Information)").click()

    page.get_by_label("Date of Birth", exact=False).fill("2019-06-01")
    page.get_by_role("button", name="Update").click()

    message = "The date of birth is after the Arrival Date 2019-03-10 (Immigration Related)."
    expect(page.locator("#id_date_of_birth_error")).to_have_text(message)
    expect(page.get_by_label("Date of Birth", exact=False)).to_have_value("2019-06-01")
    assert_accessible(page, "profile-edit-refused")
    assert Client.objects.get(pk=client.pk).date_of_birth == date(1990, 4, 12)
