import re
import uuid
from collections.abc import Callable

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.forms import DateField, TextChecksMixin
from agencies.statements import columns, rows_of, with_values
from agencies.templatetags.ocms_format import phone
from agencies.validators import ascii_digits
from clients.layout import Field, Include, Row, form_helper
from clients.models import Client
from clients.search import NumberFound, clients_matching, found_by_number, parse_query, whole_identifier

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
    "registration_date",
)
# The same, with the family code, the survivor of a merge and the telephone as stored, for the clients a search by
# number found (clients.search.found_by_number): one fixed statement read by a cursor, where through the ORM the query
# took longer to put together than to run, and a raw query longer to match its columns to fields than to read them
# (`make bench`, Find Client by phone and by identifier).
ROWS_BY_ID = (
    "SELECT {columns}, c.phone, f.code, m.code, m.number"
    " FROM clients_client c LEFT JOIN clients_family f ON f.id = c.family_id"
    " LEFT JOIN clients_client m ON m.id = c.merged_into_id"
    " WHERE c.agency_id = %s AND c.id IN ({values}){conditions}"
    " ORDER BY c.last_name, c.first_name, c.number LIMIT %s OFFSET %s"
)
ROWS_BY_ID_EXTRA = ("phone_text", "family_code", "survivor_code", "survivor_number")
# A date written with its year last (27/03/1946, 03-27-1946, 27.03.1946), which Find Client does not guess at.
DAY_OR_MONTH_FIRST = re.compile(r"(?<![\d/.-])\d{1,2}([/.-])\d{1,2}\1\d{4}(?![\d/.-])")
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
        if written := DAY_OR_MONTH_FIRST.search(text):
            # 27/03/1946 is day first in French and Canadian English, 03/27/1946 month first in American English:
            # read either way, one day in twelve would find the wrong people. Said, not searched as a name.
            self.add_error(
                "q",
                _("Type a date of birth year first, such as 1946-03-27: “%(typed)s” is read day first by some and "
                  "month first by others.") % {"typed": written.group()},
            )  # fmt: skip
            return cleaned
        if (
            len(text) >= 2
            and parse_query(text).is_empty
            and not whole_identifier(text)
            and not cleaned.get("date_of_birth")
        ):
            # Nothing in it to search by (punctuation alone, or a name in a script other than Latin letters, which
            # the names are searched in): said, rather than every client listed.
            self.add_error(
                "q",
                _(
                    "There is nothing to search by in this text. Type the name in Latin letters, as on the "
                    "client's documents, or a date of birth, telephone number, client number or identifier."
                ),
            )
        # A date of birth typed wrong has its own message: the search box may be empty beside it.
        if not cleaned.get("date_of_birth") and "date_of_birth" not in self.errors and len(text) < 2:
            self.add_error(
                "q",
                _(
                    "Type at least two characters: part of a name, a client number, a phone number, "
                    "an identifier or a date of birth."
                ),
            )
        return cleaned


def url_of_each(view_name: str) -> Callable[[uuid.UUID], str]:
    """reverse(view_name, kwargs={"code": code}) for many codes: the URL is reversed once, each code put in."""
    placeholder = str(uuid.UUID(int=0))
    pattern = reverse(view_name, kwargs={"code": placeholder})
    return lambda code: pattern.replace(placeholder, str(code))


