"""No lost update in the Sensitive Information: a save over a version someone else changed since the edit page was
opened is not applied; with the right password, the page shows what the other changed and lets the user choose.
Two people and two tabs of one person, in both orders, one after the other and at the same moment."""

import pytest
from django.test import Client as Browser
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clients.models import SensitiveInfo
from tests.clients.sensitive_helpers import (
    ILLNESSES,
    WRONG,
    client_with_secrets,
    detail_url,
    edit_url,
    update_url,
)
from tests.concurrency import at_once, saves_read_together
from tests.conftest import client_for
from tests.factories import PASSWORD
from tests.registration.edit_pages import form_of
from tests.registration.test_section_conflict import checked_choice, conflict_rows, in_order, tab_of

pytestmark = pytest.mark.django_db

SAVED = detail_url  # where a save goes back to, with the section's anchor


class SensitiveEditor:
    """One open Sensitive Information edit page (unlocked with the password), of a person or a tab."""

    def __init__(self, browser: Browser, client) -> None:
        self.browser = browser
        self.url = update_url(client)
        self.data = form_of(browser.post(edit_url(client), {"password": PASSWORD}))

    def type(self, **values: str) -> "SensitiveEditor":
        self.data.update({name: [value] for name, value in values.items()})
        return self

    def save(self, button: str | None = None, *, password: str = PASSWORD):
        data = {**self.data, "password": [password]}
        if button:
            data["resolve"] = [button]
        response = self.browser.post(self.url, data)
        if response.status_code == 200 and password == PASSWORD:
            self.data = form_of(response)
        return response


def illnesses(client) -> str:
    return SensitiveInfo.objects.get(client=client).illnesses


@pytest.fixture
def secret(caseworker):
    return client_with_secrets(caseworker)


@pytest.mark.parametrize("first", ["caseworker", "manager"])
def test_the_second_save_over_a_changed_version_is_not_applied_and_shows_both_values(
    caseworker_client, manager_client, secret, first
):
    earlier, later = (
        SensitiveEditor(browser, secret)
        for browser in in_order(first, {"caseworker": caseworker_client, "manager": manager_client})
    )

    assertRedirects(
        earlier.type(illnesses="Hypertension").save(),
        SAVED(secret) + "#section-sensitive-info",
        fetch_redirect_response=False,
    )
    page = later.type(illnesses="Seasonal asthma").save()

    assert illnesses(secret) == "Hypertension"  # not undone
    assertContains(page, "This section was changed by someone else since you opened it")
    assert conflict_rows(page) == [("Illnesses", "Hypertension", "Seasonal asthma")]
    assert checked_choice(page, "illnesses") == "mine"


def test_two_tabs_of_one_person_are_two_editors_and_keep_mine_saves_what_was_typed(caseworker_client, secret):
    first_tab = SensitiveEditor(caseworker_client, secret)
    second_tab = SensitiveEditor(tab_of(caseworker_client), secret)
    assert first_tab.type(illnesses="Hypertension").save().status_code == 302

    page = second_tab.type(illnesses="Seasonal asthma").save()

    assert conflict_rows(page) == [("Illnesses", "Hypertension", "Seasonal asthma")]
    assert illnesses(secret) == "Hypertension"
    assert second_tab.save("mine").status_code == 302
    assert illnesses(secret) == "Seasonal asthma"


def test_take_all_saved_values_keeps_the_others_change(caseworker_client, manager_client, secret):
    mine = SensitiveEditor(caseworker_client, secret)
    SensitiveEditor(manager_client, secret).type(illnesses="Hypertension").save()
    mine.type(illnesses="Seasonal asthma").save()

    assert mine.save("theirs").status_code == 302

    assert illnesses(secret) == "Hypertension"


def test_a_save_without_its_version_is_not_applied(caseworker_client, secret):
    editor = SensitiveEditor(caseworker_client, secret).type(illnesses="Hypertension")
    del editor.data["opened_version"]

    page = editor.save()

    assert illnesses(secret) == ILLNESSES
    assertContains(page, "This page did not say which version of the section it was opened on")
    assert conflict_rows(page) == [("Illnesses", ILLNESSES, "Hypertension")]


def test_a_wrong_password_over_a_changed_version_shows_nothing_saved(caseworker_client, manager_client, secret):
    mine = SensitiveEditor(caseworker_client, secret)
    SensitiveEditor(manager_client, secret).type(illnesses="Hypertension").save()

    page = mine.type(illnesses="Seasonal asthma").save(password=WRONG)

    assertContains(page, "That password is not correct")
    assertNotContains(page, "Hypertension")  # what the other saved
    assert conflict_rows(page) == []
    # With the right password, the same page then shows the other's change.
    assert conflict_rows(mine.save()) == [("Illnesses", "Hypertension", "Seasonal asthma")]
    assert illnesses(secret) == "Hypertension"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("editors", ["two people", "two tabs of one person"])
def test_two_saves_at_the_same_moment_never_both_apply(caseworker, manager, editors, monkeypatch):
    secret = client_with_secrets(caseworker)
    first = client_for(caseworker)
    second = client_for(manager) if editors == "two people" else tab_of(first)
    hypertension = SensitiveEditor(first, secret).type(illnesses="Hypertension")
    asthma = SensitiveEditor(second, secret).type(illnesses="Seasonal asthma")
    saves_read_together(monkeypatch)

    responses = at_once(hypertension.save, asthma.save)

    assert sorted(response.status_code for response in responses) == [200, 302]
    won, lost = (
        ("Hypertension", "Seasonal asthma") if responses[0].status_code == 302 else ("Seasonal asthma", "Hypertension")
    )
    assert illnesses(secret) == won
    refused = next(response for response in responses if response.status_code == 200)
    assert conflict_rows(refused) == [("Illnesses", won, lost)]
