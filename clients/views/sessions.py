"""Sessions with a client (Begin Session with Client) and the client's mentor/tutor matches."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from clients.forms import MentorMatchForm, SessionForm
from clients.models import MentorMatch, Session, get_client_for


@login_required
def session_create(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: Begin Session with Client; the worker is whoever is logged in."""
    client = get_client_for(request, code)
    session = Session(agency=request.agency, client=client, worker=request.staff)
    form = SessionForm(request.POST or None, instance=session, agency=request.agency)
    if form.is_valid():
        form.save()
        messages.success(
            request,
            _("The session of %(date)s with %(name)s is saved.")
            % {"date": session.date.isoformat(), "name": client.display_name},
        )
        return redirect("clients:session-list", code=client.code)
    return render(request, "clients/session_create.html", {"client": client, "form": form})


@login_required
def session_list(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: every session of the client, newest first."""
    client = get_client_for(request, code)
    return render(
        request, "clients/session_list.html", {"client": client, "sessions": Session.objects.of_client(client)}
    )


@login_required
def mentor_match_create(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: Add mentor/tutor match."""
    client = get_client_for(request, code)
    match = MentorMatch(agency=request.agency, client=client)
    form = MentorMatchForm(request.POST or None, instance=match, agency=request.agency)
    if form.is_valid():
        form.save()
        messages.success(
            request,
            _("%(kind)s %(name)s is matched with %(client)s.")
            % {"kind": match.get_kind_display(), "name": match.name, "client": client.display_name},
        )
        return redirect(reverse("clients:client-detail", kwargs={"code": client.code}) + "#section-mentor-matches")
    return render(request, "clients/mentor_match_create.html", {"client": client, "form": form})
