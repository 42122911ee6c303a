import uuid

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class LocalText(str):
    """A text shown to staff, knowing the language it is written in (`lang`: "en", "fr", or "" when it reads the
    same in both), so a page can mark the text it shows in a language other than its own."""

    lang: str

    def __new__(cls, text: str, lang: str) -> "LocalText":
        shown = super().__new__(cls, text)
        shown.lang = lang
        return shown

    @property
    def foreign_lang(self) -> str:
        """The language to mark the text with on the page being made: blank when it is the page's own."""
        page = "fr" if page_is_french() else "en"
        return self.lang if self.lang and self.lang != page else ""


def foreign_lang(value) -> str:
    """The language to mark a shown value with: blank unless it is a LocalText in another language than the page's."""
    return getattr(value, "foreign_lang", "")


def page_is_french() -> bool:
    return (get_language() or "en").startswith("fr")


def in_page_language(english: str, french: str) -> LocalText:
    """The agency's text in the page's language, or in the other when the agency gave only that one."""
    if page_is_french():
        return LocalText(french, "fr") if french else LocalText(english, "en")
    return LocalText(english, "en") if english or not french else LocalText(french, "fr")


def labelled(label, value) -> str:
    """A value after its label, as the page's language writes it ("Telephone: 416-555-0199"; in French a space comes
    before the colon)."""
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


def user_display_name(user) -> str:
    """How OCMS names a login everywhere: the person's full name, or the username when there is none."""
    return user.get_full_name() or user.get_username()


class AgencyQuerySet(models.QuerySet):
    """Every agency-owned model's queryset: the only way views list rows."""

    def for_agency(self, agency: "Agency | None") -> "AgencyQuerySet":
        if agency is None:
            return self.none()
        return self.filter(agency=agency)


