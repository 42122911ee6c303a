from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agencies.access import get_for_agency
from clients.models import Client


@login_required
def client_detail(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: the profile, every section with its Edit link."""
    client = get_for_agency(request, Client, code=code)
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
    return render(request, "clients/client_detail.html", {"client": client, "family": family})
