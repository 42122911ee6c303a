"""The audit's hostile requests (issue 17), sent again: what each now gets, and how long it takes.

Each request goes through the whole middleware stack (django.test.Client, logged in as the demo manager); a returned
iCARE file is also read as the worker reads it, timed, then read again under tracemalloc for its peak memory.
"""

import gc
import io
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from demo.bench import timed
from reports.icare.file import CODES, SHEET_NAME
from reports.icare.returned import ReturnedFileError, returned_rows

SHEET = "xl/worksheets/sheet1.xml"
CONTENT_TYPES = "[Content_Types].xml"
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
# Ten levels of entities, each ten of the one below: a billion "lol"s if expanded.
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n + 1} "{f"&lol{n};" * 10 if n else "&lol;" * 10}">' for n in range(9))
    + "]>"
)


@dataclass(frozen=True)
class HostileResult:
    request: str
    answer: str  # the status and what the user is told
    seconds: float
    peak_mib: float | None = None  # the worker's read, for a returned file


# The files


def workbook_bytes() -> bytes:
    """A Client Profile file as iCARE sends it back, with one client."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(["Client Profile"])
    sheet.append(CODES)
    sheet.append(["labels"])
    sheet.append(["Record accepted", "FOSS/GCMS Client ID", "1111-1111", "1990-04-12"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rewritten(part: str, change: Callable[[str], str] | None = None, extra: dict[str, Iterable[bytes]] | None = None):
    """The workbook with one part's XML changed, and extra parts written chunk by chunk."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part and change:
                data = change(data.decode()).encode()
            target.writestr(item, data, zipfile.ZIP_DEFLATED)
        for name, chunks in (extra or {}).items():
            with target.open(name, "w") as member:
                for chunk in chunks:
                    member.write(chunk)
    return out.getvalue()


def with_rows(count: int) -> bytes:
    def change(xml: str) -> str:
        rows = "".join(f'<row r="{n}"><c r="C{n}"><v>{n}</v></c></row>' for n in range(5, 5 + count))
        return re.sub(r"<dimension [^>]*/>", "", xml.replace("</sheetData>", rows + "</sheetData>"))

    return rewritten(SHEET, change)


def with_shared_string(megabytes: int) -> bytes:
    def register(xml: str) -> str:
        override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS}" />'
        return xml.replace("</Types>", override + "</Types>")

    string = [b"<sst><si><t>"] + [b"A" * 1024 * 1024] * megabytes + [b"</t></si></sst>"]
    return rewritten(CONTENT_TYPES, register, extra={"xl/sharedStrings.xml": string})


def with_wide_row(cells: int) -> bytes:
    row = '<row r="5">' + "<c/>" * cells + "</row>"
    return rewritten(SHEET, lambda xml: xml.replace("</sheetData>", row + "</sheetData>"))


