"""The Client Profile file for IRCC: IRCC's template (agencies/data/icare/client_profile_template.json) cell for
cell, written row by row (XlsxWriter's constant-memory mode: each row goes to a temporary file as the next one starts;
clients read in chunks), so a whole agency's export holds in memory one chunk of clients and 8 bytes per exported
client. XlsxWriter writes the same file as openpyxl's write-only workbook did, in under half the time (`make bench`)."""

import hashlib
from array import array
from collections.abc import Callable
from datetime import date
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber
from xlsxwriter import Workbook

from agencies.jobs import JobStatus
from agencies.lists import icare_template
from agencies.models import Agency, Program
from agencies.validators import north_american
from reports.icare.check import (
    CHUNK,
    IcareClient,
    checked_clients,
    icare_candidates,
)
from reports.models import IcareExport, IcareExportRow, IcareStatus

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
    """IRCC writes North American numbers NNN-NNN-NNNN; any other number goes in international form. `phone` is a
    PhoneNumber or the text it is stored as (E.164: "+14165550123")."""
    if isinstance(phone, str):
        if parts := north_american(phone):
            return "-".join(parts)
        phone = PhoneNumber.from_string(phone) if phone else None
    # Not `if not phone`: a PhoneNumber's truth value validates the number, a noticeable cost per row.
    if not isinstance(phone, PhoneNumber) or phone.national_number is None:
        return ""
    national = str(phone.national_number)
    if phone.country_code == 1 and len(national) == 10:
        return f"{national[:3]}-{national[3:6]}-{national[6:]}"
    return phone.as_international


def postal_text(code: str) -> str:
    return code.replace(" ", "").upper()


def client_cells(client: IcareClient) -> dict[str, Any]:
    """A ready client's cells by IRCC field code, with IRCC's strings for every list column."""
    identifier = client.icare_identifier
    value = client.values
    return {
        "processing_details": None,  # iCARE fills it in the file it sends back
        "client_validation_type_id": identifier.icare_value,
        "client_validation_id": identifier.value.strip(),
        "client_birth_dt": value["date_of_birth"].isoformat(),
        "phone_no": phone_text(value["phone"]),
        "email_txt_ind": yes_no(bool(value["email"])),
        "email_txt": value["email"],
        "street_no": value["street_number"],
        "street_nme": value["street_name"],
        "street_type_id": value["street_type__value"],
        "street_direction_id": value["street_direction__value"],
        "unit_txt": value["unit"],
        "city_txt": value["city"],
        "province_id": value["province__value"],
        "postal_txt": postal_text(value["postal_code"]),
        "official_language_id": value["official_language__value"],
        "consent_ind": yes_no(value["research_consent"]),
    }


def client_values(client: IcareClient) -> list[str | None]:
    """A ready client's row: its cells in the template's column order, None for an empty one."""
    cells = client_cells(client)
    return [cells[code] or None for code in CODES]


class ProfileSheet:
    """A new Client Profile file written to `destination` (a binary file): the template's sheet with its three
    heading rows, then one row per `append`; `close` writes the file. A sheet never closed writes nothing (its rows
    streamed so far go with their temporary file)."""

    def __init__(self, destination: IO[bytes]) -> None:
        # Every value is written as text (write_string): what a caseworker typed never becomes a formula, a number
        # or a link.
        self.workbook = Workbook(destination, {"constant_memory": True})
        self.sheet = self.workbook.add_worksheet(SHEET_NAME)
        self.sheet.set_column(0, len(COLUMNS) - 1, 22)
        self.sheet.freeze_panes(FIRST_DATA_ROW - 1, 0)
        bold = self.workbook.add_format({"bold": True})
        title = self.workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.sheet.write_string(LAYOUT["title_row"] - 1, 0, LAYOUT["title_text"], title)
        # Row by row: in constant-memory mode a row is on disk, and closed to writes, once the next one is begun.
        for index, column in enumerate(COLUMNS):
            self.sheet.write_string(LAYOUT["code_row"] - 1, index, column["code"])
        for index, column in enumerate(COLUMNS):
            self.sheet.write_string(LAYOUT["label_row"] - 1, index, column["label"], bold)
        self.row = FIRST_DATA_ROW - 1  # XlsxWriter counts rows from 0

    def append(self, values: list[str | None]) -> None:
        write = self.sheet.write_string
        row = self.row
        for column, value in enumerate(values):
            if value is not None:
                write(row, column, value)
        self.row += 1

    def close(self) -> None:
        self.workbook.close()


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
    sheet = None  # made with the first ready client: no client ready, no file
    # One identifier value on one row only: checked_clients finds a second client with it not ready.
    for done, (client, missing) in enumerate(checked_clients(clients, uploads=False), start=1):
        if beat and done % CHUNK == 0:
            beat(done, total)
        if missing:
            continue
        if sheet is None:
            sheet = ProfileSheet(destination)
        sheet.append(client_values(client))
        exported.append(client.pk)
    if sheet is None:
        raise NothingToExportError
    # Beats on each side of writing the file out, the longest step without one.
    if beat:
        beat(total, total)
    sheet.close()
    if beat:
        beat(total, total)
    return exported


def rows_insert(export: IcareExport, client_ids: array) -> None:
    """The export's rows of these clients. On PostgreSQL one statement takes the ids as one array: bulk_create's
    five parameters a row cost a tenth of the whole export."""
    if connection.vendor != "postgresql":
        IcareExportRow.objects.bulk_create([IcareExportRow(export=export, client_id=pk) for pk in client_ids])
        return
    table = IcareExportRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (export_id, client_id, status, message, updated_at)"
            " SELECT %s, client_id, %s, '', %s FROM unnest(%s::bigint[]) AS client_id",
            [export.pk, IcareStatus.EXPORTED, timezone.now(), client_ids.tolist()],
        )


@transaction.atomic
def icare_export_record(export: IcareExport, exported: array, destination: IO[bytes]) -> None:
    """Record which clients the written file holds, its checksum and count, in one transaction."""
    for start in range(0, len(exported), CHUNK):
        rows_insert(export, exported[start : start + CHUNK])
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
