"""The print options of a document (Save as, Print In), and the choices of the iCARE page."""

import zipfile

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agencies.forms import DateField, DateRangeMixin, LangSelect, ModelChoiceField
from agencies.models import Agency, Program
from clients.layout import Col, Field, Row, form_helper
from reports.documents import DOCUMENTS
from reports.icare import MAX_RETURNED_BYTES, NOT_A_WORKBOOK, Include

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
    # Sent by the Download button: the file is saved rather than opened in the browser.
    download = forms.BooleanField(required=False, widget=forms.HiddenInput)

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


class IcareCheckForm(DateRangeMixin, forms.Form):
    """The iCARE page's choice of clients: registered between two dates, optionally in one program."""

    date_from = DateField(
        label=_("Registered from"),
        error_messages={"required": _("Enter the first registration date, as YYYY-MM-DD.")},
    )
    date_to = DateField(
        label=_("Registered to"),
        error_messages={"required": _("Enter the last registration date, as YYYY-MM-DD.")},
    )
    program = ModelChoiceField(
        label=_("Program"),
        queryset=None,
        required=False,
        empty_label=_("All programs"),
        to_field_name="code",
        widget=LangSelect(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose one of your agency's programs, or All programs.")},
    )
    include = forms.ChoiceField(
        label=_("Clients already exported"),
        choices=Include.choices,
        initial=Include.NEW,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose which clients already exported to include.")},
    )

    helper = form_helper(
        Row(
            Field("date_from", "date_to", wrapper_class="col-12 col-sm-6 col-md-3"),
            Col("program", width=6),
            css_class="g-2",
        ),
        "include",
    )

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.for_agency(agency).order_by("name")


class IcareReturnedForm(forms.Form):
    """The file iCARE sent back, with Processing Details filled in."""

    file = forms.FileField(
        label=_("File iCARE sent back (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
        error_messages={
            "required": _("Choose the Client Profile file iCARE sent back."),
            "empty": _("This file is empty. Upload the Client Profile file iCARE sent back, as it came."),
        },
    )

    helper = form_helper("file")

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def too_large_error(self) -> forms.ValidationError:
        return forms.ValidationError(
            _("This file is larger than %(size)s MB: upload the Client Profile file iCARE sent back."),
            code="too_large",
            params={"size": MAX_RETURNED_BYTES // (1024 * 1024)},
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.too_large:
            # The file came and was refused unread: "choose a file" would be the wrong thing to say.
            self.errors.pop("file", None)
            self.add_error("file", self.too_large_error())
        return cleaned

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RETURNED_BYTES:
            raise self.too_large_error()
        # Not an archive at all (a CSV, a PDF): said at once, next to the field. What is inside one is for the
        # worker to read.
        is_archive = zipfile.is_zipfile(upload)
        upload.seek(0)
        if not is_archive:
            raise forms.ValidationError(NOT_A_WORKBOOK, code="not_a_workbook")
        return upload
