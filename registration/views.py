from contextlib import suppress
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from agencies.forms import agency_list_items
from agencies.models import AgencyList, Site, SiteGroup
from agencies.renderers import escaped
from agencies.validators import field_id_or, field_name_or, has_control_characters, storable
from clients import versions
from clients.duplicates import identifier_held_elsewhere, likely_duplicates, saved_client_duplicates
from clients.models import Client, get_client_for
from clients.models.family import FAMILY_CODE_EXAMPLE, normalise_family_code
from clients.rules import IDENTIFIER_ALERT, Level, facts_with_children, unmet
from clients.sections import EDITABLE_SECTIONS, SectionName
from clients.views.sensitive import attempt_unlock, is_granted, refusal
from families.services import (
    family_first_member,
    family_member_prefill,
    family_of,
    family_reserve,
    relatives_of_new_member,
)
from families.views import FAMILY_CODE_ID, find_panel
from registration import forms as f
from registration import slots
from registration.models import Draft, draft_owned_or_404, get_draft_for
from registration.sealed import seal, unseal
from registration.services import (
    anonymous_client_register,
    client_register,
    client_section_update,
    draft_family_copy,
    draft_lock,
    registered_from,
)
from registration.steps import STEP_NAMES, STEPS, BoundStep, bind_step, facts_restored, step_named

# Posted with a step but not its input: the buttons, a password, the ticks of what to copy from a relative.
SKIPPED_POST_KEYS = {"csrfmiddlewaretoken", "go", "password", "copy", "copy_from"}
# The steps whose answers change later steps' rules (date checks, consent-dependent iCARE fields; at the Registration
# Summary, a minor's consent and the children's age groups on the Registration Date).
FACT_STEPS = (SectionName.PRIMARY, SectionName.IMMIGRATION, SectionName.CONSENT)
# The Sensitive step's Sensitive Information fields: sealed in the draft, never kept in its data.
SENSITIVE_STEP = SectionName.SENSITIVE
SENSITIVE_PREFIX = "sensitive-"


# What the step page posts, as it is typed, to keep its input in the draft without moving on.
AUTOSAVE = "autosave"


# What the error summary says of sealed Sensitive Information that no longer validates, without showing it.
LOCKED_SENSITIVE_ERROR = gettext_lazy(
    "Something in the Sensitive Information needs correcting before the client can be registered. Unlock it to see "
    "what."
)


def posted_data(request: HttpRequest) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """A step's input as posted, to keep in the draft whether it is valid or not: what may be kept as it is,
    and the Sensitive Information, which is only ever kept sealed."""
    kept, sensitive = {}, {}
    for key, values in request.POST.lists():
        if key in SKIPPED_POST_KEYS:
            continue
        (sensitive if key.startswith(SENSITIVE_PREFIX) else kept)[storable(key)] = [storable(v) for v in values]
    return kept, sensitive


def as_querydict(data: dict[str, list[str]] | None) -> QueryDict | None:
    if data is None:
        return None
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def draft_step_data(draft: Draft, step_name: str, *, unsealed: bool = False) -> QueryDict | None:
    """A step's stored input; with the sealed Sensitive Information when asked to (never shown unasked)."""
    stored = draft.data.get(step_name)
    if stored is None:
        return None
    if unsealed and step_name == SENSITIVE_STEP:
        stored = {**stored, **unseal(draft.sensitive_sealed)}
    return as_querydict(stored)


def draft_outcomes(request: HttpRequest, draft: Draft, steps=STEPS) -> tuple[dict[str, dict], dict]:
    """Each step of the draft that holds input, with its outcome as kept when it was posted (checked now when it
    was not kept, or was dropped since because an earlier step changed), and the facts of them all."""
    outcomes: dict[str, dict] = {}
    facts: dict = {}
    computed = False
    client = None  # made when a step must be checked again: most pages find every outcome kept
    for step in steps:
        if step.name not in draft.data:
            continue
        outcome = draft.checks.get(step.name)
        if outcome is None:
            client = client or Client(agency=request.agency, created_by=request.user)
            data = draft_step_data(draft, step.name, unsealed=True)
            section = bind_step(
                step.name, data, agency=request.agency, staff=request.staff, client=client, facts=dict(facts)
            )
            outcome = section.outcome()
            if step.name not in draft.checks:  # kept, until the step's input changes (not if only typed)
                draft.checks[step.name] = outcome
                computed = True
        outcomes[step.name] = outcome
        facts.update(facts_restored(outcome["facts"]))
    if computed:
        with suppress(Draft.NotUpdated):  # the outcomes are kept to spare the next page; a client now (no draft)
            draft.keep("checks")
    return outcomes, facts


