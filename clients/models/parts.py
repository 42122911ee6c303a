"""The rows that hang off a client: identifiers, programs, certificates, languages, contacts, children."""

import re

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from agencies.models import Agency, AgencyList, IcareList, Program, agency_list_field, icare_list_field, labelled
from clients.models.client import Client, ProgramStatus, VolunteerStatus
from clients.validators import BirthDateValidator


def identifier_key(value: str) -> str:
    """An identifier as compared: without spaces or hyphens, upper case."""
    return re.sub(r"[\s\-–]+", "", value or "").upper()


# The identifier type iCARE knows as IRCC's Unique Client Identifier (UCI), as iCARE's list spells it.
UCI_TYPE = "FOSS/GCMS Client ID"


def is_uci(value: str) -> bool:
    """A UCI as IRCC writes it: 8 digits (0000-0000) or 10 (00-0000-0000), however spaced or hyphenated."""
    key = identifier_key(value)
    return key.isascii() and key.isdigit() and len(key) in (8, 10)


class ClientPartQuerySet(models.QuerySet):
    def for_agency(self, agency: Agency | None) -> "ClientPartQuerySet":
        if agency is None:
            return self.none()
        return self.filter(client__agency=agency)


class Identifier(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="identifiers")
    identifier_type = agency_list_field(AgencyList.IDENTIFIER_TYPE, _("Client Identifier"), required=True)
    value = models.CharField(_("Identifier Value"), max_length=60)
    value_key = models.CharField(max_length=60, editable=False, db_index=True)

    history = HistoricalRecords()
    objects = ClientPartQuerySet.as_manager()

    class Meta:
        ordering = ["identifier_type__position", "pk"]
        verbose_name = _("client identifier")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "identifier_type", "value_key"], name="clients_identifier_unique_per_client"
            )
        ]

    def __str__(self) -> str:
        return labelled(self.identifier_type, self.value)

    def save(self, *args, **kwargs) -> None:
        self.value_key = identifier_key(self.value)
        super().save(*args, **kwargs)

    @property
    def is_icare(self) -> bool:
        return self.identifier_type.icare_value_id is not None


class ClientProgram(models.Model):
    """A row of the Agency Program Table: New/Returning, and the client's volunteer status there."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="program_statuses")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("Program"))
    status = models.CharField(_("Status"), max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.NEW)
    volunteer_status = models.CharField(
        _("Volunteer status"), max_length=10, choices=VolunteerStatus.choices, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["program__name"]
        constraints = [
            models.UniqueConstraint(fields=["client", "program"], name="clients_clientprogram_unique_per_client")
        ]

    def __str__(self) -> str:
        return labelled(self.program, self.get_status_display())


class Certificate(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="certificates")
    institution = models.CharField(_("Institution Name"), max_length=160)
    year = models.PositiveSmallIntegerField(
        _("Year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    country = CountryField(_("Country"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "pk"]

    def __str__(self) -> str:
        return self.institution


class ClientLanguage(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="languages")
    language = icare_list_field(IcareList.LANGUAGE, _("Language"), required=True)
    comments = models.CharField(_("Comments"), max_length=300, blank=True)
    listening = icare_list_field(IcareList.CLB_LISTENING, _("Listening"))
    speaking = icare_list_field(IcareList.CLB_SPEAKING, _("Speaking"))
    reading = icare_list_field(IcareList.CLB_READING, _("Reading"))
    writing = icare_list_field(IcareList.CLB_WRITING, _("Writing"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "language"], name="clients_language_unique_per_client")
        ]

    def __str__(self) -> str:
        return str(self.language)


class ContactKind(models.TextChoices):
    GUARDIAN = "guardian", _("Guardian")
    CONSENTER = "consenter", _("Person Giving Consent")
    EMERGENCY = "emergency", _("Emergency Contact")


class ConsentContact(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consent_contacts")
    kind = models.CharField(_("Contact type"), max_length=10, choices=ContactKind.choices)
    name = models.CharField(_("Name"), max_length=160, blank=True)
    relationship = agency_list_field(AgencyList.RELATIONSHIP, _("Relationship"))
    phone = PhoneNumberField(_("Telephone"), blank=True)
    email = models.EmailField(_("Email"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["client", "kind"], name="clients_consentcontact_one_per_kind")]

    def __str__(self) -> str:
        return labelled(self.get_kind_display(), self.name)


class Child(models.Model):
    """A child of the client between Infant and School Age."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("Name"), max_length=160)
    # Optional: where given, the age group is checked against it (clients/rules.py, child_age_problems).
    date_of_birth = models.DateField(_("Date of Birth"), null=True, blank=True, validators=[BirthDateValidator()])
    age_group = icare_list_field(IcareList.CHILD_AGE, _("Age Group"), required=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return self.name
