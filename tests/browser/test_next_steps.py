"""After Register: Next Steps prints the Registration Receipt and begins a session; the profile's Report menu
saves the client's documents. Walked in a real browser, finding fields by their visible labels."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from clients.models import Client, Session, SessionType
from tests.browser.pages import STEPS_AFTER_CONTACT, assert_accessible, fill_primary, named_client_started, press_next

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register_green_client(page: Page, live_server) -> Client:
    """Register New Client with only the green fields, as a caseworker does it."""
    named_client_started(page, live_server)
    fill_primary(page, "Leila", "Mansour", "Female", "1991-07-23")
    press_next(page, "Immigration Related")
    press_next(page, "Identification Documents")
    press_next(page, "About Your Client (Contact Information)")
    page.get_by_label("Postal Code", exact=False).fill("M6H 2N9")
    for heading in STEPS_AFTER_CONTACT:
        press_next(page, heading)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Next Steps")
    return Client.objects.get(last_name="Mansour")


def downloaded_pdf_text(download) -> str:
    return pdf_text(Path(download.path()).read_bytes())


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_next_steps_prints_the_receipt_and_begins_a_session(live_server, page: Page, caseworker):
    client = register_green_client(page, live_server)
    assert_accessible(page, "next-steps")

    # Print the Registration Receipt: PDF and English are the defaults.
    receipt = page.get_by_role("form", name="Registration Receipt")
    expect(receipt.get_by_label("Save as")).to_have_value("pdf")
    expect(receipt.get_by_label("Print In")).to_have_value("en")
    # Print opens the receipt in a new tab, inline, ready for the browser's Print.
    with page.context.expect_page() as tab_info:
        receipt.get_by_role("button", name="Print the Registration Receipt").click()
    tab = tab_info.value
    opened = page.request.get(tab.url)
    assert opened.headers["content-disposition"].startswith("inline")
    text = pdf_text(opened.body())
    assert "Settlement Program Registration Receipt" in text
    assert str(client.number) in text
    assert "Leila Mansour" in text
    assert "July 23, 1991" in text
    tab.close()

    # Download saves it, in the Save as format, as the hint beside the buttons says.
    expect(receipt.get_by_text("Download saves it as a file, in the Save as format.")).to_be_visible()
    receipt.get_by_label("Print In").select_option(label="French")
    with page.expect_download() as download_info:
        receipt.get_by_role("button", name="Download Registration Receipt").click()
    download = download_info.value
    assert download.suggested_filename == f"receipt-{client.number}-fr.pdf"
    text = downloaded_pdf_text(download)
    assert "Reçu d’inscription au programme d’établissement" in text
    assert "23 juillet 1991" in text

    # Begin Session with Client.
    page.get_by_role("link", name="Begin Session with Client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Begin Session with Client")
    assert_accessible(page, "session-form")
    page.get_by_role("button", name="Save Session").click()
    expect(page.get_by_text("Choose at least one service given in this session.", exact=True)).to_be_visible()
    assert_accessible(page, "session-form-errors")
    page.get_by_label("Program", exact=False).select_option(label="Language Training")
    page.get_by_label("Session type", exact=False).select_option(label="Language Training")
    page.get_by_label("Delivery mode", exact=False).select_option(label="Online")
    page.get_by_label("Language assessment").check()
    page.get_by_label("Information and orientation").check()
    # Letters in the duration come back with a message, as typed: not dropped into another number of minutes.
    page.get_by_label("Duration (minutes)", exact=False).press_sequentially("1h30")
    page.get_by_role("button", name="Save Session").click()
    expect(page.get_by_text("Enter the duration as a whole number of minutes, such as 45.", exact=True)).to_be_visible()
    expect(page.get_by_label("Duration (minutes)", exact=False)).to_have_value("1h30")
    assert not Session.objects.exists()
    page.get_by_label("Duration (minutes)", exact=False).fill("40")
    page.get_by_label("Notes").fill("Booked the CLB assessment.")
    page.get_by_role("button", name="Save Session").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions")
    expect(page.get_by_role("status")).to_contain_text("is saved")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Language assessment")
    expect(table).to_contain_text("Booked the CLB assessment.")
    assert_accessible(page, "session-list")
    session = Session.objects.get(client=client)
    assert session.worker == caseworker
    assert session.agency == client.agency
    assert session.session_type == SessionType.LANGUAGE_TRAINING
    assert session.services == ["information", "language_assessment"]

    # The profile lists it, and its Report menu saves the Client History with it.
    page.get_by_role("link", name="Back to the profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leila Mansour")
    expect(page.locator("#section-sessions + div table")).to_contain_text("Booked the CLB assessment.")
    assert_accessible(page, "profile")
    menu = page.get_by_role("form", name="Report menu")
    menu.get_by_label("Report").select_option(label="Client History")
    # Execute opens it in a new tab.
    with page.context.expect_page() as tab_info:
        menu.get_by_role("button", name="Execute").click()
    tab = tab_info.value
    tab.wait_for_load_state()
    assert f"/reports/{client.code}/history/" in tab.url
    text = pdf_text(page.request.get(tab.url).body())
    assert "Client History" in text
    assert "Booked the CLB assessment." in text
    tab.close()

    menu.get_by_label("Report").select_option(label="OCMS Client Card")
    menu.get_by_label("Save as").select_option(label="HTML")
    with page.expect_download() as download_info:
        menu.get_by_role("button", name="Download").click()
    assert download_info.value.suggested_filename == f"card-{client.number}-en.html"
    assert str(client.number) in Path(download_info.value.path()).read_text(encoding="utf-8")
