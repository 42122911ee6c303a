"""The iCARE page: the readiness check (Ready / Not ready with what to fix), the Client Profile file that
follows IRCC's template cell for cell, the export record, re-export and "changed since upload", the file
iCARE sends back, and the grant that guards it all."""

import hashlib
import io
import re
import zipfile
from datetime import date, datetime, timedelta
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import Workbook, load_workbook
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains, assertRedirects

from agencies.jobs import JobStatus
from agencies.lists import icare_template
from agencies.models import AgencyList, IcareList, IcareValue, ListItem
from clients.merge import clients_merge
from clients.models import Client
from clients.rules import RULES, Level, Rule
from clients.sections import section_named
from demo.bench_icare import icare_bench
from reports.icare import (
    CODES,
    NOT_A_WORKBOOK,
    Include,
    client_cells,
    icare_candidates,
    icare_clients,
    phone_text,
    returned,
    returned_status,
)
from reports.models import IcareExport, IcareExportRow, IcareReturn, IcareStatus
from tests.factories import ClientFactory, ProgramFactory
from tests.registration.edit_pages import form_of
from tests.wizard import identifier_type

pytestmark = pytest.mark.django_db

TEMPLATE = icare_template()
LAYOUT = TEMPLATE["layout"]
COLUMNS = {column["column"]: column for column in TEMPLATE["columns"]}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

IN_RANGE = date(2025, 3, 14)
NO_SUCH_CLIENT = "no client of the agency has this identifier and date of birth"
CHOICE = {"date_from": "2025-03-01", "date_to": "2025-03-31", "include": "new"}

CHECK_URL = reverse("reports:icare-check")
EXPORT_URL = reverse("reports:icare-export-create")
RETURNED_URL = reverse("reports:icare-returned-upload")


def export_detail_url(export: IcareExport) -> str:
    return reverse("reports:icare-export-detail", kwargs={"code": export.code})


def export_file_url(export: IcareExport) -> str:
    return reverse("reports:icare-export-download", kwargs={"code": export.code})


def returned_url(returned: IcareReturn) -> str:
    return reverse("reports:icare-returned-detail", kwargs={"code": returned.code})


def run_worker() -> None:
    """The background worker, as `manage.py worker` runs it: what is queued, then stop."""
    call_command("worker", batch=True, stdout=StringIO())


def dashboard_url(client: Client) -> str:
    return reverse("clients:client-dashboard", kwargs={"code": client.code})


def fix_url(client: Client, step: str, back: str | None = None) -> str:
    """A "Fix in …" link: the section's edit, which comes back to the check page (as check_page asks for it)."""
    edit = reverse("registration:section-edit", kwargs={"code": client.code, "section": step})
    return f"{edit}?{urlencode({'back': back or f'{CHECK_URL}?{urlencode(CHOICE)}'})}"


def ready_client(staff, uci: str = "1234-5678", **fields) -> Client:
    """A named client registered in March 2025 with every field iCARE needs, its FOSS/GCMS Client ID `uci`."""
    return ClientFactory(
        **{"registered_by": staff, "ready_for_icare": True, "registration_date": IN_RANGE, "identifier__value": uci}
        | fields
    )


def consenting_client(staff, **fields) -> Client:
    """Ready, with consent for future research: so phone or email and the street address are needed too."""
    return ready_client(staff, consenting=True, **fields)


def check_page(http, **choice) -> HttpResponse:
    response = http.get(CHECK_URL, CHOICE | choice)
    assert response.status_code == 200
    return response


def markup(response: HttpResponse) -> str:
    assert response.status_code == 200
    return response.content.decode()


def section(response: HttpResponse, heading_id: str) -> str:
    """The markup inside the page's <section> labelled by the heading with this id."""
    return markup(response).split(f'aria-labelledby="{heading_id}">', 1)[1].split("</section>", 1)[0]


def table_row(html: str, client: Client) -> str:
    """The cells of the client's table row, found by the link to the client's dashboard."""
    rows = [row for row in html.split("<tr>") if dashboard_url(client) in row]
    assert len(rows) == 1, f"{client} is listed {len(rows)} times"
    return rows[0].split("</tr>", 1)[0]


def client_link(client: Client) -> str:
    """How the iCARE tables name a client: a link to the client's dashboard."""
    return f'<a href="{dashboard_url(client)}">{escape(client.display_name)}</a>'


def missing_item(client: Client, rule: Rule) -> str:
    """The Not ready table's line for what the rule misses, with the link to the section that fixes it."""
    title = section_named(rule.step).title
    fix = f'<a href="{fix_url(client, rule.step)}">Fix in {escape(title)}'
    # Each link named apart, by the field and the client: a client may miss several fields of one section.
    fix += f'<span class="visually-hidden"> ({escape(rule.label)}, {escape(client.display_name)})</span></a>'
    return f'<li><span class="marker marker-icare">Missing</span> {escape(rule.label)} · {fix}</li>'


def badge(css: str, label: str) -> str:
    return f'<span class="badge {css}">{escape(label)}</span>'


def alert(css: str, role: str, message: str) -> str:
    """A message shown at the top of the page."""
    return f'<div class="alert {css}" role="{role}">{escape(message)}</div>'


