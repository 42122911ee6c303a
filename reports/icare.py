"""The iCARE Client Profile bulk upload: which clients are ready, the file for IRCC, and the file IRCC sends back.

Readiness is `clients.rules.icare_missing`, the rules behind the yellow fields: nothing here restates them.
The file follows IRCC's template (agencies/data/icare/client_profile_template.json) cell for cell, and is
written row by row (openpyxl's write-only workbook, streamed to a temporary file; clients read in chunks), so a
whole agency's export holds in memory one chunk of clients and 8 bytes per exported client.
"""

import hashlib
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import transaction
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery, TextChoices
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from phonenumber_field.phonenumber import PhoneNumber

from agencies.lists import icare_template
from agencies.models import Agency, Program
from clients.models import Client, Identifier, identifier_key
from clients.rules import Rule, facts_from_client, icare_missing
from clients.sections import EDITABLE_SECTIONS, section_named
from reports.models import IcareExport, IcareExportRow, IcareStatus

TEMPLATE = icare_template()
LAYOUT = TEMPLATE["layout"]
COLUMNS = TEMPLATE["columns"]
CODES = [column["code"] for column in COLUMNS]
SHEET_NAME = LAYOUT["sheet_name"]
FIRST_DATA_ROW = LAYOUT["first_data_row"]

# Clients read, and export rows written, this many at a time: memory stays flat whatever the agency's size.
CHUNK = 2000
# The check page names at most this many clients in each list; the counts are always whole.
SHOWN = 500


class Include(TextChoices):
    NEW = "new", _("Only clients not yet exported")
    CHANGED = "changed", _("Also clients changed since their upload")
    ALL = "all", _("Every client, exported or not (re-export)")


# Which clients


def icare_candidates(
    *,
    agency: Agency,
    date_from: date,
    date_to: date,
    program: Program | None = None,
    include: str = Include.NEW,
) -> QuerySet[Client]:
    """The agency's named clients registered in the dates (and in the program), with their latest export.

    Each client carries `exported_at` (when the latest file holding it was made, or None) and `icare_status`.
    """
    latest = IcareExportRow.objects.filter(client=OuterRef("pk")).order_by("-export__created_at", "-pk")
    clients = (
        Client.objects.for_agency(agency)
        .named()
        .filter(registration_date__range=(date_from, date_to))
        .annotate(
            exported_at=Subquery(latest.values("export__created_at")[:1]),
            icare_status=Subquery(latest.values("status")[:1]),
        )
    )
    if program is not None:
        clients = clients.filter(program_statuses__program=program)
    if include == Include.NEW:
        clients = clients.filter(exported_at__isnull=True)
    elif include == Include.CHANGED:
        clients = clients.filter(Q(exported_at__isnull=True) | Q(updated_at__gt=F("exported_at")))
    return clients


def changed_since_upload(
    *, agency: Agency, date_from: date, date_to: date, program: Program | None = None
) -> QuerySet[Client]:
    """Clients in the dates edited after the latest file that held them."""
    clients = icare_candidates(
        agency=agency, date_from=date_from, date_to=date_to, program=program, include=Include.ALL
    )
    return clients.filter(exported_at__isnull=False, updated_at__gt=F("exported_at"))


def with_icare_parts(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Everything the rules and the file read, fetched with the clients (per chunk when iterated)."""
    return clients.select_related("official_language", "province", "street_type", "street_direction").prefetch_related(
        Prefetch("identifiers", queryset=Identifier.objects.select_related("identifier_type__icare_value")),
        "consent_contacts",
    )


# The readiness check


@dataclass(frozen=True)
class Missing:
    """One thing that keeps a client from iCARE, and where in the profile it is fixed."""

    label: str | Promise
    section: str | Promise
    url: str


@dataclass
class Checked:
    client: Client
    missing: list[Missing]

    @property
    def exported_at(self) -> datetime | None:
        return getattr(self.client, "exported_at", None)

    @property
    def changed_since_upload(self) -> bool:
        return self.exported_at is not None and self.client.updated_at > self.exported_at

    @property
    def status_label(self) -> str | Promise:
        status = getattr(self.client, "icare_status", None)
        return IcareStatus(status).label if status else ""


@dataclass
class CheckResult:
    ready: list[Checked] = field(default_factory=list)
    not_ready: list[Checked] = field(default_factory=list)
    ready_count: int = 0
    not_ready_count: int = 0


def missing_of(client: Client, rules: list[Rule]) -> list[Missing]:
    found = []
    for rule in rules:
        section = section_named(rule.step)
        url = ""
        if rule.step in EDITABLE_SECTIONS:
            url = reverse("registration:section-edit", kwargs={"code": client.code, "section": rule.step})
        found.append(Missing(label=rule.label, section=section.title, url=url))
    return found


def icare_readiness(clients: QuerySet[Client], *, shown: int = SHOWN) -> CheckResult:
    """Split clients into Ready and Not ready, each Not ready one with what is missing; names `shown` of each."""
    result = CheckResult()
    for client in with_icare_parts(clients).iterator(chunk_size=CHUNK):
        rules = icare_missing(facts_from_client(client))
        if rules:
            result.not_ready_count += 1
            if len(result.not_ready) < shown:
                result.not_ready.append(Checked(client, missing_of(client, rules)))
        else:
            result.ready_count += 1
            if len(result.ready) < shown:
                result.ready.append(Checked(client, []))
    return result


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


def icare_identifier(client: Client) -> Identifier | None:
    """The identifier iCARE matches the client on: the first of IRCC's types (in IRCC's order) with a value."""
    usable = [i for i in client.identifiers.all() if i.identifier_type.icare_value_id is not None and i.value]
    return min(usable, key=lambda i: (i.identifier_type.icare_value.position, i.pk), default=None)


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
    """Write the Client Profile file of the chosen clients that are ready, and record the export.

    `destination` is a seekable binary file; it is left at its start. Raises NothingToExportError (and records
    nothing) when no chosen client is ready.
    """
    with transaction.atomic():
        export = IcareExport.objects.create(
            agency=agency, created_by=created_by, date_from=date_from, date_to=date_to, program=program
        )
        clients = icare_candidates(
            agency=agency, date_from=date_from, date_to=date_to, program=program, include=include
        ).order_by("number")
        # The export's rows are written once the clients are read: inserted while the cursor is open, they
        # would lengthen every later look-up of "exported before?" in that cursor. Their ids wait compactly.
        exported = array("q")
        workbook = sheet = None  # made with the first ready client: no client ready, no file
        try:
            for client in with_icare_parts(clients).iterator(chunk_size=CHUNK):
                if icare_missing(facts_from_client(client)):
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
        for start in range(0, len(exported), CHUNK):
            IcareExportRow.objects.bulk_create(
                [IcareExportRow(export=export, client_id=pk) for pk in exported[start : start + CHUNK]]
            )
        destination.seek(0)
        export.sha256 = hashlib.file_digest(destination, "sha256").hexdigest()
        export.client_count = len(exported)
        export.save(update_fields=["sha256", "client_count"])
    destination.seek(0)
    return export


def export_filename(export: IcareExport) -> str:
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    return f"icare-client-profile-{export.date_from:%Y%m%d}-{export.date_to:%Y%m%d}-{stamp}.xlsx"


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


def latest_icare_row(client: Client) -> IcareExportRow | None:
    """The client's row in the latest file that held it: what iCARE last said of the client."""
    return client.icare_rows.select_related("export__created_by").order_by("-export__created_at", "-pk").first()
