"""The file iCARE sends back, with its Processing Details: each exported client marked accepted or rejected."""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

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

# The file iCARE sends back

MAX_RETURNED_BYTES = 50 * 1024 * 1024

# iCARE writes its verdict in words in Processing Details. A text that names a problem is a rejection,
# one that names acceptance is an acceptance, and any other text counts as a rejection, so that staff read it.
REJECTED_WORDS = ("error", "reject", "invalid", "fail", "not found", "not match", "missing", "required", "must")
ACCEPTED_WORDS = ("accept", "success", "processed", "valid", "loaded", "created", "updated")


def returned_status(details: str) -> str:
    text = details.casefold()
    if any(word in text for word in REJECTED_WORDS):
        return IcareStatus.REJECTED
    if any(word in text for word in ACCEPTED_WORDS):
        return IcareStatus.ACCEPTED
    return IcareStatus.REJECTED


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


def returned_rows(upload: IO[bytes]) -> list[ReturnedRow]:
    """The client rows of an uploaded Client Profile file, or ReturnedFileError saying what is wrong."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as error:
        raise ReturnedFileError(
            _("This file is not an Excel workbook (.xlsx). Upload the Client Profile file iCARE sent back, as it came.")
        ) from error
    try:
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
        for number, values in enumerate(
            sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=4, values_only=True), start=FIRST_DATA_ROW
        ):
            details, id_type, id_value, born = (tuple(values) + (None,) * 4)[:4]
            if not any(text_of(v) for v in (details, id_type, id_value, born)):
                continue
            rows.append(ReturnedRow(number, text_of(details), text_of(id_type), text_of(id_value), date_of(born)))
    finally:
        workbook.close()
    if not rows:
        raise ReturnedFileError(
            _("The file has no client rows (they start at row %(row)s): nothing was recorded.")
            % {"row": FIRST_DATA_ROW}
        )
    return rows


def chunks(items: list[ReturnedRow], size: int) -> Iterator[list[ReturnedRow]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def icare_returned_apply(*, agency: Agency, upload: IO[bytes]) -> ReturnedSummary:
    """Mark each client of the returned file accepted or rejected, with iCARE's words.

    A row is matched as iCARE matches it: identifier type + value + date of birth, to the agency's client,
    and its verdict goes on that client's latest export. The whole file is read and checked before anything
    is written; ReturnedFileError leaves everything as it was.
    """
    rows = returned_rows(upload)
    summary = ReturnedSummary()
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
                if export_row.status == IcareStatus.ACCEPTED:
                    summary.accepted += 1
                else:
                    summary.rejected += 1
            IcareExportRow.objects.bulk_update(changed, ["status", "message", "updated_at"])
    summary.unmatched.sort(key=lambda item: item[0])
    return summary
