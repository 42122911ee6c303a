from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from agencies.validators import field_id_or, has_control_characters
from clients.models import get_client_for
from clients.search import client_search
from families.services import family_of

# The field a lookup fills when the page does not say (the wizard's and the profile's Family Code).
FAMILY_CODE_ID = "id_family_code"


@login_required
@require_GET
def family_find(request: HttpRequest) -> HttpResponse:
    """Staff: the agency's registered clients matching a search, to pick a relative whose family to join."""
    return find_panel(request, request.GET.get("family_q", ""), field_id_or(request.GET.get("field"), FAMILY_CODE_ID))


def find_panel(
    request: HttpRequest, query: str, field_id: str, *, error: bool = False, find_url: str = "", select_url: str = ""
) -> HttpResponse:
    """The Find panel: its search, the matching clients to tick, and Select Family. A registration's panel searches
    and selects through its own addresses (`find_url`, `select_url`), which also offer what to copy."""
    query = query.strip()
    refused = has_control_characters(query)
    clients = []
    if len(query) >= 2 and not refused:
        clients = client_search(agency=request.agency, text=query).select_related("family")[:15]
    return render(
        request,
        "families/_family_find.html",
        {
            "clients": clients,
            "query": "" if refused else query,
            "refused": refused,
            # Find pressed (the panel opened by the Family Code's Find asks no search yet): an empty box is told.
            "searched": "family_q" in request.GET or "family_q" in request.POST,
            "field_id": field_id,
            "error": error,
            "find_url": find_url or reverse("families:family-find"),
            "select_url": select_url or reverse("families:family-select"),
        },
    )


@login_required
@require_POST
def family_select(request: HttpRequest) -> HttpResponse:
    """Staff: join the ticked relative's family: their code (a new one for them if they have none)."""
    field_id = field_id_or(request.POST.get("field"), FAMILY_CODE_ID)
    relative_code = request.POST.get("relative")
    if not relative_code:
        # The search and its results stay, with the message.
        return find_panel(request, request.POST.get("family_q", ""), field_id, error=True)
    relative = get_client_for(request, relative_code, is_anonymous=False)
    family = family_of(client=relative)
    return render(
        request,
        "families/_family_selected.html",
        {"code": family.code, "relative": relative, "field_id": field_id},
    )
