"""Children's age groups against their date of birth, where one is given, on every path: a child row of the wizard
or of the Emergency Contact & Consent edit is of the age group chosen on the Registration Date (Infant 6-18 months,
Toddler 19-35, Pre-school 36 months to 6 years, School age more than 6 years) and born after the client; a change of
the client's Date of Birth or Registration Date is checked against the children already saved."""

from datetime import date

import pytest
from django.utils import timezone

from clients.models import Child, Client
from clients.sections import SectionName
from tests.factories import ChildFactory, ClientFactory, child_age_group
from tests.registration.edit_pages import Editor
from tests.wizard import DATE_OF_BIRTH, form_errors, input_value, registered_client, row_errors, step_url, walk

pytestmark = pytest.mark.django_db


def months_ago(months: int) -> date:
    """The first day of the month `months` months before this one: a child born then is `months` months old today."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def child_row(name: str, born: str, group: str) -> dict[str, str]:
    return {
        "children-TOTAL_FORMS": "1",
        "children-0-name": name,
        "children-0-date_of_birth": born,
        "children-0-age_group": str(child_age_group(group).pk) if group else "",
    }


# The wizard


def test_the_wizard_refuses_an_age_group_the_child_is_not_of_and_names_the_right_one(caseworker_client, caseworker):
    born = months_ago(20)

    code, response = walk(caseworker_client, caseworker, {"consent": child_row("Tobi", born.isoformat(), "Infant")})

    assert response.request["PATH_INFO"] == step_url(code, "consent")
    today = timezone.localdate().isoformat()
    message = (
        f"The child is 20 months old on {today} (born {born.isoformat()}): that is Toddler (19-35 months), "
        "not Infant (6-18 months)."
    )
    assert row_errors(response, "children", 0) == {"age_group": [message]}
    assert input_value(response, "children-0-date_of_birth") == born.isoformat()
    assert Client.objects.count() == 0


def test_the_wizard_refuses_a_child_born_before_the_client(caseworker_client, caseworker):
    code, response = walk(caseworker_client, caseworker, {"consent": child_row("Tobi", "1985-01-01", "School age")})

    assert response.request["PATH_INFO"] == step_url(code, "consent")
    message = (
        f"The child's date of birth is not after the client's Date of Birth {DATE_OF_BIRTH} (Primary Information)."
    )
    assert row_errors(response, "children", 0) == {"date_of_birth": [message]}


def test_the_wizard_registers_a_child_of_the_age_group_with_its_date_of_birth(caseworker_client, caseworker):
    born = months_ago(40)

    _code, response = walk(
        caseworker_client, caseworker, {"consent": child_row("Tobi", born.isoformat(), "Pre-school")}
    )

    child = registered_client(response).children.get()
    assert (child.name, child.date_of_birth, child.age_group) == ("Tobi", born, child_age_group("Pre-school"))


def test_a_child_without_a_date_of_birth_is_not_checked(caseworker_client, caseworker):
    _code, response = walk(caseworker_client, caseworker, {"consent": child_row("Tobi", "", "Infant")})

    assert registered_client(response).children.get().date_of_birth is None


def test_the_summary_checks_the_registration_date_against_the_children(caseworker_client, caseworker):
    """Registered as of a date a year back, the Toddler of today was an Infant then."""
    born = months_ago(30)
    registered = months_ago(12).isoformat()
    overrides = {
        "consent": child_row("Tobi", born.isoformat(), "Toddler"),
        "summary": {"registration_date": registered},
    }

    code, response = walk(caseworker_client, caseworker, overrides)

    assert response.request["PATH_INFO"] == step_url(code, "summary")
    message = (
        f"This makes the client's child Tobi 18 months old on {registered} (born {born.isoformat()}): that is "
        "Infant (6-18 months), not Toddler (19-35 months) (Emergency Contact & Consent)."
    )
    assert response.context["section"].forms["summary"].errors == {"registration_date": [message]}
    assert Client.objects.count() == 0


# The profile's section edits


@pytest.fixture
def parent(caseworker) -> Client:
    """Born 1990-04-12, registered 2021-06-01."""
    return ClientFactory(registered_by=caseworker, registration_date=date(2021, 6, 1))


def test_a_consent_edit_checks_a_child_against_the_saved_registration_date(caseworker_client, parent):
    editor = Editor(caseworker_client, parent, SectionName.CONSENT).type(
        **child_row("Tobi", "2020-01-15", "School age")
    )

    response = editor.save()

    message = (
        "The child is 16 months old on 2021-06-01 (born 2020-01-15): that is Infant (6-18 months), "
        "not School age (more than 6 years)."
    )
    assert row_errors(response, "children", 0) == {"age_group": [message]}
    assert not Child.objects.exists()

    editor.type(**{"children-0-age_group": str(child_age_group("Infant").pk)})
    assert editor.save().status_code == 302
    assert parent.children.get().date_of_birth == date(2020, 1, 15)


@pytest.fixture
def tobis_parent(parent) -> Client:
    """The parent, with Tobi saved as an Infant (born 2020-01-15)."""
    ChildFactory(client=parent, date_of_birth=date(2020, 1, 15), age_group=child_age_group("Infant"))
    return parent


def test_a_summary_edit_may_not_make_a_saved_child_of_another_age_group(caseworker_client, tobis_parent):
    response = Editor(caseworker_client, tobis_parent, SectionName.SUMMARY).type(registration_date="2022-03-01").save()

    message = (
        "This makes the client's child Tobi 25 months old on 2022-03-01 (born 2020-01-15): that is Toddler (19-35 "
        "months), not Infant (6-18 months) (Emergency Contact & Consent)."
    )
    assert form_errors(response, "summary") == {"registration_date": [message]}
    tobis_parent.refresh_from_db()
    assert tobis_parent.registration_date == date(2021, 6, 1)


def test_a_primary_edit_may_not_make_the_client_younger_than_a_child(caseworker_client, tobis_parent):
    response = Editor(caseworker_client, tobis_parent, SectionName.PRIMARY).type(date_of_birth="2020-02-01").save()

    message = (
        "The date of birth is not before the date of birth of the client's child Tobi, 2020-01-15 "
        "(Emergency Contact & Consent)."
    )
    assert message in form_errors(response, "primary")["date_of_birth"]
    tobis_parent.refresh_from_db()
    assert tobis_parent.date_of_birth == date(1990, 4, 12)
