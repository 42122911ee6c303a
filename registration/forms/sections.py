"""The forms of the profile's sections, for the wizard and the profile's section edits, and the anonymous form.

Every form is bound the same way (`bind`), from a `Binding`: the posted data, the agency and staff member, the
client the forms write to, and what the earlier steps told (the facts the rules read). Each form says what it
tells the rules (`section_facts`) and writes what hangs off the client (`save_rows`) itself, so a step is only the
list of its forms (registration/steps.py).
"""

import re
import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Self

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.widgets import LazySelect
from phonenumber_field.formfields import PhoneNumberField

from agencies.forms import (
    DateField,
    ListChoiceField,
    ModelChoiceField,
    OccupationField,
    TextChecksMixin,
    list_fields_prepare,
    scope_list_fields,
    staff_choices,
)
from agencies.models import Agency, IcareList, IcareValue, Site, StaffProfile
from agencies.rows import icare_values
from agencies.validators import postal_code_provinces
from clients.forms import PostalCodeField
from clients.layout import Col, Field, Include, Row, form_helper
from clients.models import CONTACT_FIELDS, Client, ConsentContact, ContactKind, Family
from clients.models.family import (
    FAMILY_CODE_EXAMPLE,
    FAMILY_CODE_LONGER_EXAMPLE,
    family_code_is_valid,
    normalise_family_code,
)
from clients.rules import Facts, Level, across_sections, field_levels, required_to_register, unmet
from clients.sections import SectionName
from registration.forms.widgets import (
    OccupationWidget,
    YesNoSelect,
    country_choices,
    icare_choices,
    style_widgets,
)

CONTACT_KINDS = [kind for kind, _label in ContactKind.choices]


@dataclass(frozen=True)
class Binding:
    """What every form of a step is bound with."""

    data: QueryDict | None  # None: unbound, showing the client (or the empty new one)
    agency: Agency
    staff: StaffProfile
    client: Client
    facts: Facts
    may_change_date: bool = True


PHONE_INVALID = _("Enter a telephone number such as 416-555-0199, or +44 20 7946 0958 for a number outside Canada.")
EMAIL_INVALID = _("Enter an email address such as name@example.com.")
# An extension as French writes it ("poste 12"), which the telephone library does not read as one.
FRENCH_EXTENSION = re.compile(r"\bposte\b", re.IGNORECASE)


class PhoneField(PhoneNumberField):
    """A telephone number of a profile: one with an extension is refused, not kept without it (a number is stored in
    E.164, which has no extension: "ext. 12" was dropped without a word)."""

    default_error_messages = {
        "extension": _(
            "OCMS keeps a telephone number without an extension: type the number alone, such as 416-555-0199."
        )
    }

    def to_python(self, value):
        if isinstance(value, str) and FRENCH_EXTENSION.search(value):
            raise forms.ValidationError(self.error_messages["extension"], code="extension")
        number = super().to_python(value)
        if getattr(number, "extension", None):
            raise forms.ValidationError(self.error_messages["extension"], code="extension")
        return number


def field_checks_prepare(form_class: type[forms.ModelForm]) -> None:
    """The checks every form of a profile makes of a field of its kind, set on the form class once, when it is first
    used: a date checks what its model field checks (not in the future, a birth date's range) with the form's own
    checks (left to the model, these ran after the checks across fields and sections, and only on a date they had not
    refused: a Registration Date in the future was told only as a child's age group that no longer fitted it); a
    telephone number or an email address is refused with the same words on every tab and section."""
    if form_class.__dict__.get("field_checks_prepared"):
        return
    model_fields = {field.name: field for field in form_class._meta.model._meta.concrete_fields}
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField) and name in model_fields:
            field.validators += [check for check in model_fields[name].validators if check not in field.validators]
        elif type(field) is PhoneNumberField:
            field.__class__ = PhoneField  # as list_fields_prepare swaps a drop-down's class
            field.error_messages = {
                **field.error_messages,
                **PhoneField.default_error_messages,
                "invalid": PHONE_INVALID,
            }
        elif isinstance(field, forms.EmailField):
            field.error_messages = {**field.error_messages, "invalid": EMAIL_INVALID}
    form_class.field_checks_prepared = True


