"""Possible duplicates: the review queue, a pair side by side, "Different people", the merge and its undo.

A pair, a merge and a scan are looked up in the request's agency first (another agency's answer 404), then the
role is checked: coordinators and managers review, merge and undo; any caseworker may flag a pair.
"""

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agencies.access import get_for_agency, require_coordinator
from agencies.forms import TextChecksMixin
from agencies.jobs import JobStatus
from agencies.models import labelled, user_display_name
from agencies.validators import ascii_digits
from clients.forms import FlagForm
from clients.history import (
    EMPTY,
    VALUES_HIDDEN,
    kept_later_labels,
    label_of,
    merge_changes,
    moved_since_titles,
    part_title,
    removed_titles,
    shown,
    value_shown,
)
from clients.layout import Col, form_helper
from clients.merge import (
    OTHER,
    SURVIVOR,
    MergePlan,
    clients_merge,
    default_choice,
    holds_a_value,
    is_blank,
    merge_plan,
    merge_problems,
    merge_undo,
    merged_fields,
)
from clients.merge import value_of as row_value
from clients.models import (
    Client,
    ClientMerge,
    DuplicatePair,
    DuplicateScan,
    PairReason,
    PairStatus,
    SensitiveInfo,
    get_profile_client_for,
)
from clients.scan import pair_decide_different, pair_raise
from clients.sections import SECTION_BY_NAME, SectionName
from clients.tasks import duplicate_scan_request
from clients.views.profile import client_profile

QUEUE_PAGE = 50
# Where each section's fields begin in the client model (its fields are in the help article's order).
SECTION_STARTS = {
    "first_name": SectionName.PRIMARY,
    "landing_date": SectionName.IMMIGRATION,
    "first_visit_date": SectionName.IDENTIFICATION,
    "email": SectionName.CONTACT,
    "employment_status": SectionName.EMPLOYMENT,
    "housing_status": SectionName.LANGUAGE,
    "volunteer_status": SectionName.SENSITIVE,
    "consent_required": SectionName.CONSENT,
    "primary_worker": SectionName.SUMMARY,
}


def get_pair_for(request: HttpRequest, code) -> DuplicatePair:
    pairs = DuplicatePair.objects.select_related("first", "second", "flagged_by")
    return get_for_agency(request, DuplicatePair, queryset=pairs, code=code)


# The queue ----------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        required=False,
        choices=[("", gettext_lazy("Any reason")), *PairReason.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=PairStatus.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    helper = form_helper(Col("reason"), Col("status"))


@login_required
@require_GET
def duplicate_queue(request: HttpRequest) -> HttpResponse:
    """Coordinators and managers: the pairs that may be one person, highest score first, filterable by reason."""
    require_coordinator(request)
    scan = DuplicateScan.objects.for_agency(request.agency).first()
    merges = ClientMerge.objects.for_agency(request.agency).select_related("survivor", "merged", "by")[:10]
    return render(request, "clients/duplicate_queue.html", {**queue_listed(request), "scan": scan, "merges": merges})


def queue_listed(request: HttpRequest) -> dict:
    """The queue's filters, as asked, and the page of pairs they give."""
    form = QueueFilterForm(request.GET or None)
    reason, status = "", PairStatus.OPEN
    if form.is_valid():
        reason, status = form.cleaned_data["reason"], form.cleaned_data["status"] or PairStatus.OPEN
    pairs = (
        DuplicatePair.objects.for_agency(request.agency)
        .filter(status=status)
        .select_related("first", "second")
        .order_by("-score", "-found_at", "pk")
    )
    if status != PairStatus.MERGED:
        pairs = pairs.filter(first__merged_into=None, second__merged_into=None)
    if reason:
        pairs = pairs.filter(reasons__contains=[reason])
    page = Paginator(pairs, QUEUE_PAGE).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "status": status}


@login_required
@require_POST
def duplicate_scan_start(request: HttpRequest) -> HttpResponse:
    """Coordinators and managers: scan the agency for possible duplicates now (the worker does it)."""
    require_coordinator(request)
    duplicate_scan_request(agency=request.agency, by=request.user, language=request.LANGUAGE_CODE)
    messages.info(request, _("The scan for possible duplicates has started: this page shows when it is done."))
    return redirect("clients:duplicate-queue")


