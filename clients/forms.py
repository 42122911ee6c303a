"""Forms of the clients app: a postal code, a session with a client, a mentor/tutor match, Sensitive Information,
and the filters of the unlock log."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from localflavor.ca.forms import CAPostalCodeField

from agencies.forms import (
    DateField,
    DateRangeMixin,
    LangSelect,
    ModelChoiceField,
    TextChecksMixin,
    list_fields_prepare,
    scope_list_fields,
    staff_choices,
)
from agencies.models import Agency, Program, StaffProfile
from agencies.validators import PostalCodeValidator, ascii_digits, postal_code_compact
from clients.layout import Col, Field, Include, Row, form_helper
from clients.models import Client, MatchKind, MentorMatch, SensitiveInfo, Service, Session, UnlockOutcome
from clients.rules import Level
from clients.validators import NotInFutureValidator

MAX_SESSION_MINUTES = 24 * 60


class PostalCodeField(CAPostalCodeField):
    """A Canadian postal code (django-localflavor's), typed in any case with or without its space or a hyphen,
    kept as OCMS stores it: six characters, upper case."""

    default_error_messages = {"invalid": PostalCodeValidator.message}

    def __init__(self, **kwargs) -> None:
        # Room for a code pasted with spaces around it (" k1a 0b1 "), which the browser would otherwise cut short
        # before the field strips them; the code's own pattern holds it to six characters and a space.
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": 10, "autocomplete": "off"}))
        kwargs.pop("empty_value", None)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        return "".join(ch for ch in super().to_python(value) if ch != "-")

    def clean(self, value) -> str:
        typed = super().clean(value) or ""
        compact = postal_code_compact(typed)
        if typed and compact is None:  # a code localflavor's pattern lets through: digits of another script
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return compact or ""

    def prepare_value(self, value) -> str:
        """A stored code shown with its space; what was typed shown as typed."""
        compact = postal_code_compact(value or "")
        return f"{compact[:3]} {compact[3:]}" if compact and len(str(value)) == 6 else value


def agency_programs(agency: Agency):
    return Program.objects.for_agency(agency).filter(is_active=True).order_by("name")


class SessionForm(TextChecksMixin, forms.ModelForm):
    """Begin Session with Client. The agency, client and worker are set on the instance, never posted."""

    services = forms.MultipleChoiceField(
        label=_("Services given"),
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose at least one service given in this session.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=MAX_SESSION_MINUTES,
        # A text box with the digit keyboard, not a number box: a browser's number box drops the letters of "1h30"
        # without a word and sends "130"; typed here, they come back with the message below.
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter how long the session took, in minutes."),
            "invalid": _("Enter the duration as a whole number of minutes, such as 45."),
            "min_value": _("Duration must be at least 1 minute."),
            "max_value": _("Duration must be at most 1440 minutes (one day)."),
        },
    )

    levels = dict.fromkeys(
        ("date", "program", "session_type", "delivery_mode", "services", "duration_minutes"), Level.OCMS
    )
    helper = form_helper(
        Row(Col("date", width=3), Col("program", width=5), Col("duration_minutes", width=4)),
        Row(Col("session_type", width=8), Col("delivery_mode", width=4)),
        Include("clients/_session_services.html"),
        "notes",
    )

    class Meta:
        model = Session
        # In the order of the layout, which the error summary follows.
        fields = ["date", "program", "duration_minutes", "session_type", "delivery_mode", "services", "notes"]
        field_classes = {"date": DateField}
        widgets = {
            "program": LangSelect(attrs={"class": "form-select"}),
            "session_type": forms.Select(attrs={"class": "form-select"}),
            "delivery_mode": forms.Select(attrs={"class": "form-select"}),
            "notes": forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        }
        error_messages = {
            "date": {"required": _("Enter the date of the session.")},
            "program": {
                "required": _("Choose the program this session belongs to."),
                "invalid_choice": _("Choose one of your agency's programs."),
            },
            "session_type": {"required": _("Choose the session type.")},
            "delivery_mode": {"required": _("Choose how the session was delivered.")},
        }

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = agency_programs(agency)
        self.fields["program"].empty_label = _("Choose a program")
        date = self.fields["date"]
        date.validators.append(NotInFutureValidator())
        date.show_hidden_initial = False  # the model's callable default would add a hidden copy of the date
        date.initial = timezone.localdate
        session_types = Session._meta.get_field("session_type").choices
        self.fields["session_type"].choices = [("", _("Choose a session type")), *session_types]

    def clean_date(self):
        return not_before_birth(self.cleaned_data["date"], self.instance.client)

    def clean_services(self) -> list[str]:
        chosen = set(self.cleaned_data["services"])
        # Stored in the order of the list, so every document lists them the same way.
        return [code for code in Service.values if code in chosen]


class MentorMatchForm(TextChecksMixin, DateRangeMixin, forms.ModelForm):
    """Add mentor/tutor match. The agency and client are set on the instance, never posted."""

    levels = dict.fromkeys(("kind", "name", "program", "start_date"), Level.OCMS)
    date_range = ("start_date", "end_date")
    helper = form_helper(
        Row(Col("kind", width=4), Col("name", width=8)),
        Row(Col("program", width=4), Col("start_date", width=4), Col("end_date", width=4)),
        "notes",
    )

    class Meta:
        model = MentorMatch
        fields = ["kind", "name", "program", "start_date", "end_date", "notes"]
        field_classes = {"start_date": DateField, "end_date": DateField}
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select"}),
            "name": forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
            "program": LangSelect(attrs={"class": "form-select"}),
            "notes": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        }
        error_messages = {
            "kind": {"required": _("Choose whether this is a mentor or a tutor.")},
            "name": {"required": _("Enter the name of the mentor or tutor.")},
            "program": {
                "required": _("Choose the program of this match."),
                "invalid_choice": _("Choose one of your agency's programs."),
            },
            "start_date": {"required": _("Enter the date the match started.")},
        }

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = agency_programs(agency)
        self.fields["program"].empty_label = _("Choose a program")
        self.fields["kind"].choices = [("", _("Choose mentor or tutor")), *MentorMatch._meta.get_field("kind").choices]
        self.fields["start_date"].validators.append(NotInFutureValidator())

    def clean_start_date(self):
        return not_before_birth(self.cleaned_data["start_date"], self.instance.client)

    def clean(self) -> dict:
        cleaned = super().clean()
        same = {key: cleaned.get(key) for key in ("kind", "program", "start_date")}
        name = cleaned.get("name")
        # The same match saved twice (Save pressed again after a slow answer, or the form sent from two tabs).
        if name and all(same.values()):
            held = MentorMatch.objects.filter(client=self.instance.client, name__iexact=name, **same)
            if held.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "name",
                    _(
                        "This client already has this match: %(kind)s %(name)s in %(program)s from %(start)s. "
                        "It is listed under Mentor/Tutor Matches on the profile."
                    )
                    % {
                        "kind": MatchKind(same["kind"]).label,
                        "name": name,
                        "program": same["program"],
                        "start": same["start_date"].isoformat(),
                    },
                )
        return cleaned


def not_before_birth(day, client: Client):
    """A date of the client's life (a session, a match), refused before their Date of Birth."""
    if day and client.date_of_birth and day < client.date_of_birth:
        raise forms.ValidationError(
            _("This date is before the client's Date of Birth %(born)s: enter the date it happened."),
            params={"born": client.date_of_birth.isoformat()},
            code="before_birth",
        )
    return day


# Sensitive Information: unlocking it, editing it, and the managers' review of the unlock log.


class UnlockForm(forms.Form):
    """The login password, re-entered each time Sensitive Information is opened or saved."""

    password = forms.CharField(
        label=_("Your password"),
        required=False,  # an empty password is a wrong one: refused and logged like any other
        strip=False,
        # render_value stays False: the password is never sent back to the browser.
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "current-password"}),
    )


