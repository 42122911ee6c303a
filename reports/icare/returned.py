"""The file iCARE sends back, with its Processing Details: each exported client marked accepted or rejected."""

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError as XmlParseError
from defusedxml.ElementTree import fromstring as defused_xml
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from agencies.models import Agency
from clients.models import Identifier, identifier_key
from reports.icare.check import CHUNK
from reports.icare.file import CODES, FIRST_DATA_ROW, LAYOUT, SHEET_NAME
from reports.models import IcareExportRow, IcareStatus

# The file iCARE sends back, and what OCMS reads of it at the most. An agency's real file is a few megabytes
# (100,000 clients: about 10 MB); a file past these is refused, never read on.
MAX_RETURNED_BYTES = 30 * 1024 * 1024  # the upload
MAX_PARTS = 100  # files inside the .xlsx (a zip archive)
MAX_ROWS = 250_000  # client rows
MAX_ROW_CELLS = 100  # cells in one row: the template has 17 columns
MAX_CELLS = MAX_ROWS * 20  # cells in all
# Uncompressed sizes. openpyxl reads every part but the worksheets whole into memory, the shared strings first of
# all: those of MAX_ROWS clients hold each one's identifier, date of birth, phone, email, street and postal code as
# text, about 160 bytes a client. A worksheet is streamed a row at a time (its rows and cells are counted), so it may
# be larger: MAX_ROWS rows of the 17 columns with their strings in the cells come to about 250 MB.
MAX_PART_BYTES = 40 * 1024 * 1024  # a part read whole (the shared strings, the workbook, the styles)
MAX_SHEET_BYTES = 320 * 1024 * 1024  # a part [Content_Types].xml registers as a worksheet, and as nothing else
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # all of them
CONTENT_TYPES = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

# iCARE writes its verdict in words in Processing Details. A text that names a problem, or denies anything ("not
# processed", "unsuccessful", "no record"), is a rejection; one that names acceptance is an acceptance; any other
# text counts as a rejection, so that staff read it. Whole words: "Unsuccessful" holds "success", "invalid" "valid".
REJECTED = re.compile(
    r"error|reject|invalid|fail|missing|required|must|duplicate|denied|unable|cannot|can't|couldn't"
    r"|\b(?:not|no|non|never|un\w*)\b",
    re.IGNORECASE,
)
ACCEPTED = re.compile(r"\b(?:accept\w*|success\w*|processed|valid|loaded|created|updated)\b", re.IGNORECASE)


def returned_status(details: str) -> str:
    if REJECTED.search(details) or not ACCEPTED.search(details):
        return IcareStatus.REJECTED
    return IcareStatus.ACCEPTED


class ReturnedFileError(Exception):
    """The upload is not the Client Profile file: nothing is recorded."""


@dataclass(frozen=True)
class ReturnedRow:
    number: int  # the spreadsheet's row number, as staff see it
    details: str
    identifier_type: str
    identifier_value: str
    date_of_birth: date | None


@dataclass
class ReturnedSummary:
    accepted: int = 0
    rejected: int = 0
    unmatched: list[tuple[int, str | Promise]] = field(default_factory=list)  # (row, why)
    not_processed: list[int] = field(default_factory=list)


def text_of(value: Any) -> str:
    return "" if value is None else str(value).strip()


def date_of(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text_of(value)[:10])
    except ValueError:
        return None


NOT_A_WORKBOOK = _(
    "This file is not an Excel workbook (.xlsx) that can be read. Upload the Client Profile file iCARE sent back, "
    "as it came."
)


# The start of a row of a sheet (`<row `) or of a cell (`<c `). Tags without a namespace prefix, as Excel writes
# them, are counted at the speed of a plain search; a chunk that may hold prefixed ones (`<x:row `) by the slower
# pattern that knows prefixes.
ROW_START = re.compile(rb"<row(?=[\s/>])")
CELL_START = re.compile(rb"<c[\s/>]")
MAY_BE_PREFIXED = (b":row", b":c")
ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?(row|c)[\s/>]")
ROW = b"row"


TOO_LARGE = _(
    "This file unpacks to far more than any Client Profile file holds: it was not read. "
    "Upload the file iCARE sent back, as it came."
)
TOO_MANY_ROWS = _("This file has more than %(rows)s rows, more than iCARE sends back: it was not read.")
ROW_TOO_LONG = _(
    "This file has a row of more than %(cells)s cells, far more than the Client Profile's columns: it was not read. "
    "Upload the file iCARE sent back, as it came."
)
TOO_MANY_CELLS = _("This file has more than %(cells)s cells, more than iCARE sends back: it was not read.")


