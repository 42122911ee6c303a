"""No lost update: a section edit saved over a version someone else changed since the page was opened is not
applied; the page shows what the other changed (the value saved now, and the one typed), and the user keeps
theirs, takes the other, or chooses part by part. Two people, and two tabs of one person, in both orders."""

import pytest
from django.test import Client as Browser
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clients.models import Identifier
from tests.concurrency import at_once, saves_read_together
from tests.conftest import client_for
from tests.factories import ClientFactory
from tests.registration.edit_pages import Editor, detail_url
from tests.wizard import element_text, elements, foss_id_type, has_attributes, input_value

pytestmark = pytest.mark.django_db


def conflict_rows(page) -> list[tuple[str, str, str]]:
    """The conflict table: (field, saved now, yours) for each change."""
    rows = []
    for row in elements(page, "tr"):
        cells = [child for child in row.children if not isinstance(child, str) and child.name in ("th", "td")]
        if len(cells) == 4 and cells[0].name == "th" and has_attributes(cells[0], {"scope": "row"}):
            rows.append(tuple(element_text(cell).strip() for cell in cells[:3]))
    return rows


def checked_choice(page, key: str) -> str:
    checked = [
        dict(element.attributes)["value"]
        for element in elements(page, "input", type="radio", name=f"take:{key}")
        if "checked" in dict(element.attributes)
    ]
    assert len(checked) == 1, checked
    return checked[0]


@pytest.fixture
def client_in_ottawa(caseworker):
    return ClientFactory(registered_by=caseworker, city="Ottawa", email="amara@example.com", postal_code="K1A0B1")


@pytest.fixture
def colleague_client(coordinator) -> Browser:
    return client_for(coordinator)


@pytest.fixture
def mine(caseworker_client, colleague_client, client_in_ottawa) -> Editor:
    """The caseworker's edit of the contact section, opened before the colleague saved Toronto as the city."""
    mine = Editor(caseworker_client, client_in_ottawa, "contact")
    Editor(colleague_client, client_in_ottawa, "contact").type(city="Toronto").save()
    return mine


def in_order(first: str, browsers: dict[str, Browser]) -> tuple[Browser, Browser]:
    """The two browsers, the one named `first` first."""
    [second] = [name for name in browsers if name != first]
    return browsers[first], browsers[second]


@pytest.mark.parametrize("first", ["caseworker", "colleague"])
def test_the_second_save_over_a_changed_version_is_not_applied_and_shows_both_values(
    caseworker_client, colleague_client, client_in_ottawa, first
):
    earlier, later = (
        Editor(browser, client_in_ottawa, "contact")
        for browser in in_order(first, {"caseworker": caseworker_client, "colleague": colleague_client})
    )

    saved = earlier.type(city="Toronto").save()
    assertRedirects(saved, detail_url(client_in_ottawa) + "#section-contact", fetch_redirect_response=False)

    page = later.type(city="Hamilton").save()

    client_in_ottawa.refresh_from_db()
    assert client_in_ottawa.city == "Toronto"  # not undone
    assertContains(page, "This section was changed by someone else since you opened it")
    assert conflict_rows(page) == [("City", "Toronto", "Hamilton")]
    # What was typed is still in the form; as it was typed on this part too, "Keep mine" is chosen.
    assert input_value(page, "city") == "Hamilton"
    assert checked_choice(page, "city") == "mine"


def test_two_tabs_of_one_person_are_two_editors(caseworker_client, client_in_ottawa):
    first_tab = Editor(caseworker_client, client_in_ottawa, "contact")
    second_tab = Editor(caseworker_client, client_in_ottawa, "contact")
    assert first_tab.type(city="Toronto").save().status_code == 302

    page = second_tab.type(city="Hamilton").save()

    assert conflict_rows(page) == [("City", "Toronto", "Hamilton")]
    # Not "someone else": the caseworker's own save, in the other tab.
    assertContains(page, "You saved this section in another tab or window since you opened it here")
    assertNotContains(page, "someone else")
    client_in_ottawa.refresh_from_db()
    assert client_in_ottawa.city == "Toronto"


def test_keep_all_mine_saves_what_was_typed(mine, client_in_ottawa):
    mine.type(city="Hamilton").save()

    response = mine.save("mine")

    assertRedirects(response, detail_url(client_in_ottawa) + "#section-contact", fetch_redirect_response=False)
    client_in_ottawa.refresh_from_db()
    assert client_in_ottawa.city == "Hamilton"


def test_take_all_saved_values_keeps_the_others_change(mine, client_in_ottawa):
    mine.type(city="Hamilton").save()

    assert mine.save("theirs").status_code == 302

    client_in_ottawa.refresh_from_db()
    assert client_in_ottawa.city == "Toronto"


def kept_saved(page, key: str) -> bool:
    """Whether the page keeps the saved value of a part the user left alone, whatever button is pressed."""
    return [dict(element.attributes)["value"] for element in elements(page, "input", name=f"take:{key}")] == ["saved"]