def download(http, **choice) -> bytes:
    """Ask for the file, let the worker make it, and download it from the page that showed its progress."""
    response = http.post(EXPORT_URL, CHOICE | choice)
    export = IcareExport.objects.latest("created_at")
    assertRedirects(response, export_detail_url(export), fetch_redirect_response=False)
    run_worker()
    export.refresh_from_db()
    assert export.status == JobStatus.DONE, export.error
    assertContains(http.get(export_detail_url(export)), f'href="{export_file_url(export)}">Download the iCARE file</a>')
    file = http.get(export_file_url(export))
    assert file.status_code == 200
    assert file["Content-Type"] == XLSX
    assert re.fullmatch(r'attachment; filename="icare-client-profile-[\d-]+\.xlsx"', file["Content-Disposition"])
    return b"".join(file.streaming_content)


def data_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content))[LAYOUT["sheet_name"]]
    return list(sheet.iter_rows(min_row=LAYOUT["first_data_row"], values_only=True))


def statuses(*clients: Client) -> list[tuple[str, str]]:
    return [(row.status, row.message) for c in clients for row in IcareExportRow.objects.filter(client=c)]


# The file follows IRCC's template


def every_value_clients(staff) -> list[Client]:
    """Clients that between them use every IRCC value of every list column, and both Yes and No."""
    of = IcareValue.objects.of
    street_types = list(of(IcareList.STREET_TYPE))
    directions = list(of(IcareList.STREET_DIRECTION))
    provinces = list(of(IcareList.PROVINCE))
    languages = list(of(IcareList.OFFICIAL_LANGUAGE))
    id_types = list(
        ListItem.objects.for_agency(staff.agency).of(AgencyList.IDENTIFIER_TYPE).filter(icare_value__isnull=False)
    )
    # The project's IRCC lists are the template's, value for value.
    for letter, values in (("J", street_types), ("K", directions), ("N", provinces), ("P", languages)):
        assert sorted(v.value for v in values) == sorted(COLUMNS[letter]["allowed"])
    assert sorted(i.icare_value.value for i in id_types) == sorted(COLUMNS["B"]["allowed"])
    clients = []
    for i, street_type in enumerate(street_types):
        consent = i % 2 == 0
        client = ClientFactory(
            registered_by=staff,
            ready_for_icare=True,
            identifier__identifier_type=id_types[i % 3],
            identifier__value=f"{i:04d}-{i + 5000:04d}",
            first_name=f"Client{i}",
            date_of_birth=date(1950, 1, 1) + timedelta(days=97 * i),
            official_language=languages[i % 3],
            research_consent=consent,
            phone="" if (not consent and i % 3 == 1) else f"+1416555{i:04d}",
            email=f"client{i}@example.org" if i % 3 else "",
            street_number=str(10 + i),
            street_name="Bloor",
            street_type=street_type,
            street_direction=directions[i % 8],
            unit="12B" if i % 4 == 0 else "",
            city="Toronto",
            province=provinces[i % 13],
            postal_code="m6g3a4" if i % 5 == 0 else "M5V2T6",
            registration_date=IN_RANGE,
        )
        clients.append(client)
    return clients


def test_the_file_follows_the_template_with_irccs_exact_strings_for_every_list_value(manager_client, manager):
    clients = every_value_clients(manager)

    content = download(manager_client)

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [LAYOUT["sheet_name"]]
    sheet = workbook[LAYOUT["sheet_name"]]
    assert sheet.cell(LAYOUT["title_row"], 1).value == LAYOUT["title_text"]
    assert [c.value for c in sheet[LAYOUT["code_row"]]] == [c["code"] for c in TEMPLATE["columns"]]
    assert [c.value for c in sheet[LAYOUT["label_row"]]] == [c["label"] for c in TEMPLATE["columns"]]
    assert sheet.max_column == 17
    rows = data_rows(content)
    assert len(rows) == len(clients)
    by_id = {client.identifiers.get().value: client for client in clients}
    seen: dict[str, set] = {letter: set() for letter in COLUMNS}
    for row in rows:
        cells = dict(zip(COLUMNS, row, strict=True))
        for letter, value in cells.items():
            seen[letter].add(value)
            if "allowed" in COLUMNS[letter] and value is not None:
                assert value in COLUMNS[letter]["allowed"], f"{letter}: {value!r} is not one of IRCC's strings"
        client = by_id[cells["C"]]
        assert cells["A"] is None  # Processing Details: iCARE fills it
        assert cells["B"] == client.identifiers.get().identifier_type.icare_value.value
        assert cells["D"] == client.date_of_birth.isoformat()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells["D"])
        if client.phone:
            assert re.fullmatch(r"\d{3}-\d{3}-\d{4}", cells["E"])
            assert cells["E"].replace("-", "") == str(client.phone.national_number)
        else:
            assert cells["E"] is None
        assert cells["F"] == ("Yes" if client.email else "No")
        assert cells["G"] == (client.email or None)
        assert (cells["H"], cells["I"], cells["M"]) == (client.street_number, "Bloor", "Toronto")
        assert cells["J"] == client.street_type.value
        assert cells["K"] == client.street_direction.value
        assert cells["L"] == (client.unit or None)
        assert cells["N"] == client.province.value
        assert re.fullmatch(r"[A-Z]\d[A-Z]\d[A-Z]\d", cells["O"])
        assert cells["O"] == client.postal_code.upper()
        assert cells["P"] == client.official_language.value
        assert cells["Q"] == ("Yes" if client.research_consent else "No")
    for letter in "BJKNP":
        assert seen[letter] == set(COLUMNS[letter]["allowed"]), f"column {letter} misses some of IRCC's values"
    assert seen["F"] == seen["Q"] == {"Yes", "No"}
    assert "Crescent " in seen["J"]  # IRCC's own spelling, trailing space and all
    assert "Temporary Resident or Minister’s Permit Number" in seen["B"]