def result_rows(clients: list[Client]) -> list[SafeString]:
    """The rows of the results table, put together here as the admin's change list puts its rows together: a page of
    twenty rows cost more to render cell by cell, through template filters and a URL reversed for each link, than
    the search took to find them (`make bench`)."""
    profile_url, dashboard_url = url_of_each("clients:client-detail"), url_of_each("clients:client-dashboard")
    profile, dashboard = gettext("Profile"), gettext("Dashboard")
    rows = []
    for client in clients:
        name = client.display_name
        if client.survivor_code:
            links = format_html(
                '<a href="{}">{}</a>',
                profile_url(uuid.UUID(str(client.survivor_code))),  # SQLite gives the raw statement's UUID as hex
                gettext("Merged into client %(number)s") % {"number": client.survivor_number},
            )
        else:
            links = format_html(
                '<a href="{}">{}<span class="visually-hidden"> {}</span></a>\n'
                '        · <a href="{}">{}<span class="visually-hidden"> {}</span></a>',
                profile_url(client.code),
                profile,
                name,
                dashboard_url(client.code),
                dashboard,
                name,
            )
        preferred = (
            format_html(' <span class="text-body-secondary">({})</span>', client.preferred_name)
            if client.preferred_name
            else ""
        )
        rows.append(
            format_html(
                "<tr>\n"
                "      <td>{}{}</td>\n"
                '      <td class="text-nowrap">{}</td>\n'
                "      <td>{}</td>\n"
                '      <td class="text-nowrap">{}</td>\n'
                '      <td class="text-nowrap">{}</td>\n'
                '      <td class="text-nowrap">{}</td>\n'
                '      <td class="text-nowrap">{}</td>\n'
                "    </tr>",
                name,
                preferred,
                client.date_of_birth.isoformat() if client.date_of_birth else "—",
                client.number,
                client.family_code or "—",
                phone(client.phone_text) or "—",
                client.registration_date.isoformat() if client.registration_date else "",
                links,
            )
        )
    return rows


def rows_by_id(found: NumberFound, *, agency, include_anonymous: bool, offset: int, limit: int) -> list[Client]:
    """The clients a search by number found, by name, as result_rows reads them: `limit` of them from `offset`."""
    if not found.ids:
        return []
    read = columns(Client, connection.alias, "c", ("id", *ROW_COLUMNS))
    statement = with_values(
        ROWS_BY_ID,
        len(found.ids),
        columns=read.sql,
        conditions=("" if include_anonymous else " AND NOT c.is_anonymous")
        + (" AND c.merged_into_id IS NULL" if found.live_only else ""),
    )
    return read.records(rows_of(statement, agency.pk, *found.ids, limit, offset), ROWS_BY_ID_EXTRA)


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
        search = {
            "agency": request.agency,
            "text": form.cleaned_data["q"],
            "birth_date": form.cleaned_data["date_of_birth"],
        }
        include_anonymous = form.cleaned_data["include_anonymous"]
        # One row more than a page tells whether there is a next page, without counting every match.
        offset, limit = (page - 1) * PAGE_SIZE, PAGE_SIZE + 1
        by_number = found_by_number(**search)
        if by_number is not None:
            rows = rows_by_id(
                by_number, agency=request.agency, include_anonymous=include_anonymous, offset=offset, limit=limit
            )
            if not rows and not include_anonymous:
                # The number of an anonymous client (printed on their card), left out: said, rather than "no client".
                left_out = rows_by_id(by_number, agency=request.agency, include_anonymous=True, offset=0, limit=1)
                context["anonymous_left_out"] = bool(left_out)
        else:
            results = (
                clients_matching(
                    **search,
                    include_anonymous=include_anonymous,
                    search_comments=form.cleaned_data["search_comments"],
                )
                .only(*ROW_COLUMNS)
                .annotate(
                    # The stored text: shown as it is dialled without being parsed into a PhoneNumber first.
                    phone_text=Cast("phone", TextField()),
                    family_code=F("family__code"),
                    survivor_code=F("merged_into__code"),
                    survivor_number=F("merged_into__number"),
                )
            )
            rows = list(results[offset : offset + limit])
        query = request.GET.copy()
        query.pop("page", None)
        context |= {
            "rows": result_rows(rows[:PAGE_SIZE]),
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "first_index": (page - 1) * PAGE_SIZE + 1,
            "last_index": (page - 1) * PAGE_SIZE + len(rows[:PAGE_SIZE]),
            "querystring": query.urlencode(),
        }
    return render(request, "clients/client_find.html", context)
