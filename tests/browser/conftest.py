import pytest
from playwright.sync_api import Page


@pytest.fixture(autouse=True)
def quick_failures(page: Page) -> None:
    """A missing element fails in seconds, not after Playwright's default half minute."""
    page.set_default_timeout(15_000)