def test_the_file_keeps_the_templates_look(manager_client, manager):
    consenting_client(manager)

    sheet = load_workbook(io.BytesIO(download(manager_client)))[LAYOUT["sheet_name"]]

    title = sheet.cell(LAYOUT["title_row"], 1)
    assert (title.font.bold, title.alignment.wrap_text, title.alignment.vertical) == (True, True, "top")
    assert all(cell.font.bold for cell in sheet[LAYOUT["label_row"]])
    assert not any(cell.font.bold for cell in sheet[LAYOUT["code_row"]])
    assert sheet.freeze_panes == f"A{LAYOUT['first_data_row']}"
    # Each column 22 characters wide (stored with the cell's padding, and perhaps as one range of columns).
    widths = {n: d.width for d in sheet.column_dimensions.values() for n in range(d.min, d.max + 1)}
    assert all(widths.get(n) == pytest.approx(22, abs=1) for n in range(1, len(COLUMNS) + 1)), widths


def test_every_template_column_has_a_value_in_the_row_builder(manager):
    client = consenting_client(manager)
    day = client.registration_date
    chosen = icare_candidates(agency=manager.agency, date_from=day, date_to=day, include=Include.ALL)
    [[read]] = icare_clients(chosen)

    assert read.pk == client.pk
    assert list(client_cells(read)) == CODES


def test_the_file_holds_only_ready_clients(manager_client, manager):
    ready = ready_client(manager, uci="1111-1111")
    ready_client(manager, uci="2222-2222", official_language=None)
    ready_client(manager, uci="3333-3333", research_consent=True)  # no address: not ready

    rows = data_rows(download(manager_client))

    assert [(row[2], row[3]) for row in rows] == [("1111-1111", ready.date_of_birth.isoformat())]


def test_text_that_looks_like_a_formula_stays_text(manager_client, manager):
    consenting_client(manager, street_name="=HYPERLINK(1)")

    row = data_rows(download(manager_client))[0]

    assert row[CODES.index("street_nme")] == "=HYPERLINK(1)"


def test_phone_numbers_outside_north_america_keep_their_international_form():
    from phonenumber_field.phonenumber import PhoneNumber

    assert phone_text(PhoneNumber.from_string("+14165550123")) == "416-555-0123"
    assert phone_text(PhoneNumber.from_string("+442079460958")) == "+44 20 7946 0958"
    assert phone_text("") == ""


# Each export is recorded


def test_the_export_records_who_when_which_clients_and_the_checksum(manager_client, manager):
    first = ready_client(manager, uci="1111-1111")
    second = ready_client(manager, uci="2222-2222")
    ready_client(manager, uci="3333-3333", official_language=None)
    before = timezone.now()

    content = download(manager_client)

    export = IcareExport.objects.get()
    assert export.agency == manager.agency
    assert export.created_by == manager.user
    assert export.created_at >= before
    assert (export.date_from, export.date_to, export.program) == (date(2025, 3, 1), date(2025, 3, 31), None)
    assert export.client_count == 2
    assert export.sha256 == hashlib.sha256(content).hexdigest()
    assert set(export.rows.values_list("client", "status")) == {
        (first.pk, IcareStatus.EXPORTED),
        (second.pk, IcareStatus.EXPORTED),
    }
    files = section(check_page(manager_client), "exports-heading")
    made = timezone.localtime(export.created_at).strftime("%Y-%m-%d %H:%M")
    assertInHTML(f'<a href="{export_detail_url(export)}">{made}</a>', files)
    assertInHTML(f'<code class="small" title="{export.sha256}">{export.sha256[:16]}…</code>', files)


def test_nothing_is_recorded_when_no_client_is_ready(manager_client, manager):
    ready_client(manager, official_language=None)

    manager_client.post(EXPORT_URL, CHOICE)
    run_worker()

    export = IcareExport.objects.get()
    assert (export.status, export.client_count, export.file.name) == (JobStatus.FAILED, 0, "")
    assert not IcareExportRow.objects.exists()
    page = manager_client.get(export_detail_url(export))
    assertContains(page, "No client of this choice is ready for iCARE, so no file was made.")
    assertContains(page, ">Try again</button>")


def test_the_export_detail_lists_its_clients_and_their_status(manager_client, manager):
    client = ready_client(manager, first_name="Leila", last_name="Mansour")
    download(manager_client)
    export = IcareExport.objects.get()

    page = manager_client.get(export_detail_url(export))

    row = table_row(markup(page), client)
    assertInHTML(client_link(client), row)
    assertInHTML('<td><span class="badge text-bg-secondary">No answer from iCARE yet</span></td>', row)
    assertContains(page, f'<code class="text-break">{export.sha256}</code>', html=True)
    assertContains(
        page, '<dd class="col-sm-9">1 · 0 accepted, 0 rejected, 1 without an answer from iCARE</dd>', html=True
    )


# The readiness check


