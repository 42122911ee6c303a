"""Client documents: the profile's Report menu, each document saved as PDF or HTML, in English or French."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from clients.models import Client, get_client_for
from reports.documents import DOCUMENTS, document_context, document_pdf
from reports.forms import DocumentOptionsForm, ReportMenuForm

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
    client = get_client_for(request, code)
    form = ReportMenuForm(request.GET, language=request.LANGUAGE_CODE)
    if not form.is_valid():
        return bad_options(form)
    options = {"format": form.cleaned_data["format"], "lang": form.cleaned_data["lang"]}
    if form.cleaned_data["download"]:
        options["download"] = "1"
    url = reverse("reports:client-document", kwargs={"code": client.code, "document": form.cleaned_data["document"]})
    return redirect(f"{url}?{urlencode(options)}")


@login_required
@require_GET
@csp_override(DOCUMENT_CSP)
def client_document(request: HttpRequest, code, document: str) -> HttpResponse:
    """Staff of the client's agency: one document of the client, as PDF or HTML, in English or French, opened in
    the browser or downloaded."""
    spec = DOCUMENTS.get(document)
    if spec is None:
        raise Http404
    client = get_client_for(request, code, queryset=Client.objects.for_documents())
    form = DocumentOptionsForm(request.GET, language=request.LANGUAGE_CODE)
    if not form.is_valid():
        return bad_options(form)
    file_format, language = form.cleaned_data["format"], form.cleaned_data["lang"]
    with translation.override(language):
        context = document_context(spec, client)
        if file_format == "pdf":
            response = HttpResponse(document_pdf(spec, context), content_type="application/pdf")
        else:
            response = HttpResponse(render_to_string(spec.template, context), content_type="text/html; charset=utf-8")
    filename = f"{spec.slug}-{client.number}-{language}.{file_format}"
    # Opened in the browser, ready to print (Execute, Print the Registration Receipt), or saved (Download), under a
    # name that says what and whose it is.
    disposition = "attachment" if form.cleaned_data["download"] else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
