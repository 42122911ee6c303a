"""The wizard, declared once: each step is a profile section (clients/sections.py) and the forms that make it.

A step lists its forms and formsets by name, each with how it is bound (`bind`, from a `Binding`); binding a step
gives a `BoundStep`, which validates them all, says what they tell the rules, and writes them to a client. The
profile's section edits bind the same steps to a saved client.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.forms.utils import ErrorDict
from phonenumber_field.phonenumber import PhoneNumber

from agencies.models import StaffProfile
from clients.forms import SensitiveInfoForm
from clients.models import Client, ContactKind, SensitiveInfo
from clients.rules import Facts
from clients.sections import SECTIONS, Section, SectionName
from registration import forms as f

Binder = Callable[[f.Binding], Any]


def sensitive_info_form(binding: f.Binding) -> SensitiveInfoForm | None:
    """Granted staff enter Sensitive Information while registering. A saved client's is read and edited only
    behind the password (clients.views.sensitive), so editing this section of a profile edits the Volunteer part."""
    if not binding.staff.may_unlock_sensitive or binding.client.pk is not None:
        return None
    return SensitiveInfoForm(binding.data, instance=SensitiveInfo(), prefix="sensitive", agency=binding.agency)


@dataclass(frozen=True)
class Step:
    section: Section
    forms: tuple[tuple[str, Binder], ...] = ()
    formsets: tuple[tuple[str, Binder], ...] = ()

    @property
    def name(self) -> SectionName:
        return self.section.name

    @property
    def title(self):
        return self.section.title

    def bind(self, binding: f.Binding) -> "BoundStep":
        bound = BoundStep(self)
        for name, bind in self.forms:
            form = bind(binding)
            if form is not None:
                form.editing = binding.client.pk is not None  # a registered client's section: its messages say so
                bound.forms[name] = form
        for name, bind in self.formsets:
            bound.formsets[name] = bind(binding)
        return bound


PARTS: dict[SectionName, dict[str, tuple[tuple[str, Binder], ...]]] = {
    SectionName.PRIVACY: {"forms": (("privacy", f.PrivacyForm.bind),)},
    SectionName.PRIMARY: {"forms": (("primary", f.PrimaryForm.bind),)},
    SectionName.IMMIGRATION: {"forms": (("immigration", f.ImmigrationForm.bind),)},
    SectionName.IDENTIFICATION: {
        "forms": (("history", f.HistoryForm.bind),),
        "formsets": (("identifiers", f.IdentifierFormSet.bind), ("programs", f.ProgramStatusFormSet.bind)),
    },
    SectionName.CONTACT: {"forms": (("contact", f.ContactForm.bind),)},
    SectionName.EMPLOYMENT: {
        "forms": (("employment", f.EmploymentForm.bind),),
        "formsets": (("certificates", f.CertificateFormSet.bind),),
    },
    SectionName.LANGUAGE: {
        "forms": (("housing", f.HousingForm.bind),),
        "formsets": (("languages", f.LanguageFormSet.bind),),
    },
    SectionName.SENSITIVE: {
        "forms": (("sensitive_info", sensitive_info_form), ("volunteer", f.VolunteerForm.bind)),
        "formsets": (("programs", f.ProgramVolunteerFormSet.bind),),
    },
    SectionName.CONSENT: {
        "forms": (
            ("consent", f.ConsentForm.bind),
            *((kind, f.ConsentContactForm.binder(kind)) for kind in f.CONTACT_KINDS),
        ),
        "formsets": (("children", f.ChildFormSet.bind),),
    },
    SectionName.SUMMARY: {"forms": (("summary", f.SummaryForm.bind),)},
}
STEPS: tuple[Step, ...] = tuple(Step(section, **PARTS[section.name]) for section in SECTIONS)
STEP_BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
STEP_NAMES: list[SectionName] = [step.name for step in STEPS]


def step_named(name: str) -> Step | None:
    return STEP_BY_NAME.get(name)


def fact_kept(value: Any) -> Any:
    """A fact as JSON: rows by their key, dates as YYYY-MM-DD, phones in E.164. The rules only ask whether
    a fact is there, and the checks of dates compare dates (see facts_restored)."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PhoneNumber):
        return value.as_e164 if value.is_valid() else str(value.raw_input)
    if isinstance(value, list | tuple | QuerySet):
        return [fact_kept(item) for item in value]
    if isinstance(value, dict):
        return {key: fact_kept(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def facts_restored(kept: dict) -> Facts:
    """Facts kept as JSON, with their dates dates again."""
    facts = dict(kept)
    for key, value in kept.items():
        if (key == "date_of_birth" or key.endswith("_date")) and isinstance(value, str) and value:
            facts[key] = date.fromisoformat(value)
    return facts


@dataclass
class BoundStep:
    """The bound forms of one step, for a draft or for a saved client."""

    step: Step
    forms: dict[str, BaseForm] = field(default_factory=dict)
    formsets: dict[str, Any] = field(default_factory=dict)

    @property
    def parts(self) -> list:
        return [*self.forms.values(), *self.formsets.values()]

    def is_valid(self) -> bool:
        # Validate everything (no short cut), so every message shows at once.
        results = [part.is_valid() for part in self.parts]
        return all(results)

    def quiet(self) -> None:
        """Shown as typed, without its messages: input kept while it was typed, not yet posted to be checked.
        (A bound form finds its errors when it is shown; here they are found and set aside.)"""
        self.is_valid()
        for part in self.parts:
            for form in getattr(part, "forms", [part]):
                form._errors = ErrorDict()
            if hasattr(part, "forms"):
                part._errors = [ErrorDict() for _form in part.forms]
                part._non_form_errors = part.error_class()

    def facts(self) -> Facts:
        """What this step tells the rules, from whatever of it is valid."""
        facts: Facts = {}
        for part in self.parts:
            if hasattr(part, "section_facts"):
                facts.update(part.section_facts())
        return facts

    def identifier_values(self) -> list[tuple[Any, str]]:
        identifiers = self.formsets.get("identifiers")
        return identifiers.typed_identifiers() if identifiers is not None else []

    def outcome(self) -> dict:
        """This step's check as a draft keeps it (JSON): valid or not, its facts, and its identifiers."""
        kept = {"valid": self.is_valid(), "facts": {key: fact_kept(value) for key, value in self.facts().items()}}
        if "identifiers" in self.formsets:
            kept["identifiers"] = [[fact_kept(kind), value] for kind, value in self.identifier_values() if kind]
        return kept

    @property
    def contact_tabs(self) -> list[tuple[str, str, BaseForm, bool]]:
        """Guardian, Person Giving Consent, Emergency Contact as (kind, title, form, open): the first tab
        opens unless another has a mistake to correct."""
        tabs = [(kind, label, self.forms[kind]) for kind, label in ContactKind.choices]
        opened = next((kind for kind, _label, form in tabs if form.errors), tabs[0][0])
        return [(kind, label, form, kind == opened) for kind, label, form in tabs]

    def apply(self, client: Client) -> None:
        """Before the client is saved: what goes on the client row itself beyond its fields."""
        for part in self.parts:
            if hasattr(part, "apply_to"):
                part.apply_to(client)

    def save_rows(self, client: Client) -> None:
        """After the client is saved: the rows that hang off it."""
        for part in self.parts:
            if hasattr(part, "save_rows"):
                part.save_rows(client)


def bind_step(
    step_name: str,
    data: Any,
    *,
    agency,
    staff: StaffProfile,
    client: Client,
    facts: Facts | None = None,
    may_change_date: bool = True,
) -> BoundStep:
    """The forms of a step, bound to `data` (or unbound when None), all writing to `client`."""
    step = step_named(step_name)
    if step is None:
        raise ValueError(f"unknown step {step_name!r}")
    return step.bind(f.Binding(data, agency, staff, client, facts or {}, may_change_date))
