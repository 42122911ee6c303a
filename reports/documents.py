"""The client documents of the profile's Report menu: what each one shows, and in which template.

A document's context holds only what it prints. Sensitive information is never read here, so no
template could show it by mistake.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clients.models import Client, MatchKind, MentorMatch, Session


def receipt_context(client: Client) -> dict[str, Any]:
    family = client.family.members.exclude(pk=client.pk).order_by("number") if client.family_id else []
    return {"family": family, "programs": client.program_statuses.select_related("program")}


def card_context(client: Client) -> dict[str, Any]:
    return {}


def history_context(client: Client) -> dict[str, Any]:
    sessions = list(
        Session.objects.for_agency(client.agency)
        .filter(client=client)
        .select_related("program", "worker__user")
        .order_by("date", "created_at", "pk")
    )
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


# In the order of the original's Report menu.
DOCUMENTS: dict[str, Document] = {
    document.slug: document
    for document in (
        Document("history", _("Client History"), "reports/history.html", history_context),
        Document(
            "mentor-history", _("Client Mentor/Tutor History"), "reports/mentor_history.html", mentor_history_context
        ),
        Document("card", _("OCMS Client Card"), "reports/card.html", card_context),
        Document("receipt", _("Settlement Program Registration Receipt"), "reports/receipt.html", receipt_context),
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
