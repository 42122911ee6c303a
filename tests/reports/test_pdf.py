"""reports/pdf.py: HTML to PDF without the network, with the fonts inside the file."""

import io
import re

import pytest
from pypdf import PdfReader

from reports.pdf import STATIC_DIR, OfflineFetchError, _weasyprint, pdf_render


def fetcher():
    return _weasyprint()[1]()


def test_it_renders_french_text_with_its_fonts_embedded():
    pdf = pdf_render('<html lang="fr"><body><h1>Reçu d’inscription</h1><p>Zoë Bélanger « élève »</p></body></html>')

    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "Reçu d’inscription" in text
    assert "Zoë Bélanger « élève »" in text
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, "every font must be embedded"
        assert re.search(r"DejaVu", font["/BaseFont"])


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
