from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from agencies.forms import DateField, TextChecksMixin
from agencies.validators import ascii_digits
from clients.layout import Field, Include, Row, form_helper
from clients.search import client_search

PAGE_SIZE = 20
# What a row of the results shows: only these columns are read (a client has some sixty).
ROW_COLUMNS = (
    "code",
    "number",
    "is_anonymous",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "phone",
    "registration_date",
    "family__code",
    "merged_into__code",
    "merged_into__number",
)
# No one pages further than this: a page number past it (past what the database can count) is this page.
MAX_PAGE = 10_000


class FindClientForm(TextChecksMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_(
            "A name, date of birth (YYYY-MM-DD), client number, identifier, telephone number, email, "
            "postal code or family code."
        ),
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search", "autofocus": True}),
    )
    date_of_birth = DateField(label=_("Date of Birth"), required=False)
    search_comments = forms.BooleanField(
        label=_("Also search the registration comments"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    include_anonymous = forms.BooleanField(
        label=_("Include anonymous clients"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    helper = form_helper(
        Row(
            Field("q", wrapper_class="col-lg-7"),
            Field("date_of_birth", wrapper_class="col-lg-3"),
            Include("clients/_find_button.html"),
            css_class="g-2 align-items-start",
        )
    )
    options_helper = form_helper("search_comments", "include_anonymous")

    def clean(self) -> dict:
        cleaned = super().clean()
        text = (cleaned.get("q") or "").strip()
        if not cleaned.get("date_of_birth") and len(text) < 2:
            self.add_error(
                "q",
                _(
                    "Type at least two characters: part of a name, a client number, a phone number, "
                    "an identifier or a date of birth."
                ),
            )
        return cleaned


def page_number(text: str) -> int:
    """The page asked for: ASCII digits, at most MAX_PAGE; anything else is the first page."""
    return min(int(text), MAX_PAGE) if ascii_digits(text) and len(text) <= 7 and int(text) >= 1 else 1


@login_required
def client_find(request: HttpRequest) -> HttpResponse:
    """Staff: search the agency's clients."""
    form = FindClientForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_bound and form.is_valid():
        page = page_number(request.GET.get("page", ""))
        results = (
            client_search(
                agency=request.agency,
                text=form.cleaned_data["q"],
                include_anonymous=form.cleaned_data["include_anonymous"],
                search_comments=form.cleaned_data["search_comments"],
                birth_date=form.cleaned_data["date_of_birth"],
            )
            .select_related("family", "merged_into")
            .only(*ROW_COLUMNS)
        )
        # One row more than a page tells whether there is a next page, without counting every match.
        rows = list(results[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
        query = request.GET.copy()
        query.pop("page", None)
        context |= {
            "clients": rows[:PAGE_SIZE],
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "first_index": (page - 1) * PAGE_SIZE + 1,
            "last_index": (page - 1) * PAGE_SIZE + len(rows[:PAGE_SIZE]),
            "querystring": query.urlencode(),
        }
    return render(request, "clients/client_find.html", context)
