"""reports/pdf.py: HTML to PDF without the network, with the fonts inside the file."""

import io
import logging
import re

import pytest
from pypdf import PdfReader

from reports.documents import documents_warm_up
from reports.pdf import STATIC_DIR, OfflineFetchError, _weasyprint, pdf_render

# client_record is a fixture: the client of the documents' own tests, with a family, programs, sessions and matches.
from tests.reports.test_documents import client_record, document_url, pdf_of, text_of  # noqa: F401


def fetcher():
    return _weasyprint()[1]()


def test_it_renders_french_text_with_its_fonts_embedded():
    pdf = pdf_render(
        '<html lang="fr" style="font-family: DejaVu Sans"><body>'
        "<h1>Reçu d’inscription</h1><p>Zoë Bélanger « élève »</p></body></html>"
    )

    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "Reçu d’inscription" in text
    assert "Zoë Bélanger « élève »" in text
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        # DejaVu is TrueType: embedded, its program is the descriptor's FontFile2 (FontFile3 holds CFF fonts).
        assert re.search(r"DejaVu", font["/BaseFont"])
        assert "/FontFile2" in descriptor, "every font must be embedded"


@pytest.mark.parametrize("url", ["http://example.com/logo.png", "https://example.com/font.woff2", "ftp://x/y"])
def test_it_never_fetches_from_the_network(url):
    with pytest.raises(OfflineFetchError):
        fetcher().fetch(url)


def test_it_refuses_files_outside_the_static_folder():
    with pytest.raises(OfflineFetchError):
        fetcher().fetch("file:///etc/hostname")
    with pytest.raises(OfflineFetchError):
        fetcher().fetch((STATIC_DIR / ".." / "manage.py").as_uri())


def test_it_reads_files_of_the_static_folder():
    response = fetcher().fetch((STATIC_DIR / "css" / "ocms.css").as_uri())

    assert b"--ocms-navy" in response.read()
    response.close()


# The audit's payloads: a document that asks for a file outside the static folder gets neither its content nor
# an attachment of it, whatever the spelling of the URL.
PASSWD = "root:x:0:0"
AUDIT_URLS = [
    "FILE:///etc/passwd",
    "File:///etc/passwd",
    "file://localhost/etc/passwd",
    "file:///etc/%70asswd",
    (STATIC_DIR / "css").as_uri() + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    (STATIC_DIR / "css").as_uri() + "/../../../../../../../../etc/passwd",
    "../../../../../../../../etc/passwd",
]


def pdf_bytes_and_text(pdf: bytes) -> tuple[bytes, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return pdf, " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("url", AUDIT_URLS)
def test_it_embeds_no_file_outside_the_static_folder(url, caplog):
    html = (
        f'<html><head><link rel="attachment" href="{url}"><link rel="stylesheet" href="{url}"></head>'
        f'<body><p>Receipt</p><img src="{url}" alt=""><a rel="attachment" href="{url}">file</a></body></html>'
    )

    with caplog.at_level("WARNING", logger="reports.pdf"):
        pdf = pdf_render(html)

    raw, text = pdf_bytes_and_text(pdf)
    assert b"/EmbeddedFile" not in raw
    assert PASSWD.encode() not in raw
    assert PASSWD not in text
    assert "Receipt" in text
    assert any("outside the static folder: refused" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("url", AUDIT_URLS[:4])
def test_the_fetcher_refuses_each_spelling_of_a_file_url(url):
    with pytest.raises(OfflineFetchError):
        fetcher().fetch(url)


def test_the_fetcher_still_reads_a_static_file_spelled_with_an_upper_case_scheme():
    response = fetcher().fetch("FILE://" + (STATIC_DIR / "css" / "ocms.css").as_uri().removeprefix("file://"))

    assert b"--ocms-navy" in response.read()
    response.close()


# Tagged PDFs (PDF/UA-1): what a screen reader finds in a document, read back from the file's structure tree.


def structure(node, inside: tuple[str, ...] = ()) -> list[tuple[str, tuple[str, ...]]]:
    """Every structure element under `node`, as its type ("H1", "Table", ...) and the types it is inside."""
    node = node.get_object()
    if isinstance(node, list):
        return [found for kid in node for found in structure(kid, inside)]
    if not isinstance(node, dict) or "/S" not in node:
        return []
    kind = str(node["/S"]).lstrip("/")
    found = [(kind, inside)]
    kids = node.get("/K")
    if kids is not None and not isinstance(kids, int):
        found += structure(kids, (*inside, kind))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("document", ["receipt", "history", "mentor-history", "card"])
def test_every_document_is_a_tagged_pdf_in_its_language(caseworker_client, client_record, document, lang):  # noqa: F811
    reader = pdf_of(caseworker_client.get(document_url(client_record, document, format="pdf", lang=lang)))

    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == lang
    elements = structure(catalog["/StructTreeRoot"]["/K"])
    kinds = [kind for kind, _inside in elements]
    # The client's name or the document's title is its first heading.
    assert "H1" in kinds
    # Layout is no table: no heading sits in a table cell, and a table is only what holds data.
    for kind, inside in elements:
        if kind.startswith("H") and kind[1:].isdigit():
            assert "Table" not in inside, f"{kind} inside a table: {inside}"
    if document != "card":
        assert "H2" in kinds
        assert {"Table", "TR", "TH", "TD"} <= set(kinds)


@pytest.mark.django_db
def test_the_receipt_reads_in_order_as_headings_and_tables(caseworker_client, client_record):  # noqa: F811
    reader = pdf_of(caseworker_client.get(document_url(client_record, "receipt", format="pdf", lang="fr")))

    kinds = [kind for kind, _inside in structure(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])]
    headings = [kind for kind in kinds if kind in {"H1", "H2"}]
    # The title, then Client, Family, Programs and the Privacy/Confidentiality Statement.
    assert headings == ["H1", "H2", "H2", "H2", "H2"]
    assert kinds.count("Table") == 4  # the client's facts, the family code, the family members, the programs


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "footer"), [("en", "Page 1 of 1"), ("fr", "Page 1 de 1")])
def test_the_shared_css_is_parsed_at_warm_up_only(caseworker_client, client_record, monkeypatch, lang, footer):  # noqa: F811
    import weasyprint.css

    documents_warm_up()
    parsed = []
    parse = weasyprint.css.CSS
    monkeypatch.setattr(
        weasyprint.css, "CSS", lambda *args, **kwargs: parsed.append(kwargs["string"]) or parse(*args, **kwargs)
    )

    reader = pdf_of(caseworker_client.get(document_url(client_record, "receipt", lang=lang)))

    # The letter documents' shared CSS applies (its @page rules give the letter size and the footer) without being
    # parsed again for this print: only the receipt's own few rules are.
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == (612, 792)
    assert footer in text_of(reader)
    assert parsed and not any("@page" in css for css in parsed)


def test_every_document_and_its_css_print_without_a_warning(caplog):
    # WeasyPrint warns of what it skips (a rule it cannot read, a property it does not know): a sign of a style that
    # silently does nothing.
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        documents_warm_up()

    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []
