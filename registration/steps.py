"""The wizard's steps: which forms make each profile section, and how a section is written to a client."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from agencies.models import Program, StaffProfile
from clients.models import Client, ClientProgram, ConsentContact, ContactKind, Family, ProgramStatus, SensitiveInfo
from registration import forms as f
from registration.rules import Facts


@dataclass(frozen=True)
class Step:
    name: str
    title: str | Promise
    sections: tuple[str | Promise, ...]


STEPS: tuple[Step, ...] = (
    Step("privacy", _("Privacy"), (_("Privacy/Confidentiality Statement"),)),
    Step("primary", _("Primary Information"), (_("About Your Client (Primary Information)"),)),
    Step("immigration", _("Immigration"), (_("Immigration Related"),)),
    Step(
        "identification",
        _("Identification"),
        (_("Identification Documents"), _("Client History Prior to OCMS")),
    ),
    Step("contact", _("Contact"), (_("About Your Client (Contact Information)"),)),
    Step("employment", _("Employment"), (_("Employment Related"),)),
    Step("language", _("Language and Housing"), (_("Client Language Related"), _("Housing Status"))),
    Step("sensitive", _("Sensitive and Volunteer"), (_("Sensitive Information"), _("Volunteer"))),
    Step(
        "consent",
        _("Consent and Referral"),
        (_("Emergency Contact & Consent"), _("Learned About Your Agency")),
    ),
    Step("summary", _("Registration Summary"), (_("Registration Summary"),)),
)
STEP_NAMES = [step.name for step in STEPS]
EDITABLE_SECTIONS = STEP_NAMES[1:]  # everything but the privacy confirmation


def step_named(name: str) -> Step | None:
    return next((step for step in STEPS if step.name == name), None)


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
class Section:
    """The bound forms of one step, for a draft or for a saved client."""

    step: str
    forms: dict[str, BaseForm] = field(default_factory=dict)
    formsets: dict[str, Any] = field(default_factory=dict)

    def is_valid(self) -> bool:
        # Validate everything, so every message shows at once.
        results = [form.is_valid() for form in self.forms.values()]
        results += [formset.is_valid() for formset in self.formsets.values()]
        return all(results)

    @property
    def error_count(self) -> int:
        count = sum(len(form.errors) for form in self.forms.values())
        for formset in self.formsets.values():
            count += sum(len(errors) for errors in formset.errors) + len(formset.non_form_errors())
        return count

    def facts(self) -> Facts:
        """What this section tells the rules, from whatever of it is valid."""
        facts: Facts = {}
        for name, form in self.forms.items():
            cleaned = getattr(form, "cleaned_data", None) or {}
            if name == "sensitive_info":
                continue  # no rule reads it, and a draft's kept facts must never hold it
            if name in f.CONTACT_KINDS:
                facts.update({f"{name}-{key}": value for key, value in cleaned.items()})
            elif name == "privacy":
                facts["privacy_confirmed"] = cleaned.get("privacy_confirmed") == "yes"
            else:
                facts.update(cleaned)
        if "identifiers" in self.formsets:
            facts["identifiers"] = [
                (row["identifier_type"].icare_value_id is not None, row.get("value", ""))
                for row in self._rows("identifiers")
                if row.get("identifier_type")
            ]
        return facts

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

    def identifier_values(self) -> list[tuple[Any, str]]:
        return [(row.get("identifier_type"), row.get("value", "")) for row in self._rows("identifiers")]

    def _rows(self, name: str) -> list[dict]:
        formset = self.formsets[name]
        return [
            form.cleaned_data
            for form in formset.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def apply(self, client: Client) -> None:
        """Before the client is saved: what goes on the client row itself."""
        primary = self.forms.get("primary")
        if primary is not None and "family_code" in primary.cleaned_data:
            code = primary.cleaned_data["family_code"]
            client.family = Family.objects.get_or_create(agency=client.agency, code=code)[0] if code else None

    def save_rows(self, client: Client) -> None:
        """After the client is saved: the rows that hang off it."""
        for formset in self.formsets.values():
            if isinstance(formset, f.RowFormSet):
                formset.instance = client
                formset.save()
        if "programs" in self.formsets:
            for row in self.formsets["programs"].cleaned_data:
                if row.get("program"):
                    values = {k: row[k] for k in ("status", "volunteer_status") if k in self._posted_program_fields}
                    ClientProgram.objects.update_or_create(client=client, program=row["program"], defaults=values)
        for kind in f.CONTACT_KINDS:
            form = self.forms.get(kind)
            if form is None:
                continue
            values = form.cleaned_data
            if any(values.values()):
                ConsentContact.objects.update_or_create(client=client, kind=kind, defaults=values)
            else:
                ConsentContact.objects.filter(client=client, kind=kind).delete()
        consent = self.forms.get("consent")
        if consent is not None:
            client.referral_sources.set(consent.cleaned_data["referral_sources"])
        sensitive = self.forms.get("sensitive_info")
        if sensitive is not None:
            info = sensitive.save(commit=False)
            info.client = client
            info.save()
            sensitive.save_m2m()

    @property
    def _posted_program_fields(self) -> set[str]:
        return {"status"} if self.step == "identification" else {"volunteer_status"}


def program_initial(agency, client: Client | None) -> list[dict]:
    existing = {}
    if client is not None and client.pk:
        existing = {row.program_id: row for row in client.program_statuses.all()}
    rows = []
    for program in Program.objects.for_agency(agency).filter(is_active=True):
        row = existing.get(program.pk)
        rows.append(
            {
                "program": program.code,
                "program_name": program.name,
                "status": row.status if row else ProgramStatus.NEW,
                "volunteer_status": row.volunteer_status if row else "",
            }
        )
    return rows


def build_section(
    step: str,
    data: Any,
    *,
    agency,
    staff: StaffProfile,
    client: Client,
    facts: Facts | None = None,
    may_change_date: bool = True,
) -> Section:
    """The forms of a step, bound to `data` (or unbound when None), all writing to `client`."""
    facts = facts or {}
    kwargs = {"agency": agency, "staff": staff, "facts": facts}
    section = Section(step)
    if step == "privacy":
        section.forms["privacy"] = f.PrivacyForm(data, **kwargs)
    elif step == "primary":
        section.forms["primary"] = f.PrimaryForm(data, instance=client, **kwargs)
    elif step == "immigration":
        section.forms["immigration"] = f.ImmigrationForm(data, instance=client, **kwargs)
    elif step == "identification":
        section.formsets["identifiers"] = f.IdentifierFormSet(data, instance=client, prefix="identifiers", **kwargs)
        section.forms["history"] = f.HistoryForm(data, instance=client, **kwargs)
        section.formsets["programs"] = f.ProgramFormSet(
            data, prefix="programs", agency=agency, initial=program_initial(agency, client)
        )
    elif step == "contact":
        section.forms["contact"] = f.ContactForm(data, instance=client, **kwargs)
    elif step == "employment":
        section.forms["employment"] = f.EmploymentForm(data, instance=client, **kwargs)
        section.formsets["certificates"] = f.CertificateFormSet(data, instance=client, prefix="certificates", **kwargs)
    elif step == "language":
        section.formsets["languages"] = f.LanguageFormSet(data, instance=client, prefix="languages", **kwargs)
        section.forms["housing"] = f.HousingForm(data, instance=client, **kwargs)
    elif step == "sensitive":
        # Granted staff enter Sensitive Information while registering. A saved client's is read and edited only
        # behind the password (clients.views.sensitive), so editing this section of a profile edits the Volunteer part.
        if staff.may_unlock_sensitive and client.pk is None:
            section.forms["sensitive_info"] = f.SensitiveForm(
                data, instance=SensitiveInfo(), prefix="sensitive", **kwargs
            )
        section.forms["volunteer"] = f.VolunteerForm(data, instance=client, **kwargs)
        section.formsets["programs"] = f.ProgramFormSet(
            data, prefix="programs", agency=agency, initial=program_initial(agency, client)
        )
    elif step == "consent":
        consent = f.ConsentForm(data, instance=client, **kwargs)
        section.forms["consent"] = consent
        # The contacts are required by this same step's answer to Consent Required, as posted or as saved.
        required = consent["consent_required"].value() if data is not None else client.consent_required
        contact_kwargs = kwargs | {"facts": facts | {"consent_required": required in (True, "true", "True")}}
        contacts = {c.kind: c for c in client.consent_contacts.all()} if client.pk else {}
        for kind in f.CONTACT_KINDS:
            section.forms[kind] = f.ConsentContactForm(
                data, instance=contacts.get(kind) or ConsentContact(kind=kind), prefix=kind, kind=kind, **contact_kwargs
            )
        section.formsets["children"] = f.ChildFormSet(data, instance=client, prefix="children", **kwargs)
    elif step == "summary":
        section.forms["summary"] = f.SummaryForm(data, instance=client, may_change_date=may_change_date, **kwargs)
    else:
        raise ValueError(f"unknown step {step!r}")
    return section