def steps_done(outcomes: dict[str, dict]) -> set[str]:
    """The steps shown done, on the step pills and to Resume: given input, and valid."""
    return {name for name, outcome in outcomes.items() if outcome["valid"]}


def step_pills(current: str, done: set[str]) -> SafeString:
    """The wizard's step pills: the current step named, each other a button to it (Next's form, keeping what was
    typed), the steps done said so. Put together here rather than by the template, whose loop over the ten steps cost a
    tenth of a step's page (`make bench`)."""
    pills = []
    # Outside the f-string below: makemessages does not find a message inside one.
    done_word = escaped(_("done"))
    said_done = f'<span class="visually-hidden-inline">, {done_word}</span>'
    for number, step in enumerate(STEPS, start=1):
        label = f"{number}. {escaped(step.title)}"
        if step.name == current:
            pills.append(f'<li aria-current="step">{label}</li>')
            continue
        is_done = step.name in done
        said = said_done if is_done else ""
        pills.append(
            ('<li class="done">' if is_done else "<li>")
            + f'<button type="submit" form="step-form" name="go" value="{step.name}"'
            f' class="btn btn-link btn-sm p-0 text-reset text-decoration-none">{label}{said}</button></li>'
        )
    return mark_safe("\n    ".join(pills))


def resume_step(request: HttpRequest, draft: Draft):
    """Where Resume opens a draft: the first step not done (the pills' judgement), or the last."""
    done = steps_done(draft_outcomes(request, draft)[0])
    return next((step for step in STEPS if step.name not in done), STEPS[-1])


def may_change_registration_date(request: HttpRequest, client: Client) -> bool:
    """Only an Agency Coordinator (or manager) and the profile's creator may change a Registration Date."""
    return request.staff.is_coordinator or client.pk is None or client.created_by_id == request.user.pk


@login_required
def register_start(request: HttpRequest) -> HttpResponse:
    """Staff: choose the client type, or resume a registration in progress."""
    drafts = list(Draft.objects.of_user(request))
    for draft in drafts:
        draft.resume = resume_step(request, draft)
    return render(request, "registration/register_start.html", {"drafts": drafts})


@login_required
@require_POST
def draft_create(request: HttpRequest) -> HttpResponse:
    """Staff: begin registering a named client; from a relative's profile, a family member pre-filled."""
    draft = Draft(agency=request.agency, owner=request.user)
    if request.POST.get("relative"):
        relative = get_client_for(request, request.POST["relative"], is_anonymous=False)
        # The family is joined at once; what else to copy from the relative, the caseworker ticks next.
        draft.prefill = {SectionName.PRIMARY: {"family_code": family_of(client=relative).code}}
        draft.prefilled_from = relative
        draft.save()
        return redirect("registration:draft-family-copy", code=draft.code)
    draft.save()
    return redirect("registration:draft-step", code=draft.code, step=STEP_NAMES[0])


@login_required
@require_POST
def draft_clear(request: HttpRequest, code) -> HttpResponse:
    """The draft's owner: discard it (the page asked for confirmation)."""
    draft = get_draft_for(request, code)
    draft.delete()
    messages.info(request, _("The registration was cleared: nothing was saved."))
    return redirect("registration:register-start")


def identifiers_held_elsewhere(request: HttpRequest, section: BoundStep, exclude: Client | None = None) -> None:
    """On the page the caseworker goes on to: each client of the agency already holding an identifier value just
    typed (compared without spaces, hyphens or case), with a link to its profile. It never blocks."""
    candidates = likely_duplicates(agency=request.agency, identifiers=section.identifier_values(), exclude=exclude)
    for candidate in candidates:
        holder = candidate.client
        messages.warning(
            request,
            format_html(
                '{} — {} ({}, {}). <a href="{}" target="_blank" rel="noopener">{}</a>',
                capfirst(" · ".join(candidate.reasons)),
                holder.display_name,
                _("born %(date)s") % {"date": holder.date_of_birth.isoformat()} if holder.date_of_birth else "—",
                _("client %(number)s") % {"number": holder.number},
                reverse("clients:client-detail", kwargs={"code": holder.code}),
                _("Open profile (opens in a new tab)"),
            ),
        )


