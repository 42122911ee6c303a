from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def client_find(request: HttpRequest) -> HttpResponse:
    """Staff: search the agency's clients."""
    return render(request, "clients/client_find.html")
