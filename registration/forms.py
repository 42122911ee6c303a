"""The forms of the registration wizard and of profile editing: one per profile section."""

import uuid
from datetime import date
from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.widgets import LazySelect
from phonenumber_field.phonenumber import PhoneNumber, to_python
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from agencies.forms import DateInput, agency_list_items, list_fields_prepare, scope_list_fields
from agencies.models import AgencyList, IcareValue, Occupation, Program, Site, StaffProfile
from clients.models import (
    CONTACT_FIELDS,
    Certificate,
    Child,
    Client,
    ClientLanguage,
    ConsentContact,
    ContactKind,
    Family,
    Identifier,
    ProgramStatus,
    SensitiveInfo,
    VolunteerStatus,
    identifier_key,
)
from clients.models.family import family_code_is_valid, normalise_family_code
from clients.validators import normalise_postal_code
from registration.rules import Facts, Level, field_levels, unmet


class YesNoSelect(forms.NullBooleanSelect):
    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs={"class": "form-select", **(attrs or {})})
        self.choices = [("unknown", _("Choose Yes or No")), ("true", _("Yes")), ("false", _("No"))]


class FastSelectMixin:
    """Renders a drop-down's options in Python rather than one template per option.

    Django renders each <option> through its own template; for the long lists of a profile (countries,
    languages) that alone costs tens of milliseconds a page.
    """

    def render(self, name, value, attrs=None, renderer=None) -> str:
        if isinstance(self.choices, SharedChoices) and not self.allow_multiple_selected:
            return self.render_shared(name, value, attrs)
        context = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', context["name"], flatatt(context["attrs"]))]
        for group_name, options, _index in context["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"],
                        mark_safe(" selected") if option["selected"] else "",
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))

    def render_shared(self, name, value, attrs) -> str:
        """Shared options come as HTML made once; only the chosen one is marked here."""
        context = forms.Widget.get_context(self, name, value, attrs)["widget"]
        options = self.choices.options_html
        chosen = context["value"][0] if context["value"] else ""
        option = format_html('<option value="{}">', chosen)
        options = options.replace(option, option[:-1] + " selected>", 1)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(context["attrs"]), mark_safe(options))


class SharedChoices(BaseChoiceIterator):
    """The options of a list that every drop-down showing it shares (an IRCC list in one language):
    Django takes them as they are, and their HTML is made once."""

    def __init__(self, choices) -> None:
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    @cached_property
    def options_html(self) -> str:
        return "".join(format_html('<option value="{}">{}</option>', value, label) for value, label in self.choices)


_fast_classes: dict[type, type] = {}


def fast_select_class(widget_class: type) -> type:
    if widget_class not in _fast_classes:
        _fast_classes[widget_class] = type(f"Fast{widget_class.__name__}", (FastSelectMixin, widget_class), {})
    return _fast_classes[widget_class]


class TypedPhoneWidget(RegionalPhoneNumberWidget):
    """Shows a number the way it was typed when it is not a valid one, so the caseworker can correct it."""

    def format_value(self, value):
        if isinstance(value, str) and not (to_python(value, region=self.region) or PhoneNumber()).is_valid():
            return value
        return super().format_value(value)