def family_offer(draft: Draft, relative: Client, typed: QueryDict | None = None, typed_step: str = "") -> list[dict]:
    """What the caseworker may copy from a relative into a draft, each ticked when the draft has nothing there yet
    (a field already filled in is only replaced when ticked). `typed`: the input of the step on screen."""
    rows = []
    for item in family_member_prefill(relative=relative):
        if typed is not None and item.step == typed_step:
            current = typed.get(item.name, "")
        elif item.step in draft.data:
            current = (draft.data[item.step].get(item.name) or [""])[0]
        else:
            current = draft.prefill.get(item.step, {}).get(item.name, "")
        filled = current not in ("", None, False)
        rows.append({"item": item, "filled": filled, "ticked": not filled})
    return rows


def register_blocked_by(section, *, seen: bool) -> str:
    """Why a step keeps its draft from being registered (its message, naming the step as %(step)s), or ""."""
    if not seen:
        return _("Fill in this step, or confirm it is empty with Next, before registering the client: %(step)s.")
    if not section.is_valid():
        return _("This step needs correcting before the client can be registered: %(step)s.")
    return ""


def family_urls(draft: Draft) -> dict[str, str]:
    """Where a draft's Family Code finds and selects a relative, and offers what to copy from it."""
    return {
        name: reverse(f"registration:draft-family-{name}", kwargs={"code": draft.code})
        for name in ("find", "select", "offer")
    }


def family_offer_context(draft: Draft, relative: Client, typed: QueryDict) -> dict:
    return {
        "relative": relative,
        "offer": family_offer(draft, relative, typed, SectionName.PRIMARY),
        "copy_url": reverse(
            "registration:draft-step-family-copy", kwargs={"code": draft.code, "step": SectionName.PRIMARY}
        ),
        "offer_url": family_urls(draft)["offer"],
    }


@login_required
@require_GET
def draft_family_find(request: HttpRequest, code) -> HttpResponse:
    """The draft's owner: Find on the Family Code, the agency's clients to join the family of."""
    draft = get_draft_for(request, code)
    urls = family_urls(draft)
    field_id = field_id_or(request.GET.get("field"), FAMILY_CODE_ID)
    return find_panel(
        request, request.GET.get("family_q", ""), field_id, find_url=urls["find"], select_url=urls["select"]
    )


@login_required
@require_POST
def draft_family_select(request: HttpRequest, code) -> HttpResponse:
    """The draft's owner: join the ticked relative's family, and see what may be copied from the relative."""
    draft = get_draft_for(request, code)
    urls = family_urls(draft)
    field_id = field_id_or(request.POST.get("field"), FAMILY_CODE_ID)
    if not request.POST.get("relative"):
        query = request.POST.get("family_q", "")
        return find_panel(request, query, field_id, error=True, find_url=urls["find"], select_url=urls["select"])
    relative = get_client_for(request, request.POST["relative"], is_anonymous=False)
    family = family_of(client=relative)
    context = {"code": family.code, "field_id": field_id, **family_offer_context(draft, relative, request.POST)}
    return render(request, "registration/_family_selected.html", context)


@login_required
@require_GET
def draft_family_offer(request: HttpRequest, code) -> HttpResponse:
    """The draft's owner: a family code typed is a family of the agency: what may be copied from its first member."""
    draft = get_draft_for(request, code)
    relative = family_first_member(
        agency=request.agency, code=normalise_family_code(request.GET.get("family_code", ""))
    )
    if relative is None:
        return render(request, "registration/_family_offer_panel.html", {})
    return render(request, "registration/_family_offer_panel.html", family_offer_context(draft, relative, request.GET))


def already_registered(request: HttpRequest, client: Client) -> HttpResponse:
    messages.info(request, _("Already registered as client %(number)s.") % {"number": client.number})
    return redirect("registration:next-steps", code=client.code)


