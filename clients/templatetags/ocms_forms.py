"""How a field of OCMS is shown: what it needs to know beyond Django's bound field (its rule's marker, its layout), and
its HTML (field_html)."""

import functools

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agencies.renderers import escaped
from agencies.rows import occupations
from agencies.templatetags.ocms_errors import field_errors
from clients.rules import Level

register = template.Library()

OCMS, ICARE = Level.OCMS, Level.ICARE


def marker(level: str, with_consent: bool = False) -> SafeString:
    """The text marker beside a label: never colour alone. A screen reader hears the label, a comma and the marker
    ("First Name, required") from a visually hidden copy, rather than the label and the badge run together ("First
    NameRequired"). A field that Consent Required = Yes makes required carries its marker hidden until then
    (static/js/ocms.js shows it)."""
    return marker_in(get_language(), str(level), with_consent)


@functools.cache
def marker_in(language: str | None, level: str, with_consent: bool) -> SafeString:
    """marker() in the active language, `language`: the same few for every field of every page, made once each."""
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
    return mark_safe(
        f'<span class="visually-hidden-inline"{hidden}>, {escaped(spoken)}</span>'
        f'<span class="marker {css}" aria-hidden="true"{hidden}>{escaped(shown)}</span>'
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
        # The field's shade: read-only, or the colour of its rule (static/css/ocms.css).
        "shade": "field-readonly" if bound.field.disabled else f"field-{level}" if level in (OCMS, ICARE) else "",
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
    occupation = occupations().get(str(bound.value() or "").strip())  # anything typed may come back here
    return str(occupation) if occupation else ""


@register.simple_tag
def field_html(bound: BoundField, wrapper_class: str | None = "") -> SafeString:
    """A field as every form of OCMS shows it: its label with the rule's marker, its input, its errors (each with an
    id the input is described by), "Copied from the family member" and its help text; a checkbox beside its label,
    a list of radio buttons or checkboxes as a fieldset under it; the shade of its rule around it.

    Put together here rather than by a template: through a template, the fields took half of a wizard step's time
    (`make bench`), as the admin found for the rows of its change list."""
    if bound.is_hidden:
        return mark_safe(f"{escaped(bound)}\n")
    marks = field_marks(bound)
    errors = bound.errors
    css = "mb-3"
    if marks["shade"]:
        css += f" {marks['shade']}"
    if errors:
        css += " has-error"
    if marks["is_checkbox"]:
        css += " form-check"
    consent = " data-required-with-consent" if marks["with_consent"] else ""
    html = [
        f'<div class="{escaped(wrapper_class)}">' if wrapper_class else "",
        f'<div class="{escaped(css)}"{consent}>\n',
    ]
    label = escaped(bound.label)
    if marks["is_checkbox"]:
        html.append(
            f"\n  {escaped(bound)}\n"
            f'  <label class="form-check-label" for="{escaped(bound.id_for_label)}">{label}</label>\n'
        )
    elif marks["is_choice_list"]:
        choices = "".join(
            f'<div class="form-check">{escaped(choice.tag())}<label class="form-check-label"'
            f' for="{escaped(choice.id_for_label)}">{escaped(choice.choice_label)}</label></div>'
            for choice in bound
        )
        html.append(
            "\n  <fieldset>\n"
            f'    <legend class="form-label fs-6 mb-1">{label}{marks["marker"]}</legend>\n'
            f"    {choices}\n"
            "  </fieldset>\n"
        )
    else:
        shown_marker = "" if bound.field.disabled else marks["marker"]
        html.append(
            f'\n  <label class="form-label" for="{escaped(bound.id_for_label)}">{label}{shown_marker}</label>\n'
            f"  {escaped(bound)}\n"
        )
    html.append("\n")
    html.append(field_errors(bound))
    html.append("\n")
    if marks["copied"]:
        html.append(
            f'<div class="form-text"><span class="badge text-bg-info">{escaped(_("Copied from the family member"))}'
            "</span></div>"
        )
    html.append("\n")
    if bound.help_text:
        html.append(f'<div class="form-text" id="{escaped(bound.auto_id)}_helptext">{escaped(bound.help_text)}</div>')
    html.append("\n</div>")
    if wrapper_class:
        html.append("</div>")
    html.append("\n")
    return mark_safe("".join(html))
