"""The rows of a profile section: those added with [+] (identifiers, certificates, languages, children) and the
Agency Program Table."""

import uuid
from collections.abc import Callable
from typing import Any, Self

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from agencies.forms import DateField
from agencies.models import Program
from agencies.rows import agency_programs, icare_values
from clients.layout import Col, Row, form_helper
from clients.models import (
    UCI_TYPE,
    Certificate,
    Child,
    Client,
    ClientLanguage,
    ClientProgram,
    Identifier,
    ProgramStatus,
    VolunteerStatus,
    identifier_key,
    is_uci,
)
from clients.rules import Facts, child_problems, field_levels
from clients.sections import SectionName
from registration.forms.sections import Binding, SectionForm
from registration.forms.widgets import style_widgets

ROWS_TEMPLATE = "registration/_rows.html"


def rows_helper(*fields: str):
    """A formset's rows: the fields side by side, Remove at the end; the rows template adds [+]."""
    helper = form_helper(
        Row(*(Col(name) for name in fields), Col("DELETE", width="auto"), css_class="g-2 align-items-end")
    )
    helper.template = ROWS_TEMPLATE
    helper.render_hidden_fields = True
    return helper


# What a formset says of a post with more rows than it keeps (more were sent than its absolute_max): it builds none
# of them, and shows this above its rows.
TOO_MANY_ROWS = {
    "too_many_forms": ngettext_lazy(
        "At most %(num)d row can be kept here: remove the rows you do not need.",
        "At most %(num)d rows can be kept here: remove the rows you do not need.",
        "num",
    )
}


