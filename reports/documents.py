"""The client documents of the profile's Report menu: what each one shows, and in which template.

A document's context holds only what it prints. Sensitive information is never read here, so no
template could show it by mistake.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clients.models import Client, MatchKind, MentorMatch, Session


def receipt_context(client: Client) -> dict[str, Any]:
    family = client.relatives()
    return {"family": family, "programs": client.program_statuses.select_related("program")}


def card_context(client: Client) -> dict[str, Any]:
    return {}


def history_context(client: Client) -> dict[str, Any]:
    sessions = list(Session.objects.of_client(client).order_by("date", "created_at", "pk"))
    return {
        "sessions": sessions,
        "total_minutes": sum(session.duration_minutes for session in sessions),
        "first_date": sessions[0].date if sessions else None,
        "last_date": sessions[-1].date if sessions else None,
    }


def mentor_history_context(client: Client) -> dict[str, Any]:
    matches = list(
        MentorMatch.objects.for_agency(client.agency)
        .filter(client=client)
        .select_related("program")
        .order_by("start_date", "pk")
    )
    return {
        "matches": matches,
        "mentor_count": sum(match.kind == MatchKind.MENTOR for match in matches),
        "tutor_count": sum(match.kind == MatchKind.TUTOR for match in matches),
        "active_count": sum(match.is_current for match in matches),
    }


@dataclass(frozen=True)
class Document:
    slug: str
    title: str | Promise
    template: str
    context: Callable[[Client], dict[str, Any]]
    empty: dict[str, Any] = field(default_factory=dict)  # the context of a client with nothing of its own
    letter: bool = True  # a letter-size page of templates/reports/_document_base.html and its shared CSS


# In the order of the original's Report menu.
DOCUMENTS: dict[str, Document] = {
    document.slug: document
    for document in (
        Document(
            "history",
            _("Client History"),
            "reports/history.html",
            history_context,
            {"sessions": [], "total_minutes": 0, "first_date": None, "last_date": None},
        ),
        Document(
            "mentor-history",
            _("Client Mentor/Tutor History"),
            "reports/mentor_history.html",
            mentor_history_context,
            {"matches": [], "mentor_count": 0, "tutor_count": 0, "active_count": 0},
        ),
        Document("card", _("OCMS Client Card"), "reports/card.html", card_context, letter=False),
        Document(
            "receipt",
            _("Settlement Program Registration Receipt"),
            "reports/receipt.html",
            receipt_context,
            {"family": [], "programs": []},
        ),
    )
}


def document_context(document: Document, client: Client) -> dict[str, Any]:
    """Everything the document's template needs, of a client read with `Client.objects.for_documents()`. Call it in
    the language the document is printed in."""
    return {
        "client": client,
        "agency": client.agency,
        "title": str(document.title),
        "printed_on": timezone.localdate(),
        **document.context(client),
    }


DOCUMENT_CSS = "reports/_document_css.html"


def document_pdf(document: Document, context: dict[str, Any]) -> bytes:
    """The document printed to PDF, in the current language. A letter-size document's shared CSS is given to
    WeasyPrint apart, parsed once per process and language, rather than inside the page, parsed on every print."""
    from reports.pdf import pdf_render

    if not document.letter:
        return pdf_render(render_to_string(document.template, context))
    html = render_to_string(document.template, {**context, "shared_css_apart": True})
    return pdf_render(html, shared_css=render_to_string(DOCUMENT_CSS))


# Text in each family of fonts the documents use (DejaVu, and the Noto fonts fontconfig falls back to), so that
# the warm-up opens them all.
WARM_UP_NAMES = ("Émilie Ωμέγα Юлия", "ليلى सीता தமிழ் ሰላም 李娜 김민 🇨🇦")


def documents_warm_up() -> None:
    """Prepare, once per server process as it starts (ocms/wsgi.py), what its first document would otherwise pay
    for: WeasyPrint's import, the fonts and their lookups, each document's template and styles. Each document is
    printed once, of a client that exists only here (nothing is read from or written to the database), and the
    shared CSS parsed in each language."""
    from agencies.models import Agency
    from reports.pdf import stylesheet_prepare

    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            stylesheet_prepare(render_to_string(DOCUMENT_CSS))
    agency = Agency(name="OCMS", city="Ottawa", province="ON")
    client = Client(agency=agency, number=1234, first_name=WARM_UP_NAMES[0], last_name=WARM_UP_NAMES[1])
    for document in DOCUMENTS.values():
        context = {
            "client": client,
            "agency": agency,
            "title": str(document.title),
            "printed_on": timezone.localdate(),
            **document.empty,
        }
        document_pdf(document, context)