class SectionForm(TextChecksMixin, forms.ModelForm):
    """A profile section: agency-scoped lists, Bootstrap widgets, and this section's green rules."""

    step: SectionName | str = ""
    editing = False  # a section of a registered client (Step.bind says), rather than a step of the wizard
    # What a drop-down says before anything is chosen, by field, where Django's dashes would say less.
    empty_labels: dict[str, str] = {}

    def __init__(
        self,
        *args,
        agency,
        staff: StaffProfile,
        facts: Facts | None = None,
        **kwargs,
    ) -> None:
        list_fields_prepare(type(self))
        field_checks_prepare(type(self))
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.staff = staff
        self.facts = facts or {}
        for name, field in self.fields.items():
            field.required = False
            if name in self.empty_labels:
                field.empty_label = self.empty_labels[name]
            if type(field) in (ListChoiceField, forms.ModelMultipleChoiceField) and field.queryset.model is IcareValue:
                field.widget.choices = icare_choices(field.list_name, field.empty_label)
                if type(field) is ListChoiceField:
                    field.kept = icare_values()
            elif type(field.widget) is LazySelect:
                field.widget.choices = country_choices(field)
        scope_list_fields(self, agency)
        style_widgets(self)
        self.levels = field_levels(self.step, self.facts)

    @classmethod
    def bind(cls, binding: Binding) -> Self:
        return cls(
            binding.data, instance=binding.client, agency=binding.agency, staff=binding.staff, facts=binding.facts
        )

    def section_facts(self) -> Facts:
        """What this form tells the rules, from whatever of it is valid."""
        return dict(getattr(self, "cleaned_data", None) or {})

    def facts_with(self, extra: Facts) -> Facts:
        return {**self.facts, **extra}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        facts = self.facts_with(cleaned)
        self.block_unmet_ocms_rules(facts)
        # The checks across sections (dates in order, a minor's consent): this form's fields against the client's
        # other sections.
        edited = [name for name in self.fields if name in cleaned and name not in self.errors]
        for name, message in across_sections(facts, edited):
            self.add_error(name, message)
        return cleaned

    def _post_clean(self) -> None:
        # A save changes only what its form shows: a field the post does not hold at all (not on the page, such as
        # the duplicate reason when no duplicate is offered) keeps the client's value rather than being blanked.
        # A box left unticked is sent as nothing and still counts as shown (Django's CheckboxInput says so).
        for name, field in self.fields.items():
            if not field.disabled and field.widget.value_omitted_from_data(
                self.data, self.files, self.add_prefix(name)
            ):
                self.cleaned_data.pop(name, None)
        super()._post_clean()

    def _get_validation_exclusions(self) -> set[str]:
        # A drop-down's choice was read by its form field from the agency's own values, a stricter check than the
        # model's, which would read the row once more only to see that it exists (a query for each chosen value, on
        # every check of a step). An empty choice is still the model's to judge.
        exclusions = super()._get_validation_exclusions()
        cleaned = getattr(self, "cleaned_data", {})
        exclusions.update(
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelChoiceField) and cleaned.get(name) is not None
        )
        return exclusions

    def block_unmet_ocms_rules(self, facts: Facts, prefix: str = "") -> None:
        """Attach the message of each unmet green rule of this section to its field."""
        for rule in unmet(facts, Level.OCMS, self.step):
            field = rule.key.removeprefix(prefix)
            if rule.key.startswith(prefix) and field in self.fields and field not in self.errors:
                self.add_error(field, rule.error_when_editing if self.editing else rule.error)