class SensitiveInfoForm(TextChecksMixin, forms.ModelForm):
    """Health Insurance Status, Illnesses, Self-Identity and Family Income: of a saved profile behind the password,
    and at the wizard's Sensitive step for granted staff."""

    helper = form_helper(
        Row(
            Col("health_insurance_status", width=6),
            Col("family_income", width=6),
            Col("illnesses", width=6),
            Col("self_identity", width=6),
        )
    )

    class Meta:
        model = SensitiveInfo
        fields = ["health_insurance_status", "illnesses", "self_identity", "family_income"]
        widgets = {
            "health_insurance_status": forms.Select(attrs={"class": "form-select"}),
            "illnesses": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
            "self_identity": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "family_income": forms.Select(attrs={"class": "form-select"}),
        }

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        list_fields_prepare(type(self))
        super().__init__(*args, **kwargs)
        scope_list_fields(self, agency)

    def save_rows(self, client) -> None:
        """The wizard's save, after the client is: the information goes in its own table, beside the client."""
        info = self.save(commit=False)
        info.client = client
        info.save()
        self.save_m2m()


class UnlockLogFilterForm(TextChecksMixin, DateRangeMixin, forms.Form):
    """The filters of the Sensitive Information Access page (and of its CSV export)."""

    staff = ModelChoiceField(
        label=_("Staff member"),
        queryset=StaffProfile.objects.none(),
        required=False,
        empty_label=_("Anyone"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    client = forms.CharField(
        label=_("Client"),
        required=False,
        max_length=100,
        help_text=_("Client number, or part of the name."),
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any outcome")), *UnlockOutcome.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

    helper = form_helper(
        Row(Col("staff", width=4), Col("client", width=4), Col("outcome", width=4)),
        Row(Field("date_from", wrapper_class="col-6 col-md-3"), Field("date_to", wrapper_class="col-6 col-md-3")),
    )

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        staff = self.fields["staff"]
        staff.queryset = StaffProfile.objects.for_agency(agency)  # read only to check the one asked for
        staff.widget.choices = staff_choices(agency, staff.empty_label)


class FlagForm(TextChecksMixin, forms.Form):
    """Any caseworker: another profile of the agency that may be the same person, for a coordinator to review."""

    number = forms.CharField(
        label=_("Client number of the other profile"),
        max_length=9,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "off"}),
    )
    helper = form_helper("number")

    def __init__(self, *args, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_number(self) -> Client:
        """The other named client of the agency. The number of a client merged into another is told as such, with
        the profile it leads to, rather than as nobody's; nothing is flagged then: which profile to flag stays the
        caseworker's choice."""
        number = self.cleaned_data["number"].strip()
        if not ascii_digits(number):
            raise forms.ValidationError(_("Type the other client's number in digits, e.g. 1000123."))
        numbered = Client.objects.for_agency(self.client.agency).filter(number=int(number))
        other = numbered.named().exclude(pk=self.client.pk).first()
        if other is not None:
            return other
        tombstone = numbered.exclude(merged_into=None).select_related("merged_into").first()
        if tombstone is None:
            raise forms.ValidationError(_("No other named client of your agency has this number."))
        if tombstone.merged_into_id == self.client.pk:
            message = _("Client %(number)s was merged into this profile already: there is nothing to flag.")
        else:
            message = _(
                "Client %(number)s was merged into client %(survivor)s: type %(survivor)s to flag that profile."
            )
        raise forms.ValidationError(message % {"number": tombstone.number, "survivor": tombstone.merged_into.number})