def truncated() -> bytes:
    return rewritten(SHEET, lambda xml: xml[: len(xml) // 2])


def entity_expansion() -> bytes:
    def change(xml: str) -> str:
        xml = re.sub(r"^<\?xml[^>]*\?>", "", xml)
        return LAUGHS + xml.replace("<sheetData>", "<sheetData><row r='9'><c r='A9' t='inlineStr'><is><t>&lol9;</t>")

    return rewritten(SHEET, change)


# The requests


def said(response, *messages: str) -> str:
    """The status, and which of the messages the page shows."""
    text = response.content.decode(errors="replace")
    shown = [message for message in messages if message in text]
    return f"{response.status_code}" + (f", “{shown[0]}”" if shown else "")


def logged_in(username: str) -> Client:
    browser = Client()
    browser.force_login(get_user_model().objects.get(username=username))
    return browser


def wizard_requests(browser: Client) -> list[HostileResult]:
    results = []
    step = browser.post(reverse("registration:draft-create"))["Location"].rstrip("/").rsplit("/", 1)[0]
    name = {"first_name": "Am\x00ara", "last_name": "Okafor", "go": "next"}
    response, seconds = timed(lambda: browser.post(f"{step}/primary/", name))
    results.append(HostileResult("NUL in a wizard field (First Name)", said(response, "control character"), seconds))

    code = {"first_name": "Amara", "last_name": "Okafor", "family_code": "F-²²²²-A", "go": "next"}
    response, seconds = timed(lambda: browser.post(f"{step}/primary/", code))
    results.append(HostileResult("family code F-²²²²-A", said(response, "not a family code"), seconds))
    steps = ("primary", "immigration", "identification", "contact", "summary")
    pages, seconds = timed(lambda: [browser.get(f"{step}/{name}/").status_code for name in steps])
    results.append(HostileResult("  then every later step (GET)", ", ".join(map(str, sorted(set(pages)))), seconds))

    # The audit's 221-byte POST.
    body = "identifiers-TOTAL_FORMS=2000&identifiers-INITIAL_FORMS=0&go=next"
    response, seconds = timed(
        lambda: browser.post(f"{step}/identification/", body, content_type="application/x-www-form-urlencoded")
    )
    results.append(HostileResult("identifiers-TOTAL_FORMS=2000", said(response, "At most 10 rows"), seconds))
    response, seconds = timed(lambda: browser.get(f"{step}/identification/"))
    results.append(HostileResult("  then the step (GET)", str(response.status_code), seconds))
    return results


def returned_requests(browser: Client, files: dict[str, Callable[[], bytes]]) -> list[HostileResult]:
    results = []
    for name, build in files.items():
        content = build()
        upload = {"file": SimpleUploadedFile("ClientProfile_returned.xlsx", content)}
        response, seconds = timed(lambda upload=upload: browser.post(reverse("reports:icare-returned-upload"), upload))
        size = f"{len(content) / 1024:,.0f} KB" if len(content) < 2**20 else f"{len(content) / 2**20:,.1f} MB"
        results.append(HostileResult(f"returned file: {name} ({size}), upload", str(response.status_code), seconds))
        answer, seconds = timed(lambda content=content: worker_read(content))
        gc.collect()
        tracemalloc.start()
        worker_read(content)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results.append(HostileResult("  the worker's read", answer, seconds, peak / 2**20))
    return results


def worker_read(content: bytes) -> str:
    try:
        return f"read: {len(returned_rows(io.BytesIO(content)))} rows"
    except ReturnedFileError as error:
        return f"refused: “{str(error)[:70]}…”"


def too_large_upload(browser: Client, megabytes: int) -> HostileResult:
    upload = SimpleUploadedFile("ClientProfile_returned.xlsx", b"PK" + b"\0" * (megabytes * 2**20))
    response, seconds = timed(lambda: browser.post(reverse("reports:icare-returned-upload"), {"file": upload}))
    return HostileResult(f"an upload of {megabytes} MB", said(response, "larger than 30 MB"), seconds)


def new_presses(username: str, browsers: int, presses: int) -> HostileResult:
    """New pressed by several people at once, each in a thread of their own with a database connection of its own."""
    url = reverse("registration:family-code-new")

    def press(count: int) -> list[str]:
        browser = logged_in(username)
        try:
            return [re.search(r'value="([^"]*)"', browser.get(url).content.decode())[1] for _ in range(count)]
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=browsers) as pool:
        codes = [code for batch in pool.map(press, [presses // browsers] * browsers) for code in batch]
    seconds = time.perf_counter() - started
    twice = len(codes) - len(set(codes))
    return HostileResult(f"New, {len(codes)} presses by {browsers} people at once", f"{twice} codes twice", seconds)


def hostile_bench(
    *, rows: int = 600_000, shared_megabytes: int = 300, upload_megabytes: int = 40
) -> list[HostileResult]:
    browser = logged_in("manager")
    results = wizard_requests(browser)
    results.append(too_large_upload(browser, upload_megabytes))
    files = {
        f"{rows:,} rows": lambda: with_rows(rows),
        f"one {shared_megabytes} MB shared string": lambda: with_shared_string(shared_megabytes),
        "one row of 1,000,000 cells": lambda: with_wide_row(1_000_000),
        "truncated XML": truncated,
        "entity expansion": entity_expansion,
    }
    results += returned_requests(browser, files)
    results.append(new_presses("manager", browsers=4, presses=400))
    return results
