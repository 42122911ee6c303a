"""What is typed at the wizard's Sensitive step: entered only by staff granted access, sealed at rest, shown again
only after a logged password unlock."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import AgencyList
from clients.models import SensitiveInfo, UnlockAttempt, UnlockOutcome, UnlockSubject
from registration.models import Draft
from registration.sealed import unseal
from tests.conftest import client_for
from tests.factories import PASSWORD
from tests.wizard import (
    draft_start,
    list_item,
    registered_client,
    step_data,
    step_post,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db

ILLNESS = "Type 2 diabetes, insulin at night"
OTHER_KEY = "bmV3LWtleS1mb3ItdGhlLXJvdGF0aW9uLXRlc3QtMzI="


def unlock_url(code) -> str:
    return reverse("registration:draft-sensitive-unlock", kwargs={"code": code})


def sensitive_step(staff, **fields) -> dict:
    agency = staff.agency
    insurance = list_item(agency, AgencyList.HEALTH_INSURANCE_STATUS, "Waiting period")
    identity = list_item(agency, AgencyList.SELF_IDENTITY, "Senior")
    income = list_item(agency, AgencyList.FAMILY_INCOME, "Under $20,000")
    values = {
        "sensitive-health_insurance_status": str(insurance.pk),
        "sensitive-illnesses": ILLNESS,
        "sensitive-self_identity": [str(identity.pk)],
        "sensitive-family_income": str(income.pk),
        "volunteer_status": "active",
    }
    return step_data("sensitive", staff=staff, overrides={"sensitive": {**values, **fields}})


@pytest.fixture
def typed(caseworker_client, caseworker):
    """A draft on which the caseworker typed Sensitive Information and pressed Next."""
    code = draft_start(caseworker_client)
    response = step_post(caseworker_client, code, "sensitive", sensitive_step(caseworker))
    assert response.status_code == 302
    return Draft.objects.get(code=code)


def raw_row(draft: Draft) -> str:
    """The draft's whole row as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registration_draft WHERE id = %s", [draft.pk])
        return " ".join(str(value) for value in cursor.fetchone())


# Who may enter it


def test_it_shows_granted_staff_the_sensitive_fields(caseworker_client):
    code = draft_start(caseworker_client)

    response = caseworker_client.get(step_url(code, "sensitive"))

    assertContains(response, 'name="sensitive-illnesses"')
    assertNotContains(response, "Locked.")


def test_it_shows_the_sensitive_section_locked_to_staff_without_the_grant(caseworker2_client):
    code = draft_start(caseworker2_client)

    response = caseworker2_client.get(step_url(code, "sensitive"))

    assertContains(response, "<strong>Locked.</strong>", html=True)
    assertContains(response, "Health Insurance Status, Illnesses, Self-Identity and Family Income")
    assertNotContains(response, 'name="sensitive-illnesses"')
    assertContains(response, 'name="volunteer_status"')


def test_it_saves_sensitive_information_entered_by_granted_staff(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker, {"sensitive": sensitive_step(caseworker)})

    client = registered_client(response)
    info = SensitiveInfo.objects.get(client=client)
    assert info.illnesses == ILLNESS
    assert info.health_insurance_status.label == "Waiting period"
    assert [item.label for item in info.self_identity.all()] == ["Senior"]
    assert info.family_income.label == "Under $20,000"


def test_it_ignores_sensitive_information_posted_by_staff_without_the_grant(caseworker2_client, caseworker2):
    _code, response = walk(caseworker2_client, caseworker2, {"sensitive": sensitive_step(caseworker2)})

    client = registered_client(response)
    assert not SensitiveInfo.objects.filter(client=client).exists()
    detail = caseworker2_client.get(reverse("clients:client-detail", kwargs={"code": client.code}))
    assertNotContains(detail, "diabetes")


# Sealed in the draft


def test_it_keeps_nothing_sensitive_in_the_drafts_row(typed):
    row = raw_row(typed)

    assert "diabetes" not in row
    assert "sensitive-illnesses" not in row
    assert "Waiting period" not in row
    assert all(not key.startswith("sensitive-") for key in typed.data["sensitive"])
    # What else the step holds is kept as it is.
    assert typed.data["sensitive"]["volunteer_status"] == ["active"]
    assert typed.sensitive_sealed
    assert unseal(typed.sensitive_sealed)["sensitive-illnesses"] == [ILLNESS]


