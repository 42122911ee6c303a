"""What the browser tests do on every page: check it is accessible, move through the wizard."""

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import axe_violations, browser_login

# The steps after About Your Client (Contact Information), to the summary: none of them has a green field.
STEPS_AFTER_CONTACT = (
    "Employment Related",
    "Client Language Related",
    "Sensitive Information",
    "Emergency Contact & Consent",
    "Registration Summary",
)


def shot(page: Page, name: str) -> None:
    """A screenshot for a human look, when OCMS_SCREENSHOTS names a folder to keep them in."""
    folder = os.environ.get("OCMS_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def assert_accessible(page: Page, name: str = "") -> None:
    """Fail with each axe-core finding (WCAG 2.1 AA and best practices, any impact) and where it is on the page."""
    shot(page, name or page.url.rstrip("/").rsplit("/", 1)[-1])
    found = axe_findings(page)
    assert found == [], f"{name}: {page.url}: {found}"


def axe_findings(page: Page) -> list[str]:
    """Each axe-core finding on the page: the rule, where, and what to fix."""
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node.get('failureSummary', '')}"
        for violation in axe_violations(page)
        for node in violation["nodes"]
    ]


def press_next(page: Page, next_heading: str) -> None:
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_role("heading", level=2, name=next_heading, exact=True)).to_be_visible()


def confirm_privacy(page: Page) -> None:
    """On the Privacy/Confidentiality Statement: Yes, and Next to Primary Information."""
    expect(page.get_by_role("heading", name="Privacy/Confidentiality Statement")).to_be_visible()
    page.get_by_label(re.compile(r"read and understood your agency's Privacy")).select_option(label="Yes")
    press_next(page, "About Your Client (Primary Information)")


def named_client_started(page: Page, live_server, username: str = "casey") -> None:
    """Logged in, Register New Client from the main menu, Named Client, the privacy statement confirmed: on
    Primary Information."""
    browser_login(page, live_server, username)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Register New Client").click()
    page.get_by_role("button", name="Named Client").click()
    confirm_privacy(page)


def fill_primary(page: Page, first: str, last: str, gender: str, born: str) -> None:
    """The green fields of Primary Information."""
    page.get_by_label("First Name", exact=False).fill(first)
    page.get_by_label("Last Name", exact=False).fill(last)
    page.get_by_label("Gender", exact=False).select_option(label=gender)
    page.get_by_label("Date of Birth", exact=False).fill(born)
