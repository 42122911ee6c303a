import re
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from agencies.models import (
    Agency,
    AgencyList,
    AgencyQuerySet,
    IcareList,
    IcareValue,
    ListItem,
    Occupation,
    Program,
    Site,
    StaffProfile,
)
from clients.text import name_words
from clients.validators import BirthDateValidator, NotInFutureValidator, PostalCodeValidator


def agency_list(name: str) -> Q:
    return Q(list=name)


def icare_list(name: str) -> Q:
    return Q(list=name)


def search_keys(first_name: str, last_name: str, preferred_name: str) -> tuple[str, str]:
    """The folded full name, and its words as " w1 w2 " (spaces around each, for word matching)."""
    words = name_words(first_name, last_name, preferred_name)
    return " ".join(words), f" {' '.join(words)} " if words else ""


def identifier_key(value: str) -> str:
    """An identifier as compared: without spaces or hyphens, upper case."""
    return re.sub(r"[\s\-–]+", "", value or "").upper()


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    COMMON_LAW = "common_law", _("Common-Law")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    SEPARATED = "separated", _("Separated")
    WIDOWED = "widowed", _("Widowed")


class ProgramStatus(models.TextChoices):
    NEW = "new", _("New Client")
    RETURNING = "returning", _("Returning Client")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class VolunteerStream(models.TextChoices):
    ADULT = "adult", _("Adult")
    YOUTH = "youth", _("Youth")


class VolunteerType(models.TextChoices):
    EXPERIENCED_CANADIAN = "experienced_canadian", _("Experienced Canadian")
    NEWCOMER = "newcomer", _("Newcomer")


class ClientQuerySet(AgencyQuerySet):
    def named(self) -> "ClientQuerySet":
        return self.filter(is_anonymous=False)


# "About Your Client (Contact Information)": the fields of that section, in the article's order.
CONTACT_FIELDS = (
    "email",
    "email_safe",
    "phone",
    "phone_safe",
    "phone_alt1",
    "phone_alt2",
    "street_number",
    "street_name",
    "street_type",
    "street_direction",
    "unit",
    "city",
    "province",
    "country",
    "postal_code",
)


def yes_no_field(verbose_name: str) -> models.BooleanField:
    return models.BooleanField(verbose_name, null=True, blank=True)