@pytest.mark.parametrize("button", ["chosen", "mine", "theirs"])
def test_changes_to_different_fields_merge_field_by_field(mine, client_in_ottawa, button):
    page = mine.type(email="amara.new@example.com").save()

    # Only the other's change is shown, as this editor left the city alone: the saved value is kept, even by
    # "Keep all mine" (which would otherwise put back the value the page was opened with, undoing the colleague's).
    assert conflict_rows(page) == [("City", "Toronto", "You did not change it")]
    assert kept_saved(page, "city")
    assert not elements(page, "input", type="radio", name="take:city")
    # The form shows what the save keeps: the colleague's city, not the one the page was opened with; the e-mail
    # as typed.
    assert (input_value(page, "city"), input_value(page, "email")) == ("Toronto", "amara.new@example.com")
    assert mine.save(button).status_code == 302
    client_in_ottawa.refresh_from_db()
    # Each button is about the parts shown; the e-mail only this editor changed is saved whichever is pressed.
    assert (client_in_ottawa.city, client_in_ottawa.email) == ("Toronto", "amara.new@example.com")


def test_a_change_made_on_both_sides_alike_is_no_conflict(mine):
    assert mine.type(city="Toronto").save().status_code == 302


def test_a_change_to_another_section_is_no_conflict(caseworker_client, colleague_client, client_in_ottawa):
    mine = Editor(caseworker_client, client_in_ottawa, "contact")
    Editor(colleague_client, client_in_ottawa, "primary").type(preferred_name="Mara").save()

    assert mine.type(city="Hamilton").save().status_code == 302
    client_in_ottawa.refresh_from_db()
    assert (client_in_ottawa.city, client_in_ottawa.preferred_name) == ("Hamilton", "Mara")


def test_rows_added_by_someone_else_are_shown_and_can_be_taken(
    caseworker_client, colleague_client, client_in_ottawa, agency, coordinator
):
    mine = Editor(caseworker_client, client_in_ottawa, "identification")
    theirs = Editor(colleague_client, client_in_ottawa, "identification")
    foss = foss_id_type(agency)
    theirs.type(**{"identifiers-0-identifier_type": str(foss.pk), "identifiers-0-value": "1111-1111"})
    assert theirs.save().status_code == 302

    page = mine.save()

    assert conflict_rows(page) == [("Client identifiers", "FOSS/GCMS Client ID, 1111-1111", "You did not change it")]
    # Named after the one who saved the rows, though the client's own fields were last saved by someone else.
    assertContains(page, f"Last saved by {coordinator.display_name}")
    assert kept_saved(page, "identifiers")
    assert mine.save("mine").status_code == 302
    assert list(Identifier.objects.filter(client=client_in_ottawa).values_list("value", flat=True)) == ["1111-1111"]


# Two saves at the same moment: the section is read, compared and saved while the client's row is locked.


def tab_of(browser: Browser) -> Browser:
    """Another tab of the same browser: the same login (its session cookie), its own page."""
    tab = Browser()
    tab.cookies = browser.cookies
    return tab


@pytest.fixture
def both_read_before_either_saves(monkeypatch):
    saves_read_together(monkeypatch)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("editors", ["two people", "two tabs of one person"])
def test_two_saves_at_the_same_moment_never_both_apply(caseworker, coordinator, editors, both_read_before_either_saves):
    client = ClientFactory(registered_by=caseworker, city="Ottawa", email="amara@example.com", postal_code="K1A0B1")
    first = client_for(caseworker)
    second = client_for(coordinator) if editors == "two people" else tab_of(first)
    toronto = Editor(first, client, "contact").type(city="Toronto")
    hamilton = Editor(second, client, "contact").type(city="Hamilton")

    responses = at_once(toronto.save, hamilton.save)

    assert sorted(response.status_code for response in responses) == [200, 302]
    client.refresh_from_db()
    saved, refused = (responses[0], responses[1]) if responses[0].status_code == 302 else (responses[1], responses[0])
    won, lost = ("Toronto", "Hamilton") if saved is responses[0] else ("Hamilton", "Toronto")
    assert client.city == won
    heading = {
        "two people": "This section was changed by someone else since you opened it",
        "two tabs of one person": "You saved this section in another tab or window since you opened it here",
    }[editors]
    assertContains(refused, heading)
    assert conflict_rows(refused) == [("City", won, lost)]


# A post that does not say which version it was opened on


def test_a_save_without_its_version_is_not_applied_and_shows_what_it_would_change(caseworker_client, client_in_ottawa):
    editor = Editor(caseworker_client, client_in_ottawa, "contact").type(city="Hamilton")
    del editor.data["opened_version"]

    page = editor.save()

    client_in_ottawa.refresh_from_db()
    assert client_in_ottawa.city == "Ottawa"
    assertContains(page, "This page did not say which version of the section it was opened on")
    assert conflict_rows(page) == [("City", "Ottawa", "Hamilton")]
    assert checked_choice(page, "city") == "mine"
    assert input_value(page, "city") == "Hamilton"
    # The page now carries the version: keeping what was typed saves it.
    assert editor.save("mine").status_code == 302
    client_in_ottawa.refresh_from_db()
    assert client_in_ottawa.city == "Hamilton"


def test_a_forged_version_is_no_version(caseworker_client, client_in_ottawa):
    editor = Editor(caseworker_client, client_in_ottawa, "contact").type(city="Hamilton")
    editor.data["opened_version"] = ["e30:1tFake:forged"]

    page = editor.save()

    assert conflict_rows(page) == [("City", "Ottawa", "Hamilton")]
    client_in_ottawa.refresh_from_db()
    assert client_in_ottawa.city == "Ottawa"
