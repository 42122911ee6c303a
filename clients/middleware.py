"""The pages of a merge's tombstone lead to the same pages of the client it was merged into."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext as _

from clients.models.client import MergedClient


class MergedClientMiddleware:
    """A tombstone's dashboard, sessions, history, documents or section edit, asked for by an old link or bookmark,
    redirect to the survivor's, as its profile does (clients.views.profile.client_detail); a form posted to a
    tombstone is never applied elsewhere: it stays a page not found."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, MergedClient) or request.method not in ("GET", "HEAD"):
            return None
        match = resolve(request.path_info)
        if "code" not in match.kwargs:
            return None
        try:
            url = reverse(match.view_name, kwargs={**match.kwargs, "code": exception.survivor.code})
        except NoReverseMatch:
            return None
        messages.info(
            request,
            _("This client was merged into client %(survivor)s: this is the page of that profile.")
            % {"survivor": exception.survivor.number},
        )
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{url}?{query}" if query else url)
