"""The one caller of WeasyPrint: an HTML template with print CSS, rendered to PDF bytes.

The PDFs are tagged (PDF/UA-1): a screen reader finds their headings, lists and tables, in the language of the
document's <html lang>. Layout is therefore never a <table> (templates/reports/_document_css.html).

Documents never reach the network. Their CSS is in the templates (the letter documents' shared sheet given apart
and parsed once: reports/documents.py) and their fonts are the machine's (DejaVu, through fontconfig), embedded in
the PDF; the only URLs WeasyPrint may open are data: URLs and files under the project's static folder.
"""

import logging
import os
import threading
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings

logger = logging.getLogger(__name__)
STATIC_DIR = Path(settings.BASE_DIR) / "static"


class OfflineFetchError(ValueError):
    """A document asked for something outside the static folder."""


@cache
def _weasyprint():
    # Imported on first use: WeasyPrint takes most of a second to import, and most processes never print.
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """data: URLs, and files under the static folder; never the network."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

        def fetch(self, url: str, headers: dict | None = None):
            static_file_check(url)
            return super().fetch(url, headers)

    return weasyprint, StaticOnlyFetcher, FontConfiguration


def static_file_check(url: str) -> None:
    """Refuse (and log) any URL but a data: URL or a file of the static folder.

    The scheme is compared in any case, the path decoded and normalised before it is checked, so neither
    `FILE:///etc/passwd` nor `file:///static/%2e%2e/...` gets out.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return
    if scheme == "file" and parts.netloc.lower() in ("", "localhost"):
        path = Path(os.path.normpath(url2pathname(unquote(parts.path))))
        if path.is_absolute() and path.resolve().is_relative_to(STATIC_DIR.resolve()):
            return
    logger.warning("A document asked for %s, outside the static folder: refused.", url[:200])
    raise OfflineFetchError("Documents may only use data: URLs and files of the static folder.")


_per_thread = threading.local()


def _prepared():
    """WeasyPrint, with a fetcher, a font configuration and the parsed shared stylesheets of this thread."""
    weasyprint, fetcher_class, font_configuration = _weasyprint()
    # Kept between renders, one set per thread: building a fetcher loads the system's TLS certificates (~80 ms),
    # a font configuration caches its font lookups, and a stylesheet is parsed once. None of them is safe to
    # share between threads rendering at the same time.
    if not hasattr(_per_thread, "font_config"):
        _per_thread.font_config = font_configuration()
        _per_thread.fetcher = fetcher_class()
        _per_thread.stylesheets = {}
    return weasyprint


def stylesheet_prepare(css: str):
    """`css` parsed, once per thread and text: the stylesheet that many documents share."""
    weasyprint = _prepared()
    if css not in _per_thread.stylesheets:
        _per_thread.stylesheets[css] = weasyprint.CSS(
            string=css, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_per_thread.fetcher
        )
    return _per_thread.stylesheets[css]


def pdf_render(html: str, *, shared_css: str = "") -> bytes:
    """PDF bytes of a complete HTML document; `shared_css`: a stylesheet of many documents that the HTML leaves
    out, applied under the document's own styles (as a user stylesheet) and parsed once (stylesheet_prepare)."""
    weasyprint = _prepared()
    stylesheets = [stylesheet_prepare(shared_css)] if shared_css else []
    document = weasyprint.HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_per_thread.fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=_per_thread.font_config, pdf_variant="pdf/ua-1")
