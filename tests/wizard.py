"""The tests' shared wizard driver: the named-client wizard walked with the Django test client, posting what its
pages post."""

import html
import uuid
from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.test import Client as TestClient
from django.test.html import Element, parse_html
from django.urls import resolve, reverse
from django.utils import timezone

from agencies.models import AgencyList, IcareList, IcareValue, ListItem, StaffProfile
from clients.models import Client
from clients.rules import RULES
from registration.steps import STEP_NAMES
from tests.factories import icare_value, list_item

# What a caseworker types for a client with only the green (OCMS) fields.
FIRST_NAME = "Amara"
LAST_NAME = "Okafor"
DATE_OF_BIRTH = "1990-04-12"
POSTAL_CODE = "M5V 2T6"

# What a step shows beside a field a rule refuses, by the rule's key (clients/rules.py).
RULE_ERRORS = {rule.key: str(rule.error) for rule in RULES}
# The same, as a section edit of a registered client says them.
RULE_ERRORS_EDITING = {rule.key: str(rule.error_when_editing) for rule in RULES}

Overrides = Mapping[str, Mapping[str, str | list[str] | None]]


def gender(agency, label: str = "Female") -> ListItem:
    return list_item(agency, AgencyList.GENDER, label)


def identifier_type(agency, label: str) -> ListItem:
    return list_item(agency, AgencyList.IDENTIFIER_TYPE, label)


def foss_id_type(agency) -> ListItem:
    return identifier_type(agency, "FOSS/GCMS Client ID")


def relationship(agency, label: str = "Mother") -> ListItem:
    return list_item(agency, AgencyList.RELATIONSHIP, label)


def official_language(value: str = "English") -> IcareValue:
    return icare_value(IcareList.OFFICIAL_LANGUAGE, value)


def province(value: str = "Ontario") -> IcareValue:
    return IcareValue.objects.of(IcareList.PROVINCE).get(value__startswith=value)


def programs_of(agency) -> list:
    return list(agency.programs.filter(is_active=True).order_by("name"))


def program_rows(agency, column: str, values: Mapping[str, str] | None = None) -> dict[str, str]:
    """The Agency Program Table as posted: one row per active program, `values` by program name."""
    values = values or {}
    programs = programs_of(agency)
    data = management("programs", total=len(programs), initial=len(programs))
    for index, program in enumerate(programs):
        data[f"programs-{index}-program"] = str(program.code)
        data[f"programs-{index}-{column}"] = values.get(program.name, "new" if column == "status" else "")
    return data


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def identifier_rows(*rows: tuple[ListItem, str | None]) -> dict[str, str]:
    """Identification Documents' identifiers as posted, a row per (type, value); a value None is not posted."""
    data = {"identifiers-TOTAL_FORMS": str(len(rows))}
    for index, (kind, value) in enumerate(rows):
        data[f"identifiers-{index}-identifier_type"] = str(kind.pk)
        if value is not None:
            data[f"identifiers-{index}-value"] = value
    return data


def contact_person(kind: str, **values: str) -> dict[str, str]:
    """One tab of Emergency Contact & Consent (guardian, consenter or emergency)."""
    return {f"{kind}-{field}": values.get(field, "") for field in ("name", "relationship", "phone", "email")}


def step_defaults(step: str, *, staff: StaffProfile) -> dict[str, str | list[str]]:
    """What each page posts when the caseworker fills in only the green fields."""
    agency = staff.agency
    if step == "privacy":
        return {"privacy_confirmed": "yes"}
    if step == "primary":
        return {
            "first_name": FIRST_NAME,
            "last_name": LAST_NAME,
            "gender": str(gender(agency).pk),
            "preferred_name": "",
            "date_of_birth": DATE_OF_BIRTH,
            "marital_status": "",
            "family_code": "",
            "official_language": "",
        }
    if step == "immigration":
        return {
            "landing_date": "",
            "arrival_date": "",
            "reentry_date": "",
            "initial_destination": "",
            "country_of_origin": "",
            "last_residence": "",
            "immigration_class": "",
            "immigration_status": "",
            "aboriginal_status": "",
            "immigration_card_type": "",
            "research_consent": "unknown",
            "contact_consent": "unknown",
            "picture_consent": "unknown",
        }
    if step == "identification":
        return {
            **management("identifiers", total=1),
            "identifiers-0-identifier_type": "",
            "identifiers-0-value": "",
            "first_visit_date": "",
            **program_rows(agency, "status"),
        }
    if step == "contact":
        return {
            "email": "",
            "phone": "",
            "phone_alt1": "",
            "phone_alt2": "",
            "street_number": "",
            "street_name": "",
            "street_type": "",
            "street_direction": "",
            "unit": "",
            "city": "",
            "province": "",
            "country": "CA",
            "postal_code": POSTAL_CODE,
        }
    if step == "employment":
        return {
            "employment_status": "",
            "current_profession": "",
            "desired_profession": "",
            "professional_background": "",
            "education_level": "",
            **management("certificates", total=0),
        }
    if step == "language":
        return {
            **management("languages", total=1),
            "languages-0-language": "",
            "languages-0-comments": "",
            "languages-0-listening": "",
            "languages-0-speaking": "",
            "languages-0-reading": "",
            "languages-0-writing": "",
            "housing_status": "",
        }
    if step == "sensitive":
        return {
            "sensitive-health_insurance_status": "",
            "sensitive-illnesses": "",
            "sensitive-family_income": "",
            "volunteer_status": "",
            "volunteer_stream": "",
            "volunteer_type": "",
            **program_rows(agency, "volunteer_status"),
        }
    if step == "consent":
        return {
            "consent_required": "unknown",
            **contact_person("guardian"),
            **contact_person("consenter"),
            **contact_person("emergency"),
            **management("children", total=0),
        }
    if step == "summary":
        return {
            "primary_worker": str(staff.pk),
            "registration_date": timezone.localdate().isoformat(),
            "registration_site": str(staff.default_site.code),
            "comments": "",
        }
    raise ValueError(f"unknown step {step!r}")


