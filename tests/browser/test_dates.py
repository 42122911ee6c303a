"""Dates in a real browser whose language is Canadian French or American English: 2024-03-09 typed as the article
says is taken either way, and the calendar button beside the box opens a date picker worked from the keyboard
alone (WAI-ARIA's date picker dialog): by month, by year, by day and week, Enter to choose, Escape to close."""

import re
from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from clients.sections import SectionName, section_named
from registration.models import Draft
from tests.browser.pages import assert_accessible
from tests.conftest import browser_login
from tests.factories import PASSWORD, ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page's language follows the browser's (Accept-Language); the month heading follows the page's.
LOCALES = {
    "fr-CA": ("fr", ["mars 2024", "avril 2024", "avril 2025", "avril 2023"]),
    "en-US": ("en", ["March 2024", "April 2024", "April 2025", "April 2023"]),
}


@pytest.fixture(params=list(LOCALES))
def localised(request, browser: Browser):
    """A page in a browser of that language, and the language of OCMS's pages in it."""
    context = browser.new_context(locale=request.param)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, *LOCALES[request.param]
    context.close()


def words(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def title(language: str, name: SectionName) -> str:
    with translation.override(language):
        return str(section_named(name).title)


def open_primary_step(page: Page, live_server, language: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(words(language, "Username or e-mail")).fill("casey")
    page.get_by_label(words(language, "Password")).fill(PASSWORD)
    page.get_by_role("button", name=words(language, "Log in")).click()
    page.get_by_role("link", name=words(language, "Register New Client")).first.click()
    page.get_by_role("button", name=words(language, "Named Client")).click()
    privacy = "Has the client read and understood your agency's Privacy/Confidentiality Statement?"
    page.get_by_label(words(language, privacy), exact=False).select_option("yes")
    page.get_by_role("button", name=words(language, "Next"), exact=True).click()
    expect(page.get_by_role("heading", level=2, name=title(language, SectionName.PRIMARY))).to_be_visible()


def test_a_typed_date_and_the_keyboard_calendar(live_server, localised, caseworker):
    page, language, months = localised
    open_primary_step(page, live_server, language)
    born = page.get_by_label(words(language, "Date of Birth"), exact=False)

    # Typed as the article says: taken whatever the browser's language.
    born.fill("2024-03-09")
    expect(born).to_have_value("2024-03-09")

    # The calendar button is the next stop after the box; it opens on the date in the box.
    page.keyboard.press("Tab")
    calendar = page.get_by_role("button", name=words(language, "Choose date"))
    expect(calendar).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=words(language, "Choose date"))
    expect(dialog).to_be_visible()
    month = dialog.get_by_role("heading")
    expect(month).to_have_text(months[0])
    grid = dialog.get_by_role("grid")
    expect(grid.get_by_role("gridcell", name="9", exact=True)).to_be_focused()
    expect(grid.get_by_role("gridcell", name="9", exact=True)).to_have_attribute("aria-selected", "true")
    assert_accessible(page, f"date-picker-{language}")

    page.keyboard.press("PageDown")  # a month on
    expect(month).to_have_text(months[1])
    page.keyboard.press("Shift+PageDown")  # a year on
    expect(month).to_have_text(months[2])
    page.keyboard.press("Shift+PageUp")
    page.keyboard.press("Shift+PageUp")  # two years back
    expect(month).to_have_text(months[3])
    page.keyboard.press("ArrowRight")  # 10 April 2023, a Monday
    page.keyboard.press("ArrowDown")  # a week on: the 17th
    page.keyboard.press("Home")  # the Sunday of that week: the 16th
    expect(grid.get_by_role("gridcell", name="16", exact=True)).to_be_focused()
    page.keyboard.press("End")  # its Saturday: the 22nd
    page.keyboard.press("ArrowLeft")  # the 21st
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    expect(born).to_have_value("2023-04-21")
    expect(born).to_be_focused()

    # Escape closes without choosing, back on the button.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(month).to_have_text(re.compile("2023"))
    page.keyboard.press("PageUp")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(calendar).to_be_focused()
    expect(born).to_have_value("2023-04-21")

    # The server takes the chosen date as the page shows it.
    page.get_by_label(words(language, "First Name"), exact=False).fill("Amara")
    page.get_by_label(words(language, "Last Name"), exact=False).fill("Okafor")
    page.get_by_label(words(language, "Gender"), exact=False).select_option(index=1)
    page.get_by_role("button", name=words(language, "Next"), exact=True).click()
    expect(page.get_by_role("heading", level=2, name=title(language, SectionName.IMMIGRATION))).to_be_visible()
    assert Draft.objects.get().checks[SectionName.PRIMARY]["facts"]["date_of_birth"] == "2023-04-21"


def test_the_calendar_works_in_a_row_added_with_plus_on_a_profile_edit(live_server, page: Page, caseworker):
    """A child added with [+] on the profile's Emergency Contact & Consent: its date box has its calendar too."""
    client = ClientFactory(registered_by=caseworker, registration_date=date(2024, 3, 9))
    browser_login(page, live_server, "casey")
    page.goto(f"{live_server.url}/register/edit/{client.code}/consent/")

    page.get_by_role("button", name="Add child").click()
    row = page.get_by_role("group", name="Child")
    row.get_by_label("Name", exact=False).fill("Tobi")
    born = row.get_by_label("Date of Birth", exact=False)
    born.fill("2023-01-15")
    row.get_by_role("button", name="Choose date").press("Enter")
    dialog = page.get_by_role("dialog", name="Choose date")
    expect(dialog.get_by_role("heading")).to_have_text("January 2023")
    page.keyboard.press("PageUp")  # December 2022
    page.keyboard.press("Enter")
    expect(born).to_have_value("2022-12-15")
    row.get_by_label("Age Group", exact=False).select_option(label="Infant (6-18 months)")
    page.get_by_role("button", name="Update").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(client.display_name)
    child = client.children.get()
    assert (child.name, child.date_of_birth) == ("Tobi", date(2022, 12, 15))


def test_the_calendar_works_on_the_anonymous_form(live_server, page: Page, caseworker):
    browser_login(page, live_server, "casey")
    page.goto(f"{live_server.url}/register/anonymous/")
    registered = page.get_by_label("Registration Date", exact=False)
    registered.fill("2025-03-31")

    page.get_by_role("button", name="Choose date").press("Enter")
    page.keyboard.press("PageUp")  # 31 March has no 31 February: the month's last day
    page.keyboard.press("Enter")

    expect(registered).to_have_value("2025-02-28")
    assert_accessible(page, "anonymous-date-chosen")


def test_each_calendar_button_is_described_by_its_fields_label(live_server, page: Page, caseworker):
    browser_login(page, live_server, "casey")
    page.goto(f"{live_server.url}/register/anonymous/")

    button = page.get_by_role("button", name="Choose date")

    expect(button).to_have_accessible_description(re.compile(r"^Registration Date"))
