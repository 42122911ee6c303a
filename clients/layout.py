"""Form layouts (django-crispy-forms).

Every form of OCMS is laid out by a FormHelper on the form and rendered with `{% crispy form %}` inside the
page's own <form>, each field as the project writes it (field_html in clients/templatetags/ocms_forms.py), with the
green (OCMS) and yellow (iCARE) markers of the rules (clients/rules.py).
"""

from crispy_forms import layout
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, LayoutObject
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from clients.templatetags.ocms_forms import field_html

FIELD_TEMPLATE = "clients/_field.html"
FORM_TEMPLATE = "clients/_crispy_form.html"


def form_helper(*layout, template: str = FORM_TEMPLATE) -> FormHelper:
    """A helper for a form rendered inside a page's <form> (which holds the CSRF token and the buttons)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.include_media = False
    helper.field_template = FIELD_TEMPLATE
    helper.template = template
    # A field named alone is a Field too, so every field is rendered the same, fast way.
    helper.layout = Layout(*(Field(item) if isinstance(item, str) else item for item in layout))
    return helper


class Field(layout.Field):
    """crispy's Field, rendered as every field of OCMS is (clients.templatetags.ocms_forms.field_html) unless it names
    a template of its own.

    That template gets the bound field and its wrapper's class only, not a copy of the whole page's context
    for each field as crispy's own rendering makes: that copy made a wizard step a third slower.
    """

    template = FIELD_TEMPLATE

    def render(self, form, context, template_pack=None, **kwargs) -> SafeString:
        template = None if self.template == FIELD_TEMPLATE else get_template(self.template)
        html = []
        for name in self.fields:
            if hasattr(name, "render"):
                html.append(name.render(form, context, template_pack=template_pack, **kwargs))
                continue
            form.rendered_fields.add(name)
            if template is None:
                html.append(field_html(form[name], self.wrapper_class))
            else:
                html.append(template.render({"field": form[name], "wrapper_class": self.wrapper_class}))
        return SafeString("".join(html))


class Row(layout.Row):
    """crispy's Row (a Bootstrap row of columns), put together here rather than through a template of its own."""

    def render(self, form, context, template_pack=None, **kwargs) -> SafeString:
        inner = "".join(
            (item if hasattr(item, "render") else Field(item)).render(form, context, template_pack=template_pack)
            for item in self.fields
        )
        css = " ".join(filter(None, ("row", self.css_class)))
        return format_html('<div class="{}">{}</div>', css, mark_safe(inner))


def Col(*fields: str, width: int | str = "", **attrs) -> Field:  # noqa: N802 - reads like crispy's layout objects
    """Fields in a Bootstrap column of the row they are in (`width` of 12 from md up; none: share the row)."""
    return Field(*fields, wrapper_class=f"col-md-{width}" if width else "col-md", **attrs)


class Include(LayoutObject):
    """A template of the project's at this place of a layout, with the page's context and `form`."""

    def __init__(self, template: str, **extra) -> None:
        self.template = template
        self.extra = extra

    def render(self, form, context, template_pack=None, **kwargs) -> str:
        # Rendered in the page's own context, `form` and the extras pushed on it: not a flattened copy of it.
        with context.push(form=form, **self.extra):
            return get_template(self.template).template.render(context)