class Client(models.Model):
    """A client of one agency: a named profile, or an anonymous one that can never become named."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="clients")
    number = models.PositiveIntegerField(_("client number"), editable=False)
    is_anonymous = models.BooleanField(_("anonymous client"), default=False, editable=False)
    privacy_confirmed = models.BooleanField(_("privacy statement read and understood"), default=False)

    # About Your Client (Primary Information)
    first_name = models.CharField(_("First Name"), max_length=100, blank=True)
    last_name = models.CharField(_("Last Name"), max_length=100, blank=True)
    gender = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.GENDER),
        verbose_name=_("Gender"),
    )
    preferred_name = models.CharField(_("Preferred Name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("Date of Birth"), null=True, blank=True, validators=[BirthDateValidator()])
    marital_status = models.CharField(_("Marital Status"), max_length=20, choices=MaritalStatus.choices, blank=True)
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("Family Code"),
    )
    official_language = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.OFFICIAL_LANGUAGE),
        verbose_name=_("Preferred Official Language"),
    )

    # Immigration Related
    landing_date = models.DateField(_("Landing Date"), null=True, blank=True, validators=[NotInFutureValidator()])
    arrival_date = models.DateField(_("Arrival Date"), null=True, blank=True, validators=[NotInFutureValidator()])
    reentry_date = models.DateField(_("Re-Entry Date"), null=True, blank=True, validators=[NotInFutureValidator()])
    initial_destination = models.CharField(_("Initial Destination"), max_length=120, blank=True)
    country_of_origin = CountryField(_("Country of Origin"), blank=True)
    last_residence = CountryField(_("Last Residence"), blank=True)
    immigration_class = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.IMMIGRATION_CLASS),
        verbose_name=_("Immigration Class"),
    )
    immigration_status = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.IMMIGRATION_STATUS),
        verbose_name=_("Immigration Status"),
    )
    aboriginal_status = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.ABORIGINAL_STATUS),
        verbose_name=_("Aboriginal Status"),
    )
    immigration_card_type = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.IMMIGRATION_CARD_TYPE),
        verbose_name=_("Immigration Card Type"),
    )
    research_consent = yes_no_field(_("Consent for Future Research/Consultation"))
    contact_consent = yes_no_field(
        _("Has the client's consent to be contacted by your agency been given and documented?")
    )
    picture_consent = yes_no_field(
        _("For display purposes and advertising does the client consent to having his/her picture taken?")
    )
    arrival_year = models.PositiveSmallIntegerField(
        _("Arrival Year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )

    # Client History Prior to OCMS
    first_visit_date = models.DateField(
        _("Date of First Agency Visit in Program"), null=True, blank=True, validators=[NotInFutureValidator()]
    )

    # About Your Client (Contact Information)
    email = models.EmailField(_("Email"), blank=True)
    email_safe = models.BooleanField(_("Safe to contact by email"), default=False)
    phone = PhoneNumberField(_("Telephone Number"), blank=True)
    phone_safe = models.BooleanField(_("Safe to contact by telephone"), default=False)
    phone_alt1 = PhoneNumberField(_("Telephone (ALT 1)"), blank=True)
    phone_alt2 = PhoneNumberField(_("Telephone (ALT 2)"), blank=True)
    street_number = models.CharField(_("Street Number"), max_length=20, blank=True)
    street_name = models.CharField(_("Street Name"), max_length=120, blank=True)
    street_type = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.STREET_TYPE),
        verbose_name=_("Type"),
    )
    street_direction = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.STREET_DIRECTION),
        verbose_name=_("Direction"),
    )
    unit = models.CharField(_("Unit/Suite/Apt"), max_length=20, blank=True)
    city = models.CharField(_("City"), max_length=100, blank=True)
    province = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.PROVINCE),
        verbose_name=_("Province"),
    )
    country = CountryField(_("Country"), blank=True, default="CA")
    postal_code = models.CharField(_("Postal Code"), max_length=6, blank=True, validators=[PostalCodeValidator()])

    # Employment Related
    employment_status = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.EMPLOYMENT_STATUS),
        verbose_name=_("Employment Status"),
    )
    current_profession = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Current Profession"),
    )
    desired_profession = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Desired Profession"),
    )
    professional_background = models.TextField(_("Professional Background"), blank=True)
    education_level = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.EDUCATION_LEVEL),
        verbose_name=_("Education level"),
    )

    # Housing Status
    housing_status = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.HOUSING_STATUS),
        verbose_name=_("Housing Status"),
    )

    # Volunteer
    volunteer_status = models.CharField(
        _("Volunteer Status"), max_length=10, choices=VolunteerStatus.choices, blank=True
    )
    volunteer_stream = models.CharField(
        _("Primary Volunteer Stream"), max_length=10, choices=VolunteerStream.choices, blank=True
    )
    volunteer_type = models.CharField(_("Volunteer Type"), max_length=30, choices=VolunteerType.choices, blank=True)

    # Emergency Contact & Consent
    consent_required = yes_no_field(_("Consent Required"))

    # Learned About Your Agency
    referral_sources = models.ManyToManyField(
        IcareValue,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.REFERRAL_SOURCE),
        verbose_name=_("Learned about Program"),
    )

    # Registration Summary
    primary_worker = models.ForeignKey(
        StaffProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_clients",
        verbose_name=_("Primary Worker"),
    )
    registration_date = models.DateField(_("Registration Date"), default=timezone.localdate)
    registration_site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("Registration Site"),
    )
    comments = models.TextField(_("Comments"), blank=True)

    # Registered despite a likely duplicate: the caseworker's reason ("different person").
    duplicate_reason = models.CharField(
        _("Reason for registering despite a possible duplicate"), max_length=300, blank=True
    )

    # Search keys, kept by save(): the folded full name and its words as " word word ".
    search_name = models.CharField(max_length=320, blank=True, editable=False)
    name_words = models.CharField(max_length=320, blank=True, editable=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "search_name", "name_words"], m2m_fields=["referral_sources"]
    )
    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "number"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="clients_client_number_unique_per_agency"),
        ]
        indexes = [
            models.Index(fields=["agency", "date_of_birth"], name="clients_agency_dob_idx"),
            models.Index(fields=["agency", "registration_date"], name="clients_agency_regdate_idx"),
            models.Index(fields=["agency", "phone"], name="clients_agency_phone_idx"),
            models.Index(fields=["agency", "phone_alt1"], name="clients_agency_phone1_idx"),
            models.Index(fields=["agency", "phone_alt2"], name="clients_agency_phone2_idx"),
            models.Index(fields=["agency", "postal_code"], name="clients_agency_postal_idx"),
            models.Index(F("agency"), Upper("email"), name="clients_agency_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.number})"

    def save(self, *args, **kwargs) -> None:
        self.search_name, self.name_words = search_keys(self.first_name, self.last_name, self.preferred_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "name_words"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if self.is_anonymous:
            return str(_("Anonymous Client"))
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def age(self) -> int | None:
        if not self.date_of_birth:
            return None
        today = timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def postal_code_display(self) -> str:
        code = self.postal_code
        return f"{code[:3]} {code[3:]}" if len(code) == 6 else code

    @property
    def agency_status(self) -> str:
        """New/Repeat Status of Client in Agency: Returning once any program is Returning."""
        if any(p.status == ProgramStatus.RETURNING for p in self.program_statuses.all()):
            return ProgramStatus.RETURNING
        return ProgramStatus.NEW

    def get_agency_status_display(self) -> str:
        return ProgramStatus(self.agency_status).label


class ClientPartQuerySet(models.QuerySet):
    def for_agency(self, agency: Agency | None) -> "ClientPartQuerySet":
        if agency is None:
            return self.none()
        return self.filter(client__agency=agency)


class Identifier(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="identifiers")
    identifier_type = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.IDENTIFIER_TYPE),
        verbose_name=_("Client Identifier"),
    )
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
        return f"{self.identifier_type}: {self.value}"

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
        return f"{self.program}: {self.get_status_display()}"


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
    language = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=icare_list(IcareList.LANGUAGE),
        verbose_name=_("Language"),
    )
    comments = models.CharField(_("Comments"), max_length=300, blank=True)
    listening = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.CLB_LISTENING),
        verbose_name=_("Listening"),
    )
    speaking = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.CLB_SPEAKING),
        verbose_name=_("Speaking"),
    )
    reading = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.CLB_READING),
        verbose_name=_("Reading"),
    )
    writing = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=icare_list(IcareList.CLB_WRITING),
        verbose_name=_("Writing"),
    )

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
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    name = models.CharField(_("Name"), max_length=160, blank=True)
    relationship = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.RELATIONSHIP),
        verbose_name=_("Relationship"),
    )
    phone = PhoneNumberField(_("Telephone"), blank=True)
    email = models.EmailField(_("Email"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["client", "kind"], name="clients_consentcontact_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class Child(models.Model):
    """A child of the client between Infant and School Age."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("Name"), max_length=160)
    age_group = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=icare_list(IcareList.CHILD_AGE),
        verbose_name=_("Age Group"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return self.name


class SensitiveInfo(models.Model):
    """The password-protected part of a profile, kept in its own table and read only when unlocked."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="sensitive")
    health_insurance_status = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.HEALTH_INSURANCE_STATUS),
        verbose_name=_("Health Insurance Status"),
    )
    illnesses = models.TextField(_("Illnesses"), blank=True)
    self_identity = models.ManyToManyField(
        ListItem,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.SELF_IDENTITY),
        verbose_name=_("Self-Identity"),
    )
    family_income = models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=agency_list(AgencyList.FAMILY_INCOME),
        verbose_name=_("Family Income"),
    )

    history = HistoricalRecords(m2m_fields=["self_identity"])

    def __str__(self) -> str:
        return str(_("Sensitive Information"))


class NameWord(models.Model):
    """A word that occurs in the names of an agency's clients: the dictionary typed names are expanded against."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=60)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "word"], name="clients_nameword_unique_per_agency")]

    def __str__(self) -> str:
        return self.word


class UnlockOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    WRONG_PASSWORD = "wrong_password", _("Wrong password")
    NOT_PERMITTED = "not_permitted", _("Not permitted")
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
    pass


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
    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name_plural = _("mentor/tutor matches")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def is_current(self) -> bool:
        """Still running: no end date, or one that has not passed."""
        return self.end_date is None or self.end_date >= timezone.localdate()
