"""Hostile files sent as the file iCARE sends back: each is refused with a message, read no further than needed to
know, and leaves every client as it was. Uploads larger than any Client Profile file are stopped as they arrive."""

import io
import os
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test import Client as Browser
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from agencies.jobs import JobStatus
from agencies.uploads import LimitedUploadHandler, upload_refused
from reports.icare import returned
from reports.models import IcareReturn
from tests.reports.test_icare import RETURNED_URL, XLSX, upload, workbook_bytes

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
NOT_A_WORKBOOK = "This file is not an Excel workbook (.xlsx) that can be read."
TOO_LARGE_UNPACKED = "This file unpacks to far more than any Client Profile file holds: it was not read."
TOO_MANY_ROWS = "This file has more than 250,000 rows, more than iCARE sends back: it was not read."
ROW_TOO_LONG = (
    "This file has a row of more than 100 cells, far more than the Client Profile's columns: it was not read. "
    "Upload the file iCARE sent back, as it came."
)
TOO_MANY_CELLS = "This file has more than 10,000 cells, more than iCARE sends back: it was not read."


def rewritten(content: bytes, part: str, change=None, *, extra: dict[str, object] | None = None) -> bytes:
    """The workbook with one part's XML changed, and extra parts (bytes, or an iterable of chunks) added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part and change:
                data = change(data.decode()).encode()
            target.writestr(item, data, zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            with target.open(name, "w") as member:
                for chunk in [data] if isinstance(data, bytes) else data:
                    member.write(chunk)
    return out.getvalue()


def with_rows(count: int, *, dimension: bool = True, prefix: str = ""):
    """A sheet of `count` more client rows after the template's; its dimension says so, or says nothing."""

    def change(xml: str) -> str:
        row = f"{prefix}row"
        rows = "".join(f'<{row} r="{n}"><c r="C{n}"><v>{n}</v></c></{row}>' for n in range(5, 5 + count))
        xml = xml.replace("</sheetData>", rows + "</sheetData>")
        if dimension:
            return re.sub(r'(<dimension ref="A1:[A-Z]+)\d+"', rf"\g<1>{4 + count}\"", xml)
        return re.sub(r"<dimension [^>]*/>", "", xml)

    return change


def one_string(megabytes: int) -> list[bytes]:
    """A shared-strings part of one string of this many megabytes, as chunks."""
    return [b"<sst><si><t>"] + [b"A" * 1024 * 1024] * megabytes + [b"</t></si></sst>"]


def refused(http, content: bytes) -> IcareReturn:
    page = upload(http, content)
    returned_file = IcareReturn.objects.get()
    assert returned_file.status == JobStatus.FAILED
    assertContains(page, escape(returned_file.error))
    return returned_file


@pytest.mark.parametrize(
    "change",
    [with_rows(600_000), with_rows(600_000, dimension=False), with_rows(600_000, prefix="x:")],
    ids=["declared", "undeclared", "prefixed"],
)
def test_600000_rows_are_refused_before_the_workbook_is_opened(manager_client, monkeypatch, change):
    opened = []
    monkeypatch.setattr(returned, "load_workbook", lambda *args, **kwargs: opened.append(args))

    assert refused(manager_client, rewritten(workbook_bytes(), SHEET, change)).error == TOO_MANY_ROWS
    assert opened == []


def test_as_many_rows_as_the_limit_are_read(manager_client, monkeypatch):
    monkeypatch.setattr(returned, "MAX_ROWS", 1_000)

    page = upload(manager_client, rewritten(workbook_bytes(), SHEET, with_rows(999, dimension=False)))

    assert IcareReturn.objects.get().status == JobStatus.DONE
    assertContains(page, "0 accepted, 0 rejected")


def test_a_300_mb_shared_string_is_refused_unread(manager_client):
    # 300 MB of one string packs into a few hundred kilobytes.
    content = rewritten(workbook_bytes(), SHEET, extra={"xl/sharedStrings.xml": one_string(300)})
    assert len(content) < 2 * 1024 * 1024

    assert refused(manager_client, content).error.startswith(TOO_LARGE_UNPACKED)


SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def registered(*parts: tuple[str, str]):
    """[Content_Types].xml with these parts registered, each as its content type."""

    def change(xml: str) -> str:
        overrides = "".join(f'<Override PartName="/{name}" ContentType="{kind}" />' for name, kind in parts)
        return xml.replace("</Types>", overrides + "</Types>")

    return change


def test_a_95_mb_shared_strings_part_registered_as_such_is_refused_unread(manager_client, monkeypatch):
    # openpyxl reads the shared strings whole: 95 MB of them cost the worker twice that in memory.
    opened = []
    monkeypatch.setattr(returned, "load_workbook", lambda *args, **kwargs: opened.append(args))
    content = rewritten(
        workbook_bytes(),
        "[Content_Types].xml",
        registered(("xl/sharedStrings.xml", SHARED_STRINGS)),
        extra={"xl/sharedStrings.xml": one_string(95)},
    )

    assert refused(manager_client, content).error.startswith(TOO_LARGE_UNPACKED)
    assert opened == []


def test_a_worksheet_may_be_larger_than_a_part_read_whole(manager_client, monkeypatch):
    # Limits made small: a sheet is streamed a row at a time, so it may pass the limit of the shared strings.
    monkeypatch.setattr(returned, "MAX_PART_BYTES", 64 * 1024)
    monkeypatch.setattr(returned, "MAX_SHEET_BYTES", 1024 * 1024)

    page = upload(manager_client, rewritten(workbook_bytes(), SHEET, with_rows(4_000, dimension=False)))

    assert IcareReturn.objects.get().status == JobStatus.DONE
    assertContains(page, "0 accepted, 0 rejected")


@pytest.mark.parametrize(
    "kinds", [(SHARED_STRINGS,), (WORKSHEET, SHARED_STRINGS)], ids=["shared strings", "worksheet and shared strings"]
)
def test_a_part_registered_as_anything_but_a_worksheet_is_held_to_the_smaller_limit(manager_client, monkeypatch, kinds):
    monkeypatch.setattr(returned, "MAX_PART_BYTES", 64 * 1024)
    name = "xl/worksheets/strings.xml"
    content = rewritten(
        workbook_bytes(),
        "[Content_Types].xml",
        registered(*((name, kind) for kind in kinds)),
        extra={name: b"<sst><si><t>" + b"A" * 256 * 1024 + b"</t></si></sst>"},
    )

    assert refused(manager_client, content).error.startswith(TOO_LARGE_UNPACKED)


def wide_row(cells: int, *, prefix: str = ""):
    """One more row of `cells` empty cells: a file of a few kilobytes."""

    def change(xml: str) -> str:
        row = f'<{prefix}row r="5">' + f"<{prefix}c/>" * cells + f"</{prefix}row>"
        return xml.replace("</sheetData>", row + "</sheetData>")

    return change


@pytest.mark.parametrize("prefix", ["", "x:"], ids=["plain", "prefixed"])
def test_a_row_of_a_million_cells_is_refused_before_the_workbook_is_opened(manager_client, monkeypatch, prefix):
    # 34 KB of file; openpyxl would build the whole row: hundreds of megabytes, seconds of the worker.
    opened = []
    monkeypatch.setattr(returned, "load_workbook", lambda *args, **kwargs: opened.append(args))
    content = rewritten(workbook_bytes(), SHEET, wide_row(1_000_000, prefix=prefix))
    assert len(content) < 100 * 1024

    assert refused(manager_client, content).error == ROW_TOO_LONG
    assert opened == []


def test_a_row_as_wide_as_the_limit_is_read(manager_client):
    page = upload(manager_client, rewritten(workbook_bytes(), SHEET, wide_row(returned.MAX_ROW_CELLS)))

    assert IcareReturn.objects.get().status == JobStatus.DONE
    assertContains(page, "0 accepted, 0 rejected")