def test_it_splits_the_clients_into_ready_and_not_ready(manager_client, manager):
    ready = ready_client(manager, first_name="Ready", last_name="One")
    not_ready = ready_client(manager, "2222-3333", first_name="Missing", last_name="Language", official_language=None)

    page = check_page(manager_client)

    assertInHTML(client_link(ready), section(page, "ready-heading"))
    assertInHTML(client_link(not_ready), section(page, "not-ready-heading"))
    # Not even a link of another shape: the address appears nowhere in the other section.
    assert dashboard_url(ready) not in section(page, "not-ready-heading")
    assert dashboard_url(not_ready) not in section(page, "ready-heading")
    assertContains(page, badge("badge-icare-ready", "1 Ready"), html=True)
    assertContains(page, badge("badge-icare-missing", "1 Not ready"), html=True)
    assertContains(page, "Download the iCARE file (1 Ready client)")


# What each yellow rule needs taken away from a complete client, so that it alone is missing.
YELLOW_GAPS = {
    "official_language": {"official_language": None},
    "research_consent": {"research_consent": None},
    "identifiers": {"identifier": None},
    "email_or_phone": {"phone": "", "email": ""},
    "street_number": {"street_number": ""},
    "street_name": {"street_name": ""},
    "city": {"city": ""},
    "province": {"province": None},
}


def test_each_not_ready_client_shows_exactly_what_is_missing_with_a_link_to_fix_it(manager_client, manager):
    yellow = {rule.key: rule for rule in RULES if rule.level == Level.ICARE}
    assert set(YELLOW_GAPS) == set(yellow), "a yellow rule was added: say here how a client misses it"
    clients = {
        key: consenting_client(manager, uci=f"1000-{index:04d}", first_name=key, **gap)
        for index, (key, gap) in enumerate(YELLOW_GAPS.items())
    }

    page = check_page(manager_client)

    not_ready = section(page, "not-ready-heading")
    assertContains(page, badge("badge-icare-missing", "8 Not ready"), html=True)
    assertContains(page, badge("badge-icare-ready", "0 Ready"), html=True)
    for key, client in clients.items():
        # The whole list of what is missing: this one rule, and nothing else.
        only_this = f'<ul class="list-unstyled mb-0">{missing_item(client, yellow[key])}</ul>'
        assertInHTML(only_this, table_row(not_ready, client), msg_prefix=key)


def test_a_client_with_only_identifiers_icare_does_not_accept_is_not_ready(manager_client, manager):
    passport = identifier_type(manager.agency, "Passport Number")
    client = ready_client(manager, uci="X1234567", identifier__identifier_type=passport)

    row = table_row(section(check_page(manager_client), "not-ready-heading"), client)

    [rule] = [rule for rule in RULES if rule.key == "identifiers"]
    assert (str(rule.label), rule.step) == ("An iCARE client identifier with its value", "identification")
    assertInHTML(f'<ul class="list-unstyled mb-0">{missing_item(client, rule)}</ul>', row)


def test_the_fix_link_opens_the_profile_section(manager_client, manager):
    client = ready_client(manager, official_language=None)

    response = manager_client.get(fix_url(client, "primary"))

    assertContains(response, "Preferred Official Language")


def test_a_fix_made_from_the_check_comes_back_to_the_check_with_its_choice(manager_client, manager):
    client = ready_client(manager, official_language=None)
    page = check_page(manager_client)
    link = fix_url(client, "primary")
    assertContains(page, f'href="{link}"')
    edit = manager_client.get(link)
    cancel = f'<a class="btn btn-outline-secondary" href="{CHECK_URL}?{urlencode(CHOICE)}">Cancel</a>'
    assertContains(edit, cancel, html=True)
    english = IcareValue.objects.of(IcareList.OFFICIAL_LANGUAGE).get(value="English")
    data = form_of(edit) | {"official_language": [str(english.pk)]}

    response = manager_client.post(link, data)

    assertRedirects(response, f"{CHECK_URL}?{urlencode(CHOICE)}", fetch_redirect_response=False)
    ready = section(manager_client.get(response.url), "ready-heading")
    assert client_link(client) in ready
    # An address elsewhere is not followed: the profile, as from any other page.
    away = manager_client.post(fix_url(client, "primary", back="https://example.org/"), data)
    assert away.url.startswith(reverse("clients:client-detail", kwargs={"code": client.code}))


def test_anonymous_clients_and_clients_of_other_dates_or_agencies_are_never_included(manager_client, manager, outsider):
    listed = ready_client(manager, uci="1111-1111")
    # Everything iCARE needs but a name: anonymity alone must keep the client out.
    anonymous = ready_client(manager, uci="4444-4444", anonymous=True)
    earlier = ready_client(manager, uci="2222-2222", registration_date=date(2025, 2, 28))
    elsewhere = ready_client(outsider, uci="3333-3333")

    page = check_page(manager_client)
    rows = data_rows(download(manager_client))

    assertContains(page, client_link(listed), html=True)
    for client in (anonymous, earlier, elsewhere):
        assertNotContains(page, dashboard_url(client))
    assert [row[2] for row in rows] == ["1111-1111"]
    assert not IcareExportRow.objects.filter(client__in=[anonymous, earlier, elsewhere]).exists()


def test_it_narrows_to_a_program_when_one_is_chosen(manager_client, manager):
    settlement = manager.agency.programs.get(name="Settlement")
    in_program = ready_client(manager, uci="1111-1111")
    in_program.program_statuses.create(program=settlement)
    other = ready_client(manager, uci="2222-2222")
    other.program_statuses.create(program=manager.agency.programs.get(name="Employment"))

    page = check_page(manager_client, program=str(settlement.code))
    rows = data_rows(download(manager_client, program=str(settlement.code)))

    assertContains(page, client_link(in_program), html=True)
    assertNotContains(page, dashboard_url(other))
    assert [row[2] for row in rows] == ["1111-1111"]
    assert IcareExport.objects.get().program == settlement


