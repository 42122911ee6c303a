"""What a new family member copies from a relative, confirmed by the caseworker: after Register Another Family
Member, and when a registration joins a family through Find or by typing its code. Each of the relative's values is
a tick box showing the value, ticked where the draft has nothing yet; only what is ticked is copied, and nothing
typed is replaced without its tick."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clients.models import Client
from registration.models import Draft
from tests.clients.pages import attribute, elements, has_attribute, input_value, parsed, text_of
from tests.conftest import client_for
from tests.factories import ClientFactory, samir_haddad, searchable
from tests.families.test_prefill import BADGE, field_blocks, has_badge, shown
from tests.wizard import step_data, step_post, step_url, walk

pytestmark = pytest.mark.django_db

NAMED_CLIENT = reverse("registration:draft-create")


@pytest.fixture
def samir(caseworker) -> Client:
    """Samir Haddad, of a family, with some of what a family member may copy."""
    return samir_haddad(caseworker, phone="+14165550142")


def boxes(response) -> dict[str, tuple[str, bool]]:
    """Each tick box of what to copy, by what it copies: its label, and whether it is ticked (a page answered 200)."""
    page = parsed(response)
    labels = {attribute(label, "for"): text_of(label) for label in elements(page, "label")}
    return {
        attribute(box, "value"): (labels[attribute(box, "id")], has_attribute(box, "checked"))
        for box in elements(page, "input", type="checkbox")
        if attribute(box, "name") == "copy"
    }


def url(name: str, draft: Draft, **kwargs) -> str:
    return reverse(f"registration:{name}", kwargs={"code": draft.code, **kwargs})


def on_primary(browser, staff, **typed: str) -> Draft:
    """A registration on its Primary Information step, with what the caseworker typed there so far."""
    code, _response = walk(browser, staff, until="privacy")
    draft = Draft.objects.get(code=code)
    step_post(browser, code, "primary", {**step_data("primary", staff=staff), **typed}, go="autosave")
    return draft


@pytest.fixture
def caseworker2_client(caseworker2):
    return client_for(caseworker2)


# Register Another Family Member


def test_register_another_family_member_asks_what_to_copy_each_value_shown_and_ticked(caseworker_client, samir):
    response = caseworker_client.post(NAMED_CLIENT, {"relative": str(samir.code)})
    draft = Draft.objects.get()
    assertRedirects(response, url("draft-family-copy", draft))

    page = caseworker_client.get(url("draft-family-copy", draft))

    assertContains(page, f"The new client joins the family of Samir Haddad (family code {samir.family.code}).")
    assert boxes(page) == {
        "primary.last_name": ("Last Name: Haddad", True),
        "primary.official_language": ("Preferred Official Language: French", True),
        "immigration.landing_date": ("Landing Date: 2019-06-01", True),
        "immigration.arrival_date": ("Arrival Date: 2019-06-02", True),
        "contact.email": ("Email: haddad.family@example.com", True),
        "contact.phone": ("Telephone Number: (416) 555-0142", True),  # as every page writes it
        "contact.country": ("Country: Canada", True),
        "contact.postal_code": ("Postal Code: M5S 1X5", True),
    }
    # Nothing is copied before the caseworker says what.
    assert draft.prefill == {"primary": {"family_code": samir.family.code}}


def test_only_the_ticked_values_are_copied(caseworker_client, samir):
    caseworker_client.post(NAMED_CLIENT, {"relative": str(samir.code)})
    draft = Draft.objects.get()

    response = caseworker_client.post(
        url("draft-family-copy", draft), {"copy_from": str(samir.code), "copy": ["primary.last_name", "contact.email"]}
    )

    assertRedirects(response, step_url(draft.code, "privacy"))
    draft.refresh_from_db()
    assert draft.prefill == {
        "primary": {"family_code": samir.family.code, "last_name": "Haddad"},
        "contact": {"email": "haddad.family@example.com"},
    }
    immigration = caseworker_client.get(step_url(draft.code, "immigration"))
    assert shown(immigration, "landing_date") == ""
    assert not has_badge(field_blocks(immigration)["landing_date"])


# Find, and Select Family, on the Primary Information step


def test_select_family_offers_the_copy_unticking_what_was_typed(caseworker_client, caseworker, samir):
    draft = on_primary(caseworker_client, caseworker, last_name="Nasser")
    typed = {**step_data("primary", staff=caseworker), "first_name": "Leila", "last_name": "Nasser"}

    response = caseworker_client.post(
        url("draft-family-select", draft), {**typed, "relative": str(samir.code), "field": "id_family_code"}
    )

    assertContains(response, "The client joins the family of Samir Haddad")
    offered = boxes(response)
    assert offered["primary.last_name"] == ("Last Name: Haddad (already filled in)", False)
    assert offered["primary.official_language"] == ("Preferred Official Language: French", True)
    assert offered["immigration.landing_date"] == ("Landing Date: 2019-06-01", True)
    assert input_value(parsed(response), "family_code") == samir.family.code
    copy_url = url("draft-step-family-copy", draft, step="primary")
    assert [attribute(b, "formaction") for b in elements(parsed(response), "button")] == [copy_url]


def test_select_family_without_a_relative_ticked_keeps_the_search(caseworker_client, caseworker, samir):
    draft = on_primary(caseworker_client, caseworker)

    response = caseworker_client.post(
        url("draft-family-select", draft), {"family_q": "Haddad", "field": "id_family_code"}
    )

    assertContains(response, "Tick the relative whose family the client joins.")
    assertContains(response, 'value="Haddad"')
    assertContains(response, f'hx-post="{url("draft-family-select", draft)}"')


def test_find_in_a_registration_selects_through_the_registration(caseworker_client, caseworker, samir):
    draft = on_primary(caseworker_client, caseworker)

    searchable(samir)

    response = caseworker_client.get(url("draft-family-find", draft), {"family_q": "Haddad", "field": "id_family_code"})

    assertContains(response, f'hx-post="{url("draft-family-select", draft)}"')
    assertContains(response, f'hx-get="{url("draft-family-find", draft)}"')
    primary = caseworker_client.get(step_url(draft.code, "primary"))
    assertContains(primary, f'hx-get="{url("draft-family-find", draft)}?field=id_family_code"')
    assertContains(primary, f'hx-get="{url("draft-family-offer", draft)}"')


def test_copying_from_the_step_keeps_what_was_typed_and_copies_what_was_ticked(caseworker_client, caseworker, samir):
    draft = on_primary(caseworker_client, caseworker)
    # Contact was filled in already: its email is the client's own.
    step_post(
        caseworker_client,
        draft.code,
        "contact",
        {**step_data("contact", staff=caseworker), "email": "leila@example.com"},
    )
    typed = {
        **step_data("primary", staff=caseworker),
        "first_name": "Leila",
        "last_name": "Nasser",
        "family_code": samir.family.code,
    }
    offered = boxes(caseworker_client.get(url("draft-family-offer", draft), typed))
    assert offered["contact.email"] == ("Email: haddad.family@example.com (already filled in)", False)
    ticked = [key for key, (_label, on) in offered.items() if on]

    response = caseworker_client.post(
        url("draft-step-family-copy", draft, step="primary"), {**typed, "copy_from": str(samir.code), "copy": ticked}
    )

    assertRedirects(response, step_url(draft.code, "primary"))
    primary = caseworker_client.get(step_url(draft.code, "primary"))
    assert (shown(primary, "first_name"), shown(primary, "last_name")) == ("Leila", "Nasser")
    assert shown(primary, "family_code") == samir.family.code
    assert has_badge(field_blocks(primary)["official_language"])
    assertNotContains(primary, "is required by OCMS")  # kept as typed, not checked yet
    contact = caseworker_client.get(step_url(draft.code, "contact"))
    assert shown(contact, "email") == "leila@example.com"
    assert shown(contact, "postal_code") == "M5V 2T6"  # filled in already, and not ticked
    immigration = caseworker_client.get(step_url(draft.code, "immigration"))
    assert shown(immigration, "landing_date") == "2019-06-01"
    assert BADGE in primary.content.decode()

    overrides = {
        "primary": {"first_name": "Leila", "last_name": "Nasser", "family_code": samir.family.code},
        "immigration": {"landing_date": "2019-06-01"},
        "contact": {"email": "leila@example.com"},
    }
    walk(caseworker_client, caseworker, overrides, code=draft.code, start="primary")
    member = Client.objects.get(first_name="Leila")
    assert (member.family, member.last_name, member.email) == (samir.family, "Nasser", "leila@example.com")


def test_a_family_code_typed_offers_its_first_member(caseworker_client, caseworker, samir):
    ClientFactory(registered_by=caseworker, family=samir.family, first_name="Leila", last_name="Haddad")
    draft = on_primary(caseworker_client, caseworker)

    response = caseworker_client.get(
        url("draft-family-offer", draft),
        {**step_data("primary", staff=caseworker), "family_code": samir.family.code.lower()},
    )

    assertContains(response, f"This is the family code of Samir Haddad ({samir.number}).")
    assert boxes(response)["primary.official_language"] == ("Preferred Official Language: French", True)


def test_a_code_of_no_family_offers_nothing(caseworker_client, caseworker):
    draft = on_primary(caseworker_client, caseworker)

    response = caseworker_client.get(url("draft-family-offer", draft), {"family_code": "F-9999-Z"})

    assert response.status_code == 200
    assert boxes(response) == {}


# Access


def test_another_agencys_family_code_offers_nothing(caseworker_client, caseworker, outsider):
    stranger = ClientFactory(registered_by=outsider, with_family=True)
    draft = on_primary(caseworker_client, caseworker)

    response = caseworker_client.get(url("draft-family-offer", draft), {"family_code": stranger.family.code})

    assert response.status_code == 200
    assertNotContains(response, stranger.display_name)
    assert boxes(response) == {}


def test_copying_from_another_agencys_client_gives_404_and_changes_nothing(caseworker_client, caseworker, outsider):
    stranger = ClientFactory(registered_by=outsider, with_family=True)
    draft = on_primary(caseworker_client, caseworker)

    response = caseworker_client.post(
        url("draft-family-copy", draft), {"copy_from": str(stranger.code), "copy": ["primary.last_name"]}
    )

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.prefill == {}


def test_another_caseworkers_draft_gives_404(caseworker2_client, caseworker_client, caseworker, samir):
    draft = on_primary(caseworker_client, caseworker)

    assert (
        caseworker2_client.get(url("draft-family-offer", draft), {"family_code": samir.family.code}).status_code == 404
    )
    assert caseworker2_client.post(url("draft-family-select", draft), {"relative": str(samir.code)}).status_code == 404
    response = caseworker2_client.post(url("draft-family-copy", draft), {"copy_from": str(samir.code)})
    assert response.status_code == 404


def test_a_get_on_select_or_copy_from_a_step_gives_405(caseworker_client, caseworker, samir):
    draft = on_primary(caseworker_client, caseworker)

    assert caseworker_client.get(url("draft-family-select", draft)).status_code == 405
    assert caseworker_client.get(url("draft-step-family-copy", draft, step="primary")).status_code == 405