def worksheet_parts(archive: zipfile.ZipFile) -> set[str]:
    """The parts [Content_Types].xml registers as worksheets and as nothing else: openpyxl streams those; it reads
    any other part (the shared strings above all, wherever they are) whole."""
    try:
        with archive.open(CONTENT_TYPES) as member:
            xml = member.read(MAX_CONTENT_TYPES_BYTES + 1)
    except KeyError as error:
        raise ReturnedFileError(NOT_A_WORKBOOK) from error
    if len(xml) > MAX_CONTENT_TYPES_BYTES:
        raise ReturnedFileError(TOO_LARGE)
    try:
        root = defused_xml(xml)
    except (XmlParseError, DefusedXmlException) as error:
        raise ReturnedFileError(NOT_A_WORKBOOK) from error
    types: dict[str, set[str]] = {}
    for override in root.iterfind("{*}Override"):
        types.setdefault(override.get("PartName", "").lstrip("/"), set()).add(override.get("ContentType"))
    return {name for name, kinds in types.items() if kinds == {WORKSHEET}}


class PartCount:
    """The rows and cells of one part, counted as its bytes are unpacked, chunk by chunk, whatever the sheet's
    dimension says; past a limit, the file is refused."""

    def __init__(self, totals: dict[str, int]) -> None:
        self.totals = totals  # rows and cells of every part so far
        self.row_cells = 0
        self.rest = b""  # a tag cut by the end of a chunk, read again with the next

    def add(self, chunk: bytes) -> None:
        text = self.rest + chunk
        cut = text.rfind(b"<")
        cut = cut if cut >= len(text) - 48 else len(text)
        self.rest = text[cut:]
        for new_row, cells in self.pieces(text[:cut]):
            if new_row:
                self.totals["rows"] += 1
                self.row_cells = 0
                if self.totals["rows"] - FIRST_DATA_ROW + 1 > MAX_ROWS:
                    raise ReturnedFileError(TOO_MANY_ROWS % {"rows": f"{MAX_ROWS:,}"})
            self.row_cells += cells
            self.totals["cells"] += cells
            if self.row_cells > MAX_ROW_CELLS:
                raise ReturnedFileError(ROW_TOO_LONG % {"cells": f"{MAX_ROW_CELLS:,}"})
            if self.totals["cells"] > MAX_CELLS:
                raise ReturnedFileError(TOO_MANY_CELLS % {"cells": f"{MAX_CELLS:,}"})

    @staticmethod
    def pieces(text: bytes) -> Iterator[tuple[bool, int]]:
        """(whether a row starts, how many cells follow before the next row starts) along the text."""
        if any(mark in text for mark in MAY_BE_PREFIXED):
            for tag in ROW_OR_CELL.finditer(text):
                yield (True, 0) if tag[1] == ROW else (False, 1)
            return
        for index, piece in enumerate(ROW_START.split(text)):
            yield index > 0, len(CELL_START.findall(piece))


