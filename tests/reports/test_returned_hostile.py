"""Hostile files sent as the file iCARE sends back: each is refused with a message, read no further than needed to
know, and leaves every client as it was. Uploads larger than any Client Profile file are stopped as they arrive."""

import io
import os
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from pytest_django.asserts import assertContains

from agencies.jobs import JobStatus
from reports.icare import returned
from reports.models import IcareReturn
from tests.reports.test_icare import RETURNED_URL, XLSX, upload, workbook_bytes

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
NOT_A_WORKBOOK = "This file is not an Excel workbook (.xlsx) that can be read."
TOO_LARGE_UNPACKED = "This file unpacks to far more than any Client Profile file holds: it was not read."
TOO_MANY_ROWS = "This file has more than 250,000 rows, more than iCARE sends back: it was not read."


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
    string = [b"<sst><si><t>"] + [b"A" * 1024 * 1024] * 300 + [b"</t></si></sst>"]
    content = rewritten(workbook_bytes(), SHEET, extra={"xl/sharedStrings.xml": string})
    assert len(content) < 2 * 1024 * 1024

    assert refused(manager_client, content).error.startswith(TOO_LARGE_UNPACKED)


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


def test_an_upload_larger_than_the_limit_is_refused_beside_the_field(manager_client, settings):
    settings.OCMS_MAX_UPLOAD_BYTES = 64 * 1024
    content = rewritten(workbook_bytes(), SHEET, extra={"xl/media/noise.bin": os.urandom(256 * 1024)})

    response = manager_client.post(RETURNED_URL, {"file": SimpleUploadedFile("r.xlsx", content, content_type=XLSX)})

    assert response.status_code == 200
    assert response.context["returned_form"].errors == {
        "file": ["This file is larger than 30 MB: upload the Client Profile file iCARE sent back."]
    }
    assert not IcareReturn.objects.exists()


def test_a_body_announced_larger_than_the_limit_is_refused_before_it_is_read(manager_client):
    body = (
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="file"; filename="r.xlsx"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\nPK\r\n--BOUNDARY--\r\n"
    )

    response = manager_client.generic(
        "POST",
        RETURNED_URL,
        body,
        content_type="multipart/form-data; boundary=BOUNDARY",
        CONTENT_LENGTH=str(10 * 1024**3),  # 10 GB announced; reading it would fail on the short body
    )

    assert response.status_code == 200
    assertContains(response, "This file is larger than 30 MB")
    assert not IcareReturn.objects.exists()
