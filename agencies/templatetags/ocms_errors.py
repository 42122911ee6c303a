"""The error summary at the top of a page whose form has errors (templates/_error_summary.html): every message of the
page's forms, each a link to its field. Any app's page shows one, the login page too, so it lives in the lowest app.

A link to a field shows the field's name, and is described by the message beside the field (a screen reader says
both): each message is written once on the page, where the link leads, so that it can be read and found there."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.forms import BaseForm, BoundField
from django.forms.formsets import BaseFormSet
from django.utils.safestring import SafeString, mark_safe

from agencies.models import labelled
from agencies.renderers import escaped

register = template.Library()


@dataclass(frozen=True)
class ErrorLink:
    """One message of the error summary, the id of what its link puts focus on, and, when the message stands beside
    its field, what the link shows instead (`shown`: the field's name) and the id of the message (`described_by`)."""

    target: str
    text: str
    shown: str = ""
    described_by: str = ""


def field_target(bound: BoundField) -> str:
    """The id of the input a message is about: the first box of a list of radio buttons or check boxes."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        subwidgets = bound.subwidgets
        return subwidgets[0].id_for_label if subwidgets else bound.auto_id
    return bound.id_for_label or bound.auto_id


@register.simple_tag
def field_errors(bound: BoundField) -> SafeString:
    """A field's messages under it, in the one element its input is described by (Django's aria-describedby names
    "<id>_error"): a second message of the same field is a line of that element, not an element of the same id."""
    errors = bound.errors
    if not errors:
        return mark_safe("")
    inner = escaped(errors[0]) if len(errors) == 1 else "".join(f"<div>{escaped(error)}</div>" for error in errors)
    return mark_safe(f'<div class="invalid-feedback d-block" id="{escaped(bound.auto_id)}_error">{inner}</div>')


def said_with_label(label: str, message: str) -> str:
    """The message as the summary says it: after its field's label, unless the message names the field already
    ("Last Name is required by OCMS: ...")."""
    if not label or str(label).casefold() in str(message).casefold():
        return str(message)
    return labelled(label, message)


def form_errors(form: BaseForm, group: str = "") -> Iterator[ErrorLink]:
    """A form's messages in the order of its fields; one that is about no field leads to its first field. `group`
    names the row or the tab the form is (unless the message names it already)."""
    group = group or str(getattr(form, "error_group", ""))

    def grouped(text: str) -> str:
        return labelled(group, text) if group and group.casefold() not in str(text).casefold() else str(text)

    visible = [bound for bound in form if not bound.is_hidden]
    first = field_target(visible[0]) if visible else ""
    for message in form.non_field_errors():
        yield ErrorLink(first, grouped(str(message)))
    for bound in form:
        for message in bound.errors:
            text = grouped(said_with_label(bound.label, message))
            if bound.label:
                yield ErrorLink(field_target(bound), text, grouped(bound.label), f"{bound.auto_id}_error")
            else:
                yield ErrorLink(field_target(bound), text)


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
def error_summary(
    *parts: Any, message: str = "", message_for: str = "", message_label: str = "", message_id: str = "", lead: str = ""
) -> dict:
    """The page's messages (of forms, formsets or a wizard step), each a link to its field; `message` adds one that
    no form holds (a refused password, shown beside its field as `message_id`), leading to `message_for`, whose name
    is `message_label`; `lead` says what the errors hold up."""
    errors = [error for part in parts for error in part_errors(part)]
    if message:
        errors.append(ErrorLink(message_for, str(message), str(message_label), message_id))
    return {"errors": errors, "lead": lead}
