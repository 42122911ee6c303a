"""The client: a named profile of one agency, or an anonymous one."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Max, Prefetch, Q
from django.db.models.functions import Upper
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from agencies.access import get_for_agency
from agencies.models import (
    Agency,
    AgencyList,
    AgencyQuerySet,
    IcareList,
    IcareValue,
    Occupation,
    Site,
    StaffProfile,
    agency_list_field,
    icare_list_field,
)
from agencies.rows import list_rows_attach
from agencies.validators import PostalCodeValidator
from clients.rules import Rule, facts_from_client, icare_missing
from clients.text import name_words
from clients.validators import BirthDateValidator, NotInFutureValidator


def search_keys(first_name: str, last_name: str, preferred_name: str) -> tuple[str, str]:
    """The folded full name, and its words as " w1 w2 " (spaces around each, for word matching)."""
    words = name_words(first_name, last_name, preferred_name)
    return " ".join(words), f" {' '.join(words)} " if words else ""


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


# The agency's first client number; the next is one past the highest (the original's are 7-digit numbers).
FIRST_CLIENT_NUMBER = 1_000_001


def program_statuses_prefetch() -> Prefetch:
    """A client's program statuses, each with its program, in one query (their ordering joins the programs already)."""
    from clients.models.parts import ClientProgram  # which refers to Client: imported when used

    return Prefetch("program_statuses", queryset=ClientProgram.objects.select_related("program"))


class ClientQuerySet(AgencyQuerySet):
    def named(self) -> "ClientQuerySet":
        """Named clients, without the tombstones of merges."""
        return self.filter(is_anonymous=False, merged_into=None)

    def live(self) -> "ClientQuerySet":
        """Every client but the tombstones of merges."""
        return self.filter(merged_into=None)

    def next_number(self) -> int:
        """The number after the highest of these clients (an agency's: `for_agency(agency).next_number()`)."""
        highest = self.aggregate(highest=Max("number"))["highest"]
        return max(FIRST_CLIENT_NUMBER, (highest or 0) + 1)

    def for_profile(self) -> "ClientQuerySet":
        """With everything the profile page shows, in a fixed number of queries; but the list values its rows name,
        which get_profile_client_for puts on them from the process's copies (agencies.rows)."""
        return self.select_related(
            "family", "primary_worker__user", "registration_site", "created_by"
        ).prefetch_related(
            "identifiers",
            program_statuses_prefetch(),
            "certificates",
            "languages",
            "consent_contacts",
            "children",
            "referral_sources",
        )

    def for_dashboard(self) -> "ClientQuerySet":
        """With what the dashboard shows; but the list values, as for_profile."""
        return self.select_related("family", "primary_worker__user").prefetch_related(
            program_statuses_prefetch(), "identifiers", "consent_contacts"
        )

    def for_documents(self) -> "ClientQuerySet":
        """With what every client document prints."""
        return self.select_related("agency", "family", "primary_worker__user", "registration_site")


def get_profile_client_for(request: HttpRequest, code, *, tombstones: bool = False) -> "Client":
    """get_client_for with everything the profile page shows (Client.objects.for_profile()), the values of the lists
    on the client and its rows taken from the process's copies rather than joined (the query joined some twenty
    tables, which took PostgreSQL longer to plan than to run, and Django longer to write than both)."""
    client = get_client_for(request, code, queryset=Client.objects.for_profile(), tombstones=tombstones)
    list_rows_attach(
        [
            client,
            *client.identifiers.all(),
            *client.languages.all(),
            *client.consent_contacts.all(),
            *client.children.all(),
        ],
        request.agency,
    )
    return client


def get_dashboard_client_for(request: HttpRequest, code) -> "Client":
    """get_client_for with what the dashboard shows (Client.objects.for_dashboard()), its list values as the
    profile's."""
    client = get_client_for(request, code, queryset=Client.objects.for_dashboard())
    list_rows_attach([client, *client.identifiers.all()], request.agency)
    return client


def get_client_for(
    request: HttpRequest, code, *, queryset: ClientQuerySet | None = None, tombstones: bool = False, **lookup
) -> "Client":
    """The client of the request's agency with this code (from `queryset`, when a page needs more of it), or 404:
    another agency's client looks like no client at all. The tombstone of a merge is found only for the pages that
    lead from it to the survivor (`tombstones`)."""
    if tombstones:
        return get_for_agency(request, Client, queryset=queryset, code=code, **lookup)
    queryset = (queryset if queryset is not None else Client.objects.all()).live()
    try:
        return get_for_agency(request, Client, queryset=queryset, code=code, **lookup)
    except Http404:
        survivor = survivor_of(request, code) if not lookup else None
        if survivor is not None:
            raise MergedClient(survivor) from None
        raise


class MergedClient(Http404):
    """A page of a merge's tombstone was asked for: clients.middleware leads a GET to the same page of the client it
    was merged into. Anything else (a form posted to it) is a page not found, as it is without the middleware."""

    def __init__(self, survivor: "Client") -> None:
        super().__init__("merged")
        self.survivor = survivor