def returned_archive_check(upload: IO[bytes]) -> int:
    """Refuse an archive too large to read before openpyxl opens it: too many parts, parts that unpack past
    the limits (a "zip bomb", or one shared string of hundreds of megabytes), or a sheet of more rows or cells
    than iCARE sends back (one row of a million cells costs openpyxl hundreds of megabytes), whatever its dimension
    says. Each part is unpacked and counted, so a part that lies about its size is caught too. Returns the rows of its
    sheets, counted so."""
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise ReturnedFileError(NOT_A_WORKBOOK)
            if any(part.flag_bits & 0x1 for part in parts):  # encrypted
                raise ReturnedFileError(NOT_A_WORKBOOK)
            worksheets = worksheet_parts(archive)
            unpacked = 0
            totals = {"rows": 0, "cells": 0}
            for part in parts:
                limit = MAX_SHEET_BYTES if part.filename in worksheets else MAX_PART_BYTES
                size = 0
                count = PartCount(totals)
                with archive.open(part) as member:
                    while chunk := member.read(1024 * 1024):
                        size += len(chunk)
                        unpacked += len(chunk)
                        if size > limit or unpacked > MAX_UNCOMPRESSED_BYTES:
                            raise ReturnedFileError(TOO_LARGE)
                        count.add(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
        raise ReturnedFileError(NOT_A_WORKBOOK) from error
    finally:
        upload.seek(0)
    return totals["rows"]


def returned_rows(upload: IO[bytes], *, beat=None) -> list[ReturnedRow]:
    """The client rows of an uploaded Client Profile file, or ReturnedFileError saying what is wrong.

    Read in streaming mode (openpyxl's read-only workbook, with defusedxml, so no entity expansion), at most
    MAX_ROWS rows; malformed XML is a refusal, not an error.
    """
    counted = returned_archive_check(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises what its XML parser and zipfile raise, of many kinds
        raise ReturnedFileError(NOT_A_WORKBOOK) from error
    try:
        return rows_of(workbook, beat, counted)
    except ReturnedFileError:
        raise
    except Exception as error:  # malformed XML met while streaming the rows
        raise ReturnedFileError(NOT_A_WORKBOOK) from error
    finally:
        workbook.close()


def rows_of(workbook, beat, counted: int = 0) -> list[ReturnedRow]:
    """The client rows of an opened returned file, with its sheet and field codes checked; `counted`: the rows of its
    sheets as the archive check counted them, for the progress of a sheet that does not say its size."""
    if SHEET_NAME not in workbook.sheetnames:
        raise ReturnedFileError(
            _(
                "This workbook has no “%(sheet)s” sheet, so it is not the iCARE Client Profile file. "
                "Upload the file iCARE sent back for the Client Profile."
            )
            % {"sheet": SHEET_NAME}
        )
    sheet = workbook[SHEET_NAME]
    codes = next(sheet.iter_rows(min_row=LAYOUT["code_row"], max_row=LAYOUT["code_row"], values_only=True), ())
    if [text_of(code) for code in codes[: len(CODES)]] != CODES:
        raise ReturnedFileError(
            _(
                "Row %(row)s of the “%(sheet)s” sheet does not hold IRCC's field codes (%(first)s to %(last)s) "
                "in the template's order, so this is not the iCARE Client Profile file."
            )
            % {"row": LAYOUT["code_row"], "sheet": SHEET_NAME, "first": CODES[0], "last": CODES[-1]}
        )
    rows = []
    # Its rows were counted before it was opened (returned_archive_check): at most MAX_ROWS. A sheet written in
    # streaming mode may not say how many it has (its dimension "A1"): then the count stands for it.
    expected = max(max(sheet.max_row or 0, counted) - FIRST_DATA_ROW + 1, 0)
    for number, values in enumerate(
        sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=4, values_only=True), start=FIRST_DATA_ROW
    ):
        if beat and number % CHUNK == 0:
            beat(number - FIRST_DATA_ROW, max(expected, number))
        details, id_type, id_value, born = (tuple(values) + (None,) * 4)[:4]
        if not any(text_of(v) for v in (details, id_type, id_value, born)):
            continue
        rows.append(ReturnedRow(number, text_of(details), text_of(id_type), text_of(id_value), date_of(born)))
    if not rows:
        raise ReturnedFileError(
            _("The file has no client rows (they start at row %(row)s): nothing was recorded.")
            % {"row": FIRST_DATA_ROW}
        )
    return rows


def chunks(items: list[ReturnedRow], size: int) -> Iterator[list[ReturnedRow]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def icare_returned_read(*, agency: Agency, upload: IO[bytes], beat=None) -> ReturnedSummary:
    """Mark each client of the returned file accepted or rejected, with iCARE's words.

    A row is matched as iCARE matches it: identifier type + value + date of birth, to the agency's client,
    and its verdict goes on that client's latest export. The whole file is read and checked before anything
    is written; ReturnedFileError leaves everything as it was.
    """
    rows = returned_rows(upload, beat=beat)
    summary = ReturnedSummary()
    verdicts_of: dict[int, str] = {}  # each client's status, by its last row: counted once however often it comes
    processed = []
    for row in rows:
        if not row.details:
            summary.not_processed.append(row.number)
        elif not (row.identifier_type and row.identifier_value and row.date_of_birth):
            summary.unmatched.append((row.number, _("no identifier, value or date of birth")))
        else:
            processed.append(row)
    now = timezone.now()
    with transaction.atomic():
        for part in chunks(processed, CHUNK):
            keys = {identifier_key(row.identifier_value) for row in part}
            found: dict[tuple[str, str, date], set[int]] = {}
            identifiers = (
                Identifier.objects.for_agency(agency)
                .filter(value_key__in=keys, client__is_anonymous=False, identifier_type__icare_value__isnull=False)
                .order_by()
                .values_list("identifier_type__icare_value__value", "value_key", "client__date_of_birth", "client_id")
            )
            for type_value, key, born, client_id in identifiers:
                found.setdefault((type_value, key, born), set()).add(client_id)
            matched: dict[int, list[int]] = {}
            for row in part:
                clients = found.get((row.identifier_type, identifier_key(row.identifier_value), row.date_of_birth))
                if not clients:
                    summary.unmatched.append(
                        (row.number, _("no client of the agency has this identifier and date of birth"))
                    )
                    continue
                for client_id in clients:
                    matched.setdefault(client_id, []).append(row.number)
            latest: dict[int, IcareExportRow] = {}
            for export_row in (
                IcareExportRow.objects.filter(export__agency=agency, client_id__in=matched)
                .select_related("export")
                .order_by("export__created_at", "pk")
            ):
                latest[export_row.client_id] = export_row
            verdicts = {row.number: row for row in part}
            changed = []
            for client_id, numbers in matched.items():
                export_row = latest.get(client_id)
                if export_row is None:
                    summary.unmatched.extend(
                        (number, _("the client was never in a file made here")) for number in numbers
                    )
                    continue
                row = verdicts[numbers[-1]]
                export_row.status = returned_status(row.details)
                export_row.message = row.details
                export_row.updated_at = now
                changed.append(export_row)
                verdicts_of[client_id] = export_row.status
            IcareExportRow.objects.bulk_update(changed, ["status", "message", "updated_at"])
    summary.accepted = sum(1 for status in verdicts_of.values() if status == IcareStatus.ACCEPTED)
    summary.rejected = len(verdicts_of) - summary.accepted
    summary.unmatched.sort(key=lambda item: item[0])
    return summary
