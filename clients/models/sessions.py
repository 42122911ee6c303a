"""Sessions with a client, and the client's mentor/tutor matches."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, AgencyQuerySet, Program, StaffProfile, labelled
from clients.models.client import Client


class SessionType(models.TextChoices):
    DIRECT = "direct", _("Direct Service")
    JOB_DEVELOPMENT = "job_development", _("Direct Service (Job Development)")
    FINANCE = "finance", _("Direct Service (Finance)")
    LANGUAGE_TRAINING = "language_training", _("Language Training")
    INFORMATION_ORIENTATION = "information_orientation", _("Information & Orientation group activity")
    COMMUNITY_CONNECTIONS = "community_connections", _("Community Connections group activity")


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    ONLINE = "online", _("Online")


class Service(models.TextChoices):
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment and referrals")
    INFORMATION = "information", _("Information and orientation")
    LANGUAGE_ASSESSMENT = "language_assessment", _("Language assessment")
    EMPLOYMENT = "employment", _("Employment-related services")
    HOUSING = "housing", _("Housing help")
    HEALTH = "health", _("Health system navigation")
    EDUCATION = "education", _("Education and school registration")
    DOCUMENTS = "documents", _("Forms and documents")
    FINANCIAL = "financial", _("Financial literacy")
    COMMUNITY = "community", _("Community connections")
    INTERPRETATION = "interpretation", _("Interpretation or translation")
    COUNSELLING = "counselling", _("Supportive counselling")


class SessionQuerySet(AgencyQuerySet):
    def of_client(self, client) -> "SessionQuerySet":
        """The client's sessions, newest first, with what a row of them shows (program, worker)."""
        return self.for_agency(client.agency).filter(client=client).select_related("program", "worker__user")

    def of_family(self, client) -> "SessionQuerySet":
        """The sessions of the client's family (the client's own among them), newest first, each with its client."""
        return (
            self.for_agency(client.agency)
            .filter(client__family_id=client.family_id)
            .select_related("client", "program", "worker__user")
        )


class Session(models.Model):
    """An interaction with a client: a service session."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("Date"), default=timezone.localdate)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("Program"))
    session_type = models.CharField(_("Session type"), max_length=30, choices=SessionType.choices)
    delivery_mode = models.CharField(
        _("Delivery mode"), max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    services = models.JSONField(_("Services given"), default=list)
    duration_minutes = models.PositiveIntegerField(
        _("Duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    notes = models.TextField(_("Notes"), blank=True)
    worker = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="+", verbose_name=_("Worker"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["client", "date"], name="clients_session_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_session_type_display()}"

    def get_services_display(self) -> list[str]:
        labels = dict(Service.choices)
        return [str(labels.get(code, code)) for code in self.services]


class MatchKind(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    TUTOR = "tutor", _("Tutor")


class MentorMatchQuerySet(AgencyQuerySet):
    def of_client(self, client) -> "MentorMatchQuerySet":
        """The client's matches, newest first as its sessions are listed, each with its program."""
        return self.filter(client=client).select_related("program").order_by("-start_date", "-pk")


class MentorMatch(models.Model):
    """A client matched with a mentor or a tutor."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="mentor_matches")
    kind = models.CharField(_("Mentor or tutor"), max_length=10, choices=MatchKind.choices)
    name = models.CharField(_("Mentor or tutor name"), max_length=160)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("Program"))
    start_date = models.DateField(_("Start date"))
    end_date = models.DateField(_("End date"), null=True, blank=True)
    notes = models.TextField(_("Notes"), blank=True)

    history = HistoricalRecords()
    objects = MentorMatchQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name_plural = _("mentor/tutor matches")

    def __str__(self) -> str:
        return labelled(self.get_kind_display(), self.name)

    @property
    def is_current(self) -> bool:
        """Still running: no end date, or one that has not passed."""
        return self.end_date is None or self.end_date >= timezone.localdate()
