"""What a request may bring (ocms/settings.py, README "Request and upload limits"): the largest real form, a wizard
step with every row it can hold, fits in DATA_UPLOAD_MAX_NUMBER_FIELDS; a request with more fields gets OCMS's own
page saying so, and stores nothing."""

import pytest
from django.conf import settings
from pytest_django.asserts import assertContains, assertTemplateUsed

from agencies.models import Program
from registration.forms.formsets import MAX_PROGRAMS, MAX_ROWS
from registration.models import Draft
from registration.steps import STEP_BY_NAME, STEP_NAMES
from tests.factories import ProgramFactory
from tests.registration.edit_pages import fields_sent
from tests.wizard import descendants, draft_start, elements, step_data, step_url

pytestmark = pytest.mark.django_db

TOO_MUCH = "This form sent more than OCMS takes"


def fullest_post(page) -> list[tuple[str, str]]:
    """Everything the step's form can send at the most: every box ticked, every option of a list that takes many,
    one value of each other field, and the button pressed."""
    form = next(form for form in elements(page, "form") if dict(form.attributes).get("id") == "step-form")
    sent: list[tuple[str, str]] = [("go", "next")]
    radios = set()
    for element in fields_sent(form):
        attributes = dict(element.attributes)
        name = attributes.get("name")
        if not name or "disabled" in attributes or element.name not in ("input", "select", "textarea"):
            continue
        kind = attributes.get("type", "text")
        if element.name == "input" and kind in ("submit", "button", "reset", "image", "file"):
            continue
        if kind == "radio":
            if name not in radios:
                radios.add(name)
                sent.append((name, attributes.get("value", "on")))
            continue
        if element.name == "select" and "multiple" in attributes:
            options = [option for option in descendants(element) if option.name == "option"]
            sent.extend((name, dict(option.attributes).get("value", "")) for option in options)
            continue
        sent.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
    return sent


def as_post(sent: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in sent:
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture
def every_program(agency) -> None:
    """The agency runs as many programs as the Agency Program Table holds."""
    ProgramFactory.create_batch(MAX_PROGRAMS - Program.objects.for_agency(agency).count(), agency=agency)


@pytest.mark.parametrize("step", STEP_NAMES)
def test_a_step_with_every_row_it_holds_fits_in_the_field_limit(step, manager_client, manager, every_program):
    code = draft_start(manager_client)
    # The step kept with each of its row tables at its maximum, then shown again as the browser has it.
    rows = {
        f"{prefix}-TOTAL_FORMS": str(MAX_PROGRAMS if prefix == "programs" else MAX_ROWS[prefix])
        for prefix, _bind in STEP_BY_NAME[step].formsets
    }
    manager_client.post(step_url(code, step), {**step_data(step, staff=manager), **rows, "go": "autosave"})
    fullest = fullest_post(manager_client.get(step_url(code, step)))

    response = manager_client.post(step_url(code, step), as_post(fullest))

    assert response.status_code in (200, 302), response.status_code
    assert len(fullest) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_a_form_of_more_fields_gets_a_page_of_ocms_saying_so_and_stores_nothing(manager_client, manager):
    code = draft_start(manager_client)
    before = Draft.objects.get(code=code).data
    data = {**step_data("primary", staff=manager), "go": "next"}
    data |= {f"extra-{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}

    response = manager_client.post(step_url(code, "primary"), data)

    assertContains(response, TOO_MUCH, status_code=400)
    assertContains(response, "sends at most 600 fields", status_code=400)
    assertTemplateUsed(response, "400.html")
    assertContains(response, "My Tasks", status_code=400)  # the page of OCMS, with its menu
    assert Draft.objects.get(code=code).data == before


def test_a_login_form_of_more_fields_gets_the_page_too(client):
    data = {f"extra-{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post("/accounts/login/", data)

    assertContains(response, TOO_MUCH, status_code=400)
