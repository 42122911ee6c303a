"""{% crispy form [helper] %}: django-crispy-forms' tag, for the forms of OCMS, without what they never use.

Every helper of OCMS (clients.layout.form_helper) leaves out crispy's <form> tag, CSRF token and media, and names a
template of the project's that reads only the form or formset and its rendered layout. crispy's own tag still works
out the helper's attributes and makes two copies of the page's whole context for each form: on a wizard step of four
to seven forms that cost more than a tenth of the page (`make bench`). Here the helper renders its layout as crispy
does (FormHelper.render_layout), in the page's context, and its template is rendered in that context with the form
or formset pushed on it. A helper that asks for more (a <form> tag, or no template) goes to crispy's own tag.
"""

from crispy_forms.templatetags.crispy_forms_tags import do_uni_form
from django import template
from django.forms.formsets import BaseFormSet
from django.template.loader import get_template

register = template.Library()


class CrispyNode(template.Node):
    def __init__(self, crispy_node: template.Node, form: str, helper: str | None = None) -> None:
        self.crispy_node = crispy_node  # crispy's own, for a helper this one does not render
        self.form = template.Variable(form)
        self.helper = template.Variable(helper) if helper else None

    def render(self, context) -> str:
        form = self.form.resolve(context)
        helper = self.helper.resolve(context) if self.helper else getattr(form, "helper", None)
        if helper is None or helper.form_tag or not getattr(helper, "template", None):
            return self.crispy_node.render(context)
        is_formset = isinstance(form, BaseFormSet)
        if helper.layout:
            for each in form if is_formset else [form]:
                each.form_html = helper.render_layout(each, context)
        with context.push({"formset" if is_formset else "form": form, "is_bound": form.is_bound}):
            return get_template(helper.template).template.render(context)


@register.tag
def crispy(parser, token) -> CrispyNode:
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("Usage: {% crispy form [helper] %}")
    return CrispyNode(do_uni_form(parser, token), *bits[1:])
