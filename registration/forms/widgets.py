"""The widgets of the profile forms: Yes/No drop-downs, fast long drop-downs, phones as typed, NOC codes."""

from django import forms
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.widgets import LazySelect
from phonenumber_field.phonenumber import PhoneNumber, to_python
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from agencies.forms import SharedChoices
from agencies.models import IcareList
from agencies.rows import icare_values
from agencies.templatetags.ocms_format import lang_attribute
from clients.text import fold


class YesNoSelect(forms.NullBooleanSelect):
    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs={"class": "form-select", **(attrs or {})})
        self.choices = [("unknown", _("Choose Yes or No")), ("true", _("Yes")), ("false", _("No"))]


class FastSelectMixin:
    """Renders a drop-down's options in Python rather than one template per option.

    Django renders each <option> through its own template; for the long lists of a profile (countries,
    languages) that alone costs tens of milliseconds a page.
    """

    def render(self, name, value, attrs=None, renderer=None) -> str:
        if isinstance(self.choices, SharedChoices) and not self.allow_multiple_selected:
            return self.render_shared(name, value, attrs)
        context = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', context["name"], flatatt(context["attrs"]))]
        for group_name, options, _index in context["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}{}>{}</option>',
                        option["value"],
                        mark_safe(" selected") if option["selected"] else "",
                        lang_attribute(option["label"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))

    def render_shared(self, name, value, attrs) -> str:
        """Shared options come as HTML made once; only the chosen one is marked here."""
        context = forms.Widget.get_context(self, name, value, attrs)["widget"]
        options = self.choices.options_html
        chosen = context["value"][0] if context["value"] else ""
        option = format_html('<option value="{}">', chosen)
        options = options.replace(option, option[:-1] + " selected>", 1)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(context["attrs"]), mark_safe(options))


_fast_classes: dict[type, type] = {}


def fast_select_class(widget_class: type) -> type:
    if widget_class not in _fast_classes:
        _fast_classes[widget_class] = type(f"Fast{widget_class.__name__}", (FastSelectMixin, widget_class), {})
    return _fast_classes[widget_class]


class TypedPhoneWidget(RegionalPhoneNumberWidget):
    """Shows a number the way it was typed when it is not a valid one, so the caseworker can correct it."""

    def format_value(self, value):
        if isinstance(value, str) and not (to_python(value, region=self.region) or PhoneNumber()).is_valid():
            return value
        return super().format_value(value)


class OccupationWidget(forms.TextInput):
    """The NOC code; the page's Find button fills it from the NOC list."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "form-control", "inputmode": "numeric", "maxlength": 5, "size": 6})


def style_widgets(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, so the field template renders fields plainly; fast long drop-downs."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) in (forms.Select, LazySelect):
            widget.__class__ = fast_select_class(type(widget))
        elif type(widget) is RegionalPhoneNumberWidget:
            widget.__class__ = TypedPhoneWidget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


_icare_choices: dict[tuple[str, str, str | None], SharedChoices] = {}


def icare_choices(list_name: str, empty_label) -> SharedChoices:
    """An IRCC list's options, made once per process and language from the values it keeps (agencies.rows): IRCC's
    lists change only by migration.
    The languages come in the alphabetical order of their names in the page's language, English and French first."""
    empty = None if empty_label is None else str(empty_label)
    key = (list_name, get_language() or "en", empty)
    if key not in _icare_choices:
        values = [(pk, str(value)) for pk, value in icare_values().items() if value.list == list_name]
        if list_name == IcareList.LANGUAGE:
            values[2:] = sorted(values[2:], key=lambda choice: fold(choice[1]))
        _icare_choices[key] = SharedChoices([("", empty), *values] if empty is not None else values)
    return _icare_choices[key]


_country_choices: dict[str, SharedChoices] = {}


def country_choices(field: forms.Field) -> SharedChoices:
    """The countries (a blank choice first, then by name in the page's language): made once per language. The blank
    choice says what every other drop-down's says (Django's BLANK_CHOICE_LABEL), not django-countries' dashes."""
    language = get_language() or "en"
    if language not in _country_choices:
        _country_choices[language] = SharedChoices(
            (code, str(BLANK_CHOICE_LABEL) if code == "" else str(name)) for code, name in field.choices
        )
    return _country_choices[language]
