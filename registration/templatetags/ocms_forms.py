"""Rendering form fields with their green (OCMS) or yellow (iCARE) marker, message and help."""

from django import template
from django.forms import BoundField

from registration.rules import Level, facts_from_client, icare_missing

register = template.Library()


@register.inclusion_tag("registration/_field.html")
def field(bound: BoundField, label: str = "", inline: bool = False) -> dict:
    level = getattr(bound.form, "levels", {}).get(bound.name)
    widget = bound.field.widget
    return {
        "field": bound,
        "label": label or bound.label,
        "level": level,
        "is_ocms": level == Level.OCMS,
        "is_icare": level == Level.ICARE,
        # A list of checkboxes (CheckboxSelectMultiple) has input_type "checkbox" too, but is a fieldset.
        "is_checkbox": getattr(widget, "input_type", None) == "checkbox"
        and not getattr(widget, "allow_multiple_selected", False),
        "is_multiple_checkbox": widget.__class__.__name__ == "CheckboxSelectMultiple",
        "inline": inline,
        "copied": bound.name in getattr(bound.form, "copied", ()),
        "with_consent": bound.name in getattr(bound.form, "required_with_consent", ()),
    }


@register.inclusion_tag("registration/_legend.html")
def field_legend() -> dict:
    return {}


@register.inclusion_tag("registration/_icare_badge.html")
def icare_badge(client) -> dict:
    """The iCARE readiness of a saved client, from the same rules as the yellow fields."""
    missing = [] if client.is_anonymous else icare_missing(facts_from_client(client))
    return {"client": client, "missing": missing}