def step_data(step: str, *, staff: StaffProfile, overrides: Overrides | None = None) -> dict:
    """A step's POST: the defaults with this step's overrides (None removes a field)."""
    data = step_defaults(step, staff=staff)
    for key, value in (overrides or {}).get(step, {}).items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def step_url(code, step: str) -> str:
    return reverse("registration:draft-step", kwargs={"code": code, "step": step})


def draft_start(client: TestClient) -> uuid.UUID:
    """Press "Named Client": a new draft, on its first step."""
    response = client.post(reverse("registration:draft-create"))
    match = redirect_match(response)
    assert (match.view_name, match.kwargs["step"]) == ("registration:draft-step", STEP_NAMES[0]), response.url
    return match.kwargs["code"]


def step_post(client: TestClient, code, step: str, data: Mapping, go: str = "next") -> HttpResponse:
    return client.post(step_url(code, step), {**data, "go": go})


def walk(
    client: TestClient,
    staff: StaffProfile,
    overrides: Overrides | None = None,
    *,
    code: uuid.UUID | None = None,
    start: str | None = None,
    until: str | None = None,
    register: bool = True,
) -> tuple[uuid.UUID, HttpResponse]:
    """Walk a draft through the steps with Next, then press Register on the summary.

    Begins at `start` (default: the first step); stops at the first step that does not move on to the
    next one (and returns its response), after posting `until` when given, or before Register when
    `register` is false.
    """
    code = code or draft_start(client)
    response = None
    first = STEP_NAMES.index(start) if start else 0
    for index, step in enumerate(STEP_NAMES):
        if index < first:
            continue
        is_last = index == len(STEP_NAMES) - 1
        if is_last and not register:
            break
        go = "register" if is_last else "next"
        response = step_post(client, code, step, step_data(step, staff=staff, overrides=overrides), go)
        if is_last or step == until:
            break
        if response.status_code != 302 or response.url != step_url(code, STEP_NAMES[index + 1]):
            break
    return code, response


def redirect_match(response: HttpResponse):
    """Where a redirect leads, resolved to its route (`view_name`, `kwargs`)."""
    assert response.status_code == 302, response
    return resolve(urlsplit(response.url).path)


def registered_client(response: HttpResponse) -> Client:
    """The client a Register response sent the caseworker to the Next Steps page for."""
    match = redirect_match(response)
    assert match.view_name == "registration:next-steps", response.url
    return Client.objects.get(code=match.kwargs["code"])


def page_after(client: TestClient, response: HttpResponse) -> HttpResponse:
    """The page a redirect leads to, as the browser shows it next: with the messages left for it."""
    assert response.status_code == 302, response
    return client.get(response.url)


MESSAGE_STYLE = {
    "success": ("alert-success", "status"),
    "info": ("alert-info", "status"),
    "warning": ("alert-warning", "alert"),
    "error": ("alert-danger", "alert"),
}


def message_html(message, level: str = "success") -> str:
    """A message as the page shows it (templates/_messages.html), to find with assertContains(..., html=True)."""
    css, role = MESSAGE_STYLE[level]
    focused = ' tabindex="-1" data-message-error' if level == "error" else ""  # focused as the page opens
    return f'<div class="alert {css}" role="{role}"{focused}>{html.escape(str(message))}</div>'


def login_url(next_url: str) -> str:
    """Where a visitor who is not logged in is sent from `next_url`."""
    return f"{reverse('login')}?next={next_url}"


def text(response: HttpResponse) -> str:
    """The page as a reader sees its text: entities decoded."""
    return html.unescape(response.content.decode())