def test_it_keeps_nothing_sensitive_in_the_drafts_checks_after_an_error(caseworker_client, caseworker):
    code = draft_start(caseworker_client)

    response = step_post(caseworker_client, code, "sensitive", sensitive_step(caseworker, **{"volunteer_type": "x"}))

    assert response.status_code == 200  # the step shows its error, with what was typed
    assertContains(response, "diabetes")
    assert "diabetes" not in raw_row(Draft.objects.get(code=code))


def test_it_shows_the_typed_sensitive_information_locked_when_coming_back(caseworker_client, typed):
    response = caseworker_client.get(step_url(typed.code, "sensitive"))

    assert response.status_code == 200
    assertContains(response, "Sensitive Information was entered for this client and is kept locked")
    assertNotContains(response, "diabetes")
    assertNotContains(response, 'name="sensitive-illnesses"')
    assert "no-store" in response["Cache-Control"]
    assert not UnlockAttempt.objects.exists()


def test_it_shows_it_again_after_the_owners_password_and_logs_the_unlock(caseworker_client, caseworker, typed):
    response = caseworker_client.post(unlock_url(typed.code), {"password": PASSWORD, "volunteer_status": "inactive"})

    assert response.status_code == 200
    assertContains(response, "diabetes")
    assertContains(response, "Unlocked.")
    assert "no-store" in response["Cache-Control"]
    attempt = UnlockAttempt.objects.get()
    assert (attempt.user, attempt.subject, attempt.reference, attempt.client) == (
        caseworker.user,
        UnlockSubject.DRAFT,
        typed.code,
        None,
    )
    assert attempt.outcome == UnlockOutcome.GRANTED
    # What else was typed on the step before Unlock was pressed is kept; the password never is.
    typed.refresh_from_db()
    assert typed.data["sensitive"]["volunteer_status"] == ["inactive"]
    assert "password" not in typed.data["sensitive"]
    assert PASSWORD not in raw_row(typed)


def test_it_refuses_a_wrong_password_and_logs_it(caseworker_client, typed):
    response = caseworker_client.post(unlock_url(typed.code), {"password": "not-my-password"})

    assert response.status_code == 200
    assertContains(response, "That password is not correct")
    assertNotContains(response, "diabetes")
    assert UnlockAttempt.objects.get().outcome == UnlockOutcome.WRONG_PASSWORD


def test_an_empty_password_asks_for_one_and_logs_nothing(caseworker_client, typed):
    response = caseworker_client.post(unlock_url(typed.code), {"password": ""})

    assert response.status_code == 200
    assertContains(response, "Enter the password you log in with to unlock: nothing was tried, so nothing is logged.")
    assertNotContains(response, "diabetes")
    assert not UnlockAttempt.objects.exists()


@pytest.fixture
def client_for_other_caseworker(caseworker2):
    """Another caseworker of the agency, granted access to sensitive information."""
    caseworker2.may_unlock_sensitive = True
    caseworker2.save()
    return client_for(caseworker2)


def test_it_answers_404_to_anyone_but_the_drafts_owner(client_for_other_caseworker, typed):
    response = client_for_other_caseworker.post(unlock_url(typed.code), {"password": PASSWORD})

    assert response.status_code == 404
    assert not UnlockAttempt.objects.exists()


def test_it_answers_405_to_a_get_of_the_unlock(caseworker_client, typed):
    assert caseworker_client.get(unlock_url(typed.code)).status_code == 405


def test_it_keeps_the_sealed_information_when_the_locked_step_is_posted_again(caseworker_client, caseworker, typed):
    # The locked step has no sensitive fields: what the page posts is the rest of the step.
    data = {key: value for key, value in sensitive_step(caseworker).items() if not key.startswith("sensitive-")}

    response = step_post(caseworker_client, typed.code, "sensitive", data)

    assertRedirects(response, step_url(typed.code, "consent"))
    typed.refresh_from_db()
    assert unseal(typed.sensitive_sealed)["sensitive-illnesses"] == [ILLNESS]


