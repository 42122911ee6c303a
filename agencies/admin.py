"""The Django admin, for the agency's programs, sites, lists and staff.

Who may use it follows the roles, not Django's per-user permissions: a superuser sees every agency; an
Agency Coordinator or a manager sees their own agency only, in the lists and in every choice of every form.
Roles and grants change only through `staff_profile_save`, which lets only a manager change them, for others.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth import get_user_model, password_validation
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from agencies.access import may_use_admin
from agencies.forms import TextChecksMixin
from agencies.models import (
    ACCESS_FIELDS,
    Agency,
    IcareList,
    IcareValue,
    ListItem,
    Occupation,
    Program,
    Site,
    SiteGroup,
    StaffProfile,
)
from agencies.services import (
    may_change_access,
    may_change_login,
    staff_login_update,
    staff_member_create,
    staff_profile_save,
)
from agencies.validators import PostalCodeValidator, has_control_characters, postal_code_compact


def agency_rows(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """The rows of a choice that a coordinator of the request's agency may pick: their agency's only."""
    if request.user.is_superuser:
        return queryset
    model = queryset.model
    if model is get_user_model():
        return queryset.filter(staff_profile__agency=request.agency)
    if model is Agency:
        return queryset.filter(pk=getattr(request.agency, "pk", None))
    if any(field.name == "agency" for field in model._meta.get_fields()):
        return queryset.filter(agency=request.agency)
    return queryset  # shared reference data (IRCC's lists, NOC): the same for every agency


class CoordinatorAdmin(admin.ModelAdmin):
    """Open to superusers, coordinators and managers; every choice of every form holds the agency's rows only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_use_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_use_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_use_admin(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return agency_rows(request, super().get_queryset(request))

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        # The checks of every form of OCMS: no control characters in a text field.
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (TextChecksMixin, form), {})

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # A search or a filter holding a control character (a NUL, which PostgreSQL refuses) is answered as Django
        # answers any filter it cannot apply.
        if any(has_control_characters(f"{key}{value}") for key, values in request.GET.lists() for value in values):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None:
            formfield.queryset = agency_rows(request, formfield.queryset)
        return formfield

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None:
            formfield.queryset = agency_rows(request, formfield.queryset)
        return formfield


class AgencyScopedAdmin(CoordinatorAdmin):
    """Rows that belong to an agency: a coordinator's go to their agency, whose field they never see."""

    def get_list_filter(self, request: HttpRequest):
        filters = tuple(super().get_list_filter(request))
        return ("agency", *filters) if request.user.is_superuser else filters

    def get_exclude(self, request: HttpRequest, obj=None):
        excluded = tuple(super().get_exclude(request, obj) or ())
        return excluded if request.user.is_superuser else (*excluded, "agency")

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser:
            return form
        agency = request.agency

        class AgencyForm(form):
            """The agency is not a field, yet the row is the agency's: its checks (a name once per agency) run
            as form errors rather than failing in the database."""

            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                self.instance.agency = agency

            def _get_validation_exclusions(self) -> set[str]:
                return super()._get_validation_exclusions() - {"agency"}

        return AgencyForm

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if not request.user.is_superuser:
            obj.agency = request.agency
        super().save_model(request, obj, form, change)


