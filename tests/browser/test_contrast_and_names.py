"""What a low-vision or screen-reader user meets on every form: a focus ring that stands out, and fields whose names
say the label and the marker apart ("First Name, required", not "First NameRequired")."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import press_next
from tests.browser.test_register import confirm_privacy, fill_green_primary, start_named_client
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The relative luminance contrast (WCAG 2.1) of the focused element's outline against the colour behind it.
OUTLINE_CONTRAST = """element => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = (c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    const [R, G, B] = [r, g, b].map(linear);
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  let behind = element.parentElement;
  while (behind && getComputedStyle(behind).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/)) {
    behind = behind.parentElement;
  }
  const style = getComputedStyle(element);
  const a = luminance(rgb(style.outlineColor));
  const b = luminance(rgb(behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)"));
  return {
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
  };
}"""


def focus_ring(page: Page) -> dict:
    return page.evaluate_handle("document.activeElement").evaluate(OUTLINE_CONTRAST)


def test_fields_are_named_by_their_label_then_their_marker(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")

    expect(page.get_by_label("First Name", exact=False)).to_have_accessible_name("First Name, required")
    expect(page.get_by_label("Preferred Official Language", exact=False)).to_have_accessible_name(
        "Preferred Official Language, required for iCARE"
    )
    expect(page.get_by_label("Preferred Name")).to_have_accessible_name("Preferred Name")
    # The marker is still shown as it was.
    expect(page.locator("label", has_text="First Name").get_by_text("Required", exact=True)).to_be_visible()

    page.get_by_role("button", name="Français").click()
    expect(page.get_by_label("Prénom", exact=False)).to_have_accessible_name("Prénom, obligatoire")


def test_the_focus_ring_stands_out_on_the_page_and_on_the_sidebar(live_server, page: Page, caseworker):
    browser_login(page, live_server, "casey")
    expect(page.get_by_role("heading", level=1)).to_have_text("My Tasks")

    # The first Tab shows the skip link; the next ones walk the sidebar, on navy.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="OCMS")).to_be_focused()
    ring = focus_ring(page)
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert ring["contrast"] >= 3, ring

    # A button on the white page.
    register = page.get_by_role("main").get_by_role("link", name="Register New Client")
    for _press in range(30):
        if register.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(register).to_be_focused()
    ring = focus_ring(page)
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert ring["contrast"] >= 3, ring


def test_a_field_of_another_step_is_named_with_its_marker_once(live_server, page: Page, caseworker):
    start_named_client(page, live_server)
    confirm_privacy(page)
    press_next(page, "About Your Client (Primary Information)")
    fill_green_primary(page)
    page.get_by_role("button", name=re.compile("Contact")).click()

    expect(page.get_by_label("Postal Code", exact=False)).to_have_accessible_name("Postal Code, required")
