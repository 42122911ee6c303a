import datetime
import functools
import json
import re
from collections.abc import Callable

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agencies.models import ListItem, Occupation, foreign_lang
from agencies.rows import agency_items, agency_staff, occupations
from agencies.templatetags.ocms_format import lang_attribute
from agencies.validators import ControlCharactersValidator


class TextChecksMixin:
    """Every text field of the form refuses control characters with a message, before anything is stored
    (a password is a password: anything goes)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            text = isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)
            if text and not any(isinstance(v, ControlCharactersValidator) for v in field.validators):
                # Ours says it of NUL too: Django's own check would add a second message for the same character.
                field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators.append(ControlCharactersValidator())


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "class": "form-control"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )


class LangSelect(forms.Select):
    """A drop-down whose options may be in another language than the page's (an agency's program named in English
    only, on a French page): each such option says which, for screen readers."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None) -> dict:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if lang := foreign_lang(label):
            option["attrs"]["lang"] = lang
        return option


class DateInput(forms.DateInput):
    """A date typed as YYYY-MM-DD in a plain text box, with a calendar button of our own beside it (static/js/dates.js).

    Not the browser's <input type="date">: that one shows the date in the browser's language (jj/mm/aaaa in a French
    browser), so typing the article's YYYY-MM-DD fails there, and it sends an impossible date (2026-02-30) as nothing,
    which the form then calls "required" while what was typed is lost.
    """

    input_type = "text"

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "class": "form-control",
            "inputmode": "numeric",
            "autocomplete": "off",
            "spellcheck": "false",
            "placeholder": _("YYYY-MM-DD"),
            "data-date-input": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%Y-%m-%d")

    def render(self, name, value, attrs=None, renderer=None) -> str:
        box = super().render(name, value, attrs, renderer)
        if self.attrs.get("disabled") or (attrs or {}).get("disabled"):
            return box
        return format_html('<div class="input-group ocms-date">{}{}</div>', box, calendar_button(get_language()))


@functools.cache
def calendar_button(language: str | None) -> str:
    """The calendar button beside every date box, in the active language: put together once for each language."""
    # Shown by the script (hidden without it, where it would do nothing); its words in the page's language.
    labels = {
        "dialog": _("Choose date"),
        "previousYear": _("Previous year"),
        "previousMonth": _("Previous month"),
        "nextMonth": _("Next month"),
        "nextYear": _("Next year"),
        "close": _("Close"),
        "keys": _(
            "Arrow keys move by day and by week, Page Up and Page Down by month, Shift with Page Up and "
            "Page Down by year; Enter chooses the date, Escape closes."
        ),
    }
    return format_html(
        '<button type="button" class="btn btn-outline-secondary ocms-date-button" data-date-picker '
        'aria-label="{}" aria-haspopup="dialog" data-labels="{}" hidden>'
        '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">'
        '<rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor"/>'
        '<path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor"/></svg></button>',
        labels["dialog"],
        json.dumps({key: str(text) for key, text in labels.items()}),
    )


# Year first, as OCMS writes a date (2024-03-09) or as the help article does (2024/03/09).
ISO_DATE = re.compile(r"[0-9]{4}([-/])[0-9]{2}\1[0-9]{2}")


class DateField(forms.DateField):
    """A date read strictly year first, YYYY-MM-DD (or YYYY/MM/DD, as the help article writes it), whatever the
    language of the browser or of the page (Django would also take 09/03/2024 on a French page, which an English
    reader takes for 3 September). A date that cannot be one keeps what was typed and says so, never "required"."""

    widget = DateInput
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("“%(value)s” is not a valid date. Use YYYY-MM-DD, e.g. 2024-03-09."),
    }

    def to_python(self, value) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if not text:
            return None
        if ISO_DATE.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text.replace("/", "-"))
            except ValueError:
                pass
        raise ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": Truncator(text).chars(30)}
        )


class DateRangeMixin:
    """A form choosing a range of dates (date_range names its two fields): the end may not come before the start."""

    date_range = ("date_from", "date_to")

    def clean(self) -> dict:
        cleaned = super().clean()
        start_name, end_name = self.date_range
        start, end = cleaned.get(start_name), cleaned.get(end_name)
        if start and end and end < start:
            self.add_error(end_name, _("The end date is before the start date: enter a date on or after it."))
        return cleaned


# List drop-downs: each model field names its list (an agency's ListItem or one of IRCC's IcareValue lists)
# in limit_choices_to.


def list_fields_prepare(form_class: type[forms.BaseForm]) -> None:
    """Filter each list drop-down of a form class by its list once, when the class is first used.

    A model field's limit_choices_to would otherwise be applied again to every form instance, as a
    subquery built anew each time: a tenth of a wizard page's time. The list's name stays on the field.
    """
    if form_class.__dict__.get("lists_prepared"):
        return
    for field in form_class.base_fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.limit_choices_to:
            field.list_name = dict(field.limit_choices_to.children)["list"]
            field.queryset = field.queryset.filter(field.limit_choices_to)
            field.limit_choices_to = None
            if type(field) is forms.ModelChoiceField:
                # Its class swapped, as style_widgets swaps the widgets' (registration/forms/widgets.py).
                field.__class__ = ListChoiceField
    form_class.lists_prepared = True


