from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def register_start(request: HttpRequest) -> HttpResponse:
    """Staff: choose the client type."""
    return render(request, "registration/register_start.html")