def style_widgets(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, so templates can render fields plainly; fast long drop-downs."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) in (forms.Select, LazySelect):
            widget.__class__ = fast_select_class(type(widget))
        elif type(widget) is RegionalPhoneNumberWidget:
            widget.__class__ = TypedPhoneWidget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


_icare_choices: dict[tuple[str, str, str | None], SharedChoices] = {}


def icare_choices(list_name: str, empty_label) -> SharedChoices:
    """An IRCC list's options, read once per process and language: IRCC's lists change only by migration."""
    empty = None if empty_label is None else str(empty_label)
    key = (list_name, get_language() or "en", empty)
    if key not in _icare_choices:
        values = [(value.pk, str(value)) for value in IcareValue.objects.of(list_name)]
        _icare_choices[key] = SharedChoices([("", empty), *values] if empty is not None else values)
    return _icare_choices[key]


_country_choices: dict[str, SharedChoices] = {}


def country_choices(field: forms.Field) -> SharedChoices:
    """The countries (a blank choice first, then by name in the page's language): made once per language."""
    language = get_language() or "en"
    if language not in _country_choices:
        _country_choices[language] = SharedChoices((code, str(name)) for code, name in field.choices)
    return _country_choices[language]


class SectionForm(forms.ModelForm):
    """A profile section: agency-scoped lists, Bootstrap widgets, and this section's green rules."""

    step = ""

    def __init__(
        self,
        *args,
        agency,
        staff: StaffProfile,
        facts: Facts | None = None,
        choices_cache: dict | None = None,
        **kwargs,
    ) -> None:
        list_fields_prepare(type(self))
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.staff = staff
        self.facts = facts or {}
        scope_list_fields(self, agency)
        for name, field in self.fields.items():
            field.required = False
            if type(field) is forms.ModelChoiceField and field.queryset.model is IcareValue:
                field.widget.choices = icare_choices(field.list_name, field.empty_label)
            elif type(field.widget) is LazySelect:
                field.widget.choices = country_choices(field)
            elif choices_cache is not None and isinstance(field, forms.ModelChoiceField):
                # The rows of a formset share their drop-downs' options: read and built once.
                field.widget.choices = choices_cache.setdefault(name, list(field.choices))
        style_widgets(self)
        self.levels = field_levels(self.step, self.facts)

    def facts_with(self, extra: Facts) -> Facts:
        return {**self.facts, **extra}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.block_unmet_ocms_rules(self.facts_with(cleaned))
        return cleaned

    def block_unmet_ocms_rules(self, facts: Facts, prefix: str = "") -> None:
        """Attach the message of each unmet green rule of this section to its field."""
        for rule in unmet(facts, Level.OCMS, self.step):
            field = rule.key.removeprefix(prefix)
            if rule.key.startswith(prefix) and field in self.fields and field not in self.errors:
                self.add_error(field, rule.error)


class PrivacyForm(forms.Form):
    privacy_confirmed = forms.TypedChoiceField(
        label=_("Has the client read and understood your agency's Privacy/Confidentiality Statement?"),
        choices=[("", _("Choose Yes or No")), ("yes", _("Yes")), ("no", _("No"))],
        required=True,
        error_messages={"required": _("Choose Yes or No.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    step = "privacy"

    def __init__(self, *args, agency=None, staff=None, facts=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.levels = {"privacy_confirmed": Level.OCMS}


class PrimaryForm(SectionForm):
    step = "primary"
    family_code = forms.CharField(
        label=_("Family Code"),
        required=False,
        max_length=12,
        help_text=_("Click New to generate a code, or type the code of the client's family."),
    )

    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "gender",
            "preferred_name",
            "date_of_birth",
            "marital_status",
            "official_language",
        ]
        widgets = {"date_of_birth": DateInput(attrs={"max": "9999-12-31"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.family_id and not self.is_bound:
            self.initial["family_code"] = instance.family.code
        self.fields["official_language"].empty_label = _("Choose a language")
        self.fields["gender"].empty_label = _("Choose a gender")

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self) -> str:
        return self.cleaned_data["last_name"].strip()

    def clean_family_code(self) -> str:
        code = normalise_family_code(self.cleaned_data["family_code"])
        if not code:
            return ""
        exists = Family.objects.for_agency(self.agency).filter(code=code).exists()
        if not exists and not family_code_is_valid(code):
            raise forms.ValidationError(
                _("This is not a family code of your agency. Codes look like F-4821-K: check it, or click New."),
                code="invalid_family_code",
            )
        return code


class ImmigrationForm(SectionForm):
    step = "immigration"

    class Meta:
        model = Client
        fields = [
            "landing_date",
            "arrival_date",
            "reentry_date",
            "initial_destination",
            "country_of_origin",
            "last_residence",
            "immigration_class",
            "immigration_status",
            "aboriginal_status",
            "immigration_card_type",
            "research_consent",
            "contact_consent",
            "picture_consent",
        ]
        widgets = {
            "landing_date": DateInput(),
            "arrival_date": DateInput(),
            "reentry_date": DateInput(),
            "research_consent": YesNoSelect(),
            "contact_consent": YesNoSelect(),
            "picture_consent": YesNoSelect(),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["immigration_class"].queryset = self.fields["immigration_class"].queryset.order_by("position")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        born = self.facts.get("date_of_birth")
        arrival = cleaned.get("arrival_date")
        if born and arrival and arrival < born:
            self.add_error(
                "arrival_date", _("The arrival date is before the date of birth (%(born)s).") % {"born": born}
            )
        landing = cleaned.get("landing_date")
        if born and landing and landing < born:
            self.add_error(
                "landing_date", _("The landing date is before the date of birth (%(born)s).") % {"born": born}
            )
        reentry = cleaned.get("reentry_date")
        if reentry and arrival and reentry < arrival:
            self.add_error(
                "reentry_date",
                _("The re-entry date must come after the arrival date (%(arrival)s).") % {"arrival": arrival},
            )
        return cleaned


class HistoryForm(SectionForm):
    step = "identification"

    class Meta:
        model = Client
        fields = ["first_visit_date"]
        widgets = {"first_visit_date": DateInput()}


class ContactForm(SectionForm):
    step = "contact"

    class Meta:
        model = Client
        fields = CONTACT_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("phone", "phone_alt1", "phone_alt2"):
            self.fields[name].widget.attrs.update({"autocomplete": "off"})
            self.fields[name].error_messages["invalid"] = _(
                "Enter a telephone number such as 416-555-0199, or +44 20 7946 0958 for a number outside Canada."
            )
        self.fields["email"].error_messages["invalid"] = _("Enter an email address such as name@example.com.")
        self.fields["postal_code"].widget.attrs.update({"maxlength": 7, "autocomplete": "off"})
        self.fields["postal_code"].max_length = 7
        self.fields["postal_code"].validators = [
            v for v in self.fields["postal_code"].validators if v.__class__.__name__ != "MaxLengthValidator"
        ]
        if self.instance.postal_code and not self.is_bound:
            self.initial["postal_code"] = self.instance.postal_code_display

    def clean_postal_code(self) -> str:
        return normalise_postal_code(self.cleaned_data["postal_code"])


class OccupationWidget(forms.TextInput):
    """The NOC code; the page's Find button fills it from the NOC list."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "form-control", "inputmode": "numeric", "maxlength": 5, "size": 6})


class EmploymentForm(SectionForm):
    step = "employment"

    class Meta:
        model = Client
        fields = [
            "employment_status",
            "current_profession",
            "desired_profession",
            "professional_background",
            "education_level",
        ]
        widgets = {
            "current_profession": OccupationWidget(),
            "desired_profession": OccupationWidget(),
            "professional_background": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("current_profession", "desired_profession"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "This is not a NOC 2021 code: click Find to look the occupation up."
            )
            self.fields[name].help_text = _("NOC 2021 code: type it, or click Find to search by words.")

    def occupation_title(self, name: str) -> str:
        code = self.data.get(self.add_prefix(name)) if self.is_bound else getattr(self.instance, f"{name}_id")
        occupation = Occupation.objects.filter(code=(code or "").strip()).first() if code else None
        return str(occupation) if occupation else ""

    @property
    def current_profession_title(self) -> str:
        return self.occupation_title("current_profession")

    @property
    def desired_profession_title(self) -> str:
        return self.occupation_title("desired_profession")


class HousingForm(SectionForm):
    step = "language"

    class Meta:
        model = Client
        fields = ["housing_status"]


class VolunteerForm(SectionForm):
    step = "sensitive"

    class Meta:
        model = Client
        fields = ["volunteer_status", "volunteer_stream", "volunteer_type"]


class SensitiveForm(SectionForm):
    step = "sensitive"

    class Meta:
        model = SensitiveInfo
        fields = ["health_insurance_status", "illnesses", "self_identity", "family_income"]
        widgets = {"illnesses": forms.Textarea(attrs={"rows": 3}), "self_identity": forms.CheckboxSelectMultiple}


class ConsentForm(SectionForm):
    step = "consent"

    class Meta:
        model = Client
        fields = ["consent_required", "referral_sources"]
        widgets = {"consent_required": YesNoSelect(), "referral_sources": forms.CheckboxSelectMultiple}
        labels = {"consent_required": _("Consent Required: does the client need consent for services (a minor)?")}


class ConsentContactForm(SectionForm):
    step = "consent"

    class Meta:
        model = ConsentContact
        fields = ["name", "relationship", "phone", "email"]

    def __init__(self, *args, kind: str, **kwargs) -> None:
        self.kind = kind
        super().__init__(*args, **kwargs)
        prefix = f"{kind}-"
        self.levels = {k.removeprefix(prefix): v for k, v in self.levels.items() if k.startswith(prefix)}
        # What Consent Required = Yes makes required: the page marks it as soon as Yes is chosen.
        with_consent = field_levels(self.step, {**self.facts, "consent_required": True})
        self.required_with_consent = {
            k.removeprefix(prefix) for k, v in with_consent.items() if k.startswith(prefix) and v == Level.OCMS
        }

    def clean(self) -> dict[str, Any]:
        cleaned = forms.ModelForm.clean(self)
        prefix = f"{self.kind}-"
        self.block_unmet_ocms_rules({**self.facts, **{prefix + k: v for k, v in cleaned.items()}}, prefix)
        return cleaned


class SummaryForm(SectionForm):
    step = "summary"
    registration_site = forms.ModelChoiceField(
        queryset=Site.objects.none(), to_field_name="code", label=_("Registration Site"), widget=forms.HiddenInput
    )

    class Meta:
        model = Client
        fields = ["primary_worker", "registration_date", "registration_site", "comments", "duplicate_reason"]
        widgets = {"registration_date": DateInput(), "comments": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"comments": _("Everyone in your agency can see these comments; write about the client only.")}

    def __init__(self, *args, may_change_date: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["primary_worker"].queryset = StaffProfile.objects.for_agency(self.agency).select_related("user")
        self.fields["primary_worker"].label_from_instance = lambda staff: staff.display_name
        self.fields["registration_site"].queryset = Site.objects.for_agency(self.agency).filter(is_active=True)
        self.fields["registration_site"].required = False
        self.may_change_date = may_change_date
        self.fields["duplicate_reason"].widget.attrs["placeholder"] = _("Different person")
        self.fields["duplicate_reason"].help_text = _(
            "If the client is not one of the possible duplicates above, say so: it is recorded with the profile."
        )
        if not self.is_bound and self.instance.pk is None:
            self.initial["primary_worker"] = self.initial.get("primary_worker") or self.staff.pk
            if self.staff.default_site and not self.initial.get("registration_site"):
                self.initial["registration_site"] = self.staff.default_site.code
        elif not self.is_bound and self.instance.registration_site_id:
            self.initial["registration_site"] = self.instance.registration_site.code
        if not may_change_date:
            self.fields["registration_date"].disabled = True
            self.fields["registration_date"].help_text = _(
                "Only an Agency Coordinator or the person who created the profile can change the Registration Date."
            )

    @property
    def registration_site_name(self) -> str:
        try:
            code = uuid.UUID(str(self["registration_site"].value()))
        except ValueError:
            return ""
        site = Site.objects.for_agency(self.agency).filter(code=code).first()
        return site.name if site else ""

    def clean_registration_date(self) -> date | None:
        value = self.cleaned_data.get("registration_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The registration date cannot be in the future."), code="future")
        return value


class AnonymousForm(SectionForm):
    step = "anonymous"
    arrival_year = forms.TypedChoiceField(label=_("Arrival Year"), coerce=int, empty_value=None, required=False)
    registration_site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Registration Site"))

    class Meta:
        model = Client
        fields = [
            "gender",
            "arrival_year",
            "immigration_status",
            "postal_code",
            "registration_date",
            "registration_site",
            "comments",
        ]
        widgets = {"registration_date": DateInput(), "comments": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["arrival_year"].choices = [("", _("Unknown"))] + [
            (year, str(year)) for year in range(this_year, 1939, -1)
        ]
        self.fields["registration_site"].queryset = Site.objects.for_agency(self.agency).filter(is_active=True)
        self.fields["registration_site"].required = True
        self.fields["registration_site"].widget.attrs["class"] = "form-select"
        self.fields["registration_date"].required = True
        self.fields["postal_code"].required = True
        self.fields["postal_code"].max_length = 7
        self.fields["postal_code"].widget.attrs["maxlength"] = 7
        self.fields["postal_code"].validators = [
            v for v in self.fields["postal_code"].validators if v.__class__.__name__ != "MaxLengthValidator"
        ]
        self.levels = {"postal_code": Level.OCMS, "registration_date": Level.OCMS, "registration_site": Level.OCMS}
        if not self.is_bound and not self.initial.get("registration_site") and staff_site(self.staff):
            self.initial["registration_site"] = staff_site(self.staff).pk

    def clean_postal_code(self) -> str:
        return normalise_postal_code(self.cleaned_data["postal_code"])


def staff_site(staff: StaffProfile | None) -> Site | None:
    return staff.default_site if staff else None


# Rows added with [+]: identifiers, certificates, languages, children.


class RowFormSet(BaseInlineFormSet):
    def __init__(self, *args, agency, staff, facts=None, **kwargs) -> None:
        self.agency = agency
        self.staff = staff
        self.facts = facts or {}
        self.choices_cache: dict = {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int) -> dict:
        return {"agency": self.agency, "staff": self.staff, "facts": self.facts, "choices_cache": self.choices_cache}

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


class RowForm(SectionForm):
    def clean(self) -> dict[str, Any]:
        return forms.ModelForm.clean(self)


class IdentifierForm(RowForm):
    step = "identification"

    class Meta:
        model = Identifier
        fields = ["identifier_type", "value"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["identifier_type"].queryset = agency_list_items(self.agency, AgencyList.IDENTIFIER_TYPE).order_by(
            "position"
        )
        self.fields["identifier_type"].empty_label = _("Choose the identifier type")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("value") and not cleaned.get("identifier_type"):
            self.add_error("identifier_type", _("Choose which kind of identifier this is."))
        if cleaned.get("identifier_type") and not (cleaned.get("value") or "").strip():
            self.add_error("value", _("Type the identifier's number, or remove the row."))
        return cleaned


class CertificateForm(RowForm):
    step = "employment"

    class Meta:
        model = Certificate
        fields = ["institution", "year", "country"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (cleaned.get("year") or cleaned.get("country")) and not cleaned.get("institution"):
            self.add_error("institution", _("Type the institution's name, or remove the row."))
        if cleaned.get("year") and cleaned["year"] > timezone.localdate().year:
            self.add_error("year", _("The year cannot be in the future."))
        return cleaned


class LanguageForm(RowForm):
    step = "language"

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


class ChildForm(RowForm):
    step = "consent"

    class Meta:
        model = Child
        fields = ["name", "age_group"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("age_group") and not cleaned.get("name"):
            self.add_error("name", _("Type the child's name, or remove the row."))
        if cleaned.get("name") and not cleaned.get("age_group"):
            self.add_error("age_group", _("Choose the child's age group."))
        return cleaned


def row_formset(model, form, extra: int = 0):
    return inlineformset_factory(Client, model, form=form, formset=RowFormSet, extra=extra, can_delete=True)


class IdentifierRowFormSet(RowFormSet):
    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if cleaned.get("DELETE") or not cleaned.get("identifier_type") or not cleaned.get("value"):
                continue
            key = (cleaned["identifier_type"].pk, identifier_key(cleaned["value"]))
            if key in seen:
                form.add_error("value", _("This identifier is already listed above: remove one of the two rows."))
            seen.add(key)


IdentifierFormSet = inlineformset_factory(
    Client, Identifier, form=IdentifierForm, formset=IdentifierRowFormSet, extra=1, can_delete=True
)
CertificateFormSet = row_formset(Certificate, CertificateForm)
LanguageFormSet = row_formset(ClientLanguage, LanguageForm, extra=1)
ChildFormSet = row_formset(Child, ChildForm)


class ProgramRowForm(forms.Form):
    """A row of the Agency Program Table (and the program's volunteer status)."""

    program = forms.ModelChoiceField(queryset=Program.objects.none(), to_field_name="code", widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), choices=ProgramStatus.choices, initial=ProgramStatus.NEW, required=False
    )
    volunteer_status = forms.ChoiceField(
        label=_("Volunteer status"), choices=[("", "—"), *VolunteerStatus.choices], required=False
    )

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.for_agency(agency)
        style_widgets(self)


class BaseProgramFormSet(forms.BaseFormSet):
    def __init__(self, *args, agency, **kwargs) -> None:
        self.agency = agency
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int) -> dict:
        return {"agency": self.agency}


ProgramFormSet = forms.formset_factory(ProgramRowForm, formset=BaseProgramFormSet, extra=0)


class DuplicateCheckForm(forms.Form):
    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    date_of_birth = forms.DateField(required=False)


CONTACT_KINDS = [kind for kind, _label in ContactKind.choices]
