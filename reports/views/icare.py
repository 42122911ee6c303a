"""The iCARE page: the readiness check of the chosen clients, the download, the files iCARE sends back."""

import tempfile
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agencies.access import require_icare_upload
from reports.forms import IcareCheckForm, IcareReturnedForm
from reports.icare import (
    Include,
    NothingToExportError,
    ReturnedFileError,
    changed_since_upload,
    export_filename,
    icare_candidates,
    icare_export_build,
    icare_readiness,
    icare_returned_apply,
)
from reports.models import IcareExport, IcareStatus, get_export_for

# The iCARE Client Profile upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_EXPORTS = 10
EXPORT_ROWS_PAGE = 100


def last_month(today: date) -> tuple[date, date]:
    last_day = today.replace(day=1) - timedelta(days=1)
    return last_day.replace(day=1), last_day


def default_choice() -> dict[str, str]:
    start, end = last_month(timezone.localdate())
    return {"date_from": start.isoformat(), "date_to": end.isoformat(), "include": Include.NEW}


def choice_query(form: IcareCheckForm) -> str:
    """The choice as a query string, to come back to the same list."""
    data = form.cleaned_data
    return urlencode(
        {
            "date_from": data["date_from"].isoformat(),
            "date_to": data["date_to"].isoformat(),
            "program": data["program"].code if data["program"] else "",
            "include": data["include"],
        }
    )


def icare_page(request: HttpRequest, form: IcareCheckForm, returned_form: IcareReturnedForm) -> HttpResponse:
    context: dict = {"form": form, "returned_form": returned_form, "result": None, "changed_count": 0}
    if form.is_valid():
        choice = form.cleaned_data
        context["result"] = icare_readiness(icare_candidates(agency=request.agency, **choice))
        if choice["include"] == Include.NEW:
            context["changed_count"] = changed_since_upload(
                agency=request.agency,
                date_from=choice["date_from"],
                date_to=choice["date_to"],
                program=choice["program"],
            ).count()
    context["exports"] = (
        IcareExport.objects.for_agency(request.agency)
        .select_related("created_by", "program")
        .annotate(
            accepted=Count("rows", filter=Q(rows__status=IcareStatus.ACCEPTED)),
            rejected=Count("rows", filter=Q(rows__status=IcareStatus.REJECTED)),
        )
        .order_by("-created_at")[:RECENT_EXPORTS]
    )
    return render(request, "reports/icare_check.html", context)


@login_required
@require_GET
@never_cache
def icare_check(request: HttpRequest) -> HttpResponse:
    """Staff with the iCARE grant: the readiness check of the chosen clients, the download, the returned files."""
    require_icare_upload(request)
    form = IcareCheckForm(request.GET or default_choice(), agency=request.agency)
    return icare_page(request, form, IcareReturnedForm())


@login_required
@require_POST
def icare_export_create(request: HttpRequest) -> HttpResponse:
    """Staff with the iCARE grant: download the Client Profile file of the chosen Ready clients; it is recorded."""
    require_icare_upload(request)
    form = IcareCheckForm(request.POST, agency=request.agency)
    if not form.is_valid():
        return icare_page(request, form, IcareReturnedForm())
    destination = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (so deletes) it once sent
    try:
        export = icare_export_build(
            agency=request.agency, created_by=request.user, destination=destination, **form.cleaned_data
        )
    except BaseException as error:
        destination.close()
        if not isinstance(error, NothingToExportError):
            raise
        messages.warning(
            request,
            _("No client of this choice is ready for iCARE, so no file was made. Fix the Not ready clients first."),
        )
        return redirect(f"{reverse('reports:icare-check')}?{choice_query(form)}")
    # FileResponse streams the file from disk in blocks and closes (so deletes) it when sent.
    response = FileResponse(destination, as_attachment=True, filename=export_filename(export), content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def icare_returned_upload(request: HttpRequest) -> HttpResponse:
    """Staff with the iCARE grant: read the file iCARE sent back; each client is marked accepted or rejected."""
    require_icare_upload(request)
    returned_form = IcareReturnedForm(request.POST, request.FILES)
    if returned_form.is_valid():
        try:
            summary = icare_returned_apply(agency=request.agency, upload=returned_form.cleaned_data["file"])
        except ReturnedFileError as error:
            returned_form.add_error("file", str(error.args[0]))
        else:
            messages.success(
                request,
                _("iCARE's file is read: %(accepted)s accepted, %(rejected)s rejected.")
                % {"accepted": summary.accepted, "rejected": summary.rejected},
            )
            if summary.unmatched:
                shown = "; ".join(
                    _("row %(row)s: %(why)s") % {"row": row, "why": why} for row, why in summary.unmatched[:20]
                )
                more = len(summary.unmatched) - 20
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s row matched no exported client, and was left out: %(rows)s",
                        "%(count)s rows matched no exported client, and were left out: %(rows)s",
                        len(summary.unmatched),
                    )
                    % {"count": len(summary.unmatched), "rows": shown + (f" (+{more})" if more > 0 else "")},
                )
            if summary.not_processed:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s row has no Processing Details yet, and was left as exported.",
                        "%(count)s rows have no Processing Details yet, and were left as exported.",
                        len(summary.not_processed),
                    )
                    % {"count": len(summary.not_processed)},
                )
            return redirect("reports:icare-check")
    form = IcareCheckForm(default_choice(), agency=request.agency)
    return icare_page(request, form, returned_form)


@login_required
@require_GET
@never_cache
def icare_export_detail(request: HttpRequest, code) -> HttpResponse:
    """Staff with the iCARE grant: one file made for iCARE, its clients, and what iCARE said of each."""
    export = get_export_for(request, code)
    rows = export.rows.select_related("client").order_by("client__number")
    counts = dict(export.rows.order_by().values_list("status").annotate(n=Count("pk")))
    page = Paginator(rows, EXPORT_ROWS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/icare_export_detail.html",
        {"export": export, "page": page, "counts": {status: counts.get(status, 0) for status in IcareStatus.values}},
    )