class RowFormSet(BaseInlineFormSet):
    """Rows added with [+]; every row gets the step's agency, staff member and facts."""

    add_label = ""
    row_legend = ""
    default_error_messages = TOO_MANY_ROWS

    def __init__(self, *args, agency, staff, facts=None, **kwargs) -> None:
        self.agency = agency
        self.staff = staff
        self.facts = facts or {}
        super().__init__(*args, **kwargs)

    @classmethod
    def bind(cls, binding: Binding) -> Self:
        return cls(
            binding.data, instance=binding.client, agency=binding.agency, staff=binding.staff, facts=binding.facts
        )

    def get_form_kwargs(self, index: int) -> dict:
        return {"agency": self.agency, "staff": self.staff, "facts": self.facts}

    def row_title(self, index: int, form) -> str:
        """How the error summary names a row: as its legend does ("Identifier 2")."""
        return f"{self.row_legend} {index + 1}" if self.row_legend else ""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            **self.get_form_kwargs(None),
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    @property
    def empty_row_key(self) -> str:
        """What the row template the [+] button copies depends on: the rows' form and prefix, the agency's lists and
        the language of its drop-downs, and the markers the facts give its fields. It holds nothing of the client, so
        templates/registration/_rows.html renders it once a process for each key (Django's fragment cache), not on
        every page: building and rendering an empty row cost a tenth of a step with rows (`make bench`)."""
        levels = sorted(field_levels(self.form.step, self.facts).items())
        form = f"{self.form.__module__}.{self.form.__qualname__}"
        return f"{form}|{self.prefix}|{self.agency.pk}|{self.agency.lists_version}|{get_language()}|{levels}"

    @property
    def empty_form_helper(self):
        """The row template the [+] button copies: the rows' layout, as one form."""
        helper = form_helper(*self.helper.layout.fields)
        helper.render_hidden_fields = True
        return helper

    def refuse_repeated(self, field: str, key: Callable[[dict], Any], message: str) -> None:
        """A row kept twice: each kept row whose key (from its cleaned data; None when there is nothing to compare)
        an earlier kept row has gets `message` on its `field`. The database would refuse the second row on saving."""
        seen = set()
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if cleaned.get("DELETE") or (row_key := key(cleaned)) is None:
                continue
            if row_key in seen:
                form.add_error(field, message)
            seen.add(row_key)

    def rows(self) -> list[dict]:
        """The rows kept: valid, and not marked for removal."""
        return [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def save_rows(self, client: Client) -> None:
        self.instance = client
        self.save()


class RowForm(SectionForm):
    def clean(self) -> dict[str, Any]:
        return forms.ModelForm.clean(self)


def is_uci_type(kind) -> bool:
    """Whether an identifier type of the agency is the one iCARE knows as the FOSS/GCMS Client ID."""
    return kind.icare_value_id is not None and icare_values()[kind.icare_value_id].value == UCI_TYPE


class IdentifierForm(RowForm):
    step = SectionName.IDENTIFICATION

    # The agency's identifier types (scope_list_fields), in their order: IRCC's three first.
    empty_labels = {"identifier_type": _("Choose the identifier type")}

    class Meta:
        model = Identifier
        fields = ["identifier_type", "value"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("value") and not cleaned.get("identifier_type"):
            self.add_error("identifier_type", _("Choose which kind of identifier this is."))
        kind, value = cleaned.get("identifier_type"), (cleaned.get("value") or "").strip()
        if kind and not value:
            self.add_error("value", _("Type the identifier's number, or remove the row."))
        elif kind and is_uci_type(kind) and not is_uci(value):
            # iCARE matches the client on it: a value that cannot be a UCI fails that match, and every service after.
            self.add_error(
                "value",
                _("A FOSS/GCMS Client ID is IRCC's UCI: 8 digits (0000-0000) or 10 digits (00-0000-0000)."),
            )
        return cleaned


class IdentifierRowFormSet(RowFormSet):
    add_label = _("Add identifier")
    row_legend = _("Identifier")
    helper = rows_helper("identifier_type", "value")

    def clean(self) -> None:
        super().clean()
        self.refuse_repeated(
            "value",
            lambda row: (
                (row["identifier_type"].pk, identifier_key(row["value"]))
                if row.get("identifier_type") and row.get("value")
                else None
            ),
            _("This identifier is already listed above: remove one of the two rows."),
        )

    def typed_identifiers(self) -> list[tuple[Any, str]]:
        """Each row's type and value, as typed (for the duplicate check)."""
        return [(row.get("identifier_type"), row.get("value", "")) for row in self.rows()]

    def section_facts(self) -> Facts:
        return {
            "identifiers": [
                (Identifier(identifier_type=row["identifier_type"]).is_icare, row.get("value", ""))
                for row in self.rows()
                if row.get("identifier_type")
            ]
        }


class CertificateForm(RowForm):
    step = SectionName.EMPLOYMENT

    class Meta:
        model = Certificate
        fields = ["institution", "year", "country"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (cleaned.get("year") or cleaned.get("country")) and not cleaned.get("institution"):
            self.add_error("institution", _("Type the institution's name, or remove the row."))
        year, born = cleaned.get("year"), self.facts.get("date_of_birth")
        if year and year > timezone.localdate().year:
            self.add_error("year", _("The year cannot be in the future."))
        elif year and born and year < born.year:
            self.add_error(
                "year",
                _("The year is before the client's Date of Birth %(born)s: enter the year of the certificate.")
                % {"born": born.isoformat()},
            )
        return cleaned


class CertificateRowFormSet(RowFormSet):
    add_label = _("Add certificate")
    row_legend = _("Certificate")
    helper = rows_helper("institution", "year", "country")


class LanguageForm(RowForm):
    step = SectionName.LANGUAGE

    class Meta:
        model = ClientLanguage
        fields = ["language", "comments", "listening", "speaking", "reading", "writing"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A language's comment is written once, when the row is first saved.
            self.fields["comments"].disabled = True
            self.fields["comments"].help_text = _("Comments cannot be changed once saved.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        has_other = any(cleaned.get(f) for f in ("comments", "listening", "speaking", "reading", "writing"))
        if has_other and not cleaned.get("language") and not self.instance.pk:
            self.add_error("language", _("Choose the language, or remove the row."))
        return cleaned


class LanguageRowFormSet(RowFormSet):
    add_label = _("Add language")
    row_legend = _("Language")
    helper = rows_helper("language", "comments", "listening", "speaking", "reading", "writing")

    def clean(self) -> None:
        super().clean()
        self.refuse_repeated(
            "language",
            lambda row: row["language"].pk if row.get("language") else None,
            _("This language is already listed above: remove one of the two rows."),
        )


class ChildForm(RowForm):
    step = SectionName.CONSENT

    class Meta:
        model = Child
        fields = ["name", "date_of_birth", "age_group"]
        field_classes = {"date_of_birth": DateField}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (cleaned.get("age_group") or cleaned.get("date_of_birth")) and not cleaned.get("name"):
            self.add_error("name", _("Type the child's name, or remove the row."))
        if cleaned.get("name") and not cleaned.get("age_group"):
            self.add_error("age_group", _("Choose the child's age group."))
        if not cleaned.get("DELETE"):
            for name, message in child_problems(child_facts(cleaned), self.facts):
                if name not in self.errors:
                    self.add_error(name, message)
        return cleaned


def child_facts(row: dict) -> Facts:
    """A child row as the rules read it: the age group by IRCC's value."""
    group = row.get("age_group")
    return {
        "name": row.get("name", ""),
        "date_of_birth": row.get("date_of_birth"),
        "age_group": group.value if group else "",
    }


class ChildRowFormSet(RowFormSet):
    add_label = _("Add child")
    row_legend = _("Child")
    helper = rows_helper("name", "date_of_birth", "age_group")

    def section_facts(self) -> Facts:
        """The children, for the checks of a later step (the Registration Date against their age groups)."""
        return {"children": [child_facts(row) for row in self.rows() if row.get("name")]}


# The most rows a person has of each (more, and the form says so rather than building them: one request must never
# make thousands of forms).
MAX_ROWS = {"identifiers": 10, "certificates": 15, "languages": 15, "children": 15}


def rows_formset(model, form, formset, *, extra: int, name: str):
    return inlineformset_factory(
        Client,
        model,
        form=form,
        formset=formset,
        extra=extra,
        can_delete=True,
        max_num=MAX_ROWS[name],
        absolute_max=MAX_ROWS[name],
        validate_max=True,
    )


IdentifierFormSet = rows_formset(Identifier, IdentifierForm, IdentifierRowFormSet, extra=1, name="identifiers")
CertificateFormSet = rows_formset(Certificate, CertificateForm, CertificateRowFormSet, extra=0, name="certificates")
LanguageFormSet = rows_formset(ClientLanguage, LanguageForm, LanguageRowFormSet, extra=1, name="languages")
ChildFormSet = rows_formset(Child, ChildForm, ChildRowFormSet, extra=0, name="children")


# The Agency Program Table: a row per active program of the agency, with the client's status there (at the
# Identification step) or their volunteer status (at the Sensitive and Volunteer step).


class ProgramRowForm(forms.Form):
    program = forms.CharField(widget=forms.HiddenInput)  # the code of one of the agency's programs (clean_program)
    status = forms.ChoiceField(
        label=_("Status"), choices=ProgramStatus.choices, initial=ProgramStatus.NEW, required=False
    )
    volunteer_status = forms.ChoiceField(
        label=_("Volunteer status"), choices=[("", "—"), *VolunteerStatus.choices], required=False
    )

    def __init__(self, *args, programs: dict[uuid.UUID, Program], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.programs = programs
        style_widgets(self)

    def clean_program(self) -> Program:
        """The program posted, among the agency's programs the table read (one query for all its rows)."""
        try:
            return self.programs[uuid.UUID(self.cleaned_data["program"])]
        except (ValueError, KeyError):
            raise ValidationError(
                forms.ModelChoiceField.default_error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class ProgramTableFormSet(forms.BaseFormSet):
    """The table, of one `column`: what the step posts and saves of each program's row."""

    column = ""
    helper = form_helper(template="registration/_program_table.html")
    default_error_messages = TOO_MANY_ROWS

    def __init__(self, *args, programs: dict[uuid.UUID, Program], registering: bool = False, **kwargs) -> None:
        self.programs = programs  # every program of the agency, by its code: the rows' posted codes are checked here
        self.registering = registering  # a client being registered: every row is recorded, as shown
        super().__init__(*args, **kwargs)

    @classmethod
    def bind(cls, binding: Binding) -> Self:
        programs = agency_programs(binding.agency)
        return cls(
            binding.data,
            prefix="programs",
            programs=programs,
            registering=binding.client.pk is None,
            initial=program_rows(binding, programs),
        )

    def get_form_kwargs(self, index: int) -> dict:
        return {"programs": self.programs}

    def row_title(self, index: int, form) -> str:
        """How the error summary names a row: by its program."""
        return form.initial.get("program_name", "")

    def save_rows(self, client: Client) -> None:
        # A row whose column was left as it was shown is not written (nor recorded in the history): on a profile's
        # edit, a program the client had no row for stays without one. A client being registered gets every row.
        # Only this table's column counts: the other one is not on the page, so it is never posted.
        # The rows another column's table already wrote for the client being registered (read only then).
        saved = set(client.program_statuses.values_list("program_id", flat=True)) if self.registering else set()
        for form, row in zip(self.forms, self.cleaned_data, strict=True):
            new = self.registering and row.get("program") and row["program"].pk not in saved
            if row.get("program") and (self.column in form.changed_data or new):
                ClientProgram.objects.update_or_create(
                    client=client, program=row["program"], defaults={self.column: row[self.column]}
                )


def program_rows(binding: Binding, programs: dict[uuid.UUID, Program]) -> list[dict]:
    """A row for each active program, in the programs' order."""
    client = binding.client
    existing = {row.program_id: row for row in client.program_statuses.all()} if client.pk else {}
    rows = []
    for program in (program for program in programs.values() if program.is_active):
        row = existing.get(program.pk)
        rows.append(
            {
                "program": program.code,
                "program_name": str(program),  # in the page's language, knowing which
                "status": row.status if row else ProgramStatus.NEW,
                "volunteer_status": row.volunteer_status if row else "",
            }
        )
    return rows


class ProgramStatusTable(ProgramTableFormSet):
    column = "status"


class ProgramVolunteerTable(ProgramTableFormSet):
    column = "volunteer_status"


# An agency runs a handful of programs; the table never takes more rows than this.
MAX_PROGRAMS = 100
ProgramStatusFormSet = forms.formset_factory(
    ProgramRowForm, formset=ProgramStatusTable, extra=0, max_num=MAX_PROGRAMS, absolute_max=MAX_PROGRAMS
)
ProgramVolunteerFormSet = forms.formset_factory(
    ProgramRowForm, formset=ProgramVolunteerTable, extra=0, max_num=MAX_PROGRAMS, absolute_max=MAX_PROGRAMS
)
