"""No cold start: a server process prepares WeasyPrint and every document as it starts (ocms/wsgi.py), so that
its first document costs what the next ones do. (`make bench` times the first one of a fresh process.)"""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from reports import pdf
from reports.documents import DOCUMENTS, documents_warm_up

pytestmark = pytest.mark.django_db


def test_the_warm_up_prints_every_document_without_touching_the_database(django_assert_num_queries, monkeypatch):
    printed = []
    render = pdf.pdf_render
    monkeypatch.setattr(pdf, "pdf_render", lambda html, **options: printed.append(render(html, **options)))

    with django_assert_num_queries(0):
        documents_warm_up()

    assert len(printed) == len(DOCUMENTS)
    assert all(document.startswith(b"%PDF-") for document in printed)


def fresh_process(script: str) -> str:
    """What `script` prints, run by a fresh interpreter of this project (as gunicorn starts one)."""
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=os.environ, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def test_a_server_process_is_warm_once_its_application_is_loaded():
    # A fresh interpreter, as gunicorn starts one: nothing of WeasyPrint is loaded until the application is.
    script = (
        "import sys, django; django.setup(); from reports import pdf; "
        "before = 'weasyprint' in sys.modules; import ocms.wsgi; "
        "import gc; print(before, 'weasyprint' in sys.modules, hasattr(pdf._per_thread, 'font_config'), "
        "gc.get_freeze_count() > 0)"
    )
    printed = fresh_process(script)

    # ...and what it has loaded is set apart from the garbage collector's full collections.
    assert printed.split() == ["False", "True", "True", "True"]


def test_a_server_process_has_its_urls_indexed_for_reverse_in_every_language():
    # Without it, the first reverse() of each worker, in each language, indexed every URL (some 30 ms of its first
    # page). Django keeps the index by language (URLResolver._reverse_dict); a namespace's in its own resolver.
    script = (
        "import django; django.setup(); import ocms.wsgi; from django.urls import get_resolver; "
        "root = get_resolver(); clients = root.namespace_dict['clients'][1]; "
        "print(sorted(root._reverse_dict), sorted(clients._reverse_dict))"
    )
    printed = fresh_process(script)

    assert printed.strip() == "['en', 'fr'] ['en', 'fr']"