def survivor_of(request: HttpRequest, code) -> "Client | None":
    """The client a tombstone of the request's agency was merged into (the last, if that one was merged again)."""
    if request.agency is None:
        return None
    try:
        client = Client.objects.for_agency(request.agency).filter(code=code).exclude(merged_into=None).first()
    except (ValidationError, ValueError):
        return None
    for _hop in range(20):  # merges chain only as far as people merged them
        if client is None or client.merged_into_id is None:
            return client
        client = client.merged_into
    return None


# What a list of a client's family members shows of each (Client.relatives): the name, number and date of birth, each
# a link to the member's profile.
RELATIVE_SHOWN = ("code", "number", "is_anonymous", "first_name", "last_name", "date_of_birth", "family_id")

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


def postal_code_shown(code: str) -> str:
    """A postal code as Canada Post writes it ("M5V 2T6"); it is stored without the space."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


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
    gender = agency_list_field(AgencyList.GENDER, _("Gender"))
    preferred_name = models.CharField(_("Preferred Name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("Date of Birth"), null=True, blank=True, validators=[BirthDateValidator()])
    marital_status = models.CharField(_("Marital Status"), max_length=20, choices=MaritalStatus.choices, blank=True)
    family = models.ForeignKey(
        "clients.Family",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("Family Code"),
    )
    official_language = icare_list_field(IcareList.OFFICIAL_LANGUAGE, _("Preferred Official Language"))

    # Immigration Related
    landing_date = models.DateField(_("Landing Date"), null=True, blank=True, validators=[NotInFutureValidator()])
    arrival_date = models.DateField(_("Arrival Date"), null=True, blank=True, validators=[NotInFutureValidator()])
    reentry_date = models.DateField(_("Re-Entry Date"), null=True, blank=True, validators=[NotInFutureValidator()])
    initial_destination = models.CharField(_("Initial Destination"), max_length=120, blank=True)
    country_of_origin = CountryField(_("Country of Origin"), blank=True)
    last_residence = CountryField(_("Last Residence"), blank=True)
    immigration_class = agency_list_field(AgencyList.IMMIGRATION_CLASS, _("Immigration Class"))
    immigration_status = agency_list_field(AgencyList.IMMIGRATION_STATUS, _("Immigration Status"))
    aboriginal_status = agency_list_field(AgencyList.ABORIGINAL_STATUS, _("Aboriginal Status"))
    immigration_card_type = agency_list_field(AgencyList.IMMIGRATION_CARD_TYPE, _("Immigration Card Type"))
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
    street_type = icare_list_field(IcareList.STREET_TYPE, _("Type"))
    street_direction = icare_list_field(IcareList.STREET_DIRECTION, _("Direction"))
    unit = models.CharField(_("Unit/Suite/Apt"), max_length=20, blank=True)
    city = models.CharField(_("City"), max_length=100, blank=True)
    province = icare_list_field(IcareList.PROVINCE, _("Province"))
    country = CountryField(_("Country"), blank=True, default="CA")
    postal_code = models.CharField(_("Postal Code"), max_length=6, blank=True, validators=[PostalCodeValidator()])

    # Employment Related
    employment_status = icare_list_field(IcareList.EMPLOYMENT_STATUS, _("Employment Status"))
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
    education_level = agency_list_field(AgencyList.EDUCATION_LEVEL, _("Education level"))

    # Housing Status
    housing_status = agency_list_field(AgencyList.HOUSING_STATUS, _("Housing Status"))

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
        limit_choices_to=Q(list=IcareList.REFERRAL_SOURCE),
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
    # Never in the future, on every path that writes a client (the wizard, a section edit, the anonymous form).
    registration_date = models.DateField(
        _("Registration Date"), default=timezone.localdate, validators=[NotInFutureValidator()]
    )
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
    # The code of the registration (draft) the client was registered from: a second Register of it, or the
    # browser's Back to it, finds this client instead of registering another.
    registered_from = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # A tombstone: the client found to be the same person as another, and merged into it (clients.merge). Its old
    # number still finds it, and its profile leads to the survivor.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_clients", editable=False
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at", "search_name", "name_words", "registered_from", "merged_into"],
        m2m_fields=["referral_sources"],
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
    def is_tombstone(self) -> bool:
        return self.merged_into_id is not None

    def relatives(self) -> "ClientQuerySet | list[Client]":
        """The other members of the client's family, by client number, with what the pages and documents listing
        them show (RELATIVE_SHOWN)."""
        if not self.family_id:
            return []
        members = Client.objects.filter(family_id=self.family_id).exclude(pk=self.pk)
        return members.order_by("number").only(*RELATIVE_SHOWN)

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
        return postal_code_shown(self.postal_code)

    @property
    def agency_status(self) -> str:
        """New/Repeat Status of Client in Agency: Returning once any program is Returning."""
        if any(p.status == ProgramStatus.RETURNING for p in self.program_statuses.all()):
            return ProgramStatus.RETURNING
        return ProgramStatus.NEW

    def get_agency_status_display(self) -> str:
        return ProgramStatus(self.agency_status).label

    @cached_property
    def icare_missing(self) -> list[Rule]:
        """What keeps the client from iCARE, by the rules behind the yellow fields (none for an anonymous
        client, who is never reported)."""
        return [] if self.is_anonymous else icare_missing(facts_from_client(self))

    @property
    def is_icare_ready(self) -> bool:
        return not self.is_anonymous and not self.icare_missing