@login_required
@require_GET
def duplicate_scan_progress(request: HttpRequest, code) -> HttpResponse:
    """Coordinators and managers: how far the scan is (the queue page asks every second while it runs, with its
    filters). Once it is done, the list of pairs those filters give comes with it, in place of the page's: the page
    is not reloaded under the reviewer, whose focus and filters stay where they were."""
    scan = get_for_agency(request, DuplicateScan, code=code)
    require_coordinator(request)
    context = {"scan": scan}
    if scan.status == JobStatus.DONE:
        context |= queue_listed(request) | {"oob": True}
    return render(request, "clients/_duplicate_scan_progress.html", context)


# A pair side by side ------------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    first: str
    second: str
    name: str = ""

    @property
    def differs(self) -> bool:
        return self.first != self.second


@dataclass
class Block:
    title: str
    lines: list[Line]


def rows_shown(client: Client) -> dict[str, str]:
    """Each client's rows of a kind, as one line each."""
    return {
        "identifiers": "; ".join(str(row) for row in client.identifiers.select_related("identifier_type")),
        "languages": "; ".join(str(row) for row in client.languages.select_related("language")),
        "certificates": "; ".join(str(row) for row in client.certificates.all()),
        "programs": "; ".join(str(row) for row in client.program_statuses.select_related("program")),
        "contacts": "; ".join(str(row) for row in client.consent_contacts.all()),
        "children": "; ".join(str(row) for row in client.children.all()),
        "referral_sources": "; ".join(str(row) for row in client.referral_sources.all()),
    }


# The rows of each kind, under the section that holds them.
ROW_LINES = {
    SectionName.IDENTIFICATION: (("identifiers", gettext_lazy("Identification Documents")),),
    SectionName.EMPLOYMENT: (("certificates", gettext_lazy("Academic Certificates")),),
    SectionName.LANGUAGE: (("languages", gettext_lazy("Client Language Related")),),
    SectionName.CONSENT: (
        ("contacts", gettext_lazy("Emergency Contact & Consent")),
        ("children", gettext_lazy("Children between Infant and School Age")),
        ("referral_sources", gettext_lazy("Learned about Program")),
    ),
    SectionName.SUMMARY: (("programs", gettext_lazy("Agency Program Table")),),
}


def value_of(client: Client, field) -> str:
    value = getattr(client, field.name)
    return shown(Client, field.name, value if field.is_relation else field.value_from_object(client))


def sensitive_held(client: Client) -> bool:
    """Whether the client has Sensitive Information recorded, told without showing it: a registration whose
    Sensitive step was left blank saves a row of blanks, which records nothing."""
    row = SensitiveInfo.objects.filter(client=client).first()
    return row is not None and holds_a_value(row)


def side_by_side(first: Client, second: Client) -> list[Block]:
    """Every section and field of both clients, in the profile's order, each section closed by the rows of its
    kinds. Sensitive Information says only whether each side has some."""
    rows = rows_shown(first), rows_shown(second)
    blocks: list[Block] = []
    sections: list[SectionName] = []

    def close() -> None:
        for key, label in ROW_LINES.get(sections[-1], ()):
            blocks[-1].lines.append(Line(str(label), rows[0][key] or EMPTY, rows[1][key] or EMPTY))

    for field in merged_fields():
        if field.name in SECTION_STARTS:
            if sections:
                close()
            sections.append(SECTION_STARTS[field.name])
            blocks.append(Block(" · ".join(map(str, SECTION_BY_NAME[sections[-1]].headings)), []))
            if sections[-1] == SectionName.SENSITIVE:
                has = [_("Yes") if sensitive_held(c) else _("No") for c in (first, second)]
                blocks[-1].lines.append(Line(_("Has Sensitive Information"), *has, name="sensitive"))
        if blocks:
            label = capfirst(str(field.verbose_name))
            blocks[-1].lines.append(Line(label, value_of(first, field), value_of(second, field), field.name))
    close()
    return blocks


