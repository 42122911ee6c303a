"""Client documents (the profile's Report menu, each document saved as PDF or HTML), and the iCARE page."""

import tempfile
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from agencies.access import get_for_agency, require_icare_upload
from clients.models import Client
from reports.documents import DOCUMENTS, document_context
from reports.forms import DocumentOptionsForm, IcareCheckForm, IcareReturnedForm, ReportMenuForm
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
from reports.models import IcareExport, IcareStatus
from reports.pdf import pdf_render

# A saved HTML document carries its CSS inline and needs nothing else.
DOCUMENT_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["data:"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
}


def bad_options(form: DocumentOptionsForm) -> HttpResponseBadRequest:
    problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
    return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def client_report(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: the Report menu's execute button, sent on to the chosen document."""
    client = get_for_agency(request, Client, code=code)
    form = ReportMenuForm(request.GET, language=request.LANGUAGE_CODE)
    if not form.is_valid():
        return bad_options(form)
    options = {"format": form.cleaned_data["format"], "lang": form.cleaned_data["lang"]}
    url = reverse("reports:client-document", kwargs={"code": client.code, "document": form.cleaned_data["document"]})
    return redirect(f"{url}?{urlencode(options)}")


@login_required
@require_GET
@csp_override(DOCUMENT_CSP)
def client_document(request: HttpRequest, code, document: str) -> HttpResponse:
    """Staff of the client's agency: one document of the client, as PDF or HTML, in English or French."""
    spec = DOCUMENTS.get(document)
    if spec is None:
        raise Http404
    client = get_for_agency(request, Client, code=code)
    form = DocumentOptionsForm(request.GET, language=request.LANGUAGE_CODE)
    if not form.is_valid():
        return bad_options(form)
    file_format, language = form.cleaned_data["format"], form.cleaned_data["lang"]
    with translation.override(language):
        html = render_to_string(spec.template, document_context(spec, client))
    filename = f"{spec.slug}-{client.number}-{language}.{file_format}"
    if file_format == "pdf":
        response = HttpResponse(pdf_render(html), content_type="application/pdf")
    else:
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # Save as: the browser keeps the file under a name that says what and whose it is.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


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
    export = get_for_agency(request, IcareExport, code=code)
    require_icare_upload(request)
    rows = export.rows.select_related("client").order_by("client__number")
    counts = dict(export.rows.order_by().values_list("status").annotate(n=Count("pk")))
    page = Paginator(rows, EXPORT_ROWS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/icare_export_detail.html",
        {"export": export, "page": page, "counts": {status: counts.get(status, 0) for status in IcareStatus.values}},
    )
