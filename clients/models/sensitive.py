"""Sensitive Information, kept in its own table, and the log of every attempt to open it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, AgencyList, AgencyQuerySet, ListItem, agency_list_field
from clients.models.client import Client


class SensitiveInfo(models.Model):
    """The password-protected part of a profile, kept in its own table and read only when unlocked."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="sensitive")
    health_insurance_status = agency_list_field(AgencyList.HEALTH_INSURANCE_STATUS, _("Health Insurance Status"))
    illnesses = models.TextField(_("Illnesses"), blank=True)
    self_identity = models.ManyToManyField(
        ListItem,
        blank=True,
        related_name="+",
        limit_choices_to=Q(list=AgencyList.SELF_IDENTITY),
        verbose_name=_("Self-Identity"),
    )
    family_income = agency_list_field(AgencyList.FAMILY_INCOME, _("Family Income"))

    history = HistoricalRecords(m2m_fields=["self_identity"])

    def __str__(self) -> str:
        return str(_("Sensitive Information"))


class UnlockOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    WRONG_PASSWORD = "wrong_password", _("Wrong password")
    NOT_PERMITTED = "not_permitted", _("Refused: not granted access")
    LOCKED_OUT = "locked_out", _("Locked after repeated wrong passwords")
    OUTSIDE_AGENCY = "outside_agency", _("Refused: not a client of your agency")


class UnlockSubject(models.TextChoices):
    CLIENT = "client", _("Client profile")
    DRAFT = "draft", _("Registration in progress")
    OUTSIDE = "outside", _("No client of this agency")


class UnlockAttempt(models.Model):
    """One attempt to open sensitive information: who, whose, when, from where, and the outcome.

    Whose is a client of the agency, a registration in progress (its draft's code), or a code that names no
    client of the agency (another agency's client, or nobody's): logged for the agency of whoever tried.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("whose"), max_length=10, choices=UnlockSubject.choices, default=UnlockSubject.CLIENT)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, null=True, blank=True, related_name="unlock_attempts")
    # The draft's code for a registration in progress, or the code tried that named no client of the agency.
    reference = models.UUIDField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=UnlockOutcome.choices)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["agency", "-at"], name="clients_unlock_at_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.client_id or self.reference} {self.outcome}"
