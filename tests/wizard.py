"""The tests' shared wizard driver: the named-client wizard walked with the Django test client, posting what its
pages post."""

import html
import re
import uuid
from collections.abc import Mapping
from datetime import date

from django.http import HttpResponse
from django.test import Client as TestClient
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyList, IcareList, IcareValue, ListItem, StaffProfile
from clients.models import Client
from registration.steps import STEP_NAMES

# What a caseworker types for a client with only the green (OCMS) fields.
FIRST_NAME = "Amara"
LAST_NAME = "Okafor"
DATE_OF_BIRTH = "1990-04-12"
POSTAL_CODE = "M5V 2T6"

Overrides = Mapping[str, Mapping[str, str | list[str] | None]]


def list_item(agency, list_name: str, label: str) -> ListItem:
    return ListItem.objects.get(agency=agency, list=list_name, label=label)


def icare_value(list_name: str, value: str) -> IcareValue:
    return IcareValue.objects.get(list=list_name, value=value)


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
    data = {
        "programs-TOTAL_FORMS": str(len(programs)),
        "programs-INITIAL_FORMS": str(len(programs)),
        "programs-MIN_NUM_FORMS": "0",
        "programs-MAX_NUM_FORMS": "1000",
    }
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
    assert response.status_code == 302, response
    match = re.search(r"/register/draft/([0-9a-f-]{36})/privacy/$", response.url)
    assert match, response.url
    return uuid.UUID(match.group(1))


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


def registered_client(response: HttpResponse) -> Client:
    """The client a Register response sent the caseworker to the Next Steps page for."""
    assert response.status_code == 302, response
    match = re.search(r"/register/done/([0-9a-f-]{36})/$", response.url)
    assert match, response.url
    return Client.objects.get(code=match.group(1))


def text(response: HttpResponse) -> str:
    """The page as a reader sees its text: entities decoded."""
    return html.unescape(response.content.decode())


def field_errors(response: HttpResponse, field_id: str) -> list[str]:
    """The messages shown right under the field with this id."""
    content = response.content.decode()
    return [
        html.unescape(m)
        for m in re.findall(rf'<div class="invalid-feedback d-block" id="{field_id}_error">(.*?)</div>', content)
    ]


def input_value(response: HttpResponse, name: str) -> str | None:
    """The value an <input name=...> shows, or None when there is no such input with a value."""
    content = response.content.decode()
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', content)
    if not tag:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None


def field_marker(response: HttpResponse, field_id: str) -> str | None:
    """The text marker shown beside a field's label: "Required", "Required for iCARE", or None."""
    content = response.content.decode()
    label = re.search(rf'<label class="form-label" for="{re.escape(field_id)}">(.*?)</label>', content, re.S)
    assert label, f"no label for {field_id}"
    marker = re.search(r'<span class="marker marker-(?:ocms|icare)"([^>]*)>(.*?)</span>', label.group(1))
    return marker.group(2) if marker and "hidden" not in marker.group(1) else None


def selected_value(response: HttpResponse, name: str) -> str | None:
    """The selected option of <select name=...>."""
    content = response.content.decode()
    select = re.search(rf'<select[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</select>', content, re.S)
    if not select:
        return None
    option = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(1))
    return html.unescape(option.group(1)) if option else None


def saved_client(staff: StaffProfile, **fields) -> Client:
    """A named client saved straight to the database, as if registered by `staff`."""
    agency = staff.agency
    values = {
        "first_name": FIRST_NAME,
        "last_name": LAST_NAME,
        "gender": gender(agency),
        "date_of_birth": date.fromisoformat(DATE_OF_BIRTH),
        "postal_code": "M5V2T6",
        "privacy_confirmed": True,
        "primary_worker": staff,
        "registration_site": staff.default_site,
        **fields,
    }
    return Client.objects.create(
        agency=agency, created_by=staff.user, number=Client.objects.for_agency(agency).next_number(), **values
    )
