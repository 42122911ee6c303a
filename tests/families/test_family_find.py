"""Find beside Family Code: a search of the agency's registered clients, one ticked, and Select Family gives
the new client that relative's family code. Another agency's clients are never found nor joinable."""

from datetime import date

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clients.models import Client, Family
from clients.models.family import family_check_letter, family_code_is_valid
from tests.clients.pages import attribute, elements, input_value, login_url, one, parsed
from tests.factories import ClientFactory, FamilyFactory, searchable
from tests.wizard import registered_client, walk

pytestmark = pytest.mark.django_db

FIND = reverse("families:family-find")
SELECT = reverse("families:family-select")
FIELD = "id_family_code"


def family(agency, digits: str = "4821") -> Family:
    return FamilyFactory(agency=agency, code=f"F-{digits}-{family_check_letter(digits)}")


def relative_of(staff, **fields) -> Client:
    values = {
        "first_name": "Mohammed",
        "last_name": "Qasim",
        "date_of_birth": date(1980, 1, 15),
        "phone": "+14165550199",
        **fields,
    }
    return searchable(ClientFactory(registered_by=staff, **values))


def listed(response) -> list[str]:
    """The client codes the search lists as radio buttons to tick, on a panel answered 200."""
    return [attribute(radio, "value") for radio in elements(parsed(response), "input", type="radio", name="relative")]


def relative_label(client: Client, shown: str) -> str:
    """The label of the radio button that ticks `client`, saying `shown`."""
    return f'<label class="form-check-label" for="relative-{client.code}">{shown}</label>'


def nobody_matches(typed: str) -> str:
    return f'<p class="small mb-0" data-announce>No registered client matches “{typed}”.</p>'


def find(browser, typed: str):
    return browser.get(FIND, {"family_q": typed, "field": FIELD})


def selected_code(response) -> str | None:
    """The family code the panel puts in the Family Code field, on a panel answered 200."""
    return input_value(parsed(response), "family_code")


# Find


@pytest.mark.parametrize(
    "typed", ["Qasim", "mohammed qasim", "1000001", "416-555-0199", "(416) 555 0199", "1980-01-15"]
)
def test_it_finds_the_agencys_client_by_name_number_phone_or_date_of_birth(caseworker_client, caseworker, typed):
    relative = relative_of(caseworker)
    assert relative.number == 1_000_001
    searchable(
        ClientFactory(registered_by=caseworker, first_name="Lina", last_name="Nguyen", date_of_birth=date(1995, 3, 2))
    )

    response = find(caseworker_client, typed)

    assert listed(response) == [str(relative.code)]
    assertContains(response, relative_label(relative, f"Mohammed Qasim · {relative.number} · 1980-01-15"), html=True)
    assertContains(response, "Select Family</button>")


def test_it_shows_the_family_code_a_found_client_already_has(caseworker_client, caseworker, agency):
    theirs = family(agency)
    relative = relative_of(caseworker, family=theirs)

    response = find(caseworker_client, "Qasim")

    shown = f"Mohammed Qasim · {relative.number} · 1980-01-15 · Family Code {theirs.code}"
    assertContains(response, relative_label(relative, shown), html=True)


def test_it_never_finds_another_agencys_client(caseworker_client, caseworker, outsider):
    ours = relative_of(caseworker)
    theirs = relative_of(outsider)

    for typed in ("Qasim", "416-555-0199", "1980-01-15", str(theirs.number)):
        response = find(caseworker_client, typed)
        assertNotContains(response, str(theirs.code), msg_prefix=typed)
        assert listed(response) == [str(ours.code)], typed


def test_it_finds_only_the_outsiders_own_clients_for_the_outsider(outsider_client, caseworker, outsider):
    relative_of(caseworker)

    response = find(outsider_client, "Qasim")

    assert listed(response) == []
    assertContains(response, nobody_matches("Qasim"), html=True)


def test_it_never_lists_an_anonymous_client(caseworker_client, caseworker, agency):
    anonymous = ClientFactory(registered_by=caseworker, anonymous=True)

    response = find(caseworker_client, str(anonymous.number))

    assert listed(response) == []
    assertContains(response, nobody_matches(str(anonymous.number)), html=True)


def test_a_one_character_search_lists_nobody_without_claiming_nobody_matches(caseworker_client, caseworker):
    relative_of(caseworker, first_name="Q", last_name="Q")

    response = find(caseworker_client, "Q")

    assert listed(response) == []
    # Nothing was searched: saying "No registered client matches" would be false (Q Q is registered).
    assertNotContains(response, "No registered client matches")
    assertContains(response, "Type at least two characters")


def test_find_pressed_with_an_empty_box_says_what_to_type_but_the_panel_opening_does_not(caseworker_client):
    pressed = find(caseworker_client, "  ")
    opened = caseworker_client.get(FIND, {"field": FIELD})

    assertContains(pressed, "Type at least two characters")
    # Focus moves to the results after Find: a region named so, for a screen reader to say where it is.
    assertContains(pressed, 'id="family-results" tabindex="-1" role="region" aria-label="Search results"')
    assert opened.status_code == 200
    assertNotContains(opened, "Type at least two characters")


def test_it_keeps_the_field_to_fill_and_the_search_typed(caseworker_client, caseworker):
    relative_of(caseworker)

    page = parsed(find(caseworker_client, "Qasim"))

    search_again = one(elements(page, "button", **{"hx-get": FIND}))
    assert attribute(search_again, "hx-vals") == '{"field": "id_family_code"}'
    assert attribute(search_again, "hx-include") == "#family-q"
    search = one(elements(page, "input", name="family_q"))
    assert (attribute(search, "id"), attribute(search, "value")) == ("family-q", "Qasim")


