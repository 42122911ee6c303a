"""The walk-through (tests/browser/walk.py) as a screen-reader user and a low-vision user meet it: axe-core with
WCAG 2.1 AA and its best practices finds nothing, of any impact, on any page, in English and in French; and at 320 px
wide and at 200 % zoom (640 px of a 1280 px screen) no page scrolls sideways: the sidebar folds into a menu button,
wide tables scroll inside their own box."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import axe_findings, shot
from tests.browser.walk import walk, world_make
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What sticks out past the right edge of the page, for the message of a failure.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll("body *")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width && box.right > width + 1;
  });
  // Only the outermost: its children stick out with it.
  const outer = out.filter((element) => !out.includes(element.parentElement));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: width,
    sticking_out: outer.slice(0, 5).map((element) => element.outerHTML.slice(0, 160)),
  };
}"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_axe_finds_nothing_on_any_page_of_the_walk_through(live_server, page: Page, manager, lang):
    world = world_make(manager)
    found = {}
    stops = []
    for stop in walk(page, live_server.url, world, lang):
        stops.append(stop)
        shot(page, f"axe-{lang}-{stop}")
        findings = axe_findings(page)
        if findings:
            found[stop] = findings
    assert len(stops) > 40
    assert found == {}, "\n".join(f"{stop}: {finding}" for stop, findings in found.items() for finding in findings)


@pytest.mark.parametrize("width", [320, 640])
def test_no_page_of_the_walk_through_scrolls_sideways(live_server, page: Page, manager, width):
    page.set_viewport_size({"width": width, "height": 800})
    world = world_make(manager)
    wide = {}
    for stop in walk(page, live_server.url, world):
        shot(page, f"reflow-{width}-{stop}")
        measured = page.evaluate(OVERFLOW)
        if measured["scrollWidth"] > measured["clientWidth"]:
            wide[stop] = measured
    assert wide == {}, "\n".join(f"{stop}: {measured}" for stop, measured in wide.items())


def test_at_200_percent_zoom_the_sidebar_folds_into_a_menu_button(live_server, page: Page, caseworker):
    page.set_viewport_size({"width": 640, "height": 800})
    browser_login(page, live_server, "casey")

    menu = page.get_by_role("navigation", name="Main menu")
    button = menu.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Find Client")).to_be_hidden()
    # The page's heading is on the first screen, not below the whole menu.
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
    shot(page, "menu-closed-640")

    button.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    find = menu.get_by_role("link", name="Find Client")
    expect(find).to_be_visible()
    shot(page, "menu-open-640")
    find.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find Client")

    # Wide enough, the sidebar is the menu, open, and there is no button.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(menu.get_by_role("link", name="Register New Client")).to_be_visible()
    expect(button).to_be_hidden()