class DraftStepView(LoginRequiredMixin, View):
    """The draft's owner: one step of the named-client wizard. Every POST is kept in the draft first.

    Not django-formtools' WizardView, for two reasons: it keeps a step only once the step is valid (OCMS keeps
    whatever was typed, valid or not, so nothing is lost), and it takes one form per step (a step here is several
    forms and formsets: registration/steps.py).
    """

    default_step = SENSITIVE_STEP  # for the views below that act on one step of the draft without naming it

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.draft = get_draft_for(request, kwargs["code"])
        except Http404:
            # Back, reload or a second Register after the draft became a client: that client, not an error.
            return self.draft_gone(kwargs["code"])
        self.step = step_named(kwargs.get("step") or self.default_step)
        if self.step is None:
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except Draft.NotUpdated:
            # The draft became a client (a second press of Register at the same moment) while this request was
            # under way, so there was no draft row left to keep its input in.
            return self.draft_gone(kwargs["code"])

    def draft_gone(self, code) -> HttpResponse:
        """The draft is no more: the client it became, or not found."""
        client = registered_from(agency=self.request.agency, code=code)
        if client is None:
            raise Http404
        return already_registered(self.request, client)

    def step_data(self, step_name: str, *, unsealed: bool = False) -> QueryDict | None:
        return draft_step_data(self.draft, step_name, unsealed=unsealed)

    def store_posted(self, *, typed: bool = False) -> None:
        """Keep the step's input in the draft, whatever it is: the Sensitive Information sealed. `typed`: kept as
        it was being typed, not posted to move on (the step shows no errors for it until it is)."""
        kept, sensitive = posted_data(self.request)
        self.draft.data[self.step.name] = kept
        fields = ["data", "step", "checks", "updated_at"]
        if self.step.name == SENSITIVE_STEP and sensitive and self.request.staff.may_unlock_sensitive:
            self.draft.sensitive_sealed = seal(sensitive)
            fields.append("sensitive_sealed")
        self.draft.step = self.step.name
        self.checks_drop(self.step.name)
        if typed:
            self.draft.checks[self.step.name] = None
        self.draft.keep(*fields)

    @property
    def only_typed(self) -> bool:
        """This step's input was kept as it was typed, and never posted since."""
        return self.step.name in self.draft.checks and self.draft.checks[self.step.name] is None

    @property
    def sensitive_locked(self) -> bool:
        """Sensitive Information was entered on this draft: shown again only after a password unlock, or as it
        was just posted by the one who typed it (the posted values replace the sealed ones)."""
        posted = self.request.method == "POST" and any(key.startswith(SENSITIVE_PREFIX) for key in self.request.POST)
        return self.step.name == SENSITIVE_STEP and bool(self.draft.sensitive_sealed) and not posted

    def new_client(self) -> Client:
        return Client(agency=self.request.agency, created_by=self.request.user)

    def section_of(self, step_name: str, data: QueryDict | None, client: Client, facts: dict):
        """A step's forms bound to this data, for the user's agency."""
        return bind_step(
            step_name, data, agency=self.request.agency, staff=self.request.staff, client=client, facts=facts
        )

    def sections_validated(self, client: Client) -> tuple[list, dict]:
        """Every step's forms bound to the draft, validated in order so later steps see earlier facts; with
        the facts they give together."""
        facts: dict = {}
        sections = []
        for step in STEPS:
            section = self.section_of(step.name, self.step_data(step.name, unsealed=True), client, dict(facts))
            section.is_valid()
            facts.update(section.facts())
            sections.append(section)
        return sections, facts

    def facts_before(self, step_name: str) -> dict:
        """What the earlier steps tell this one: the date of birth and the consent to research."""
        earlier = STEPS[: STEP_NAMES.index(step_name)]
        return self.outcomes([step for step in earlier if step.name in FACT_STEPS])[1]

    def current_section(self, data):
        section = self.section_of(self.step.name, data, self.new_client(), self.facts_before(self.step.name))
        copied = self.draft.prefill.get(self.step.name, {})
        for form in section.forms.values():
            form.copied = {name for name in copied if name in form.fields}
            if data is None:
                form.initial.update({name: value for name, value in copied.items() if name in form.fields})
        if self.step.name == SectionName.PRIMARY:
            # Find, Select Family and a family code typed offer what to copy from the relative.
            urls = family_urls(self.draft)
            primary = section.forms["primary"]
            primary.family_find_url, primary.family_offer_url = urls["find"], urls["offer"]
        return section

    def get(self, request: HttpRequest, code, step: str) -> HttpResponse:
        # Checked with the sealed values, so that a mistake in them is reported; the page shows them only unlocked.
        stored = self.step_data(self.step.name, unsealed=True)
        section = self.current_section(stored)
        if stored is not None and self.only_typed:
            section.quiet()
        elif stored is not None:
            section.is_valid()
        return self.render_step(section)

    def post(self, request: HttpRequest, code, step: str) -> HttpResponse:
        go = request.POST.get("go", "next")
        self.store_posted(typed=go == AUTOSAVE)
        if go == AUTOSAVE:  # the page keeps what is being typed (static/js/ocms.js): kept, not checked
            return HttpResponse(status=204)
        index = STEP_NAMES.index(self.step.name)
        if go == "back":
            return redirect("registration:draft-step", code=self.draft.code, step=STEP_NAMES[max(index - 1, 0)])
        if go in STEP_NAMES:
            return redirect("registration:draft-step", code=self.draft.code, step=go)
        section = self.current_section(self.step_data(self.step.name, unsealed=True))
        self.draft.checks[self.step.name] = section.outcome()
        self.draft.keep("checks")
        if not section.is_valid():
            return self.render_step(section, status=200)
        if self.step.name == SectionName.PRIVACY and section.forms["privacy"].cleaned_data["privacy_confirmed"] == "no":
            return render(request, "registration/privacy_declined.html", {"draft": self.draft, "step": self.step})
        if self.step.name == STEP_NAMES[-1]:  # Next on the last step (Enter in a field) is Register
            return self.register()
        if self.step.name == SectionName.IDENTIFICATION:
            identifiers_held_elsewhere(request, section)
        return redirect("registration:draft-step", code=self.draft.code, step=STEP_NAMES[index + 1])

    def checks_drop(self, step_name: str) -> None:
        """A step's input changed: its kept outcome is stale, and so are the later steps' when it tells
        them something."""
        self.draft.checks.pop(step_name, None)
        if step_name in FACT_STEPS:
            for later in STEP_NAMES[STEP_NAMES.index(step_name) + 1 :]:
                self.draft.checks.pop(later, None)

    def outcomes(self, steps) -> tuple[dict[str, dict], dict]:
        return draft_outcomes(self.request, self.draft, steps)

    def register(self) -> HttpResponse:
        client = self.new_client()
        sections, facts = self.sections_validated(client)
        # The steps, in the wizard's order, that keep the client from being registered: one never seen, or one with
        # a mistake. The caseworker goes to the first, told of the others too: not found one Register at a time.
        blocking = [
            (section.step, message)
            for section in sections
            if (message := register_blocked_by(section, seen=section.step.name in self.draft.data))
        ]
        if blocking:
            step, message = blocking[0]
            messages.error(self.request, message % {"step": step.title})
            if later := [str(other.title) for other, _message in blocking[1:]]:
                messages.info(self.request, _("Still to do after it: %(steps)s.") % {"steps": "; ".join(later)})
            return redirect("registration:draft-step", code=self.draft.code, step=step.name)
        blocking = unmet(facts, Level.OCMS)
        if blocking:
            # A green rule the steps could not see alone (e.g. a privacy answer of No, reached by a step link).
            messages.error(self.request, blocking[0].error)
            return redirect("registration:draft-step", code=self.draft.code, step=blocking[0].step)
        missing = unmet(facts, Level.ICARE)
        with transaction.atomic():
            draft = draft_lock(self.draft)
            if draft is None:  # registered by another press of Register meanwhile
                registered = registered_from(agency=self.request.agency, code=self.draft.code)
                if registered is None:
                    raise Http404
                return already_registered(self.request, registered)
            client = client_register(staff=self.request.staff, client=client, sections=sections, draft=draft)
        messages.success(
            self.request,
            _("%(name)s is registered with client number %(number)s.")
            % {"name": client.display_name, "number": client.number},
        )
        # The alert the help article promises on Save; whatever else iCARE still needs, Next Steps' iCARE status
        # lists (said again here, it was the same list twice on one page).
        if any(rule.key == "identifiers" for rule in missing):
            messages.warning(self.request, IDENTIFIER_ALERT)
        return redirect("registration:next-steps", code=client.code)

    def render_step(self, section, status: int = 200, **extra) -> HttpResponse:
        if not extra.get("sensitive_unlocked"):
            # Whatever else the page shows (a mistake on the step, a refused unlock), sealed values stay hidden.
            extra.setdefault("sensitive_locked", self.sensitive_locked)
        context = {
            **extra,
            "draft": self.draft,
            "step": self.step,
            "steps": STEPS,
            "step_index": STEP_NAMES.index(self.step.name),
            "section": section,
            "is_last": self.step.name == STEP_NAMES[-1],
            "step_pills": step_pills(self.step.name, steps_done(self.outcomes(STEPS)[0])),
            "summary": section,
        }
        locked = section.forms.get("sensitive_info") if extra.get("sensitive_locked") else None
        if locked is not None:
            # The error summary names no sealed field: it says only that the locked part needs correcting.
            context["summary"] = SimpleNamespace(parts=[part for part in section.parts if part is not locked])
            if locked.errors and not extra.get("refusal"):
                context["refusal"] = LOCKED_SENSITIVE_ERROR
        if self.step.name == SectionName.IDENTIFICATION and section.formsets["identifiers"].is_bound:
            section.formsets["identifiers"].is_valid()
            context["candidates"] = likely_duplicates(
                agency=self.request.agency, identifiers=section.identifier_values()
            )
        if self.step.name == SectionName.SUMMARY:
            context.update(self.summary_context(section))
        return render(self.request, "registration/step.html", context, status=status)

    def summary_context(self, summary) -> dict:
        outcomes, facts = self.outcomes(STEPS[:-1])
        facts |= summary.facts()
        return {
            "icare_missing": unmet(facts, Level.ICARE),
            "steps_with_errors": [step_named(name) for name, outcome in outcomes.items() if not outcome["valid"]],
            "steps_not_visited": [step for step in STEPS[:-1] if step.name not in self.draft.data],
            "candidates": likely_duplicates(
                agency=self.request.agency,
                first_name=facts.get("first_name") or "",
                last_name=facts.get("last_name") or "",
                date_of_birth=facts.get("date_of_birth"),
                identifiers=outcomes.get(SectionName.IDENTIFICATION, {}).get("identifiers", []),
                phones=[facts[key] for key in ("phone", "phone_alt1", "phone_alt2") if facts.get(key)],
                emails=[facts["email"]] if facts.get("email") else [],
                relatives=relatives_of_new_member(
                    agency=self.request.agency,
                    family_code=facts.get("family_code") or "",
                    relative=self.draft.prefilled_from,
                ),
            ),
            "identifier_alert": IDENTIFIER_ALERT,
        }