class Agency(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=60, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    privacy_statement = models.TextField(
        _("Privacy/Confidentiality Statement"),
        blank=True,
        help_text=_("Shown to the caseworker before a named client is registered."),
    )
    privacy_statement_fr = models.TextField(
        _("Privacy/Confidentiality Statement (French)"),
        blank=True,
        help_text=_("Shown on French pages and the French receipt; the English one when empty."),
    )
    # Renewed whenever the agency, one of its list values, programs or staff (or a staff member's login) is saved or
    # deleted (lists_changed, below): each process keeps the agency's drop-down options, programs and staff names
    # while this stays the same (agencies.forms.agency_choices, agencies.rows).
    lists_version = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def privacy_statement_shown(self) -> LocalText:
        return in_page_language(self.privacy_statement, self.privacy_statement_fr)


def names_unique_per_agency(table: str, *within: str, name: str = "name") -> list[models.UniqueConstraint]:
    """A row's name, and its French name when it has one, once per agency (and per `within`), whatever their case:
    "settlement" beside "Settlement" would be two choices of one drop-down that nobody could tell apart."""
    return [
        models.UniqueConstraint(
            "agency",
            *within,
            Lower(field),
            name=f"{table}_{field}_unique_per_agency",
            condition=None if field == name else ~Q(**{field: ""}),
            violation_error_message=message,
        )
        for field, message in (
            (name, _("Your agency has this name already (in any capitals): choose another.")),
            (
                f"{name}_fr",
                _("Your agency has this French name already (in any capitals): choose another."),
            ),
        )
    ]


class Program(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(_("name"), max_length=120)
    name_fr = models.CharField(
        _("name (French)"), max_length=120, blank=True, help_text=_("Shown on French pages; the name when empty.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = names_unique_per_agency("agencies_program")

    def __str__(self) -> str:
        return in_page_language(self.name, self.name_fr)


class SiteGroup(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="site_groups")
    name = models.CharField(_("name"), max_length=120)
    name_fr = models.CharField(
        _("name (French)"), max_length=120, blank=True, help_text=_("Shown on French pages; the name when empty.")
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("site group")
        verbose_name_plural = _("site groups")
        constraints = names_unique_per_agency("agencies_sitegroup")

    def __str__(self) -> str:
        return in_page_language(self.name, self.name_fr)


class Site(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sites")
    group = models.ForeignKey(SiteGroup, on_delete=models.PROTECT, related_name="sites", verbose_name=_("group"))
    name = models.CharField(_("site name"), max_length=160)
    name_fr = models.CharField(
        _("site name (French)"), max_length=160, blank=True, help_text=_("Shown on French pages; the name when empty.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("registration site")
        verbose_name_plural = _("registration sites")
        constraints = names_unique_per_agency("agencies_site")

    def __str__(self) -> str:
        return in_page_language(self.name, self.name_fr)

    def clean(self) -> None:
        if self.group_id and self.agency_id and self.group.agency_id != self.agency_id:
            raise ValidationError({"group": _("Choose a site group of the site's own agency.")})


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    COORDINATOR = "coordinator", _("Agency Coordinator")
    MANAGER = "manager", _("Manager")


# The roles from the least to the most trusted (design.md): each may do what the one before it may.
ROLE_RANK = {Role.CASEWORKER: 0, Role.COORDINATOR: 1, Role.MANAGER: 2}


class StaffProfile(models.Model):
    """Ties a login to one agency, a role, its programs and its grants."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("user")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    programs = models.ManyToManyField(Program, verbose_name=_("programs"), related_name="staff")
    default_site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("default site"), related_name="+"
    )
    may_unlock_sensitive = models.BooleanField(_("may unlock sensitive information"), default=False)
    may_upload_icare = models.BooleanField(_("may upload to iCARE"), default=False)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if self.default_site_id and self.agency_id and self.default_site.agency_id != self.agency_id:
            raise ValidationError({"default_site": _("Choose a site of the staff member's own agency.")})

    @property
    def display_name(self) -> str:
        return user_display_name(self.user)

    @property
    def is_coordinator(self) -> bool:
        """Coordinators and managers may do everything a coordinator may."""
        return self.role in {Role.COORDINATOR, Role.MANAGER}

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    def may_change_access_of(self, other: "StaffProfile") -> bool:
        """Roles and grants: only a manager changes them, for the agency's other staff, never their own."""
        return self.is_manager and other.agency_id == self.agency_id and other.pk != self.pk

    def may_change_login_of(self, other: "StaffProfile") -> bool:
        """Another staff member's login (name, e-mail, a new password, whether it may log in): a coordinator or
        manager of the same agency, for staff who may do nothing they may not (role and grants): setting the
        password of someone who holds more would be a way to act with more than one's own access."""
        return (
            self.is_coordinator
            and other.agency_id == self.agency_id
            and other.pk != self.pk
            and ROLE_RANK[other.role] <= ROLE_RANK[self.role]
            and all(getattr(self, grant) or not getattr(other, grant) for grant in GRANT_FIELDS)
        )


# What a change of staff access names: the role, and the two grants beside it.
GRANT_FIELDS = ("may_unlock_sensitive", "may_upload_icare")
ACCESS_FIELDS = ("role", *GRANT_FIELDS)
# What a change of a login recorded beside them names: whether it may log in, and a new password (never the password).
LOGIN_CHANGES = {"is_active": _("may log in"), "password": _("password")}
PASSWORD_SET = "set"


class LoginSession(AbstractBaseSession):
    """A browser's session (SESSION_ENGINE agencies.sessions): Django's database session, with the id of the user
    signed in by it in a column of its own, so that each request reads its session and its user in one statement.
    Removing a user ends their sessions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")

    @classmethod
    def get_session_store_class(cls):
        from agencies.sessions import SessionStore

        return SessionStore


class StaffAccessChange(models.Model):
    """One change of a staff member's role or grant, or of whether their login may log in, or a new password set for
    it: who changed it, whose, when, and from what to what."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="access_changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    field = models.CharField(_("what"), max_length=30)
    old = models.CharField(_("before"), max_length=40, blank=True)
    new = models.CharField(_("after"), max_length=40, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change of role or grant")
        verbose_name_plural = _("changes of role or grant")

    def __str__(self) -> str:
        return f"{self.staff}: {self.field} {self.old} → {self.new}"

    def field_label(self) -> str:
        if self.field in LOGIN_CHANGES:
            return str(LOGIN_CHANGES[self.field])
        return str(StaffProfile._meta.get_field(self.field).verbose_name)

    def value_label(self, value: str) -> str:
        if self.field == "role":
            return str(Role(value).label) if value in Role.values else value
        if self.field == "password":
            return str(_("a new password")) if value == PASSWORD_SET else "—"
        return str(_("Yes")) if value == "True" else str(_("No"))

    @property
    def old_label(self) -> str:
        return self.value_label(self.old)

    @property
    def new_label(self) -> str:
        return self.value_label(self.new)


class LoginLockLiftQuerySet(models.QuerySet):
    def in_force(self, *, username: str, address: str | None, now) -> "LoginLockLiftQuerySet":
        return self.filter(staff__user__username=username, address=address, across_logins=True, until__gt=now)

    def lifted_since(self, *, agency: Agency, since) -> "LoginLockLiftQuerySet":
        return self.filter(staff__agency=agency, lifted_at__gt=since).select_related("staff__user", "lifted_by")


class LoginLockLift(models.Model):
    """A coordinator or manager lifted a staff member's login lock. A lock of an address that failed too often
    across logins is lifted for this login alone: the address stays locked for every other login tried from it
    (a sprayer's guesses, other agencies' staff), and this login is exempt until `until`."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="lock_lifts")
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    across_logins = models.BooleanField(_("the address was locked across logins"), default=False)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(_("lifted at"), auto_now_add=True)
    until = models.DateTimeField(_("until"))

    objects = LoginLockLiftQuerySet.as_manager()

    class Meta:
        ordering = ["-lifted_at", "-pk"]
        verbose_name = _("lifted login lock")
        verbose_name_plural = _("lifted login locks")

    def __str__(self) -> str:
        return f"{self.staff} from {self.address} until {self.until:%Y-%m-%d %H:%M}"


class IcareList(models.TextChoices):
    """IRCC's own code lists: values are exported to iCARE exactly as stored."""

    IDENTIFIER_TYPE = "unique_identifier", _("Unique identifier")
    OFFICIAL_LANGUAGE = "official_language_of_preference", _("Official language of preference")
    PROVINCE = "province", _("Province")
    STREET_TYPE = "street_type", _("Street type")
    STREET_DIRECTION = "street_direction", _("Street direction")
    LANGUAGE = "language_of_service", _("Language")
    CLB_LISTENING = "listening_clb_level", _("Listening CLB level")
    CLB_SPEAKING = "speaking_clb_level", _("Speaking CLB level")
    CLB_READING = "reading_clb_level", _("Reading CLB level")
    CLB_WRITING = "writing_clb_level", _("Writing CLB level")
    CHILD_AGE = "child_age", _("Children's age group")
    REFERRAL_SOURCE = "referred_by", _("Referral source")
    EMPLOYMENT_STATUS = "employment_status", _("Employment status")
    EDUCATION_STATUS = "education_status", _("Education status")


class IcareValueQuerySet(models.QuerySet):
    def of(self, icare_list: str) -> "IcareValueQuerySet":
        return self.filter(list=icare_list)


class IcareValue(models.Model):
    """One value of an IRCC list, spelled as IRCC spells it (trailing spaces and all): stored and exported so.
    Staff see its labels: IRCC's string properly spelled in English, and in French."""

    list = models.CharField(max_length=40, choices=IcareList.choices)
    value = models.CharField(max_length=200)
    label_en = models.CharField(
        _("label (English)"),
        max_length=200,
        blank=True,
        help_text=_("IRCC's string, properly spelled; the string itself when empty."),
    )
    label_fr = models.CharField(_("label (French)"), max_length=200, blank=True)
    # A street type keeps the language its street is named in ("Rue" is French, "Street" English, "Avenue" both);
    # every other list is written in English by IRCC.
    lang = models.CharField(_("language of IRCC's string"), max_length=2, blank=True, default="en")
    position = models.PositiveIntegerField()

    objects = IcareValueQuerySet.as_manager()

    class Meta:
        ordering = ["list", "position"]
        verbose_name = _("value of an iCARE list")
        verbose_name_plural = _("values of the iCARE lists")
        constraints = [models.UniqueConstraint(fields=["list", "value"], name="agencies_icarevalue_unique")]

    def __str__(self) -> str:
        if self.label_fr and page_is_french():
            return LocalText(self.label_fr, "fr")
        return LocalText(self.label_en or self.value.strip(), self.lang)

    @property
    def abbreviation(self) -> str:
        """What an address writes of a street direction ("W" of "W - West", "NO" of "NO - Nord-Ouest"): the part
        before the dash; the whole label for a value without one."""
        return str(self).split(" - ", 1)[0]


class AgencyList(models.TextChoices):
    """Lists iCARE does not define: each agency keeps and edits its own."""

    GENDER = "gender", _("Gender")
    IMMIGRATION_CLASS = "immigration_class", _("Immigration class")
    IMMIGRATION_STATUS = "immigration_status", _("Immigration status")
    EDUCATION_LEVEL = "education_level", _("Education level")
    HOUSING_STATUS = "housing_status", _("Housing status")
    ABORIGINAL_STATUS = "aboriginal_status", _("Aboriginal status")
    IMMIGRATION_CARD_TYPE = "immigration_card_type", _("Immigration card type")
    RELATIONSHIP = "relationship", _("Relationship")
    HEALTH_INSURANCE_STATUS = "health_insurance_status", _("Health insurance status")
    FAMILY_INCOME = "family_income", _("Family income")
    SELF_IDENTITY = "self_identity", _("Self-identity")
    IDENTIFIER_TYPE = "identifier_type", _("Client identifier type")


class ListItemQuerySet(AgencyQuerySet):
    def of(self, agency_list: str) -> "ListItemQuerySet":
        return self.filter(list=agency_list, is_active=True)


class ListItem(models.Model):
    """A value of an agency-editable drop-down list."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="list_items")
    list = models.CharField(_("list"), max_length=40, choices=AgencyList.choices)
    label = models.CharField(_("label (English)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200, blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    icare_value = models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to=Q(list=IcareList.IDENTIFIER_TYPE),
        verbose_name=_("identifier type in iCARE"),
        help_text=_("Only for client identifier types that iCARE accepts."),
    )

    objects = ListItemQuerySet.as_manager()

    class Meta:
        ordering = ["list", "position", "label"]
        verbose_name = _("list value")
        verbose_name_plural = _("list values")
        constraints = names_unique_per_agency("agencies_listitem", "list", name="label")

    def __str__(self) -> str:
        return in_page_language(self.label, self.label_fr)


def lists_changed(agency_id: int) -> None:
    """An agency's list values, programs or staff changed: every process reads them again on its next page."""
    Agency.objects.filter(pk=agency_id).update(lists_version=uuid.uuid4())


# Cache invalidation, not domain logic: like Django's own sites framework, which clears its Site cache on these
# signals, so that no way of changing a value (the admin's forms, its bulk delete, a shell) leaves a stale copy.
@receiver(post_save, sender=ListItem)
@receiver(post_delete, sender=ListItem)
@receiver(post_save, sender=Program)
@receiver(post_delete, sender=Program)
@receiver(post_save, sender=StaffProfile)
@receiver(post_delete, sender=StaffProfile)
def kept_rows_changed(sender, instance: ListItem | Program | StaffProfile, **kwargs) -> None:
    lists_changed(instance.agency_id)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def staff_login_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """A staff member's name may have changed: the agency's kept staff names are read again. Not for the time of
    the last login, which every login saves."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    Agency.objects.filter(staff__user=instance).update(lists_version=uuid.uuid4())


@receiver(pre_save, sender=Agency)
def agency_saved(sender, instance: Agency, **kwargs) -> None:
    # A form that read the agency before a value changed must not put back the version the processes already hold.
    instance.lists_version = uuid.uuid4()


def agency_list_field(list_name: str, verbose_name, *, required: bool = False, **kwargs) -> models.ForeignKey:
    """A drop-down of one of the agency's own lists: a ListItem of `list_name`."""
    return models.ForeignKey(
        ListItem,
        on_delete=models.PROTECT,
        null=not required,
        blank=not required,
        related_name="+",
        limit_choices_to=Q(list=list_name),
        verbose_name=verbose_name,
        **kwargs,
    )


def icare_list_field(list_name: str, verbose_name, *, required: bool = False, **kwargs) -> models.ForeignKey:
    """A drop-down of one of IRCC's lists: an IcareValue of `list_name`, exported as IRCC spells it."""
    return models.ForeignKey(
        IcareValue,
        on_delete=models.PROTECT,
        null=not required,
        blank=not required,
        related_name="+",
        limit_choices_to=Q(list=list_name),
        verbose_name=verbose_name,
        **kwargs,
    )


class OccupationQuerySet(models.QuerySet):
    def search(self, text: str) -> "OccupationQuerySet":
        """Occupations whose code starts with the digits typed, or whose title has every word typed."""
        text = text.strip()
        if not text:
            return self.none()
        if text.isascii() and text.isdigit():
            return self.filter(code__startswith=text)
        query = self.all()
        for word in text.split():
            query = query.filter(Q(title_en__icontains=word) | Q(title_fr__icontains=word))
        return query


class Occupation(models.Model):
    """A NOC 2021 unit group (Statistics Canada, NOC 2021 Version 1.0)."""

    code = models.CharField(_("NOC code"), max_length=5, primary_key=True)
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_fr = models.CharField(_("title (French)"), max_length=250)
    teer = models.PositiveSmallIntegerField(_("TEER"))
    broad_category = models.PositiveSmallIntegerField(_("broad category"))

    objects = OccupationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("NOC occupation")
        verbose_name_plural = _("NOC occupations")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.title_fr if page_is_french() else self.title_en