def test_it_registers_the_sealed_information_into_the_sensitive_table(caseworker_client, caseworker, typed):
    overrides = {"sensitive": sensitive_step(caseworker)}
    _code, response = walk(caseworker_client, caseworker, overrides, code=typed.code)

    client = registered_client(response)
    info = SensitiveInfo.objects.get(client=client)
    assert info.illnesses == ILLNESS
    assert [identity.label for identity in info.self_identity.all()] == ["Senior"]
    assert not Draft.objects.filter(code=typed.code).exists()


def test_it_registers_what_was_sealed_even_when_the_step_was_last_posted_locked(caseworker_client, caseworker, typed):
    # The locked step posts none of the sensitive fields.
    locked_step = {key: None for key in sensitive_step(caseworker) if key.startswith("sensitive-")}

    _code, response = walk(caseworker_client, caseworker, {"sensitive": locked_step}, code=typed.code)

    info = SensitiveInfo.objects.get(client=registered_client(response))
    assert info.illnesses == ILLNESS


def test_it_does_not_seal_what_staff_without_the_grant_post(caseworker2_client, caseworker2):
    code = draft_start(caseworker2_client)

    response = step_post(caseworker2_client, code, "sensitive", sensitive_step(caseworker2))

    assertRedirects(response, step_url(code, "consent"))
    draft = Draft.objects.get(code=code)
    assert draft.sensitive_sealed == ""
    assert "diabetes" not in raw_row(draft)


def test_the_rotation_command_reseals_every_draft_under_the_first_key(typed, settings):
    old_keys = list(settings.OCMS_DRAFT_KEYS)
    settings.OCMS_DRAFT_KEYS = [OTHER_KEY, *old_keys]

    call_command("draft_keys_rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115

    typed.refresh_from_db()
    with override_settings(OCMS_DRAFT_KEYS=[OTHER_KEY]):
        assert unseal(typed.sensitive_sealed)["sensitive-illnesses"] == [ILLNESS]
    with override_settings(OCMS_DRAFT_KEYS=old_keys):
        assert unseal(typed.sensitive_sealed) == {}


def test_the_migration_seals_what_older_drafts_kept_in_the_clear(caseworker):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("registration.migrations.0003_draft_sensitive_sealed")
    draft = Draft.objects.create(
        agency=caseworker.agency,
        owner=caseworker.user,
        data={"sensitive": {"sensitive-illnesses": [ILLNESS], "volunteer_status": ["active"]}},
        checks={"sensitive": {"valid": True, "facts": {"illnesses": ILLNESS}}},
    )

    migration.seal_typed_sensitive_information(apps, connection.schema_editor())

    draft.refresh_from_db()
    assert "diabetes" not in raw_row(draft)
    assert draft.data["sensitive"] == {"volunteer_status": ["active"]}
    assert unseal(draft.sensitive_sealed) == {"sensitive-illnesses": [ILLNESS]}


# A locked step with a mistake: the sealed values stay hidden


def test_it_keeps_the_step_locked_when_what_else_it_holds_has_a_mistake(caseworker_client, caseworker, typed):
    # The locked step posts the rest of the step; here with a mistake in it, so the step is shown again.
    data = {key: value for key, value in sensitive_step(caseworker).items() if not key.startswith("sensitive-")}
    data["volunteer_type"] = "x"

    response = step_post(caseworker_client, typed.code, "sensitive", data)

    assert response.status_code == 200
    assertContains(response, "Sensitive Information was entered for this client and is kept locked")
    assertNotContains(response, "diabetes")
    assertNotContains(response, 'name="sensitive-illnesses"')
    assert not UnlockAttempt.objects.exists()
    typed.refresh_from_db()
    assert unseal(typed.sensitive_sealed)["sensitive-illnesses"] == [ILLNESS]


def test_it_says_that_the_locked_information_needs_correcting_without_showing_it(caseworker_client, caseworker, typed):
    # A value the agency has since taken off its list: the sealed step no longer validates.
    taken_off = list_item(caseworker.agency, AgencyList.HEALTH_INSURANCE_STATUS, "Waiting period")
    taken_off.is_active = False
    taken_off.save()

    response = caseworker_client.get(step_url(typed.code, "sensitive"))

    assert response.status_code == 200
    assertContains(response, "Something in the Sensitive Information needs correcting")
    assertNotContains(response, "diabetes")
    assertNotContains(response, 'name="sensitive-illnesses"')
    assert not UnlockAttempt.objects.exists()