class DraftSensitiveUnlockView(DraftStepView):
    """The draft's owner, if granted: see again the Sensitive Information typed on the draft, with their password.

    What else was typed on the step is kept first; the attempt is logged like an unlock on a profile.
    """

    http_method_names = ["post"]

    @method_decorator(sensitive_post_parameters("password"))
    def post(self, request: HttpRequest, code) -> HttpResponse:
        self.store_posted()
        attempt = attempt_unlock(request, draft_code=self.draft.code)
        granted = is_granted(attempt)
        section = self.current_section(self.step_data(self.step.name, unsealed=granted))
        section.is_valid()
        if granted:
            return self.render_step(section, sensitive_unlocked=True)
        message, status = refusal(attempt)
        return self.render_step(section, status=status, sensitive_locked=True, refusal=message)


class DraftFamilyCopyView(DraftStepView):
    """The draft's owner: copy what they tick of a relative's values into the draft. After Register Another Family
    Member (a page of its own, before the wizard's first step), or on the step where a family was joined with Find
    or its code: that step's input is kept first, and the caseworker comes back to it."""

    default_step = SectionName.PRIMARY

    def get(self, request: HttpRequest, code, step: str | None = None) -> HttpResponse:
        if step is not None:  # a step posts its ticks; it has no page of its own
            return HttpResponseNotAllowed(["POST"])
        relative = self.draft.prefilled_from
        if relative is None:  # nothing to copy from (any more): the registration itself
            return redirect("registration:draft-step", code=self.draft.code, step=STEP_NAMES[0])
        return render(
            request,
            "registration/family_copy.html",
            {
                "draft": self.draft,
                "relative": relative,
                "offer": family_offer(self.draft, relative),
                "copy_url": reverse("registration:draft-family-copy", kwargs={"code": self.draft.code}),
                "skip_url": reverse("registration:draft-step", kwargs={"code": self.draft.code, "step": STEP_NAMES[0]}),
            },
        )

    def post(self, request: HttpRequest, code, step: str | None = None) -> HttpResponse:
        if step is not None:
            self.store_posted(typed=True)
        if request.POST.get("copy_from"):
            relative = get_client_for(request, request.POST["copy_from"], is_anonymous=False)
            draft_family_copy(draft=self.draft, relative=relative, chosen=set(request.POST.getlist("copy")))
            messages.success(
                request,
                _("The ticked values of %(name)s are copied: check them on each step.")
                % {"name": relative.display_name},
            )
        return redirect("registration:draft-step", code=self.draft.code, step=step or STEP_NAMES[0])