def counts_of(client: Client) -> dict[str, int]:
    """What each profile holds, counted. OCMS keeps no stored document (receipts and cards are printed from the
    profile when asked): the documents a client has are its identification documents and academic certificates."""
    counted = (
        Client.objects.filter(pk=client.pk)
        .annotate(
            sessions_n=Count("sessions", distinct=True),
            matches_n=Count("mentor_matches", distinct=True),
            icare_n=Count("icare_rows", distinct=True),
            identifiers_n=Count("identifiers", distinct=True),
            certificates_n=Count("certificates", distinct=True),
        )
        .values("sessions_n", "matches_n", "icare_n", "identifiers_n", "certificates_n")[0]
    )
    family = len(client.relatives())
    return {
        "sessions": counted["sessions_n"],
        "matches": counted["matches_n"],
        "icare_rows": counted["icare_n"],
        "identifiers": counted["identifiers_n"],
        "certificates": counted["certificates_n"],
        "family": family,
    }


class DifferentForm(TextChecksMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why they are different people"),
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        help_text=gettext_lazy("For example: twins; father and son with one name; the identifier was mistyped."),
    )
    helper = form_helper("note")


@login_required
@require_GET
def duplicate_pair(request: HttpRequest, code) -> HttpResponse:
    """Coordinators and managers: the two clients side by side, differences marked, with what each holds."""
    pair = get_pair_for(request, code)
    require_coordinator(request)
    return pair_page(request, pair, DifferentForm())