@pytest.mark.parametrize(
    "field", ['id_x"}, "hx-on": "alert(1)', "family_code", "id_Family", "x" * 300, 'id_a" onfocus="alert(1)']
)
def test_a_field_to_fill_that_is_no_field_id_of_ours_becomes_the_family_code(caseworker_client, caseworker, field):
    relative = relative_of(caseworker)

    page = parsed(caseworker_client.get(FIND, {"family_q": "Qasim", "field": field}))
    search_again = one(elements(page, "button", **{"hx-get": FIND}))
    selected = caseworker_client.post(SELECT, {"relative": relative.code, "field": field})

    assert attribute(search_again, "hx-vals") == '{"field": "id_family_code"}'
    assert attribute(one(elements(parsed(selected), "input", name="family_code")), "id") == FIELD


def test_find_answers_405_to_a_post(caseworker_client):
    assert caseworker_client.post(FIND, {"family_q": "Qasim"}).status_code == 405


def test_find_sends_an_anonymous_visitor_to_login(client):
    response = client.get(FIND, {"family_q": "Qasim"})

    assertRedirects(response, login_url(f"{FIND}?family_q=Qasim"))


# Select Family


def test_select_gives_the_code_of_the_relatives_family(caseworker_client, caseworker, agency):
    theirs = family(agency)
    relative = relative_of(caseworker, family=theirs)

    response = caseworker_client.post(SELECT, {"relative": str(relative.code), "field": FIELD})

    assert selected_code(response) == theirs.code
    assert attribute(one(elements(parsed(response), "input", name="family_code")), "id") == FIELD
    assertContains(
        response,
        # Said in the Family Code's status region (static/js/ocms.js), which stays on the page.
        f'<p class="small mt-2 mb-0" data-announce>'
        f"The client joins the family of Mohammed Qasim ({relative.number}).</p>",
        html=True,
    )
    assert Family.objects.count() == 1


def test_the_selected_code_joins_the_relatives_family_on_register(caseworker_client, caseworker, agency):
    theirs = family(agency)
    relative = relative_of(caseworker, family=theirs)
    code = selected_code(caseworker_client.post(SELECT, {"relative": str(relative.code), "field": FIELD}))

    _draft, response = walk(caseworker_client, caseworker, {"primary": {"family_code": code}})

    client = registered_client(response)
    assert client.family == theirs
    assert set(theirs.members.all()) == {relative, client}


def test_select_creates_a_family_for_a_relative_without_one(caseworker_client, caseworker, agency):
    relative = relative_of(caseworker)

    response = caseworker_client.post(SELECT, {"relative": str(relative.code), "field": FIELD})

    relative.refresh_from_db()
    assert relative.family is not None
    assert relative.family.agency == agency
    assert family_code_is_valid(relative.family.code)
    assert selected_code(response) == relative.family.code


def test_selecting_the_same_relative_twice_gives_the_same_family(caseworker_client, caseworker):
    relative = relative_of(caseworker)

    first = selected_code(caseworker_client.post(SELECT, {"relative": str(relative.code)}))
    second = selected_code(caseworker_client.post(SELECT, {"relative": str(relative.code)}))

    assert first == second
    assert Family.objects.count() == 1


def test_select_asks_to_tick_a_relative_when_none_is_ticked(caseworker_client, caseworker):
    response = caseworker_client.post(SELECT, {"field": FIELD})

    assertContains(
        response,
        '<div class="invalid-feedback d-block mb-2" data-announce>'
        "Tick the relative whose family the client joins.</div>",
        html=True,
    )
    assert not elements(parsed(response), "input", name="family_code")
    assert not Family.objects.exists()


def test_select_without_a_relative_ticked_keeps_the_search_and_its_results(caseworker_client, caseworker):
    relative = relative_of(caseworker)

    response = caseworker_client.post(SELECT, {"field": FIELD, "family_q": "Qasim"})

    page = parsed(response)
    assert attribute(one(elements(page, "input", name="family_q")), "value") == "Qasim"
    assert [attribute(radio, "value") for radio in elements(page, "input", name="relative")] == [str(relative.code)]
    assertContains(response, "Tick the relative whose family the client joins.")


def test_selecting_another_agencys_client_gives_404(caseworker_client, outsider, other_agency):
    theirs = family(other_agency)
    stranger = relative_of(outsider, family=theirs)
    loner = relative_of(outsider, first_name="Olga")

    assert caseworker_client.post(SELECT, {"relative": str(stranger.code)}).status_code == 404
    assert caseworker_client.post(SELECT, {"relative": str(loner.code)}).status_code == 404
    loner.refresh_from_db()
    assert loner.family is None
    assert list(Family.objects.all()) == [theirs]


def test_selecting_an_anonymous_client_gives_404(caseworker_client, caseworker, agency):
    anonymous = ClientFactory(registered_by=caseworker, anonymous=True)

    assert caseworker_client.post(SELECT, {"relative": str(anonymous.code)}).status_code == 404
    assert not Family.objects.exists()


def test_selecting_something_that_is_no_client_code_gives_404(caseworker_client):
    assert caseworker_client.post(SELECT, {"relative": "not-a-client"}).status_code == 404


def test_select_answers_405_to_a_get(caseworker_client, caseworker):
    relative = relative_of(caseworker)

    assert caseworker_client.get(SELECT, {"relative": str(relative.code)}).status_code == 405
    relative.refresh_from_db()
    assert relative.family is None


def test_select_sends_an_anonymous_visitor_to_login(client, caseworker):
    relative = relative_of(caseworker)

    response = client.post(SELECT, {"relative": str(relative.code)})

    assertRedirects(response, login_url(SELECT))
    relative.refresh_from_db()
    assert relative.family is None