def test_more_cells_in_all_than_the_limit_are_refused(manager_client, monkeypatch):
    monkeypatch.setattr(returned, "MAX_CELLS", 10_000)

    def change(xml: str) -> str:
        rows = "".join(f'<row r="{n}">' + "<c><v>1</v></c>" * 20 + "</row>" for n in range(5, 505))
        return xml.replace("</sheetData>", rows + "</sheetData>")

    assert refused(manager_client, rewritten(workbook_bytes(), SHEET, change)).error == TOO_MANY_CELLS


def test_parts_that_unpack_past_the_total_are_refused(manager_client, monkeypatch):
    monkeypatch.setattr(returned, "MAX_PART_BYTES", 3 * 1024 * 1024)
    monkeypatch.setattr(returned, "MAX_UNCOMPRESSED_BYTES", 5 * 1024 * 1024)
    parts = {f"xl/media/image{n}.bin": [b"\0" * 1024 * 1024] * 2 for n in range(3)}

    assert refused(manager_client, rewritten(workbook_bytes(), SHEET, extra=parts)).error.startswith(TOO_LARGE_UNPACKED)


def test_a_workbook_of_too_many_parts_is_refused(manager_client):
    parts = {f"xl/media/image{n}.bin": b"x" for n in range(returned.MAX_PARTS)}

    assert refused(manager_client, rewritten(workbook_bytes(), SHEET, extra=parts)).error.startswith(NOT_A_WORKBOOK)


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml[: len(xml) // 2],
        lambda xml: xml.replace("<sheetData>", "<sheetData><row><c><v>1</c></row>"),
    ],
    ids=["truncated", "malformed"],
)
def test_a_sheet_of_broken_xml_is_refused(manager_client, change):
    assert refused(manager_client, rewritten(workbook_bytes(), SHEET, change)).error.startswith(NOT_A_WORKBOOK)