class ListChoiceField(forms.ModelChoiceField):
    """A drop-down of one list's values: the value chosen is found among the copies of the list the process keeps
    (agencies.rows), set in `kept` for each form, rather than read again. A key the copies do not hold is read as
    Django reads it (and refused unless the field's queryset has it)."""

    kept: dict | None = None

    def to_python(self, value):
        if self.kept is None or value in self.empty_values:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            row = self.kept.get(int(value.pk if isinstance(value, self.queryset.model) else value))
        except (TypeError, ValueError):
            row = None
        if row is None:
            return super().to_python(value)
        # The values of this list only; of an agency's, the active ones (as the field's queryset).
        if row.list != self.list_name or not getattr(row, "is_active", True):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return row


def agency_list_items(agency, list_name: str) -> QuerySet:
    """The agency's active values of one of its lists. Built once per agency object, so once a request
    for the many forms of a wizard page; each form field takes its own copy (the queryset setter clones)."""
    built = agency.__dict__.setdefault("_list_querysets", {})
    if list_name not in built:
        built[list_name] = ListItem.objects.for_agency(agency).of(list_name)
    return built[list_name]


class SharedChoices(BaseChoiceIterator):
    """The options of a list that every drop-down showing it shares (an IRCC list in one language):
    Django takes them as they are, and their HTML is made once."""

    def __init__(self, choices) -> None:
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    @cached_property
    def options_html(self) -> str:
        return "".join(
            format_html('<option value="{}"{}>{}</option>', value, lang_attribute(label), label)
            for value, label in self.choices
        )


# agency pk -> (what agencies.rows kept of the agency that the options were made from, {key: the options}): the
# drop-downs of the agency's lists, and of its staff.
_agency_choices: dict[int, tuple[dict, dict[tuple, SharedChoices]]] = {}
_staff_choices: dict[int, tuple[dict, dict[tuple, SharedChoices]]] = {}


def options_kept(
    store: dict, agency, made_from: dict, key: tuple, empty_label, values: Callable[[], list]
) -> SharedChoices:
    """The agency's options `key` (with `empty_label`) in `store`, `empty_label` first unless it is None: made once
    from `made_from` (kept by agencies.rows), and again once that is read again."""
    kept_from, built = store.get(agency.pk, (None, {}))
    if kept_from is not made_from:
        built = {}
        store[agency.pk] = (made_from, built)
    empty = None if empty_label is None else str(empty_label)
    key = (*key, empty)
    if key not in built:
        built[key] = SharedChoices([("", empty), *values()] if empty is not None else values())
    return built[key]


def agency_choices(agency, list_name: str, empty_label) -> SharedChoices:
    """An agency list's active options in the page's language, shared by every drop-down of that list: made once a
    process from the agency's list values it keeps (agencies.rows), and again when those are read again."""
    items = agency_items(agency)
    return options_kept(
        _agency_choices,
        agency,
        items,
        (list_name, get_language() or "en"),
        empty_label,
        lambda: [(pk, str(item)) for pk, item in items.items() if item.list == list_name and item.is_active],
    )


def staff_choices(agency, empty_label) -> SharedChoices:
    """A drop-down of the agency's staff (the Primary Worker), shared as agency_choices are: the staff read once a
    process (agencies.rows.agency_staff) rather than with the page that shows them. Their names are the same in
    every language; only the empty label is not."""
    names = agency_staff(agency)
    return options_kept(_staff_choices, agency, names, (), empty_label, lambda: list(names.items()))


class ReadOnceChoiceIterator(ModelChoiceIterator):
    """A drop-down's rows read with one plain SELECT. Django's own iterator reads them through a server-side cursor
    on PostgreSQL (DECLARE, FETCH, CLOSE: three round trips) for fear of a long table; these are a few dozen."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class OccupationField(forms.ModelChoiceField):
    """A NOC 2021 code, found among the occupations the process keeps (agencies.rows) rather than read again; one it
    does not hold is read as Django reads it."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        occupation = value if isinstance(value, Occupation) else occupations().get(str(value))
        return occupation if occupation is not None else super().to_python(value)


class ModelChoiceField(forms.ModelChoiceField):
    """A drop-down of an agency's staff, sites or programs (ReadOnceChoiceIterator)."""

    iterator = ReadOnceChoiceIterator


def scope_list_fields(form: forms.BaseForm, agency) -> None:
    """Drop-downs of agency-editable lists offer only the agency's own active values."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.queryset.model is ListItem:
            field.queryset = agency_list_items(agency, field.list_name)
            if type(field) in (ListChoiceField, forms.ModelMultipleChoiceField):
                field.widget.choices = agency_choices(agency, field.list_name, field.empty_label)
            if type(field) is ListChoiceField:
                field.kept = agency_items(agency)
