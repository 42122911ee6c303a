from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from agencies.access import get_for_agency
from clients.models import Client
from clients.unlock import sensitive_section_context
from clients.views.sessions import client_sessions

# The profile lists the latest sessions; the session list has them all.
PROFILE_SESSIONS = 10


@login_required
@never_cache  # never kept by the browser: Back must not bring an unlocked Sensitive Information section back
def client_detail(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: the profile, every section with its Edit link."""
    return client_profile(request, get_for_agency(request, Client, code=code))


def client_profile(request: HttpRequest, client: Client, *, status: int = 200, **extra) -> HttpResponse:
    """The profile page; `extra` is what the Sensitive Information views add (the section unlocked, or a refusal)."""
    client = (
        Client.objects.filter(pk=client.pk)
        .select_related(
            "gender",
            "official_language",
            "family",
            "immigration_class",
            "immigration_status",
            "aboriginal_status",
            "immigration_card_type",
            "street_type",
            "street_direction",
            "province",
            "employment_status",
            "current_profession",
            "desired_profession",
            "education_level",
            "housing_status",
            "primary_worker__user",
            "registration_site",
            "created_by",
        )
        .prefetch_related(
            "identifiers__identifier_type",
            "program_statuses__program",
            "certificates",
            "languages__language",
            "languages__listening",
            "languages__speaking",
            "languages__reading",
            "languages__writing",
            "consent_contacts__relationship",
            "children__age_group",
            "referral_sources",
        )
        .get()
    )
    family = client.family.members.exclude(pk=client.pk).order_by("number") if client.family_id else []
    sessions = client_sessions(client)
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "family": family,
            "sessions": sessions[:PROFILE_SESSIONS],
            "session_count": sessions.count(),
            "mentor_matches": client.mentor_matches.select_related("program"),
            **sensitive_section_context(request, client),
            **extra,
        },
        status=status,
    )


@login_required
def client_dashboard(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: the client at a glance, with the usual next actions."""
    client = get_for_agency(request, Client, code=code)
    client = (
        Client.objects.filter(pk=client.pk)
        .select_related("family", "primary_worker__user", "gender", "official_language")
        .prefetch_related("program_statuses__program", "identifiers__identifier_type", "consent_contacts")
        .get()
    )
    family = client.family.members.exclude(pk=client.pk).order_by("number") if client.family_id else []
    sessions = client.sessions.select_related("program", "worker__user").order_by("-date", "-pk")[:5]
    return render(
        request,
        "clients/client_dashboard.html",
        {"client": client, "family": family, "sessions": sessions},
    )
