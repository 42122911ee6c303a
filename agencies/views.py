from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.models import Occupation


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My Tasks: the start page of every staff member."""
    return render(request, "home.html")


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Anyone: a liveness probe, and the bare baseline of the benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def occupation_search(request: HttpRequest) -> HttpResponse:
    """Staff: NOC 2021 unit groups matching a code or words, for the profession lookups."""
    query = request.GET.get("q", "").strip()
    occupations = Occupation.objects.search(query)[:25] if len(query) >= 2 else []
    return render(
        request,
        "agencies/_occupation_results.html",
        {"occupations": occupations, "query": query, "target": request.GET.get("target", "")},
    )
