from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from clients import slots
from clients.forms import FlagForm
from clients.models import Client, ClientMerge, MentorMatch, Session, get_dashboard_client_for, get_profile_client_for
from clients.sections import PROFILE_SECTIONS
from clients.unlock import sensitive_section_context

# The profile lists the latest sessions; the session list has them all.
PROFILE_SESSIONS = 10
# The dashboard lists the relatives' latest sessions, beside the client's own.
DASHBOARD_FAMILY_SESSIONS = 5


@login_required
@never_cache  # never kept by the browser: Back must not bring an unlocked Sensitive Information section back
def client_detail(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: the profile, every section with its Edit link. The tombstone of a merge leads
    to the client it was merged into."""
    client = get_profile_client_for(request, code, tombstones=True)
    if client.merged_into_id:
        survivor = client.merged_into
        messages.info(
            request,
            _("Client %(number)s was merged into client %(survivor)s: this is the profile now.")
            % {"number": client.number, "survivor": survivor.number},
        )
        return redirect("clients:client-detail", code=survivor.code)
    return client_profile(request, client)


def client_profile(request: HttpRequest, client: Client, *, status: int = 200, **extra) -> HttpResponse:
    """The profile page; `extra` is what the Sensitive Information views add (the section unlocked, or a refusal).

    `client` comes from `Client.objects.for_profile()`, with everything the page shows.
    """
    family = client.relatives()
    # The latest sessions, each with the number of them all (counted over the client's sessions): one query.
    sessions = list(Session.objects.of_client(client).annotate(total=Window(Count("pk")))[:PROFILE_SESSIONS])
    # Coordinators and managers reach each merge into this profile (and its Undo) from it.
    merges = []
    if request.staff is not None and request.staff.is_coordinator:
        merges = ClientMerge.objects.filter(survivor=client, undone_at=None).select_related("merged")
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "family": family,
            "sessions": sessions,
            "session_count": sessions[0].total if sessions else 0,
            "mentor_matches": MentorMatch.objects.of_client(client),
            **sensitive_section_context(request, client),
            "flag_form": FlagForm(client=client),
            "profile_actions": slots.PROFILE_ACTIONS,
            "profile_sections": PROFILE_SECTIONS,
            "merges": merges,
            **extra,
        },
        status=status,
    )


@login_required
def client_dashboard(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: the client at a glance, with the usual next actions."""
    client = get_dashboard_client_for(request, code)
    family = client.relatives()
    sessions = Session.objects.of_client(client)[:5]
    # The family code is there so that staff see the whole family's services: the relatives' latest sessions too.
    family_sessions = (
        Session.objects.of_family(client).exclude(client=client)[:DASHBOARD_FAMILY_SESSIONS] if client.family_id else []
    )
    return render(
        request,
        "clients/client_dashboard.html",
        {
            "client": client,
            "family": family,
            "sessions": sessions,
            "family_sessions": family_sessions,
            "mentor_matches": MentorMatch.objects.of_client(client),
            "dashboard_cards": slots.DASHBOARD_CARDS,
        },
    )
