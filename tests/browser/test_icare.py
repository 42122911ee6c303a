"""The iCARE page in a real browser: the manager sees what keeps a client from iCARE, fixes it through the link,
downloads the Client Profile file, and uploads iCARE's answer, which shows on the client's dashboard.
axe-core on each page."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from clients.models import Client
from reports.models import IcareExport, IcareStatus
from tests.browser.pages import assert_accessible
from tests.conftest import browser_login
from tests.factories import ClientFactory
from tests.wizard import official_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Error: The Unique Identifier and Date of Birth do not match a client in iCARE."


def client_of_last_month(staff, uci: str, **fields) -> Client:
    """Ready for iCARE, with the FOSS/GCMS Client ID `uci`, registered in the month the iCARE page opens on."""
    registered = timezone.localdate().replace(day=1) - timedelta(days=10)
    return ClientFactory(
        registered_by=staff, ready_for_icare=True, identifier__value=uci, registration_date=registered, **fields
    )


def test_the_manager_fixes_a_client_downloads_the_file_and_uploads_icares_answer(
    live_server, page: Page, manager, tmp_path, worker
):
    client_of_last_month(
        manager, "1111-1111", first_name="Amina", last_name="Haddad", official_language=official_language("French")
    )
    missing = client_of_last_month(manager, "2222-2222", first_name="Omar", last_name="Farouk", official_language=None)

    browser_login(page, live_server, "mana")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="iCARE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("iCARE Client Profile")
    not_ready = page.locator("section", has=page.locator("#not-ready-heading"))
    row = not_ready.get_by_role("row", name="Omar Farouk")
    expect(row).to_contain_text("Preferred Official Language")
    expect(page.locator("section", has=page.locator("#ready-heading"))).to_contain_text("Amina Haddad")
    assert_accessible(page, "icare-check")

    # The link opens the profile section where the missing field is.
    row.get_by_role("link", name="Fix in Primary Information").click()
    page.get_by_label("Preferred Official Language", exact=False).select_option(label="English")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("The profile is updated.")).to_be_visible()

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="iCARE").click()
    expect(page.locator("#not-ready-heading")).to_contain_text("0")
    page.get_by_role("button", name="Download the iCARE file (2 Ready clients)").click()
    # The worker makes the file; the page shows it waiting or under way, then ready.
    expect(page.get_by_role("heading", level=1)).to_contain_text("iCARE file made")
    expect(page.get_by_role("status")).to_have_text("The file is ready: 2 clients.")
    expect(page.get_by_role("row", name="Omar Farouk")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the iCARE file").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()))
    sheet = workbook["Client Profile"]
    assert [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["1111-1111", "2222-2222"]
    assert IcareExport.objects.get().client_count == 2

    # iCARE's answer comes back in the same file, Processing Details filled in.
    sheet["A4"] = "Record accepted"
    sheet["A5"] = REASON
    returned = tmp_path / "ClientProfile_returned.xlsx"
    workbook.save(returned)
    page.get_by_role("link", name="iCARE Client Profile").click()
    page.get_by_label("File iCARE sent back (.xlsx)").set_input_files(returned)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text("iCARE's file is read: 1 accepted, 1 rejected.")
    assert_accessible(page, "icare-returned")
    assert missing.icare_rows.get().status == IcareStatus.REJECTED

    page.get_by_role("link", name="iCARE Client Profile").click()
    page.locator("section", has=page.locator("#exports-heading")).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("iCARE file made")
    assert_accessible(page, "icare-export")
    page.get_by_role("link", name="Omar Farouk").click()
    expect(page.get_by_text(REASON)).to_be_visible()
    expect(page.get_by_text("Rejected by iCARE")).to_be_visible()
    assert_accessible(page, "icare-dashboard")


def test_a_file_that_is_not_the_client_profile_is_refused_with_a_clear_message(live_server, page: Page, manager):
    browser_login(page, live_server, "mana")
    page.goto(f"{live_server.url}/reports/icare/")
    page.get_by_label("File iCARE sent back (.xlsx)").set_input_files(
        files=[{"name": "clients.xlsx", "mimeType": "text/csv", "buffer": b"first,last\nAmina,Haddad\n"}]
    )
    page.get_by_role("button", name="Upload").click()

    # Beside the field, and as a link to it in the summary the page opens on.
    expect(page.get_by_label("File iCARE sent back (.xlsx)")).to_have_accessible_description(
        re.compile(re.escape("This file is not an Excel workbook (.xlsx) that can be read."))
    )
    link = page.get_by_role("region", name=re.compile("^This page has 1 error")).get_by_role("link")
    expect(link).to_have_accessible_description(re.compile("This file is not an Excel workbook"))
    assert_accessible(page, "icare-refused")


def test_a_file_larger_than_the_limit_is_refused_beside_the_field(live_server, page: Page, manager, settings):
    # The limit made small, so that a few megabytes stand for a file past 30 MB.
    settings.OCMS_MAX_UPLOAD_BYTES = 256 * 1024
    browser_login(page, live_server, "mana")
    page.goto(f"{live_server.url}/reports/icare/")
    page.get_by_label("File iCARE sent back (.xlsx)").set_input_files(
        files=[{"name": "ClientProfile_returned.xlsx", "mimeType": "application/zip", "buffer": b"PK" * 2_000_000}]
    )
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_text("This file is larger than 30 MB")).to_be_visible()
    assert_accessible(page, "icare-too-large")