@login_required
def anonymous_register(request: HttpRequest) -> HttpResponse:
    """Staff: register an anonymous client (information, orientation or a referral only)."""
    client = Client(agency=request.agency, created_by=request.user, is_anonymous=True)
    form = f.AnonymousForm(request.POST or None, instance=client, agency=request.agency, staff=request.staff)
    if request.method == "POST" and form.is_valid():
        client = anonymous_client_register(staff=request.staff, client=form.instance)
        messages.success(
            request, _("The anonymous client is registered with client number %(number)s.") % {"number": client.number}
        )
        return redirect("registration:next-steps", code=client.code)
    return render(request, "registration/anonymous.html", {"form": form})


@login_required
def next_steps(request: HttpRequest, code) -> HttpResponse:
    """Staff: what to do after registering a client."""
    client = get_client_for(request, code)
    return render(
        request,
        "registration/next_steps.html",
        {"client": client, "family": client.relatives(), "next_steps_actions": slots.NEXT_STEPS_ACTIONS},
    )


# What each of the three identifiers iCARE accepts is, for the caseworker looking for it on the client's papers.
ICARE_IDENTIFIER_HELP = {
    "FOSS/GCMS Client ID": gettext_lazy(
        "IRCC's Unique Client Identifier (UCI): 8 digits (often written 0000-0000) or 10 digits (00-0000-0000), "
        "found on the documents IRCC issued to the client (visa, permit, confirmation of permanent residence, PR card)."
    ),
    "Temporary Resident or Minister’s Permit Number": gettext_lazy(
        "The number of the client's Temporary Resident Permit or Minister's Permit, as printed on the permit."
    ),
    "IMM5292, IMM5509, IMM1000 Number": gettext_lazy(
        "The number of the client's landing document: a Confirmation of Permanent Residence (IMM5292), or an "
        "earlier form (IMM5509, or the IMM1000 Record of Landing)."
    ),
}


