"""The print options of a document: Save as (PDF or HTML) and Print In (English or French)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.documents import DOCUMENTS

FORMATS = [("pdf", "PDF"), ("html", "HTML")]


class DocumentOptionsForm(forms.Form):
    """Read from the query string; a missing option takes its default, an unknown one is refused."""

    format = forms.ChoiceField(
        label=_("Save as"), choices=FORMATS, required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    lang = forms.ChoiceField(
        label=_("Print In"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.default_language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        self.fields["format"].initial = "pdf"
        self.fields["lang"].initial = self.default_language

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or "pdf"

    def clean_lang(self) -> str:
        return self.cleaned_data["lang"] or self.default_language


class ReportMenuForm(DocumentOptionsForm):
    """The profile's Report menu: which document, then how to save and print it."""

    document = forms.ChoiceField(
        label=_("Report"),
        choices=[(slug, document.title) for slug, document in DOCUMENTS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("Choose a report."), "invalid_choice": _("Choose one of the reports listed.")},
    )

    field_order = ["document", "format", "lang"]
