"""The form renderer writes the commonest widgets in Python: the HTML must be Django's own, byte for byte."""

import re
from datetime import date

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.safestring import mark_safe

from agencies.forms import DateInput
from agencies.renderers import FormRenderer
from tests.factories import ClientFactory


class EveryWidgetForm(forms.Form):
    name = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"class": "form-control", "autofocus": True}))
    note = forms.CharField(required=False, widget=forms.TextInput(attrs={"data-off": False, "title": 'a "b" <c>'}))
    email = forms.EmailField(required=False)
    count = forms.IntegerField(required=False)
    amount = forms.DecimalField(required=False, localize=True)
    born = forms.DateField(required=False, widget=DateInput())
    phone = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput())
    agree = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    colour = forms.ChoiceField(
        choices=[("", "---------"), ("r", "Red & <b>bold</b>"), (3, 3000), ("safe", mark_safe("<i>Safe</i>"))]
    )
    grouped = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("Canada", [("on", "Ontario"), ("qc", "Québec")]), ("Elsewhere", [("x", "Other")])],
    )
    many = forms.MultipleChoiceField(required=False, choices=[("a", "A"), ("b", "B"), ("c", "C")])
    kind = forms.ChoiceField(required=False, widget=forms.RadioSelect, choices=[("y", "Yes"), ("n", "No")])
    text = forms.CharField(required=False, widget=forms.Textarea)


DATA = {
    "name": 'Zoë "O\'Brien" <script>',
    "note": "",
    "email": "a@b.ca",
    "count": "1234567",
    "amount": "1234.5",
    "born": "2020-02-03",
    "secret": "s<3",
    "hidden": "h&h",
    "agree": "on",
    "colour": "3",
    "grouped": "qc",
    "many": ["a", "c"],
    "kind": "n",
    "text": "line\n<b>",
}


def rendered(renderer, **kwargs) -> list[str]:
    form = EveryWidgetForm(renderer=renderer, **kwargs)
    choices = [choice.tag() for choice in form["kind"]] + [str(choice) for choice in form["kind"]]  # label wrapped
    return [str(form[name]) for name in form.fields] + choices


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"data": DATA},
        {"initial": {"born": date(1990, 1, 2), "count": 5, "many": ["b"], "agree": True}},
        {"data": DATA | {"count": "x", "colour": "nothing"}},  # invalid: the values typed are shown again
    ],
)
def test_every_widget_is_written_as_djangos_templates_write_it(kwargs, settings):
    settings.USE_THOUSAND_SEPARATOR = True

    assert rendered(FormRenderer(), **kwargs) == rendered(DjangoTemplates(), **kwargs)


class RowForm(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize(
    "data", [None, {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"}, {"form-TOTAL_FORMS": "x"}]
)
def test_management_forms_and_error_lists_are_written_as_djangos_templates_write_them(data):
    def written(renderer) -> list[str]:
        formset = forms.formset_factory(RowForm, renderer=renderer)(data)
        formset.is_valid()
        row = formset.forms[0] if formset.forms else RowForm(renderer=renderer)
        return [str(formset.management_form), str(formset.non_form_errors()), str(row.non_field_errors())]

    ours, djangos = written(FormRenderer()), written(DjangoTemplates())

    assert ours == djangos
    assert 'type="hidden" name="form-TOTAL_FORMS"' in ours[0]
    if data and data["form-TOTAL_FORMS"] == "x":  # a broken management form: Django's own templates write it
        assert "ManagementForm data is missing or has been tampered with" in ours[1]


def without_tokens(html: str) -> str:
    """The page less what differs on every request: CSRF tokens (masked anew) and the seconds the login has left."""
    return re.sub(r'\b[A-Za-z0-9]{64}\b|data-session-remaining="\d+"', "", html)


@pytest.mark.parametrize("page", ["anonymous", "find"])
def test_pages_are_the_same_with_djangos_renderer(page, caseworker, caseworker_client, settings):
    client = ClientFactory(registered_by=caseworker, phone="+14165550199")
    url = {
        "anonymous": reverse("registration:anonymous-register"),
        "find": reverse("clients:client-find") + f"?q={client.last_name}",
    }[page]

    ours = caseworker_client.get(url)
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    djangos = caseworker_client.get(url)

    assert ours.status_code == djangos.status_code == 200
    assert "<select" in ours.text or "<input" in ours.text
    assert without_tokens(ours.text) == without_tokens(djangos.text)
