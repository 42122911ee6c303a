"""{% crispy %} of clients/templatetags/ocms_crispy.py: the same page as django-crispy-forms' own tag for the helpers of
OCMS (layout, errors, included templates, formset rows), and crispy's own rendering for a helper that asks for more."""

import re

import pytest
from crispy_forms.helper import FormHelper
from django import forms
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from clients.layout import Field, Include, Row, form_helper
from clients.views.find import FindClientForm
from registration.forms.formsets import ROWS_TEMPLATE, RowFormSet, rows_helper


def rendered(library: str, tag: str, context: dict) -> str:
    template = Template(f"{{% load {library} %}}{tag}")
    html = template.render(RequestContext(RequestFactory().get("/"), context))
    return re.sub(r"\s+", " ", html).strip()


class NoteForm(forms.Form):
    note = forms.CharField(max_length=10)
    day = forms.DateField(required=False)

    helper = form_helper(Row(Field("note", wrapper_class="col-8"), Include("clients/_find_button.html")), "day")

    def clean(self):
        raise forms.ValidationError("A mistake of the whole form.")


class RowForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "—"), ("a", "A")], required=False)
    value = forms.CharField(required=False)


class Rows(forms.BaseFormSet):
    """A formset as the wizard's are rendered (registration/forms/formsets.py: RowFormSet)."""

    helper = rows_helper("kind", "value")
    add_label, row_legend = "Add row", "Row"
    empty_form_helper = RowFormSet.empty_form_helper


@pytest.mark.parametrize(
    ("tag", "context"),
    [
        ("{% crispy form %}", {"form": FindClientForm({"q": "x"})}),
        ("{% crispy form form.options_helper %}", {"form": FindClientForm({"q": "Haddad", "include_anonymous": "on"})}),
        ("{% crispy form %}", {"form": NoteForm({"note": "far too long a note", "day": "2026-02-30"})}),
        ("{% crispy form %}", {"form": NoteForm()}),
        (
            "{% crispy rows %}",
            {"rows": forms.formset_factory(RowForm, formset=Rows, extra=2, can_delete=True)(prefix="rows")},
        ),
    ],
)
def test_it_renders_what_crispys_own_tag_renders(tag, context):
    ours = rendered("ocms_crispy", tag, context)

    assert ours == rendered("crispy_forms_tags", tag, context)
    assert ours  # and something was rendered: the fields' labels at least
    assert re.search(r"<label|<input|<select", ours)


def test_the_rows_template_gets_the_formset():
    rows = forms.formset_factory(RowForm, formset=Rows, extra=1, can_delete=True)(prefix="rows")

    html = rendered("ocms_crispy", "{% crispy rows %}", {"rows": rows})

    assert Rows.helper.template == ROWS_TEMPLATE
    assert 'data-formset="rows"' in html and 'id="rows-empty"' in html and "Add row" in html


def test_a_helper_with_a_form_tag_is_rendered_by_crispys_own_tag():
    helper = FormHelper()
    helper.form_tag = True
    helper.form_action = "/somewhere/"
    form = FindClientForm()

    html = Template("{% load ocms_crispy %}{% crispy form helper %}").render(Context({"form": form, "helper": helper}))

    assert '<form action="/somewhere/"' in re.sub(r"\s+", " ", html)
    assert 'name="q"' in html
