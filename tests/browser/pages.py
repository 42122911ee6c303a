"""What the browser tests do on every page: check it is accessible, move through the wizard."""

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import axe_violations


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
