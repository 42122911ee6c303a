"""What the field template (templates/clients/_field.html) needs to know of a field beyond Django's bound field, and
the error summary at the top of a page whose form has errors (templates/_error_summary.html)."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.forms import BaseForm, BoundField
from django.forms.formsets import BaseFormSet
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from agencies.models import Occupation
from clients.rules import Level

register = template.Library()

OCMS, ICARE = Level.OCMS, Level.ICARE


def marker(level: str, with_consent: bool = False) -> SafeString:
    """The text marker beside a label: never colour alone. A screen reader hears the label, a comma and the marker
    ("First Name, required") from a visually hidden copy, rather than the label and the badge run together ("First
    NameRequired"). A field that Consent Required = Yes makes required carries its marker hidden until then
    (static/js/ocms.js shows it)."""
    hidden = mark_safe("")
    if with_consent:
        hidden = mark_safe(" data-consent-marker") if level == OCMS else mark_safe(" data-consent-marker hidden")
        level = OCMS
    if level == OCMS:
        spoken, shown, css = _("required"), _("Required"), "marker-ocms"
    elif level == ICARE:
        spoken, shown, css = _("required for iCARE"), _("Required for iCARE"), "marker-icare"
    else:
        return mark_safe("")
    return format_html(
        '<span class="visually-hidden-inline"{}>, {}</span><span class="marker {}" aria-hidden="true"{}>{}</span>',
        hidden,
        spoken,
        css,
        hidden,
        shown,
    )


@register.simple_tag
def required_marker(level: str = OCMS) -> SafeString:
    """The marker of a field laid out by hand (the Registration Site picker)."""
    return marker(level)


@register.filter
def field_marks(bound: BoundField) -> dict:
    """The field's marker (from its form's `levels`), and how the template lays it out."""
    form = bound.form
    widget = bound.field.widget
    multiple = getattr(widget, "allow_multiple_selected", False)
    level = getattr(form, "levels", {}).get(bound.name, "")
    with_consent = bound.name in getattr(form, "required_with_consent", ())
    return {
        "level": level,
        "marker": marker(level, with_consent),
        # A list of checkboxes (CheckboxSelectMultiple) has input_type "checkbox" too, but is a fieldset.
        "is_checkbox": getattr(widget, "input_type", None) == "checkbox" and not multiple,
        # Checkboxes or radio buttons, one per choice: a fieldset of them under the label.
        "is_choice_list": isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple),
        "copied": bound.name in getattr(form, "copied", ()),
        "with_consent": with_consent,
    }


@register.filter
def occupation_title(bound: BoundField) -> str:
    """The NOC code's title ("31301 Registered nurses and registered psychiatric nurses"), as typed or as saved."""
    code = str(bound.value() or "").strip()
    occupation = Occupation.objects.filter(code=code).first() if code else None
    return str(occupation) if occupation else ""


@dataclass(frozen=True)
class ErrorLink:
    """One message of the error summary, and the id of what its link puts focus on."""

    target: str
    text: str


def field_target(bound: BoundField) -> str:
    """The id of the input a message is about: the first box of a list of radio buttons or check boxes."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        subwidgets = bound.subwidgets
        return subwidgets[0].id_for_label if subwidgets else bound.auto_id
    return bound.id_for_label or bound.auto_id


def said_with_label(label: str, message: str) -> str:
    """The message as the summary says it: after its field's label, unless the message names the field already
    ("Last Name is required by OCMS: ...")."""
    if not label or str(label).casefold() in str(message).casefold():
        return str(message)
    return f"{label}: {message}"


def form_errors(form: BaseForm, group: str = "") -> Iterator[ErrorLink]:
    """A form's messages in the order of its fields; one that is about no field leads to its first field. `group`
    names the row or the tab the form is (unless the message names it already)."""
    group = group or str(getattr(form, "error_group", ""))

    def grouped(text: str) -> str:
        return f"{group}: {text}" if group and group.casefold() not in text.casefold() else text

    visible = [bound for bound in form if not bound.is_hidden]
    first = field_target(visible[0]) if visible else ""
    for message in form.non_field_errors():
        yield ErrorLink(first, grouped(str(message)))
    for bound in form:
        for message in bound.errors:
            yield ErrorLink(field_target(bound), grouped(said_with_label(bound.label, message)))


def formset_errors(formset: BaseFormSet) -> Iterator[ErrorLink]:
    """A formset's messages: those about the whole list lead to it, a row's say which row."""
    for message in formset.non_form_errors():
        yield ErrorLink(f"formset-{formset.prefix}", str(message))
    for index, form in enumerate(formset.forms):
        row_title = getattr(formset, "row_title", None)
        yield from form_errors(form, row_title(index, form) if row_title else "")


def part_errors(part: Any) -> Iterator[ErrorLink]:
    if part is None:
        return
    if isinstance(part, BaseFormSet):
        yield from formset_errors(part)
    elif isinstance(part, BaseForm):
        yield from form_errors(part)
    elif hasattr(part, "parts"):  # a wizard step's bound forms (registration.steps.BoundStep)
        for inner in part.parts:
            yield from part_errors(inner)


@register.inclusion_tag("_error_summary.html")
def error_summary(*parts: Any, message: str = "", message_for: str = "", lead: str = "") -> dict:
    """The page's messages (of forms, formsets or a wizard step), each a link to its field; `message` adds one that
    no form holds (a refused password), leading to `message_for`; `lead` says what the errors hold up."""
    errors = [error for part in parts for error in part_errors(part)]
    if message:
        errors.append(ErrorLink(message_for, str(message)))
    return {"errors": errors, "lead": lead}