class PrivacyForm(forms.Form):
    privacy_confirmed = forms.TypedChoiceField(
        label=_("Has the client read and understood your agency's Privacy/Confidentiality Statement?"),
        choices=[("", _("Choose Yes or No")), ("yes", _("Yes")), ("no", _("No"))],
        required=True,
        error_messages={"required": _("Choose Yes or No.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    step = SectionName.PRIVACY
    helper = form_helper("privacy_confirmed")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.levels = {"privacy_confirmed": Level.OCMS}

    @classmethod
    def bind(cls, binding: Binding) -> Self:
        return cls(binding.data)

    def section_facts(self) -> Facts:
        cleaned = getattr(self, "cleaned_data", None) or {}
        return {"privacy_confirmed": cleaned.get("privacy_confirmed") == "yes"}


class PrimaryForm(SectionForm):
    step = SectionName.PRIMARY
    family_code = forms.CharField(
        label=_("Family Code"),
        required=False,
        max_length=12,
        help_text=format_lazy(
            _(
                "Click New to generate a code, or type the code of the client's family (codes look like {example}, "
                "or {longer} in a larger agency)."
            ),
            example=FAMILY_CODE_EXAMPLE,
            longer=FAMILY_CODE_LONGER_EXAMPLE,
        ),
    )
    helper = form_helper(
        Row(
            Col("first_name", "last_name", "gender", "preferred_name", "date_of_birth", "marital_status", width=6),
            Field("family_code", template="registration/_family_code_field.html", wrapper_class="col-md-6"),
            Col("official_language", width=6),
        )
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
        field_classes = {"date_of_birth": DateField}

    empty_labels = {"official_language": _("Choose a language"), "gender": _("Choose a gender")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.family_id and not self.is_bound:
            self.initial["family_code"] = instance.family.code

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
                _(
                    "This is not a family code of your agency. Codes look like %(example)s, or %(longer)s in a "
                    "larger agency: check it, or click New."
                )
                % {"example": FAMILY_CODE_EXAMPLE, "longer": FAMILY_CODE_LONGER_EXAMPLE},
                code="invalid_family_code",
            )
        return code

    def apply_to(self, client: Client) -> None:
        """Before the client is saved: its family, found or made from the code."""
        if "family_code" in self.cleaned_data:
            code = self.cleaned_data["family_code"]
            client.family = Family.objects.get_or_create(agency=client.agency, code=code)[0] if code else None


class ImmigrationForm(SectionForm):
    step = SectionName.IMMIGRATION
    helper = form_helper(
        Row(
            Col("landing_date", "arrival_date", "reentry_date", width=4),
            Include("registration/_agency_name.html"),
            Col(
                "initial_destination",
                "country_of_origin",
                "last_residence",
                "immigration_class",
                "immigration_status",
                "aboriginal_status",
                "immigration_card_type",
                width=6,
            ),
        ),
        "research_consent",
        "contact_consent",
        "picture_consent",
    )

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
        field_classes = dict.fromkeys(("landing_date", "arrival_date", "reentry_date"), DateField)
        widgets = {
            "research_consent": YesNoSelect(),
            "contact_consent": YesNoSelect(),
            "picture_consent": YesNoSelect(),
        }
        help_texts = {
            "research_consent": _(
                "If the client answers Yes, all contact information must be provided for iCARE; if No, only the "
                "postal code."
            )
        }


class HistoryForm(SectionForm):
    step = SectionName.IDENTIFICATION
    helper = form_helper(Row(Col("first_visit_date", width=6), Include("registration/_agency_status.html")))

    class Meta:
        model = Client
        fields = ["first_visit_date"]
        field_classes = {"first_visit_date": DateField}


class ContactForm(SectionForm):
    step = SectionName.CONTACT
    postal_code = PostalCodeField(label=_("Postal Code"), required=False)
    helper = form_helper(
        Row(
            Col("email", width=8),
            Col("email_safe", width="4 pt-md-4"),
            Col("phone", width=8),
            Col("phone_safe", width="4 pt-md-4"),
            Col("phone_alt1", "phone_alt2", width=6),
            Col("street_number", width=3),
            Col("street_name", width=5),
            Col("street_type", width=4),
            Col("street_direction", "unit", width=3),
            Col("city", width=6),
            Col("province", "country", "postal_code", width=4),
        )
    )

    class Meta:
        model = Client
        fields = CONTACT_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("phone", "phone_alt1", "phone_alt2"):
            self.fields[name].widget.attrs.update({"autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        code, province = cleaned.get("postal_code"), cleaned.get("province")
        places = postal_code_provinces(code) if code and province and "province" not in self.errors else ()
        if places and province.value not in places:
            # One of the two is mistyped, and iCARE would be sent both.
            named = [v for v in icare_values().values() if v.list == IcareList.PROVINCE and v.value in places]
            self.add_error(
                "province",
                _("The postal code %(code)s is in %(places)s, not in %(province)s: correct whichever is wrong.")
                % {
                    "code": f"{code[:3]} {code[3:]}",
                    "places": _(" or ").join(str(place) for place in named),
                    "province": province,
                },
            )
        return cleaned


class EmploymentForm(SectionForm):
    step = SectionName.EMPLOYMENT
    helper = form_helper(
        Row(Col("employment_status", "education_level", width=6)),
        Field("current_profession", "desired_profession", template="registration/_noc_lookup.html"),
        "professional_background",
    )

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
        field_classes = {"current_profession": OccupationField, "desired_profession": OccupationField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("current_profession", "desired_profession"):
            field = self.fields[name]
            field.error_messages["invalid_choice"] = _(
                "This is not a NOC 2021 code: click Find to look the occupation up."
            )
            field.help_text = _("NOC 2021 code: type it, or click Find to search by words.")


class HousingForm(SectionForm):
    step = SectionName.LANGUAGE
    helper = form_helper("housing_status")

    class Meta:
        model = Client
        fields = ["housing_status"]


class VolunteerForm(SectionForm):
    step = SectionName.SENSITIVE
    helper = form_helper(Row(Col("volunteer_status", "volunteer_stream", "volunteer_type", width=4)))

    class Meta:
        model = Client
        fields = ["volunteer_status", "volunteer_stream", "volunteer_type"]


class ConsentForm(SectionForm):
    step = SectionName.CONSENT
    helper = form_helper("consent_required")
    # "Learned About Your Agency" comes after the contacts and the children, under its own heading.
    referral_helper = form_helper("referral_sources")

    class Meta:
        model = Client
        fields = ["consent_required", "referral_sources"]
        widgets = {"consent_required": YesNoSelect(), "referral_sources": forms.CheckboxSelectMultiple}
        labels = {"consent_required": _("Consent Required: does the client need consent for services (a minor)?")}

    def save_rows(self, client: Client) -> None:
        client.referral_sources.set(self.cleaned_data["referral_sources"])


class ConsentContactForm(SectionForm):
    """One of Guardian, Person Giving Consent and Emergency Contact (its `kind`), prefixed with its kind."""

    step = SectionName.CONSENT
    helper = form_helper("name", "relationship", "phone", "email")

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

    @property
    def error_group(self) -> str:
        """The tab its messages are on, as the error summary names it."""
        return ContactKind(self.kind).label

    @classmethod
    def binder(cls, kind: str):
        """How the form of one kind is bound: required by this same step's answer to Consent Required, as posted
        or as saved."""

        def bind(binding: Binding) -> ConsentContactForm:
            client = binding.client
            if binding.data is not None:
                required = binding.data.get("consent_required") in ("true", "True")
            else:
                required = client.consent_required is True
            contact = client.consent_contacts.filter(kind=kind).first() if client.pk else None
            return cls(
                binding.data,
                instance=contact or ConsentContact(kind=kind),
                prefix=kind,
                kind=kind,
                agency=binding.agency,
                staff=binding.staff,
                facts=binding.facts | {"consent_required": required},
            )

        return bind

    def section_facts(self) -> Facts:
        return {f"{self.kind}-{key}": value for key, value in super().section_facts().items()}

    def clean(self) -> dict[str, Any]:
        cleaned = forms.ModelForm.clean(self)
        prefix = f"{self.kind}-"
        self.block_unmet_ocms_rules({**self.facts, **{prefix + k: v for k, v in cleaned.items()}}, prefix)
        return cleaned

    def save_rows(self, client: Client) -> None:
        values = self.cleaned_data
        if not self.has_changed():
            return
        if any(values.values()):
            ConsentContact.objects.update_or_create(client=client, kind=self.kind, defaults=values)
        else:
            ConsentContact.objects.filter(client=client, kind=self.kind).delete()


class SummaryForm(SectionForm):
    step = SectionName.SUMMARY
    registration_site = forms.ModelChoiceField(
        queryset=Site.objects.none(), to_field_name="code", label=_("Registration Site"), widget=forms.HiddenInput
    )
    helper = form_helper(
        Row(Col("primary_worker", "registration_date", width=6)),
        Field("registration_site", template="registration/_site_picker.html"),
        "comments",
    )
    # Shown below the possible duplicates, when there are some.
    reason_helper = form_helper("duplicate_reason")

    class Meta:
        model = Client
        fields = ["primary_worker", "registration_date", "registration_site", "comments", "duplicate_reason"]
        field_classes = {"registration_date": DateField, "primary_worker": ModelChoiceField}
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"comments": _("Everyone in your agency can see these comments; write about the client only.")}

    def __init__(self, *args, may_change_date: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        worker = self.fields["primary_worker"]
        worker.queryset = StaffProfile.objects.for_agency(self.agency)  # read only to check the one posted
        worker.widget.choices = staff_choices(self.agency, worker.empty_label)
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

    @classmethod
    def bind(cls, binding: Binding) -> Self:
        return cls(
            binding.data,
            instance=binding.client,
            agency=binding.agency,
            staff=binding.staff,
            facts=binding.facts,
            may_change_date=binding.may_change_date,
        )

    @cached_property  # the site picker shows it twice (the value and its language)
    def registration_site_name(self) -> str:
        try:
            code = uuid.UUID(str(self["registration_site"].value()))
        except ValueError:
            return ""
        # The site the form checked, or the caseworker's default site (read with the user): read again only if neither.
        known = (getattr(self, "cleaned_data", {}).get("registration_site"), self.staff.default_site)
        site = next((site for site in known if site is not None and site.code == code), None)
        if site is None:
            site = Site.objects.for_agency(self.agency).filter(code=code).first()
        return str(site) if site else ""


# No client arrived or registered before this year: an earlier date is a slip of the keyboard (1890 for 1990).
FIRST_REGISTRATION_YEAR = 1940


class AnonymousForm(SectionForm):
    step = "anonymous"
    arrival_year = forms.TypedChoiceField(label=_("Arrival Year"), coerce=int, empty_value=None, required=False)
    registration_site = ModelChoiceField(queryset=Site.objects.none(), label=_("Registration Site"))
    postal_code = PostalCodeField(label=_("Postal Code"))
    helper = form_helper(
        Row(
            Include("registration/_anonymous_names.html"),
            Col(
                "gender",
                "arrival_year",
                "immigration_status",
                "postal_code",
                "registration_date",
                "registration_site",
                width=6,
            ),
        ),
        "comments",
    )

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
        field_classes = {"registration_date": DateField}
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["arrival_year"].choices = [("", _("Unknown"))] + [
            (year, str(year)) for year in range(this_year, FIRST_REGISTRATION_YEAR - 1, -1)
        ]
        self.fields["registration_site"].queryset = Site.objects.for_agency(self.agency).filter(is_active=True)
        for name in ("registration_site", "registration_date", "postal_code"):
            self.fields[name].required = True
            # Said as the wizard says it of a green field left empty.
            self.fields[name].error_messages["required"] = required_to_register(self.fields[name].label)
        self.levels = dict.fromkeys(("postal_code", "registration_date", "registration_site"), Level.OCMS)
        default_site = self.staff.default_site if self.staff else None
        if not self.is_bound and not self.initial.get("registration_site") and default_site:
            self.initial["registration_site"] = default_site.pk

    def clean(self) -> dict:
        cleaned = super().clean()
        registered, arrived = cleaned.get("registration_date"), cleaned.get("arrival_year")
        if registered and arrived and registered.year < arrived:
            self.add_error(
                "registration_date",
                _("The registration date is before the Arrival Year %(year)s: a client registers after arriving.")
                % {"year": arrived},
            )
        elif registered and registered.year < FIRST_REGISTRATION_YEAR:
            self.add_error(
                "registration_date",
                _("The registration date must be in %(year)s or later.") % {"year": FIRST_REGISTRATION_YEAR},
            )
        return cleaned


class DuplicateCheckForm(TextChecksMixin, forms.Form):
    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    date_of_birth = DateField(required=False)
