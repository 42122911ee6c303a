"""The form renderer (settings.FORM_RENDERER): Django's own, with the commonest widgets written out in Python.

Django renders every widget through templates: a select includes a template for each of its options, and each
input and option one more for its attributes. On a wizard step of a few selects that is hundreds of template
renders, the larger part of the step's time outside the database. Here text-like inputs, text areas, checkboxes,
selects and their options are written by the functions below, byte for byte as Django's templates write them
(tests/agencies/test_renderers.py compares the two), as are a form of hidden fields only (a formset's management
form) and an empty list of errors; any other widget, form or list, or an option of another template, goes through
Django's templates as before.
"""

import html
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize

WIDGETS = "django/forms/widgets"
# Django's templates that are nothing but {% include "django/forms/widgets/input.html" %}.
INPUTS = {
    f"{WIDGETS}/{name}.html"
    for name in ("checkbox", "date", "email", "hidden", "number", "password", "search", "tel", "text", "time", "url")
}
SELECTS = {f"{WIDGETS}/select.html"}
TEXTAREA = f"{WIDGETS}/textarea.html"
# A radio button or checkbox of a list, as a field template writes each choice ({{ choice.tag }}).
INPUT_OPTIONS = {f"{WIDGETS}/radio_option.html", f"{WIDGETS}/checkbox_option.html"}
OPTION = f"{WIDGETS}/select_option.html"
# A form as a <div> (a formset's management form: hidden fields only), and a list of errors (mostly empty).
FORM_DIV = "django/forms/div.html"
ERROR_LISTS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


def escaped(value: Any) -> str:
    """conditional_escape(value): the same text, without the check for lazy arguments that Django wraps its escape
    in. A wizard step escapes about a thousand labels and attribute values, and the check cost more than the
    escaping (`make bench`)."""
    html_of = getattr(value, "__html__", None)
    return html_of() if html_of is not None else html.escape(str(value))


def text(value: Any) -> str:
    """{{ value }}: localized, escaped unless already safe."""
    return escaped(localize(value))


def as_s(value: Any) -> str:
    """{{ value|stringformat:'s' }}: the value as text, escaped unless it was safe."""
    return escaped(value if hasattr(value, "__html__") else "%s" % value)  # noqa: UP031 - as stringformat


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {text(name)}" if value is True else f' {text(name)}="{as_s(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html"""
    value = f' value="{as_s(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'


def textarea_html(widget: dict) -> str:
    """django/forms/widgets/textarea.html"""
    value = text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{text(widget["name"])}"{attrs_html(widget["attrs"])}>\n{value}</textarea>'


def input_option_html(widget: dict) -> str:
    """django/forms/widgets/input_option.html"""
    if not widget["wrap_label"]:
        return input_html(widget)
    label_for = f' for="{text(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{input_html(widget)}\n {text(widget['label'])}</label>"


def option_html(option: dict) -> str:
    """django/forms/widgets/select_option.html, with the line end its file ends with (inside the select, kept)."""
    return f'<option value="{as_s(option["value"])}"{attrs_html(option["attrs"])}>{text(option["label"])}</option>\n'


def select_html(widget: dict) -> str | None:
    """django/forms/widgets/select.html; None when an option has a template of its own."""
    html = [f'<select name="{text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            html.append(f"\n  {option_html(option)}")
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict, request=None) -> str:
        # Django's renderer strips what a template renders; these write no outer space to strip.
        if template_name in INPUTS:
            return input_html(context["widget"])
        if template_name in INPUT_OPTIONS:
            return input_option_html(context["widget"])
        if template_name == TEXTAREA:
            return textarea_html(context["widget"])
        if template_name in SELECTS and (html := select_html(context["widget"])) is not None:
            return html
        if template_name in ERROR_LISTS and not context["errors"]:
            return ""
        if template_name == FORM_DIV and not context["fields"] and not context["errors"]:
            return "".join(str(field) for field in context["hidden_fields"])
        return super().render(template_name, context, request)