def test_an_archive_cut_short_is_refused_at_once_next_to_the_field(manager_client):
    content = workbook_bytes()

    page = manager_client.post(RETURNED_URL, {"file": SimpleUploadedFile("r.xlsx", content[: len(content) // 2])})

    assert [str(error) for error in page.context["returned_form"].errors["file"]] == [str(returned.NOT_A_WORKBOOK)]
    assertContains(page, escape(returned.NOT_A_WORKBOOK))
    assert not IcareReturn.objects.exists()


def test_an_archive_whose_parts_are_cut_is_refused_by_the_worker(manager_client):
    # The archive's directory is whole, a part's data is not.
    content = bytearray(workbook_bytes())
    start = content.index(b"PK\x03\x04", 100)
    content[start + 40 : start + 400] = b"\0" * 360

    assert refused(manager_client, bytes(content)).error.startswith(NOT_A_WORKBOOK)


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n + 1} "{f"&lol{n};" * 10 if n else "&lol;" * 10}">' for n in range(9))
    + "]>"
)


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml"])
def test_entities_that_expand_are_refused_not_expanded(manager_client, part):
    def change(xml: str) -> str:
        xml = re.sub(r"^<\?xml[^>]*\?>", "", xml)
        return LAUGHS + xml.replace("<sheetData>", "<sheetData><row r='9'><c r='A9' t='inlineStr'><is><t>&lol9;</t>")

    assert refused(manager_client, rewritten(workbook_bytes(), part, change)).error.startswith(NOT_A_WORKBOOK)


TOO_LARGE_FILE = "This file is larger than 30 MB: upload the Client Profile file iCARE sent back."


def csrf_checking(staff) -> Browser:
    """A test client that checks CSRF tokens as the middleware does for a real browser."""
    browser = Browser(enforce_csrf_checks=True)
    browser.force_login(staff.user)
    return browser


def multipart(fields: list[tuple[str, bytes]], *, file: bytes) -> bytes:
    """A form's body as a browser sends it: its fields in the page's order (the CSRF token first), then the file."""
    parts = [
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value + b"\r\n"
        for name, value in fields
    ]
    parts.append(
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="r.xlsx"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + file + b"\r\n"
    )
    return b"".join(parts) + b"--BOUNDARY--\r\n"


@pytest.fixture
def file_read(monkeypatch) -> list[int]:
    """The sizes of the chunks of an uploaded file the upload handlers were given."""
    chunks: list[int] = []
    receive = LimitedUploadHandler.receive_data_chunk

    def counted(self, raw_data: bytes, start: int) -> bytes:
        chunks.append(len(raw_data))
        return receive(self, raw_data, start)

    monkeypatch.setattr(LimitedUploadHandler, "receive_data_chunk", counted)
    return chunks


def test_an_upload_larger_than_the_limit_from_a_browser_gets_the_form_and_its_message(manager, settings, file_read):
    # A real browser sends the CSRF token; the page must answer with the form, not with a refusal for a lost token.
    settings.OCMS_MAX_UPLOAD_BYTES = 64 * 1024
    browser = csrf_checking(manager)
    token = browser.get(reverse("reports:icare-check")).context["csrf_token"]
    body = multipart([("csrfmiddlewaretoken", str(token).encode())], file=os.urandom(1024 * 1024))

    response = browser.generic("POST", RETURNED_URL, body, content_type="multipart/form-data; boundary=BOUNDARY")

    assert response.status_code == 200
    assert response.context["returned_form"].errors == {"file": [TOO_LARGE_FILE]}
    assertContains(response, TOO_LARGE_FILE)
    assert file_read == []  # refused by its Content-Length, at the start of the file
    assert not IcareReturn.objects.exists()


def test_an_upload_larger_than_the_limit_without_the_csrf_token_is_still_refused_for_it(manager, settings):
    settings.OCMS_MAX_UPLOAD_BYTES = 64 * 1024
    body = multipart([], file=os.urandom(1024 * 1024))

    response = csrf_checking(manager).generic(
        "POST", RETURNED_URL, body, content_type="multipart/form-data; boundary=BOUNDARY"
    )

    assert response.status_code == 403
    assert not IcareReturn.objects.exists()


def test_a_returned_file_of_normal_size_still_needs_the_csrf_token(manager):
    content = SimpleUploadedFile("r.xlsx", workbook_bytes(), content_type=XLSX)

    response = csrf_checking(manager).post(RETURNED_URL, {"file": content})

    assert response.status_code == 403
    assert not IcareReturn.objects.exists()


def test_a_returned_file_of_normal_size_is_taken_with_the_csrf_token(manager):
    browser = csrf_checking(manager)
    token = browser.get(reverse("reports:icare-check")).context["csrf_token"]
    content = SimpleUploadedFile("r.xlsx", workbook_bytes(), content_type=XLSX)

    response = browser.post(RETURNED_URL, {"csrfmiddlewaretoken": str(token), "file": content})

    assert response.status_code == 302
    assert IcareReturn.objects.count() == 1


def test_an_upload_that_grows_past_the_limit_as_it_streams_is_stopped_there(rf, settings):
    # A body whose Content-Length was within the limit, yet whose file keeps coming (a stream that lies about its
    # length): the handler stops it at the chunk that goes past the limit, and the next handlers never see it.
    settings.OCMS_MAX_UPLOAD_BYTES = 200 * 1024
    request = rf.post("/")
    handler = LimitedUploadHandler(request)
    handler.handle_raw_input(None, {}, 100 * 1024, b"BOUNDARY")
    handler.new_file("file", "r.xlsx", XLSX, None)
    chunk = b"x" * 64 * 1024

    passed = [handler.receive_data_chunk(chunk, start) for start in range(0, 3 * len(chunk), len(chunk))]
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(chunk, 3 * len(chunk))

    assert passed == [chunk] * 3
    assert stopped.value.connection_reset
    assert upload_refused(request)


def test_a_sheet_that_does_not_say_its_size_is_still_read_with_its_true_progress():
    """Its rows, as the archive check counts them, stand for the size the dimension does not give: the progress says
    2,000 of about 4,000 rows halfway, not 2,000 of 2,000 and on."""
    beats = []
    content = rewritten(workbook_bytes(), SHEET, with_rows(4_000, dimension=False))

    returned.returned_rows(io.BytesIO(content), beat=lambda done, total: beats.append((done, total)))

    assert beats and all(total >= 4_000 for _done, total in beats)
    assert beats[0][0] < beats[0][1] / 2
