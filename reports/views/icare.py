"""The iCARE page: the readiness check of the chosen clients, the download, the files iCARE sends back."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agencies.access import require_icare_upload
from agencies.jobs import JobStatus
from agencies.uploads import upload_refused
from agencies.validators import printable
from reports.forms import IcareCheckForm, IcareReturnedForm
from reports.icare import Include, changed_since_upload, export_filename, icare_candidates, icare_readiness
from reports.models import IcareExport, IcareReturn, IcareStatus, get_export_for, get_return_for

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
    context["returned_files"] = IcareReturn.objects.for_agency(request.agency).select_related("uploaded_by")[
        :RECENT_EXPORTS
    ]
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
    """Staff with the iCARE grant: ask the worker for the Client Profile file of the chosen Ready clients."""
    require_icare_upload(request)
    form = IcareCheckForm(request.POST, agency=request.agency)
    if not form.is_valid():
        return icare_page(request, form, IcareReturnedForm())
    export = IcareExport.objects.create(
        agency=request.agency, created_by=request.user, language=request.LANGUAGE_CODE, **form.cleaned_data
    )
    export.enqueue()
    return redirect("reports:icare-export-detail", code=export.code)


@login_required
@require_GET
def icare_export_progress(request: HttpRequest, code) -> HttpResponse:
    """Staff with the iCARE grant: how far the worker is with a file (the detail page asks every second)."""
    export = get_export_for(request, code)
    return job_progress(request, export, "icare-export")


@login_required
@require_GET
def icare_export_download(request: HttpRequest, code) -> HttpResponse:
    """Staff with the iCARE grant: the Client Profile file the worker made, to upload to iCARE."""
    export = get_export_for(request, code)
    if export.status != JobStatus.DONE or not export.file:
        raise Http404
    # FileResponse streams the file from disk in blocks.
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export_filename(export), content_type=XLSX
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def icare_export_retry(request: HttpRequest, code) -> HttpResponse:
    """Staff with the iCARE grant: ask the worker again for a file that failed or whose worker stopped."""
    export = get_export_for(request, code)
    export.retry()
    return redirect("reports:icare-export-detail", code=export.code)


def job_context(job, route: str) -> dict:
    return {"job": job, "progress_url": reverse(f"reports:{route}-progress", kwargs={"code": job.code}), "route": route}


def job_progress(request: HttpRequest, job, route: str) -> HttpResponse:
    """The progress fragment the detail page asks for; once the job is done, htmx opens the page again, which then
    shows what the job made (its clients, its counts) with its outcome focused, so that it is said."""
    response = render(request, "reports/_job_progress.html", job_context(job, route))
    if job.status == JobStatus.DONE:
        response["HX-Redirect"] = reverse(f"reports:{route}-detail", kwargs={"code": job.code}) + "?finished=1"
    return response


@login_required
@require_POST
def icare_returned_upload(request: HttpRequest) -> HttpResponse:
    """Staff with the iCARE grant: give the worker the file iCARE sent back; each client is marked accepted or
    rejected. A file too large for a Client Profile file is refused before it is read (agencies.uploads)."""
    require_icare_upload(request)
    returned_form = IcareReturnedForm(request.POST, request.FILES, too_large=upload_refused(request))
    if not returned_form.is_valid():
        form = IcareCheckForm(default_choice(), agency=request.agency)
        return icare_page(request, form, returned_form)
    upload = returned_form.cleaned_data["file"]
    # The name is only shown again: whatever the sender's system put in it that is not text is left out.
    name = printable(upload.name)[:200]
    returned = IcareReturn(agency=request.agency, uploaded_by=request.user, language=request.LANGUAGE_CODE, name=name)
    returned.file.save(upload.name, upload, save=False)
    returned.save()
    returned.enqueue()
    return redirect("reports:icare-returned-detail", code=returned.code)


@login_required
@require_GET
@never_cache
def icare_returned_detail(request: HttpRequest, code) -> HttpResponse:
    """Staff with the iCARE grant: what the worker found in a file iCARE sent back."""
    returned = get_return_for(request, code)
    return render(
        request, "reports/icare_returned_detail.html", {"returned": returned, **job_context(returned, "icare-returned")}
    )


@login_required
@require_GET
def icare_returned_progress(request: HttpRequest, code) -> HttpResponse:
    """Staff with the iCARE grant: how far the worker is with a returned file."""
    returned = get_return_for(request, code)
    return job_progress(request, returned, "icare-returned")


@login_required
@require_POST
def icare_returned_retry(request: HttpRequest, code) -> HttpResponse:
    """Staff with the iCARE grant: read a returned file again after a failure."""
    returned = get_return_for(request, code)
    returned.retry()
    return redirect("reports:icare-returned-detail", code=returned.code)


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
        {
            "export": export,
            "page": page,
            "counts": {status: counts.get(status, 0) for status in IcareStatus.values},
            **job_context(export, "icare-export"),
        },
    )