@login_required
@require_GET
def help_identifiers(request: HttpRequest) -> HttpResponse:
    """Client Identifier Descriptions: each identifier type of the agency, and the three iCARE accepts."""
    types = agency_list_items(request.agency, AgencyList.IDENTIFIER_TYPE).select_related("icare_value")
    rows = [(kind, kind.icare_value_id and ICARE_IDENTIFIER_HELP.get(kind.icare_value.value)) for kind in types]
    return render(request, "registration/help/identifiers.html", {"rows": rows})


@login_required
@require_GET
def help_family_code(request: HttpRequest) -> HttpResponse:
    """Family Code help: what a family code is, and how New and Find work."""
    return render(request, "registration/help/family_code.html", {"example": FAMILY_CODE_EXAMPLE})


@login_required
@require_GET
def identifiers_held(request: HttpRequest, code=None) -> HttpResponse:
    """Staff: the clients of the agency already holding an identifier value being typed on the Identification
    step (compared without spaces, hyphens or case), as it is typed; on a profile edit, other than the client."""
    client = get_client_for(request, code) if code else Client(agency=request.agency)
    section = bind_step(
        SectionName.IDENTIFICATION, request.GET, agency=request.agency, staff=request.staff, client=client
    )
    section.formsets["identifiers"].is_valid()
    candidates = likely_duplicates(
        agency=request.agency, identifiers=section.identifier_values(), exclude=client if client.pk else None
    )
    return render(request, "registration/_duplicates.html", {"candidates": candidates, "live": True})


@login_required
@require_GET
def draft_duplicates(request: HttpRequest, code) -> HttpResponse:
    """The draft's owner: existing clients like the one being typed (name and date of birth), as it is typed."""
    draft_owned_or_404(request, code)
    form = f.DuplicateCheckForm(request.GET)
    candidates = []
    if form.is_valid() and form.cleaned_data["first_name"] and form.cleaned_data["last_name"]:
        candidates = likely_duplicates(agency=request.agency, **form.cleaned_data)
    return render(request, "registration/_duplicates.html", {"candidates": candidates, "live": True})


@login_required
@require_GET
def family_code_generate(request: HttpRequest) -> HttpResponse:
    """Staff: a fresh family code for the New button, reserved for the agency as it is handed out."""
    return render(
        request,
        "registration/_family_code_input.html",
        {
            "field_id": field_id_or(request.GET.get("field"), "id_family_code"),
            "name": field_name_or(request.GET.get("name"), "family_code"),
            "code": family_reserve(agency=request.agency).code,
        },
    )


@login_required
@require_GET
def site_search(request: HttpRequest) -> HttpResponse:
    """Staff: the agency's registration sites whose name has the typed words, or all of a group."""
    sites = Site.objects.for_agency(request.agency).filter(is_active=True).select_related("group")
    query = request.GET.get("q", "").strip()
    refused = has_control_characters(query)
    for word in [] if refused else query.split():
        sites = sites.filter(Q(name__icontains=word) | Q(name_fr__icontains=word))
    groups = SiteGroup.objects.for_agency(request.agency).order_by("name")
    return render(
        request,
        "registration/_site_results.html",
        {
            "sites": sites.none() if refused else sites.order_by("group__name", "name")[:50],
            "groups": groups,
            "query": "" if refused else query,
            "refused": refused,
        },
    )


