"""The Client Profile file for IRCC: IRCC's template (agencies/data/icare/client_profile_template.json) cell for
cell, written row by row (openpyxl's write-only workbook, streamed to a temporary file; clients read in chunks), so a
whole agency's export holds in memory one chunk of clients and 8 bytes per exported client."""

import hashlib
from array import array
from collections.abc import Callable
from datetime import date
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from phonenumber_field.phonenumber import PhoneNumber

from agencies.jobs import JobStatus
from agencies.lists import icare_template
from agencies.models import Agency, Program
from clients.models import Client
from reports.icare.check import (
    CHUNK,
    checked_clients,
    icare_candidates,
    icare_identifier,
)
from reports.models import IcareExport, IcareExportRow

TEMPLATE = icare_template()
LAYOUT = TEMPLATE["layout"]
COLUMNS = TEMPLATE["columns"]
CODES = [column["code"] for column in COLUMNS]
SHEET_NAME = LAYOUT["sheet_name"]
FIRST_DATA_ROW = LAYOUT["first_data_row"]

# The file for IRCC


def yes_no(value: bool | None) -> str:
    return "Yes" if value else "No"


def phone_text(phone: Any) -> str:
    """IRCC writes North American numbers NNN-NNN-NNNN; any other number goes in international form."""
    # Not `if not phone`: a PhoneNumber's truth value validates the number, a noticeable cost per row.
    if not isinstance(phone, PhoneNumber) or phone.national_number is None:
        return ""
    national = str(phone.national_number)
    if phone.country_code == 1 and len(national) == 10:
        return f"{national[:3]}-{national[3:6]}-{national[6:]}"
    return phone.as_international


def postal_text(code: str) -> str:
    return code.replace(" ", "").upper()


def client_cells(client: Client) -> dict[str, Any]:
    """A ready client's cells by IRCC field code, with IRCC's strings for every list column."""
    identifier = icare_identifier(client)
    return {
        "processing_details": None,  # iCARE fills it in the file it sends back
        "client_validation_type_id": identifier.identifier_type.icare_value.value,
        "client_validation_id": identifier.value.strip(),
        "client_birth_dt": client.date_of_birth.isoformat(),
        "phone_no": phone_text(client.phone),
        "email_txt_ind": yes_no(bool(client.email)),
        "email_txt": client.email,
        "street_no": client.street_number,
        "street_nme": client.street_name,
        "street_type_id": client.street_type.value if client.street_type else None,
        "street_direction_id": client.street_direction.value if client.street_direction else None,
        "unit_txt": client.unit,
        "city_txt": client.city,
        "province_id": client.province.value if client.province else None,
        "postal_txt": postal_text(client.postal_code),
        "official_language_id": client.official_language.value,
        "consent_ind": yes_no(client.research_consent),
    }


def cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would write it as a formula; what a caseworker typed stays text.
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"
        return text
    return value


def client_row(sheet: WriteOnlyWorksheet, client: Client) -> list[Any]:
    cells = client_cells(client)
    return [cell(sheet, cells[code]) for code in CODES]


def template_workbook() -> tuple[Workbook, WriteOnlyWorksheet]:
    """A write-only workbook with the template's sheet and its three heading rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAME)
    for column in COLUMNS:
        sheet.column_dimensions[column["column"]].width = 22
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    title = WriteOnlyCell(sheet, value=LAYOUT["title_text"])
    title.font = Font(bold=True)
    title.alignment = Alignment(wrap_text=True, vertical="top")
    headings = {
        LAYOUT["title_row"]: [title],
        LAYOUT["code_row"]: CODES,
        LAYOUT["label_row"]: [bold(sheet, column["label"]) for column in COLUMNS],
    }
    for row in range(1, FIRST_DATA_ROW):
        sheet.append(headings.get(row, []))
    return workbook, sheet


def bold(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    heading = WriteOnlyCell(sheet, value=text)
    heading.font = Font(bold=True)
    return heading


class NothingToExportError(Exception):
    """No client in the choice is ready: no file and no export are made."""


def icare_export_write(
    export: IcareExport, destination: IO[bytes], *, beat: Callable[[int, int], None] | None = None
) -> array:
    """Write the Client Profile file of the export's chosen clients that are ready to `destination` (a seekable
    binary file); return the ids of the clients written. Records nothing, in no transaction: reading the clients and
    writing the file is the long part. `beat(done, total)` hears of the progress, clients checked of clients chosen.

    Raises NothingToExportError when no chosen client is ready.
    """
    clients = icare_candidates(
        agency=export.agency,
        date_from=export.date_from,
        date_to=export.date_to,
        program=export.program,
        include=export.include,
    ).order_by("number")
    total = clients.count()
    if beat:
        beat(0, total)
    # The export's rows are written once the clients are read: inserted while the cursor is open, they would
    # lengthen every later look-up of "exported before?" in that cursor. Their ids wait compactly.
    exported = array("q")
    workbook = sheet = None  # made with the first ready client: no client ready, no file
    try:
        # One identifier value on one row only: checked_clients finds a second client with it not ready.
        for done, (client, missing) in enumerate(checked_clients(clients), start=1):
            if beat and done % CHUNK == 0:
                beat(done, total)
            if missing:
                continue
            if sheet is None:
                workbook, sheet = template_workbook()
            sheet.append(client_row(sheet, client))
            exported.append(client.pk)
        if workbook is None:
            raise NothingToExportError
        workbook.save(destination)
    except BaseException:
        if sheet is not None and not sheet.closed:
            sheet.close()  # ends openpyxl's row stream; its temporary file goes when the process ends
        raise
    if beat:
        beat(total, total)
    return exported


@transaction.atomic
def icare_export_record(export: IcareExport, exported: array, destination: IO[bytes]) -> None:
    """Record which clients the written file holds, its checksum and count, in one transaction."""
    for start in range(0, len(exported), CHUNK):
        IcareExportRow.objects.bulk_create(
            [IcareExportRow(export=export, client_id=pk) for pk in exported[start : start + CHUNK]]
        )
    destination.seek(0)
    export.sha256 = hashlib.file_digest(destination, "sha256").hexdigest()
    export.client_count = len(exported)
    export.save(update_fields=["sha256", "client_count"])
    destination.seek(0)


def icare_export_build(
    *,
    agency: Agency,
    created_by: Any,
    date_from: date,
    date_to: date,
    program: Program | None,
    include: str,
    destination: IO[bytes],
) -> IcareExport:
    """Write and record the file of this choice at once (the worker's task does the same in steps it can show).

    `destination` is left at its start. Raises NothingToExportError, and records nothing, when no chosen client is
    ready.
    """
    export = IcareExport.objects.create(
        agency=agency,
        created_by=created_by,
        date_from=date_from,
        date_to=date_to,
        program=program,
        include=include,
        status=JobStatus.RUNNING,
    )
    try:
        exported = icare_export_write(export, destination)
    except BaseException:
        export.delete()
        raise
    icare_export_record(export, exported, destination)
    export.update(status=JobStatus.DONE, rows_done=export.client_count, finished_at=timezone.now())
    return export


def export_filename(export: IcareExport) -> str:
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    return f"icare-client-profile-{export.date_from:%Y%m%d}-{export.date_to:%Y%m%d}-{stamp}.xlsx"