def form_errors(response: HttpResponse, name: str | None = None) -> dict[str, list[str]]:
    """What a form the page was rendered with refused, field by field: the step's (or profile section's) form
    `name`, or the page's only form when no name is given."""
    form = response.context["section"].forms[name] if name else response.context["form"]
    return {field: list(messages) for field, messages in form.errors.items()}


def row_errors(response: HttpResponse, formset: str, index: int) -> dict[str, list[str]]:
    """What one row of a step's formset refused, field by field."""
    form = response.context["section"].formsets[formset].forms[index]
    return {field: list(messages) for field, messages in form.errors.items()}


# The page's markup, read as assertContains(..., html=True) reads it (django.test.html): attributes in any order,
# entities decoded, whitespace collapsed.


def elements(response: HttpResponse, tag: str, **attributes: str | None) -> list[Element]:
    """The page's <tag> elements, in page order, that have these attributes (`class_` for class, `for_` for for,
    `data_x` for data-x): with this value, with at least these classes, or with any value when None."""
    wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attributes.items()}
    return [
        element
        for element in descendants(parse_html(response.content.decode()))
        if element.name == tag and has_attributes(element, wanted)
    ]


def descendants(element: Element) -> Iterator[Element]:
    """The element and every element inside it, in page order."""
    yield element
    for child in element.children:
        if not isinstance(child, str):
            yield from descendants(child)


def has_attributes(element: Element, wanted: Mapping[str, str | None]) -> bool:
    present = dict(element.attributes)
    for name, value in wanted.items():
        if name not in present:
            return False
        if name == "class" and value is not None:
            if not set(value.split()) <= set((present[name] or "").split()):
                return False
        elif value is not None and present[name] != value:
            return False
    return True


def element_text(element: Element) -> str:
    """The text inside an element, its children's included."""
    return "".join(child if isinstance(child, str) else element_text(child) for child in element.children)


def field_attributes(response: HttpResponse, name: str) -> dict[str, str | None]:
    """The attributes of the <input>, <select> or <textarea> posted as `name` (a boolean attribute such as
    disabled has the value None)."""
    for tag in ("input", "select", "textarea"):
        found = elements(response, tag, name=name)
        if found:
            return dict(found[0].attributes)
    raise AssertionError(f"no field named {name}")


def field_errors(response: HttpResponse, field_id: str) -> list[str]:
    """The messages shown right under the field with this id: the one element its input is described by, a line
    (a <div>) of it each when there are several."""
    boxes = elements(response, "div", id=f"{field_id}_error", class_="invalid-feedback d-block")
    assert len(boxes) <= 1, f"{len(boxes)} elements have the id {field_id}_error"
    messages = []
    for box in boxes:
        lines = [child for child in box.children if not isinstance(child, str) and child.name == "div"]
        messages += [element_text(line) for line in lines] or [element_text(box)]
    return messages


def input_value(response: HttpResponse, name: str) -> str | None:
    """The value an <input name=...> shows, or None when there is no such input with a value."""
    found = elements(response, "input", name=name)
    return dict(found[0].attributes).get("value") if found else None


def textarea_value(response: HttpResponse, name: str) -> str | None:
    """The text a <textarea name=...> shows (whitespace collapsed), or None when there is no such textarea."""
    found = elements(response, "textarea", name=name)
    return element_text(found[0]) if found else None


def selected_value(response: HttpResponse, name: str) -> str | None:
    """The selected option of <select name=...>."""
    found = elements(response, "select", name=name)
    if not found:
        return None
    options = [element for element in descendants(found[0]) if element.name == "option"]
    selected = [option for option in options if has_attributes(option, {"selected": None})]
    return dict(selected[0].attributes).get("value") if selected else None


def field_marker(response: HttpResponse, field_id: str) -> str | None:
    """The text marker shown beside a field's label: "Required", "Required for iCARE", or None."""
    labels = elements(response, "label", class_="form-label", for_=field_id)
    assert labels, f"no label for {field_id}"
    for span in descendants(labels[0]):
        if span.name == "span" and (
            has_attributes(span, {"class": "marker marker-ocms"})
            or has_attributes(span, {"class": "marker marker-icare"})
        ):
            return None if "hidden" in dict(span.attributes) else element_text(span)
    return None


def icare_badge_html(client: Client, labels: list[str]) -> str:
    """The iCARE badge of a client who misses these (templates/clients/_icare_badge.html): each a link to the edit of
    its section."""
    steps = {str(rule.label): rule.step for rule in RULES}
    links = ", ".join(
        f'<a class="icare-fix" href="{reverse("registration:section-edit", args=[client.code, steps[label]])}">'
        f"{html.escape(label)}</a>"
        for label in labels
    )
    return (
        '<div class="badge badge-icare-missing text-wrap text-start fs-6 fw-normal" role="status">'
        f"<strong>Not ready for iCARE</strong> — missing: {links}</div>"
    )
