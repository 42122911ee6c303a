"""Form layouts (django-crispy-forms).

Every form of OCMS is laid out by a FormHelper on the form and rendered with `{% crispy form %}` inside the
page's own <form>, each field through the project's field template (templates/_field.html), which carries the
green (OCMS) and yellow (iCARE) markers of the rules (clients/rules.py).
"""

from crispy_forms import layout
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, LayoutObject
from django.template.loader import render_to_string

FIELD_TEMPLATE = "_field.html"
FORM_TEMPLATE = "_crispy_form.html"


def form_helper(*layout, template: str = FORM_TEMPLATE) -> FormHelper:
    """A helper for a form rendered inside a page's <form> (which holds the CSRF token and the buttons)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.include_media = False
    helper.field_template = FIELD_TEMPLATE
    helper.template = template
    helper.layout = Layout(*layout)
    return helper


class Field(layout.Field):
    """crispy's Field, rendered through the project's field template unless it names another."""

    template = FIELD_TEMPLATE


def Col(*fields: str, width: int | str = "", **attrs) -> Field:  # noqa: N802 - reads like crispy's layout objects
    """Fields in a Bootstrap column of the row they are in (`width` of 12 from md up; none: share the row)."""
    return Field(*fields, wrapper_class=f"col-md-{width}" if width else "col-md", **attrs)


class Include(LayoutObject):
    """A template of the project's at this place of a layout, with the page's context and `form`."""

    def __init__(self, template: str, **extra) -> None:
        self.template = template
        self.extra = extra

    def render(self, form, context, template_pack=None, **kwargs) -> str:
        return render_to_string(self.template, {**context.flatten(), "form": form, **self.extra})