class AgencyForm(forms.ModelForm):
    """An agency's details, which head every receipt and document: a Canadian postal code, a telephone number and a
    province or territory that are real ones, and the privacy statement in English at least (the French one stands
    in for it only on French pages)."""

    class Meta:
        model = Agency
        fields = [
            "name",
            "street_address",
            "city",
            "province",
            "postal_code",
            "phone",
            "privacy_statement",
            "privacy_statement_fr",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # In place of the model's text boxes, keeping their labels.
        self.fields["phone"] = PhoneNumberField(
            label=self.fields["phone"].label, region="CA", required=False, widget=forms.TextInput(attrs={"type": "tel"})
        )
        provinces = IcareValue.objects.filter(list=IcareList.PROVINCE)
        self.fields["province"] = forms.ChoiceField(
            label=self.fields["province"].label,
            required=False,
            choices=[("", "---------"), *((value.value, str(value)) for value in provinces)],
        )
        self.fields["privacy_statement"].required = True

    def clean_postal_code(self) -> str:
        typed = self.cleaned_data["postal_code"]
        PostalCodeValidator()(typed)
        compact = postal_code_compact(typed)
        return f"{compact[:3]} {compact[3:]}" if compact else ""

    def clean_phone(self) -> str:
        number = self.cleaned_data["phone"]
        if number and number.country_code != 1:
            # Kept as Canada dials it (no country code), a number abroad would be printed on every receipt unusable.
            raise forms.ValidationError(_("Enter the agency's telephone number in Canada, such as 416-555-0199."))
        return number.as_national if number else ""


@admin.register(Agency)
class AgencyAdmin(CoordinatorAdmin):
    """A coordinator keeps their own agency's details; only a superuser adds or removes agencies."""

    form = AgencyForm
    list_display = ["name", "city", "phone"]
    search_fields = ["name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None):
        # The agency's name is the superuser's to set: a coordinator renaming theirs to another agency's would learn
        # from the refusal that the other exists.
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else (*readonly, "name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser


@admin.register(Program)
class ProgramAdmin(AgencyScopedAdmin):
    list_display = ["name", "name_fr", "agency", "is_active"]
    search_fields = ["name", "name_fr"]


@admin.register(SiteGroup)
class SiteGroupAdmin(AgencyScopedAdmin):
    list_display = ["name", "name_fr", "agency"]


@admin.register(Site)
class SiteAdmin(AgencyScopedAdmin):
    list_display = ["name", "name_fr", "group", "agency", "is_active"]
    # Only the groups of the sites listed (the agency's own), not every agency's groups.
    list_filter = [("group", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_fr"]


class StaffLoginForm(forms.ModelForm):
    """What the staff forms ask of a login: names, an e-mail address of its own, a password typed twice."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)
    login = None  # the login being changed; None for a new one

    class Meta:
        model = StaffProfile
        fields = ["programs", "default_site"]

    def clean_email(self) -> str:
        # People log in with their e-mail address too: two logins with one address would lock both out of it.
        email = self.cleaned_data["email"].strip()
        others = get_user_model().objects.filter(email__iexact=email)
        if self.login is not None:
            others = others.exclude(pk=self.login.pk)
        if email and others.exists():
            raise forms.ValidationError(
                _("This e-mail address belongs to another login: each login needs its own."), code="taken"
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        # A superuser's form offers every agency's programs: the staff member's must be of their own agency, as
        # their site must be (StaffProfile.clean).
        agency = cleaned.get("agency") or getattr(self.instance, "agency", None)
        if agency is not None and any(program.agency_id != agency.pk for program in cleaned.get("programs") or ()):
            self.add_error("programs", _("Choose programs of the staff member's own agency."))
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ: type the same password twice."))
        elif first and not second and "password2" not in self.errors:
            self.add_error("password2", _("Type the same password again here."))
        elif second and not first and "password1" not in self.errors:
            self.add_error("password1", _("Type the new password here too."))
        elif first:
            user = self.login or get_user_model()(username=cleaned.get("username", ""))
            user.email = cleaned.get("email", "")
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class StaffCreationForm(StaffLoginForm):
    """A new staff member: their login (username, name, e-mail, first password) and their profile."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        # The rule of Django's own user form: letters, digits and @ . + - _ only.
        validators=[get_user_model().username_validator],
        help_text=_("Letters, digits and @ . + - _ only."),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken: choose another."), code="taken")
        return username


class StaffChangeForm(StaffLoginForm):
    """A staff member's profile, with their login: names, e-mail, whether it may log in, and a new password when
    one is typed."""

    is_active = forms.BooleanField(
        label=_("May log in"),
        required=False,
        help_text=_(
            "Untick it when the person leaves the agency: the login stops at its next page; what they recorded stays."
        ),
    )
    password1 = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave both empty to keep the password. A new one signs the person out everywhere."),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.login = self.instance.user
        for name in ("first_name", "last_name", "email", "is_active"):
            self.initial.setdefault(name, getattr(self.login, name))


@admin.register(StaffProfile)
class StaffProfileAdmin(AgencyScopedAdmin):
    list_display = ["user", "agency", "role", "may_unlock_sensitive", "may_upload_icare"]
    list_filter = ["role", "may_unlock_sensitive", "may_upload_icare"]
    filter_horizontal = ["programs"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    add_form = StaffCreationForm
    change_form = StaffChangeForm
    login_fields = ("username", "first_name", "last_name", "email", "password1", "password2")
    login_change_fields = ("first_name", "last_name", "email", "is_active", "password1", "password2")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Removing a profile leaves a login of no agency: only a superuser does that.
        return request.user.is_superuser

    def access_fields_allowed(self, request: HttpRequest, obj: StaffProfile | None) -> bool:
        staff = obj or StaffProfile(agency=request.agency)
        return may_change_access(by=request.user, staff=staff)

    @admin.display(description=_("Username"))
    def username(self, obj: StaffProfile) -> str:
        # As text: a link would lead to the logins' own admin, which is a superuser's only.
        return obj.user.get_username()

    def login_change_allowed(self, request: HttpRequest, obj: StaffProfile) -> bool:
        return may_change_login(by=request.user, staff=obj)

    def get_readonly_fields(self, request: HttpRequest, obj: StaffProfile | None = None):
        readonly = ["username"] if obj is not None else []
        if not self.access_fields_allowed(request, obj):
            readonly += ACCESS_FIELDS
        return readonly

    def get_fields(self, request: HttpRequest, obj: StaffProfile | None = None):
        agency = ["agency"] if request.user.is_superuser else []
        access = list(ACCESS_FIELDS)
        if obj is None:
            allowed = self.access_fields_allowed(request, obj)
            return [*self.login_fields, *agency, *(access if allowed else ()), "programs", "default_site"]
        login = self.login_change_fields if self.login_change_allowed(request, obj) else ()
        return ["username", *login, *agency, *access, "programs", "default_site"]

    def get_fieldsets(self, request: HttpRequest, obj: StaffProfile | None = None):
        fields = self.get_fields(request, obj)
        main = {"fields": [name for name in fields if name not in ACCESS_FIELDS]}
        if obj is not None and "is_active" not in fields:
            main["description"] = _(
                "Only a manager, or a coordinator who holds at least this person's role and grants, changes their "
                "login (name, e-mail, password, whether it may log in); never their own here."
            )
        elif obj is None and not set(ACCESS_FIELDS) & set(fields):
            main["description"] = _(
                "A new staff member starts as a caseworker without grants; a manager then changes their role and "
                "grants."
            )
        if self.access_fields_allowed(request, obj) or not set(ACCESS_FIELDS) & set(fields):
            return [(None, main | {"fields": fields})]
        access = [name for name in fields if name in ACCESS_FIELDS]
        return [
            (None, main),
            (
                _("Role and grants"),
                {"fields": access, "description": _("Only a manager changes roles and grants, and never their own.")},
            ),
        ]

    def get_form(self, request: HttpRequest, obj: StaffProfile | None = None, change: bool = False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        elif self.login_change_allowed(request, obj):
            kwargs["form"] = self.change_form
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: StaffProfile, form, change: bool) -> None:
        if not request.user.is_superuser:
            obj.agency = request.agency
        data = form.cleaned_data
        names = {name: data[name] for name in ("first_name", "last_name", "email") if name in data}
        if not change:
            staff_member_create(
                by=request.user, staff=obj, username=data["username"], password=data["password1"], **names
            )
            return
        staff_profile_save(by=request.user, staff=obj)
        if "is_active" in data:  # the login's fields were on the form: its changer may change it
            staff_login_update(
                by=request.user, staff=obj, is_active=data["is_active"], password=data["password1"], **names
            )


@admin.register(ListItem)
class ListItemAdmin(AgencyScopedAdmin):
    list_display = ["label", "label_fr", "list", "group", "position", "is_active", "agency"]
    list_filter = ["list", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["label", "label_fr"]


class ReferenceAdmin(CoordinatorAdmin):
    """IRCC's lists and the NOC list are fixed: shown to coordinators, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(IcareValue)
class IcareValueAdmin(ReferenceAdmin):
    list_display = ["value", "label_en", "label_fr", "list", "position"]
    list_filter = ["list"]
    search_fields = ["value", "label_en", "label_fr"]


@admin.register(Occupation)
class OccupationAdmin(ReferenceAdmin):
    list_display = ["code", "title_en", "title_fr", "teer"]
    list_filter = ["teer", "broad_category"]
    search_fields = ["code", "title_en", "title_fr"]
