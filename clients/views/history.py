"""A client's change history, for managers."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agencies.access import require_manager
from clients.history import client_changes
from clients.models import get_client_for


@login_required
@require_GET
@never_cache
def client_change_history(request: HttpRequest, code) -> HttpResponse:
    """Managers: who changed which field of the client's profile, old → new, and when."""
    client = get_client_for(request, code)  # another agency's client: 404, whatever the role
    require_manager(request)
    return render(request, "clients/client_change_history.html", {"client": client, "changes": client_changes(client)})