def pair_page(request: HttpRequest, pair: DuplicatePair, form: DifferentForm, status: int = 200) -> HttpResponse:
    first, second = pair.first, pair.second
    for client in (first, second):
        client.sensitive_held = sensitive_held(client)
    # The merges, not undone, that made a pointer of either client: this pair's, or another pair's, which takes the
    # client out of this one.
    merges = ClientMerge.objects.filter(merged__in=[first, second], undone_at=None).select_related(
        "survivor", "merged", "by"
    )
    return render(
        request,
        "clients/duplicate_pair.html",
        {
            "pair": pair,
            "first": first,
            "second": second,
            "merges": list(merges),
            "blocks": side_by_side(first, second),
            "counts": (counts_of(first), counts_of(second)),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def duplicate_different(request: HttpRequest, code) -> HttpResponse:
    """Coordinators and managers: "Different people", with why; the pair is not offered again unless one of them
    changes a compared field."""
    pair = get_pair_for(request, code)
    require_coordinator(request)
    form = DifferentForm(request.POST)
    if not form.is_valid():
        return pair_page(request, pair, form, status=422)
    # Decided by another page meanwhile (merged, or recorded as different people): told, nothing recorded over it.
    if not pair.is_mergeable:
        messages.error(request, _("These clients were merged while the page was open: nothing was recorded."))
        return redirect("clients:duplicate-pair", code=pair.code)
    if pair.status == PairStatus.DIFFERENT:
        messages.info(request, decided_meanwhile(pair))
        return redirect("clients:duplicate-pair", code=pair.code)
    pair_decide_different(pair=pair, by=request.user, note=form.cleaned_data["note"])
    messages.success(
        request,
        _("Clients %(first)s and %(second)s are recorded as different people.")
        % {"first": pair.first.number, "second": pair.second.number},
    )
    return redirect("clients:duplicate-queue")


def decided_meanwhile(pair: DuplicatePair) -> str:
    """What another reviewer decided on the pair while this page was open."""
    return _("While this page was open, %(who)s recorded these clients as different people: “%(note)s”.") % {
        "who": user_display_name(pair.decided_by),
        "note": pair.decision_note,
    }


# The merge ----------------------------------------------------------------------------------------


def side_label(value: str, number: int) -> str:
    return _("%(value)s (client %(number)s)") % {"value": value, "number": number}


def hidden_side_label(value, number: int) -> str:
    """A value of Sensitive Information as a choice: whether the side has one, never what it is."""
    if is_blank(value):
        return _("Blank on client %(number)s") % {"number": number}
    return _("Filled in on client %(number)s (not shown)") % {"number": number}


class MergeForm(forms.Form):
    """Which profile survives, and for each value both sides fill differently, which one it keeps: the client's own
    fields, and the values of each part both hold once (a contact of one kind, a program, Sensitive Information)."""

    def __init__(self, *args, plan: MergePlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        survivor, other = plan.survivor, plan.other
        names = []
        for field in merged_fields():
            mine, theirs = value_of(survivor, field), value_of(other, field)
            if mine == theirs or theirs == EMPTY:
                continue
            self.fields[field.name] = self.choice(
                capfirst(str(field.verbose_name)),
                side_label(mine, survivor.number),
                side_label(theirs, other.number),
                default_choice(field, survivor, other),
            )
            names.append(field.name)
        for clash in plan.clashes:
            model = clash.relation.model
            title = part_title(model, clash.mine)
            for field in clash.fields():
                mine, theirs = row_value(clash.mine, field), row_value(clash.theirs, field)
                label = labelled(title, capfirst(str(field.verbose_name)))
                if model in VALUES_HIDDEN:  # offered whenever the other has one, alike or not: nothing is told
                    if is_blank(theirs):
                        continue
                    labels = hidden_side_label(mine, survivor.number), hidden_side_label(theirs, other.number)
                else:
                    shown_mine, shown_theirs = (value_shown(model, field.name, v) for v in (mine, theirs))
                    if shown_mine == shown_theirs or is_blank(theirs):
                        continue
                    labels = side_label(shown_mine, survivor.number), side_label(shown_theirs, other.number)
                name = clash.choice_name(field)
                self.fields[name] = self.choice(label, *labels, clash.sides[field.name])
                names.append(name)
        self.helper = form_helper(*names)

    @staticmethod
    def choice(label: str, mine: str, theirs: str, initial: str) -> forms.ChoiceField:
        return forms.ChoiceField(
            label=label,
            choices=[(SURVIVOR, mine), (OTHER, theirs)],
            initial=initial,
            required=False,  # a field not answered keeps its default
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        )

    def clean(self) -> dict:
        """The client the chosen values make must pass every rule a section edit checks: each clash is told beside
        the choice that makes it."""
        cleaned = super().clean()
        choices = {name: side for name, side in cleaned.items() if side}
        self.plan = merge_plan(survivor=self.plan.survivor, other=self.plan.other, choices=choices)
        for name, message in merge_problems(self.plan):
            self.add_error(name if name in self.fields else None, message)
        return cleaned


def merge_sides(request: HttpRequest, pair: DuplicatePair) -> tuple[Client, Client]:
    """The survivor the reviewer picked (`keep`: its client number; the first registered by default), and the
    other."""
    keep = request.POST.get("keep") or request.GET.get("keep") or ""
    if ascii_digits(keep) and int(keep) == pair.second.number:
        return pair.second, pair.first
    return pair.first, pair.second


@login_required
def duplicate_merge(request: HttpRequest, code) -> HttpResponse:
    """Coordinators and managers: merge the pair into the profile they keep, choosing value by value."""
    pair = get_pair_for(request, code)
    require_coordinator(request)
    survivor, other = merge_sides(request, pair)
    if not pair.is_mergeable:
        messages.warning(request, _("These clients are already merged."))
        return redirect("clients:duplicate-pair", code=pair.code)
    plan = merge_plan(survivor=survivor, other=other)
    form = MergeForm(request.POST if request.method == "POST" and "merge" in request.POST else None, plan=plan)
    # Recorded as different people since this page was shown: said, and merged only if Merge is pressed again.
    decided = form.is_bound and request.POST.get("seen") != pair.seen and pair.status == PairStatus.DIFFERENT
    if decided:
        messages.warning(request, decided_meanwhile(pair) + " " + _("To merge them all the same, press Merge again."))
    elif form.is_bound and form.is_valid():
        try:
            merge = clients_merge(survivor=survivor, other=other, by=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("clients:duplicate-pair", code=pair.code)
        messages.success(
            request,
            _("Client %(other)s is merged into client %(survivor)s.")
            % {"other": other.number, "survivor": survivor.number},
        )
        return redirect("clients:merge-detail", code=merge.code)
    return render(
        request,
        "clients/duplicate_merge.html",
        {
            "pair": pair,
            "survivor": survivor,
            "other": other,
            "form": form,
            "moves": [(part_title(relation.model), len(pks)) for relation, pks in plan.moves]
            # A part held once of which the kept profile holds nothing (a Sensitive Information of blanks): the
            # other's values fill it, as if its row moved.
            + [(part_title(c.relation.model), 1) for c in plan.clashes if c.holds(c.theirs) and not c.holds(c.mine)],
            "clashes": [
                part_title(c.relation.model, c.mine) for c in plan.clashes if c.holds(c.mine) and c.holds(c.theirs)
            ],
            "links": links_shown(plan.links),
        },
        status=409 if decided else 422 if form.is_bound else 200,
    )


def links_shown(links: dict[str, list[int]]) -> list[tuple[str, str]]:
    """The links a merge adds to the survivor (Learned about Program), as (label, values)."""
    return [(label_of(Client, name), value_shown(Client, name, ids)) for name, ids in links.items()]


@login_required
@require_GET
def merge_detail(request: HttpRequest, code) -> HttpResponse:
    """Coordinators and managers: what a merge changed, with its Undo."""
    merge = get_for_agency(
        request, ClientMerge, queryset=ClientMerge.objects.select_related("survivor", "merged", "by", "undone_by"),
        code=code,
    )  # fmt: skip
    require_coordinator(request)
    moved_edited, moved_removed = moved_since_titles(merge)
    return render(
        request,
        "clients/merge_detail.html",
        {
            "merge": merge,
            "changed": merge_changes(merge),
            "moves": [(part_title(apps.get_model(label)), len(pks)) for label, _attname, pks in merge.moved],
            "resolved": removed_titles(merge),
            "links": links_shown(merge.links_added),
            "kept_later": kept_later_labels(merge),
            "moved_edited": moved_edited,
            "moved_removed": moved_removed,
        },
    )


@login_required
@require_POST
def merge_undo_view(request: HttpRequest, code) -> HttpResponse:
    """Coordinators and managers: undo a merge; both clients are as they were before it, but for what was edited
    on the kept profile since (kept, and named)."""
    merge = get_for_agency(request, ClientMerge, queryset=ClientMerge.objects.select_related("survivor", "merged"),
                           code=code)  # fmt: skip
    require_coordinator(request)
    try:
        merge = merge_undo(merge=merge, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clients:merge-detail", code=merge.code)
    messages.success(
        request,
        _("The merge is undone: clients %(survivor)s and %(other)s are two profiles again.")
        % {"survivor": merge.survivor.number, "other": merge.merged.number},
    )
    numbers = {"survivor": merge.survivor.number, "other": merge.merged.number}
    kept = kept_later_labels(merge)
    if kept:
        messages.warning(
            request,
            _("Edited on client %(number)s after the merge, so kept as they are now: %(fields)s.")
            % {"number": merge.survivor.number, "fields": "; ".join(kept)},
        )
    edited, removed = moved_since_titles(merge)
    if edited:
        told = _(
            "Edited on client %(survivor)s after the merge, so back on client %(other)s with their later values: "
            "%(rows)s."
        )
        messages.warning(request, told % (numbers | {"rows": "; ".join(edited)}))
    if removed:
        told = _("Removed from client %(survivor)s after the merge, so not put back on client %(other)s: %(rows)s.")
        messages.warning(request, told % (numbers | {"rows": "; ".join(removed)}))
    return redirect("clients:client-detail", code=merge.merged.code)


# Flagging, by any caseworker -----------------------------------------------------------------------


@login_required
@require_POST
def duplicate_flag(request: HttpRequest, code) -> HttpResponse:
    """Staff of the client's agency: flag another profile as possibly the same person, for a coordinator."""
    client = get_profile_client_for(request, code)
    form = FlagForm(request.POST, client=client)
    if not form.is_valid():
        return client_profile(request, client, status=422, flag_form=form)
    other = form.cleaned_data["number"]
    pair_raise(agency=request.agency, a=client, b=other, reason=PairReason.FLAGGED, by=request.user)
    messages.success(
        request,
        _("Clients %(first)s and %(second)s are flagged as a possible duplicate for a coordinator to review.")
        % {"first": client.number, "second": other.number},
    )
    return redirect("clients:client-detail", code=client.code)