def test_it_refuses_a_program_of_another_agency(manager_client, other_agency):
    foreign = ProgramFactory(agency=other_agency, name="Foreign Program")

    page = check_page(manager_client, program=str(foreign.code))

    message = "Choose one of your agency's programs, or All programs."
    assert page.context["form"].errors == {"program": [message]}
    assertContains(page, escape(message))
    assertNotContains(page, "Download the iCARE file")


def test_it_checks_last_month_by_default(manager_client, manager):
    today = timezone.localdate()
    last_day = today.replace(day=1) - timedelta(days=1)
    last_month = ready_client(manager, uci="1111-1111", registration_date=last_day.replace(day=15))
    this_month = ready_client(manager, uci="2222-2222", registration_date=today)

    page = manager_client.get(CHECK_URL)

    assertContains(page, f'value="{last_day.replace(day=1).isoformat()}"')
    assertContains(page, f'value="{last_day.isoformat()}"')
    assertContains(page, client_link(last_month), html=True)
    assertNotContains(page, dashboard_url(this_month))


def test_an_invalid_choice_is_shown_again_with_its_message_and_the_dates_typed(manager_client, manager):
    ready_client(manager)

    page = check_page(manager_client, date_from="2025-03-31", date_to="2025-03-01")

    message = "The end date is before the start date: enter a date on or after it."
    assert page.context["form"].errors == {"date_to": [message]}
    assertContains(page, message)
    assertContains(page, 'value="2025-03-31"')
    assertContains(page, 'value="2025-03-01"')
    assertNotContains(page, "Download the iCARE file")


def test_an_invalid_choice_posted_to_download_makes_no_file(manager_client, manager):
    ready_client(manager)

    response = manager_client.post(EXPORT_URL, CHOICE | {"date_to": "2025-02-01"})

    message = "The end date is before the start date: enter a date on or after it."
    assert response.context["form"].errors == {"date_to": [message]}
    assertContains(response, message)
    assert not IcareExport.objects.exists()


# Re-export and changed since upload


def test_exported_clients_are_skipped_next_time_unless_re_export_is_asked(manager_client, manager):
    client = ready_client(manager)
    download(manager_client)

    assertNotContains(check_page(manager_client), dashboard_url(client))
    manager_client.post(EXPORT_URL, CHOICE)
    run_worker()
    again = IcareExport.objects.latest("created_at")
    assertContains(manager_client.get(export_detail_url(again)), "No client of this choice is ready")
    assert (again.client_count, IcareExportRow.objects.count()) == (0, 1)

    page = check_page(manager_client, include="all")
    row = table_row(section(page, "ready-heading"), client)
    assertInHTML(f"<td>Exported {timezone.localdate().isoformat()}: Exported</td>", row)
    rows = data_rows(download(manager_client, include="all"))
    assert len(rows) == 1
    assert IcareExport.objects.filter(status=JobStatus.DONE).count() == 2
    assert IcareExportRow.objects.filter(client=client).count() == 2


def test_a_client_edited_after_export_is_flagged_changed_since_upload(manager_client, manager):
    edited = ready_client(manager, uci="1111-1111", first_name="Edited")
    untouched = ready_client(manager, uci="2222-2222", first_name="Untouched")
    download(manager_client)
    edited.city = "Ottawa"
    edited.save()

    default = check_page(manager_client)
    changed = check_page(manager_client, include="changed")

    assertContains(default, "1 client of these dates was exported and then changed since upload")
    assertNotContains(default, dashboard_url(edited))
    assertContains(default, "No client of this choice is waiting to be exported.")
    row = table_row(section(changed, "ready-heading"), edited)
    assertInHTML(badge("text-bg-info", "Changed since upload"), row)
    assertNotContains(changed, dashboard_url(untouched))
    dashboard = manager_client.get(dashboard_url(edited))
    assertContains(dashboard, badge("text-bg-info", "Changed since upload"), html=True)
    assertNotContains(manager_client.get(dashboard_url(untouched)), "Changed since upload")
    rows = data_rows(download(manager_client, include="changed"))
    assert [row[2] for row in rows] == ["1111-1111"]


# The file iCARE sends back