@login_required
def section_edit(request: HttpRequest, code, section: str) -> HttpResponse:
    """Staff of the client's agency: edit one section of a saved named profile with the wizard's forms."""
    client = get_client_for(request, code)
    if client.is_anonymous or section not in EDITABLE_SECTIONS:
        raise Http404
    if request.method != "POST":
        return section_edit_page(request, client, section, bound_section(request, client, section, None))
    # The section is read again, compared with the version the page was opened on and saved while the client's row
    # is locked: of two saves sent at once, the second waits for the first and then sees its change. The lock lets
    # rows that point at the client (an unlock attempt, a session) be written meanwhile: FOR NO KEY UPDATE.
    with transaction.atomic():
        client = get_client_for(request, code, queryset=Client.objects.select_for_update(of=("self",), no_key=True))
        if (
            section == SectionName.SUMMARY
            and not may_change_registration_date(request, client)
            and "registration_date" in request.POST
            and request.POST["registration_date"] != client.registration_date.isoformat()
        ):
            raise PermissionDenied
        saved = bound_section(request, client, section, None)
        current = versions.section_parts(saved)
        opened = versions.opened_fingerprints(request.POST, client=client, section=section)
        # A post that does not say which version it was opened on (a page from before versions, a form rebuilt by
        # hand) is not applied blindly either: every part it would change is shown, as if someone else had.
        changes = versions.changes_since(opened or {}, current, request.POST, saved)
        bound = bound_section(request, client, section, versions.bound_data(request.POST, current, changes))
        if not changes and bound.is_valid():
            client_section_update(client=client, section=bound)
            if versions.section_parts(bound_section(request, client, section, None)) == current:
                messages.info(request, _("Nothing was changed: the section is as it was."))
            else:
                messages.success(request, _("The profile is updated."))
            if section == SectionName.IDENTIFICATION:
                identifiers_held_elsewhere(request, bound, exclude=client)
            return redirect(edit_return(request) or profile_section_url(client, section))
    return section_edit_page(
        request, client, section, bound, current=current, changes=changes, unknown_version=opened is None
    )


def profile_section_url(client: Client, section: str) -> str:
    return reverse("clients:client-detail", kwargs={"code": client.code}) + f"#section-{section}"


def edit_return(request: HttpRequest) -> str:
    """Where an edit opened from another page (the iCARE check's "Fix in …", with its choice of clients) goes back to
    on Update or Cancel: that page of OCMS, named by `back` (the form posts to its own address, `back` and all);
    nothing for an address elsewhere."""
    back = request.GET.get("back", "")
    is_local = back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return back if is_local else ""


def bound_section(request: HttpRequest, client: Client, section: str, data) -> BoundStep:
    """A section of a saved profile with the wizard's forms, bound to `data` (None: as saved)."""
    return bind_step(
        section,
        data,
        agency=request.agency,
        staff=request.staff,
        client=client,
        facts=facts_with_children(client),
        may_change_date=may_change_registration_date(request, client),
    )


def last_saved(client: Client, section: BoundStep):
    """The latest change-history record of a section's data: the client's own fields, or one of its rows (an
    identifier, a language) saved without the client's row changing."""
    records = [client.history.select_related("history_user").first()]
    for formset in section.formsets.values():
        model = getattr(formset, "model", None)
        if hasattr(model, "history"):
            records.append(model.history.filter(client_id=client.pk).select_related("history_user").first())
    return max((record for record in records if record), key=lambda record: record.history_date, default=None)


def section_edit_page(
    request: HttpRequest,
    client: Client,
    section: str,
    bound: BoundStep,
    *,
    current: dict | None = None,
    changes: list[versions.Change] | None = None,
    unknown_version: bool = False,
) -> HttpResponse:
    """The edit page, carrying the version of the section it shows (`current`: as saved now)."""
    current = current if current is not None else versions.section_parts(bound)
    context = {
        "client": client,
        "section": bound,
        "step": step_named(section),
        "opened_version": versions.version_token(current, client=client, section=section),
        "changes": changes,
        "unknown_version": unknown_version,
        "changed_by": last_saved(client, bound) if changes else None,
        "cancel_url": edit_return(request) or profile_section_url(client, section),
    }
    if section == SectionName.SUMMARY:
        # The reason for registering despite a possible duplicate can be given whenever there is one to give.
        context["candidates"] = saved_client_duplicates(client)
        context["offer_reason"] = bool(
            context["candidates"] or client.duplicate_reason or identifier_held_elsewhere(client)
        )
    return render(request, "registration/section_edit.html", context)