def returned_file(content: bytes, details: dict[str, str | None], dates: dict[str, object] | None = None) -> bytes:
    """The downloaded file as iCARE returns it: Processing Details filled in, row by identifier value."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[LAYOUT["sheet_name"]]
    for row in range(LAYOUT["first_data_row"], sheet.max_row + 1):
        value = sheet.cell(row, 3).value
        sheet.cell(row, 1).value = details.get(value)
        if dates and value in dates:
            sheet.cell(row, 4).value = dates[value]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(http, content: bytes, name: str = "ClientProfile_returned.xlsx") -> HttpResponse:
    """Upload a returned file, let the worker read it, and open the page that tells what it found."""
    response = http.post(RETURNED_URL, {"file": SimpleUploadedFile(name, content, content_type=XLSX)})
    returned = IcareReturn.objects.latest("created_at")
    assertRedirects(response, returned_url(returned), fetch_redirect_response=False)
    run_worker()
    return http.get(returned_url(returned))


def read_message(accepted: int, rejected: int) -> str:
    return f'<dd class="col-sm-9">{accepted} accepted, {rejected} rejected</dd>'


def test_the_returned_file_marks_each_client_accepted_or_rejected(manager_client, manager):
    accepted = ready_client(manager, uci="1111-1111")
    rejected = ready_client(manager, uci="2222-2222", first_name="Rejected")
    waiting = ready_client(manager, uci="3333-3333")
    content = download(manager_client)
    reason = "Error: The Unique Identifier and Date of Birth do not match a client in iCARE."
    returned = returned_file(
        content,
        {"1111-1111": "Record accepted", "2222-2222": reason},
        # Opened and saved in Excel, the date of birth may come back as a date.
        dates={"2222-2222": datetime.combine(rejected.date_of_birth, datetime.min.time())},
    )

    response = upload(manager_client, returned)

    assertContains(
        response, alert("alert-success", "status", "iCARE's file is read: 1 accepted, 1 rejected."), html=True
    )
    assertContains(response, read_message(1, 1), html=True)
    assertContains(response, "<p>1 row has no Processing Details yet, and was left as exported.</p>", html=True)
    assert statuses(accepted) == [(IcareStatus.ACCEPTED, "Record accepted")]
    assert statuses(rejected) == [(IcareStatus.REJECTED, reason)]
    assert statuses(waiting) == [(IcareStatus.EXPORTED, "")]
    dashboard = manager_client.get(dashboard_url(rejected))
    assertContains(dashboard, badge("text-bg-danger", "Rejected by iCARE"), html=True)
    assertContains(dashboard, f'<p class="mb-1"><strong>iCARE&#x27;s reason:</strong> {reason}</p>', html=True)
    assertContains(
        manager_client.get(dashboard_url(accepted)), badge("text-bg-success", "Accepted by iCARE"), html=True
    )
    export = IcareExport.objects.get()
    detail = manager_client.get(export_detail_url(export))
    assertInHTML(f"<td>{reason}</td>", table_row(markup(detail), rejected))
    files = section(manager_client.get(CHECK_URL), "exports-heading")
    # Clients, accepted, rejected.
    assertInHTML('<td class="text-end">3</td><td class="text-end">1</td><td class="text-end">1</td>', files)


def test_a_returned_row_that_matches_no_client_is_reported_and_the_others_are_kept(manager_client, manager):
    client = ready_client(manager, uci="1111-1111")
    content = download(manager_client)
    workbook = load_workbook(io.BytesIO(returned_file(content, {"1111-1111": "Record accepted"})))
    sheet = workbook[LAYOUT["sheet_name"]]
    sheet.append(["Error: unknown client", "FOSS/GCMS Client ID", "9999-9999", "1980-01-01"])
    out = io.BytesIO()
    workbook.save(out)

    page = upload(manager_client, out.getvalue())

    assertContains(page, read_message(1, 0), html=True)
    assertContains(page, "1 row matched no exported client, and was left out")
    assertContains(
        page, "<tr><td>5</td><td>no client of the agency has this identifier and date of birth</td></tr>", html=True
    )
    assert statuses(client) == [(IcareStatus.ACCEPTED, "Record accepted")]


def test_a_client_in_the_file_more_than_once_counts_once_with_its_last_verdict(manager_client, manager, monkeypatch):
    monkeypatch.setattr(returned, "CHUNK", 2)  # the rows read two at a time: the repeated client in several parts
    first = ready_client(manager, uci="1111-1111")
    second = ready_client(manager, uci="2222-2222", first_name="Second")
    content = download(manager_client)
    verdicts = {"1111-1111": "Record accepted", "2222-2222": "Record accepted"}
    workbook = load_workbook(io.BytesIO(returned_file(content, verdicts)))
    sheet = workbook[LAYOUT["sheet_name"]]
    reason = "Error: The Unique Identifier and Date of Birth do not match a client in iCARE."
    born = first.date_of_birth.isoformat()
    for details in ("Record accepted", "Record accepted", reason):
        sheet.append([details, "FOSS/GCMS Client ID", "1111-1111", born])
    out = io.BytesIO()
    workbook.save(out)

    page = upload(manager_client, out.getvalue())

    assertContains(page, read_message(1, 1), html=True)  # the second accepted, the first rejected at last
    assert statuses(first) == [(IcareStatus.REJECTED, reason)]
    assert statuses(second) == [(IcareStatus.ACCEPTED, "Record accepted")]


def test_it_matches_on_identifier_type_value_and_date_of_birth(manager_client, manager):
    client = ready_client(manager, uci="1111-1111")
    content = download(manager_client)
    other_birth = {"1111-1111": client.date_of_birth.replace(year=client.date_of_birth.year - 1).isoformat()}

    page = upload(manager_client, returned_file(content, {"1111-1111": "Record accepted"}, other_birth))

    assertContains(page, read_message(0, 0), html=True)
    assertContains(
        page, "<tr><td>4</td><td>no client of the agency has this identifier and date of birth</td></tr>", html=True
    )
    assert statuses(client) == [(IcareStatus.EXPORTED, "")]
    # Read later in French, by whoever opens it: in French, though it was sent back in English.
    manager_client.post(reverse("set_language"), {"language": "fr"})
    assertContains(
        manager_client.get(page.request["PATH_INFO"]),
        "<tr><td>4</td><td>aucun client de l'organisme n'a cet identifiant et cette date de naissance</td></tr>",
        html=True,
    )


@pytest.mark.parametrize(
    ("details", "status"),
    [
        ("Record accepted", IcareStatus.ACCEPTED),
        ("Processed successfully", IcareStatus.ACCEPTED),
        ("Error: Invalid Postal Code", IcareStatus.REJECTED),
        ("Rejected - client not found", IcareStatus.REJECTED),
        ("Something iCARE says that we do not know", IcareStatus.REJECTED),
        # Failure worded with an acceptance word inside it: never an acceptance.
        ("Unsuccessful", IcareStatus.REJECTED),
        ("Not processed", IcareStatus.REJECTED),
        ("Client not valid", IcareStatus.REJECTED),
        ("Not loaded: duplicate record", IcareStatus.REJECTED),
        ("Record successfully processed", IcareStatus.ACCEPTED),
        ("Client profile created", IcareStatus.ACCEPTED),
    ],
)
def test_processing_details_are_read_as_accepted_or_rejected(details, status):
    assert returned_status(details) == status


def workbook_bytes(sheet_name: str = LAYOUT["sheet_name"], codes: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    sheet.append(["Title"])
    sheet.append(codes if codes is not None else CODES)
    sheet.append(["labels"])
    sheet.append(["Record accepted", "FOSS/GCMS Client ID", "1111-1111", "1990-04-12"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (zip_bytes(), "This file is not an Excel workbook (.xlsx) that can be read."),
        (workbook_bytes(sheet_name="Sheet1"), "This workbook has no “Client Profile” sheet"),
        (
            workbook_bytes(codes=list(reversed(CODES))),
            "Row 2 of the “Client Profile” sheet does not hold IRCC's field codes",
        ),
        (workbook_bytes(codes=[]), "does not hold IRCC's field codes (processing_details to consent_ind)"),
    ],
    ids=["other-zip", "other-sheet", "other-columns", "no-codes"],
)
def test_a_file_that_is_not_the_client_profile_is_refused_and_nothing_changes(
    manager_client, manager, content, message
):
    client = ready_client(manager, uci="1111-1111")
    download(manager_client)

    response = upload(manager_client, content)

    returned = IcareReturn.objects.get()
    assert returned.status == JobStatus.FAILED
    assert message in returned.error
    assertContains(response, escape(message))
    assertNotContains(response, "file is read.")
    assert statuses(client) == [(IcareStatus.EXPORTED, "")]


def test_a_file_that_is_no_workbook_at_all_is_refused_at_once_next_to_the_field(manager_client, manager):
    content = b"first name,last name\nLeila,Mansour\n"
    response = manager_client.post(RETURNED_URL, {"file": SimpleUploadedFile("r.xlsx", content, content_type=XLSX)})

    message = str(NOT_A_WORKBOOK)
    assert response.context["returned_form"].errors == {"file": [message]}
    assertContains(response, escape(message))
    assert not IcareReturn.objects.exists()


def test_an_empty_file_is_refused_at_once(manager_client, manager):
    response = manager_client.post(RETURNED_URL, {"file": SimpleUploadedFile("r.xlsx", b"", content_type=XLSX)})

    message = "This file is empty. Upload the Client Profile file iCARE sent back, as it came."
    assert response.context["returned_form"].errors == {"file": [message]}
    assertContains(response, message)
    assert not IcareReturn.objects.exists()


def test_a_file_with_no_client_rows_is_refused(manager_client, manager):
    client = ready_client(manager, uci="1111-1111")
    content = download(manager_client)
    workbook = load_workbook(io.BytesIO(content))
    workbook[LAYOUT["sheet_name"]].delete_rows(LAYOUT["first_data_row"], 10)
    out = io.BytesIO()
    workbook.save(out)

    response = upload(manager_client, out.getvalue())

    message = "The file has no client rows (they start at row 4): nothing was recorded."
    assert IcareReturn.objects.get().error == message
    assertContains(response, message)
    assert statuses(client) == [(IcareStatus.EXPORTED, "")]


def test_uploading_without_a_file_asks_for_one(manager_client, manager):
    response = manager_client.post(RETURNED_URL, {})

    message = "Choose the Client Profile file iCARE sent back."
    assert response.context["returned_form"].errors == {"file": [message]}
    assertContains(response, message)


def test_the_page_speaks_french_to_a_french_user(manager_client, manager):
    ready_client(manager, official_language=None)
    manager_client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    page = check_page(manager_client)

    assertContains(page, "Profil du client iCARE")
    assertContains(page, "Manquant pour iCARE")
    assertContains(page, "Corriger dans")
    assertContains(page, "Télécharger le fichier iCARE (0 client prêt)")


# Who may


def test_the_sidebar_offers_icare_only_to_staff_with_the_grant(manager_client, caseworker_client):
    link = f'<a class="nav-link" href="{CHECK_URL}">iCARE</a>'

    assertContains(manager_client.get("/"), link, html=True)
    caseworkers_home = caseworker_client.get("/")
    assertNotContains(caseworkers_home, link, html=True)
    assertNotContains(caseworkers_home, f'href="{CHECK_URL}"')


def test_staff_without_the_grant_are_refused_every_icare_action(caseworker_client, manager_client, manager):
    client = ready_client(manager)
    content = download(manager_client)
    export = IcareExport.objects.get()

    assert caseworker_client.get(CHECK_URL, CHOICE).status_code == 403
    assert caseworker_client.post(EXPORT_URL, CHOICE | {"include": "all"}).status_code == 403
    upload_post = {"file": SimpleUploadedFile("r.xlsx", returned_file(content, {"1234-5678": "Record accepted"}))}
    assert caseworker_client.post(RETURNED_URL, upload_post).status_code == 403
    assert caseworker_client.get(export_detail_url(export)).status_code == 403
    assert caseworker_client.get(export_file_url(export)).status_code == 403
    assert (
        caseworker_client.post(reverse("reports:icare-export-retry", kwargs={"code": export.code})).status_code == 403
    )
    assert not IcareReturn.objects.exists()
    assert IcareExport.objects.count() == 1
    assert statuses(client) == [(IcareStatus.EXPORTED, "")]


def test_another_agencys_export_is_not_found(outsider_client, outsider, manager_client, manager):
    ready_client(manager)
    download(manager_client)
    export = IcareExport.objects.get()
    outsider.may_upload_icare = True
    outsider.save()

    assert outsider_client.get(export_detail_url(export)).status_code == 404
    assert outsider_client.get(export_file_url(export)).status_code == 404


def test_another_agencys_returned_file_changes_nothing_here(outsider_client, outsider, manager_client, manager):
    client = ready_client(manager, uci="1111-1111")
    content = download(manager_client)
    outsider.may_upload_icare = True
    outsider.save()

    page = upload(outsider_client, returned_file(content, {"1111-1111": "Record accepted"}))

    assertContains(page, read_message(0, 0), html=True)
    assert statuses(client) == [(IcareStatus.EXPORTED, "")]


def test_the_download_and_the_upload_answer_405_to_a_get(manager_client):
    assert manager_client.get(EXPORT_URL).status_code == 405
    assert manager_client.get(RETURNED_URL).status_code == 405


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(client):
    response = client.get(CHECK_URL)

    assertRedirects(response, f"{reverse('login')}?next={CHECK_URL}", fetch_redirect_response=False)


# make bench


def test_postgresql_runs_the_long_reads_without_compiling_them_to_machine_code():
    # Its JIT made the file's read of 100,000 clients 1.75 s instead of 1.03 s (ocms/settings.py).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_the_bench_builds_the_file_for_a_whole_agency_and_reports_time_and_peak_memory():
    lines: list[str] = []

    results = icare_bench([40], report=lines.append)

    assert [(r.size, r.rows) for r in results] == [(40, 40)]
    assert results[0].seconds > 0 and results[0].peak_mib > 0 and results[0].file_mib > 0
    # Beside it, the same rows written by the bare writers: the export's floor.
    assert results[0].xlsxwriter_seconds > 0 and results[0].openpyxl_seconds > 0
    assert not IcareExport.objects.exists()  # each timed export is rolled back


def test_make_bench_prints_the_icare_table():
    call_command("load_demo", stdout=StringIO())
    out = StringIO()

    call_command("bench", only=["icare"], icare_size=30, stdout=out)

    table = out.getvalue().split("iCARE Client Profile file", 1)[1]
    assert "peak MiB" in table
    assert "XlsxWriter s" in table and "openpyxl s" in table
    assert re.search(r"^\s+3\s+3\s+[\d.]+", table, re.MULTILINE)
    assert re.search(r"^\s+30\s+30\s+[\d.]+", table, re.MULTILINE)


# Merged clients


def test_a_tombstone_is_never_exported_and_a_survivor_merged_since_its_upload_goes_in_the_next_file(
    manager_client, manager
):
    kept = ready_client(manager, uci="1111-1111", first_name="Kept")
    reported = ready_client(manager, uci="2222-2222", first_name="Reported")
    download(manager_client)  # both reported
    clients_merge(survivor=kept, other=reported, by=manager.user)

    page = check_page(manager_client)
    row = table_row(section(page, "ready-heading"), kept)
    assertInHTML(
        badge(
            "text-bg-warning",
            "Merged since upload: another profile of this client was merged into it; this file carries it again",
        ),
        row,
    )
    assertNotContains(page, dashboard_url(reported))
    rows = data_rows(download(manager_client))
    assert [row[2] for row in rows] == ["1111-1111"]  # the survivor, once; never the tombstone
    assertNotContains(check_page(manager_client), dashboard_url(kept))  # reported again: not waiting any more


def test_a_file_made_in_french_holds_irccs_strings_not_the_labels_staff_see(manager_client, manager):
    of = IcareValue.objects.of
    ready_client(
        manager,
        street_type=of(IcareList.STREET_TYPE).get(value="Platau"),
        street_direction=of(IcareList.STREET_DIRECTION).get(value="W - West"),
        province=of(IcareList.PROVINCE).get(value="British Columbia"),
        official_language=of(IcareList.OFFICIAL_LANGUAGE).get(value="French"),
    )
    manager_client.post(reverse("set_language"), {"language": "fr"})

    manager_client.post(EXPORT_URL, CHOICE)
    with translation.override("fr"):
        run_worker()
    export = IcareExport.objects.latest("created_at")
    file = manager_client.get(export_file_url(export))

    [row] = data_rows(b"".join(file.streaming_content))
    cells = dict(zip(COLUMNS, row, strict=True))
    assert (cells["B"], cells["J"], cells["K"]) == ("FOSS/GCMS Client ID", "Platau", "W - West")
    assert (cells["N"], cells["P"]) == ("British Columbia", "French")
