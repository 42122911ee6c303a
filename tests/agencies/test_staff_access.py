"""Roles and grants follow the trust levels: only a manager changes them, never their own, and each change is kept.

The refusals are made by direct POST, as a coordinator who edits the page or scripts the admin would.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import ListItem, Role, StaffAccessChange, StaffProfile
from agencies.services import staff_profile_save
from tests.conftest import client_for
from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:agencies_staffprofile_add")
CHANGES_URL = reverse("agencies:staff-access-changes")
ACCESS_POST_FIELDS = {"role", "may_unlock_sensitive", "may_upload_icare"}
# Everything a coordinator could wish for, as the admin's checkboxes post it.
PROMOTION = {"role": Role.MANAGER, "may_unlock_sensitive": "on", "may_upload_icare": "on"}


def change_url(staff: StaffProfile) -> str:
    return reverse("admin:agencies_staffprofile_change", args=[staff.pk])


def profile_post(staff: StaffProfile, **changes) -> dict:
    """The change form as shown for the staff member (with their login's fields, which only some see), with the
    changes typed in."""
    user = staff.user
    login = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
    return {
        **login,
        **({"is_active": "on"} if user.is_active else {}),
        "programs": [program.pk for program in staff.programs.all()],
        "default_site": staff.default_site_id or "",
        **changes,
    }


def new_staff_post(username: str = "nia", **changes) -> dict:
    return {
        "username": username,
        "first_name": "Nia",
        "last_name": "Newcomer",
        "email": f"{username}@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


def access_of(staff: StaffProfile) -> tuple[str, bool, bool]:
    staff.refresh_from_db()
    return staff.role, staff.may_unlock_sensitive, staff.may_upload_icare


def recorded() -> set[tuple]:
    return set(StaffAccessChange.objects.values_list("agency", "changed_by", "staff", "field", "old", "new"))


def test_it_keeps_a_coordinators_own_role_and_grants_when_they_post_a_promotion(coordinator):
    http = client_for(coordinator)

    response = http.post(change_url(coordinator), profile_post(coordinator, **PROMOTION))

    assert response.status_code == 302
    assert access_of(coordinator) == (Role.COORDINATOR, False, False)
    assert recorded() == set()


def test_it_keeps_a_caseworkers_role_and_grants_when_a_coordinator_posts_others(coordinator, caseworker):
    http = client_for(coordinator)

    # may_unlock_sensitive left out: an unticked box, which would take the caseworker's grant away.
    response = http.post(change_url(caseworker), profile_post(caseworker, role=Role.MANAGER, may_upload_icare="on"))

    assert response.status_code == 302
    assert access_of(caseworker) == (Role.CASEWORKER, True, False)
    assert recorded() == set()


def test_it_offers_a_coordinator_no_role_or_grant_field_on_a_staff_member(coordinator, caseworker):
    response = client_for(coordinator).get(change_url(caseworker))

    assert response.status_code == 200
    assert not ACCESS_POST_FIELDS & set(response.context["adminform"].form.fields)


def test_it_lets_a_coordinator_change_a_caseworkers_programs_and_default_site(agency, coordinator, caseworker):
    settlement = agency.programs.get(name="Settlement")
    school = agency.sites.get(name="Riverside Public School")

    response = client_for(coordinator).post(
        change_url(caseworker), {"programs": [settlement.pk], "default_site": school.pk}
    )

    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert list(caseworker.programs.all()) == [settlement]
    assert caseworker.default_site == school
    assert access_of(caseworker) == (Role.CASEWORKER, True, False)
    assert recorded() == set()


def test_it_keeps_a_managers_own_role_and_grants_when_they_post_changes(manager):
    http = client_for(manager)

    form = http.get(change_url(manager)).context["adminform"].form
    response = http.post(change_url(manager), profile_post(manager, role=Role.CASEWORKER))

    assert not ACCESS_POST_FIELDS & set(form.fields)
    assert response.status_code == 302
    assert access_of(manager) == (Role.MANAGER, True, True)
    assert recorded() == set()


def test_it_lets_a_manager_change_a_caseworkers_role_and_grants_and_records_each(agency, manager, caseworker):
    started = timezone.now()

    response = client_for(manager).post(
        change_url(caseworker), profile_post(caseworker, role=Role.COORDINATOR, may_upload_icare="on")
    )

    assert response.status_code == 302
    assert access_of(caseworker) == (Role.COORDINATOR, False, True)
    assert recorded() == {
        (agency.pk, manager.user.pk, caseworker.pk, "role", "caseworker", "coordinator"),
        (agency.pk, manager.user.pk, caseworker.pk, "may_unlock_sensitive", "True", "False"),
        (agency.pk, manager.user.pk, caseworker.pk, "may_upload_icare", "False", "True"),
    }
    assert all(started <= change.at <= timezone.now() for change in StaffAccessChange.objects.all())


def test_it_records_nothing_when_a_manager_saves_a_staff_member_unchanged(manager, caseworker):
    response = client_for(manager).post(
        change_url(caseworker), profile_post(caseworker, role=Role.CASEWORKER, may_unlock_sensitive="on")
    )

    assert response.status_code == 302
    assert access_of(caseworker) == (Role.CASEWORKER, True, False)
    assert recorded() == set()


def test_it_refuses_a_manager_the_staff_of_another_agency(manager, outsider):
    response = client_for(manager).post(change_url(outsider), profile_post(outsider, role=Role.MANAGER))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert access_of(outsider) == (Role.CASEWORKER, True, False)
    assert recorded() == set()


def test_it_adds_a_coordinators_new_staff_member_as_a_caseworker_without_grants(agency, coordinator):
    settlement = agency.programs.get(name="Settlement")
    office = agency.sites.get(name="Main Office")
    http = client_for(coordinator)

    form = http.get(ADD_URL).context["adminform"].form
    response = http.post(ADD_URL, new_staff_post(programs=[settlement.pk], default_site=office.pk, **PROMOTION))

    assert not ACCESS_POST_FIELDS & set(form.fields)
    assert response.status_code == 302
    nia = StaffProfile.objects.get(user__username="nia")
    assert (nia.agency, nia.role, nia.may_unlock_sensitive, nia.may_upload_icare) == (
        agency,
        Role.CASEWORKER,
        False,
        False,
    )
    assert list(nia.programs.all()) == [settlement]
    assert nia.default_site == office
    assert nia.user.get_full_name() == "Nia Newcomer"
    assert nia.user.check_password(PASSWORD)
    assert recorded() == set()


def test_it_lets_the_new_staff_member_log_in_with_the_password_the_coordinator_chose(agency, coordinator, client):
    client_for(coordinator).post(ADD_URL, new_staff_post(programs=[agency.programs.first().pk]))

    response = client.post(reverse("login"), {"username": "nia", "password": PASSWORD})

    assertRedirects(response, reverse("home"))
    assert client.session["_auth_user_id"] == str(StaffProfile.objects.get(user__username="nia").user.pk)


def test_it_refuses_a_new_staff_member_whose_two_passwords_differ(agency, coordinator):
    response = client_for(coordinator).post(ADD_URL, new_staff_post(password2="another-horse-battery"))

    assert response.status_code == 200
    assert "password2" in response.context["adminform"].form.errors
    assert not StaffProfile.objects.filter(user__username="nia").exists()


def test_it_refuses_a_username_outside_djangos_rule_with_a_message(agency, coordinator):
    data = new_staff_post(username="bad user name!! <b>", programs=[agency.programs.first().pk])

    response = client_for(coordinator).post(ADD_URL, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"] == [
        "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
    ]
    assert not StaffProfile.objects.filter(user__username__startswith="bad").exists()


def test_it_refuses_a_new_login_with_another_logins_email_in_any_case(agency, coordinator, outsider):
    # The outsider is of another agency: the address names one login, whichever agency it is of.
    taken = outsider.user.email.upper()

    response = client_for(coordinator).post(ADD_URL, new_staff_post(email=taken, programs=[agency.programs.first().pk]))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "This e-mail address belongs to another login: each login needs its own."
    ]
    assert not StaffProfile.objects.filter(user__username="nia").exists()
    assertContains(response, taken)  # what was typed is kept


def test_it_records_the_grant_a_manager_gives_a_new_staff_member(agency, manager):
    http = client_for(manager)

    form = http.get(ADD_URL).context["adminform"].form
    response = http.post(
        ADD_URL,
        new_staff_post(programs=[agency.programs.first().pk], role=Role.CASEWORKER, may_unlock_sensitive="on"),
    )

    assert set(form.fields) >= ACCESS_POST_FIELDS
    assert response.status_code == 302
    nia = StaffProfile.objects.get(user__username="nia")
    assert access_of(nia) == (Role.CASEWORKER, True, False)
    assert recorded() == {(agency.pk, manager.user.pk, nia.pk, "may_unlock_sensitive", "False", "True")}


def test_it_records_the_role_a_manager_gives_a_new_staff_member(agency, manager):
    response = client_for(manager).post(
        ADD_URL, new_staff_post(programs=[agency.programs.first().pk], role=Role.COORDINATOR)
    )

    assert response.status_code == 302
    nia = StaffProfile.objects.get(user__username="nia")
    assert access_of(nia) == (Role.COORDINATOR, False, False)
    assert recorded() == {(agency.pk, manager.user.pk, nia.pk, "role", "caseworker", "coordinator")}


# The service itself, called directly: the admin is not the only door a future view might open.


def assert_the_service_refuses(by: StaffProfile, staff: StaffProfile, unchanged: tuple[str, bool, bool]) -> None:
    """staff_profile_save, called by `by` with what was set on `staff`, refuses it: `staff`'s access stays as it
    was saved (`unchanged`) and no change is recorded."""
    with pytest.raises(PermissionDenied):
        staff_profile_save(by=by.user, staff=staff)

    assert access_of(staff) == unchanged
    assert recorded() == set()


def test_it_refuses_a_coordinator_a_role_change_in_the_service(coordinator, caseworker):
    caseworker.role = Role.MANAGER

    assert_the_service_refuses(coordinator, caseworker, unchanged=(Role.CASEWORKER, True, False))


def test_it_refuses_a_coordinator_a_grant_for_themselves_in_the_service(coordinator):
    coordinator.may_upload_icare = True

    assert_the_service_refuses(coordinator, coordinator, unchanged=(Role.COORDINATOR, False, False))


def test_it_refuses_a_manager_their_own_role_change_in_the_service(manager):
    manager.may_unlock_sensitive = False

    assert_the_service_refuses(manager, manager, unchanged=(Role.MANAGER, True, True))


def test_it_refuses_a_manager_of_another_agency_in_the_service(other_agency, caseworker):
    harbour_manager = StaffFactory(agency=other_agency, role=Role.MANAGER)
    caseworker.may_upload_icare = True

    assert_the_service_refuses(harbour_manager, caseworker, unchanged=(Role.CASEWORKER, True, False))


def test_it_saves_a_coordinators_change_of_default_site_in_the_service(agency, coordinator, caseworker):
    caseworker.default_site = agency.sites.get(name="Welcome Centre")

    assert staff_profile_save(by=coordinator.user, staff=caseworker) == []

    caseworker.refresh_from_db()
    assert caseworker.default_site.name == "Welcome Centre"


def test_it_records_a_managers_change_in_the_service(agency, manager, caseworker):
    caseworker.role = Role.MANAGER

    (change,) = staff_profile_save(by=manager.user, staff=caseworker)

    assert (change.agency, change.changed_by, change.staff) == (agency, manager.user, caseworker)
    assert (change.field, change.old, change.new) == ("role", "caseworker", "manager")
    assert access_of(caseworker) == (Role.MANAGER, True, False)


# The managers' page of these changes, beside Sensitive Information Access.


@pytest.fixture
def changes_made(manager, caseworker, caseworker2):
    """The manager makes the caseworker an Agency Coordinator without the unlock grant, and casey2 a manager."""
    http = client_for(manager)
    http.post(change_url(caseworker), profile_post(caseworker, role=Role.COORDINATOR))
    http.post(change_url(caseworker2), profile_post(caseworker2, role=Role.MANAGER, may_upload_icare="on"))
    assert StaffAccessChange.objects.count() == 4


def test_it_shows_a_manager_each_change_of_role_and_grant(manager, caseworker, caseworker2, changes_made):
    response = client_for(manager).get(CHANGES_URL)

    assertContains(response, f"<td>{caseworker.display_name}</td>", count=2, html=True)
    assertContains(response, f"<td>{caseworker2.display_name}</td>", count=2, html=True)
    assertContains(response, f"<td>{manager.display_name}</td>", count=4, html=True)
    assertContains(response, "<td>Caseworker</td>", count=2, html=True)
    assertContains(response, "<td>Agency Coordinator</td>", count=1, html=True)
    assertContains(response, "<td>Manager</td>", count=1, html=True)
    assertContains(response, "<td>may unlock sensitive information</td>", count=1, html=True)
    assertContains(response, "<td>may upload to iCARE</td>", count=1, html=True)
    assertContains(response, "<td>Yes</td>", count=2, html=True)
    assertContains(response, "<td>No</td>", count=2, html=True)


def test_it_shows_a_manager_when_no_role_or_grant_has_changed(manager):
    assertContains(client_for(manager).get(CHANGES_URL), "No role or grant has been changed yet.")


def test_it_leads_a_manager_to_where_roles_and_grants_are_changed(manager):
    response = client_for(manager).get(CHANGES_URL)
    where = reverse("admin:agencies_staffprofile_changelist")

    assertContains(
        response,
        f'<a href="{where}">Change a staff member\'s role or grants (Administration, Staff profiles)</a>',
        html=True,
    )
    assert client_for(manager).get(where).status_code == 200


@pytest.mark.parametrize("persona", ["coordinator", "caseworker", "outsider"])
def test_it_refuses_the_changes_of_roles_and_grants_to_anyone_but_a_manager(request, persona, manager, caseworker2):
    caseworker2.may_upload_icare = True
    staff_profile_save(by=manager.user, staff=caseworker2)

    response = client_for(request.getfixturevalue(persona)).get(CHANGES_URL)

    assert response.status_code == 403
    assertNotContains(response, caseworker2.display_name, status_code=403)


def test_it_shows_a_manager_nothing_of_another_agencys_changes(other_agency, manager, outsider, caseworker):
    harbour_manager = StaffFactory(agency=other_agency, role=Role.MANAGER, user__first_name="Hal")
    outsider.role = Role.COORDINATOR
    staff_profile_save(by=harbour_manager.user, staff=outsider)
    caseworker.may_upload_icare = True
    staff_profile_save(by=manager.user, staff=caseworker)

    response = client_for(manager).get(CHANGES_URL)

    assertContains(response, f"<td>{caseworker.display_name}</td>", html=True)
    assertNotContains(response, outsider.display_name)
    assertNotContains(response, harbour_manager.display_name)
    assertNotContains(response, "Agency Coordinator")


def test_it_links_sensitive_information_access_to_the_changes_of_roles_and_grants(manager):
    response = client_for(manager).get(reverse("clients:unlock-log"))

    assertContains(response, f'href="{CHANGES_URL}"')


def test_it_links_the_changes_of_roles_and_grants_back_to_sensitive_information_access(manager):
    response = client_for(manager).get(CHANGES_URL)

    assertContains(response, f'href="{reverse("clients:unlock-log")}"')


# The list administration: coordinators and managers keep the agency's lists.

LIST_ITEMS_URL = reverse("admin:agencies_listitem_changelist")


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
def test_it_opens_the_list_administration_to_coordinators_and_managers(request, agency, persona):
    response = client_for(request.getfixturevalue(persona)).get(LIST_ITEMS_URL)

    assert response.status_code == 200
    assert {item.agency for item in response.context["cl"].result_list} == {agency}


def test_it_refuses_the_list_administration_to_a_caseworker(caseworker):
    response = client_for(caseworker).get(LIST_ITEMS_URL)

    assert response.status_code == 403
    assertNotContains(response, ListItem.objects.filter(agency=caseworker.agency).first().label, status_code=403)


def test_it_tells_a_coordinator_why_the_role_and_grants_cannot_be_changed(coordinator, caseworker):
    response = client_for(coordinator).get(change_url(caseworker))

    assertContains(response, "Only a manager changes roles and grants, and never their own.")
    assert "role" not in response.context["adminform"].form.fields  # shown, read only


def test_it_gives_a_manager_the_role_and_grants_of_a_colleague_to_change(manager, caseworker):
    response = client_for(manager).get(change_url(caseworker))

    assertNotContains(response, "Only a manager changes roles and grants")
    assert "role" in response.context["adminform"].form.fields


# A staff member's login: changed by a coordinator or manager who holds at least the person's role and grants


NEW_PASSWORD = "Another long passphrase 2026"
LOGIN_FIELDS = {"first_name", "last_name", "email", "is_active", "password1", "password2"}


def login_of(staff: StaffProfile) -> tuple[str, str, str, bool]:
    staff.user.refresh_from_db()
    return staff.user.first_name, staff.user.last_name, staff.user.email, staff.user.is_active


def test_it_lets_a_coordinator_rename_a_caseworker_and_set_a_new_password(agency, coordinator, caseworker2):
    old_password_hash = caseworker2.user.password

    response = client_for(coordinator).post(
        change_url(caseworker2),
        profile_post(
            caseworker2,
            first_name="Casey",
            last_name="Newname",
            email="casey.newname@example.org",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
        ),
    )

    assert response.status_code == 302
    assert login_of(caseworker2) == ("Casey", "Newname", "casey.newname@example.org", True)
    assert caseworker2.user.password != old_password_hash
    assert caseworker2.user.check_password(NEW_PASSWORD)
    assert not caseworker2.user.check_password(PASSWORD)
    # The password itself is never recorded: only that a new one was set, by whom, for whom.
    assert recorded() == {(agency.pk, coordinator.user.pk, caseworker2.pk, "password", "", "set")}


def test_it_signs_a_caseworker_out_at_once_when_a_coordinator_stops_their_login(
    agency, coordinator, caseworker2, manager
):
    signed_in = client_for(caseworker2)
    assert signed_in.get(reverse("home")).status_code == 200

    posted = profile_post(caseworker2)
    del posted["is_active"]  # the box unticked
    response = client_for(coordinator).post(change_url(caseworker2), posted)

    assert response.status_code == 302
    assert login_of(caseworker2)[3] is False
    # The open session ends at its next page, and the password no longer logs in.
    assertRedirects(signed_in.get(reverse("home")), f"{reverse('login')}?next=/", fetch_redirect_response=False)
    assert signed_in.post(reverse("login"), {"username": "casey2", "password": PASSWORD}).status_code == 200
    assertRedirects(signed_in.get(reverse("home")), f"{reverse('login')}?next=/", fetch_redirect_response=False)
    assert recorded() == {(agency.pk, coordinator.user.pk, caseworker2.pk, "is_active", "True", "False")}
    # Managers see it beside the changes of roles and grants.
    assertContains(client_for(manager).get(CHANGES_URL), "<td>may log in</td><td>Yes</td><td>No</td>", html=True)


def test_it_keeps_the_login_of_staff_who_hold_more_than_the_coordinator(coordinator, caseworker, manager):
    # The caseworker may unlock sensitive information, which the coordinator may not; the manager outranks them.
    http = client_for(coordinator)
    for staff in (caseworker, manager):
        before = login_of(staff), staff.user.password
        form = http.get(change_url(staff)).context["adminform"].form
        assert not LOGIN_FIELDS & set(form.fields)
        assertContains(http.get(change_url(staff)), "changes their login")

        posted = profile_post(
            staff, first_name="X", email="x@example.org", password1=NEW_PASSWORD, password2=NEW_PASSWORD
        )
        del posted["is_active"]
        assert http.post(change_url(staff), posted).status_code == 302

        assert (login_of(staff), staff.user.password) == before
    assert recorded() == set()


def test_it_lets_a_manager_change_the_login_of_a_granted_caseworker(agency, manager, caseworker):
    response = client_for(manager).post(
        change_url(caseworker),
        profile_post(
            caseworker,
            role=Role.CASEWORKER,
            may_unlock_sensitive="on",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
        ),
    )

    assert response.status_code == 302
    caseworker.user.refresh_from_db()
    assert caseworker.user.check_password(NEW_PASSWORD)
    assert access_of(caseworker) == (Role.CASEWORKER, True, False)
    assert recorded() == {(agency.pk, manager.user.pk, caseworker.pk, "password", "", "set")}


def test_it_never_lets_staff_stop_or_change_their_own_login_here(manager):
    http = client_for(manager)
    before = login_of(manager), manager.user.password

    form = http.get(change_url(manager)).context["adminform"].form
    posted = profile_post(manager, first_name="X", password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    del posted["is_active"]
    response = http.post(change_url(manager), posted)

    assert not LOGIN_FIELDS & set(form.fields)
    assert response.status_code == 302
    assert (login_of(manager), manager.user.password) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "cora@example.org"}, "email", "This e-mail address belongs to another login"),
        ({"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "!"}, "password2", "The two passwords differ"),
        ({"password1": NEW_PASSWORD}, "password2", "Type the same password again here."),
        ({"password1": "password1234", "password2": "password1234"}, "password1", "too common"),
    ],
)
def test_it_refuses_a_login_change_with_a_message_on_the_field(coordinator, caseworker2, changes, field, message):
    coordinator.user.email = "cora@example.org"
    coordinator.user.save()
    before = login_of(caseworker2), caseworker2.user.password

    response = client_for(coordinator).post(change_url(caseworker2), profile_post(caseworker2, **changes))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert (login_of(caseworker2), caseworker2.user.password) == before
    assert recorded() == set()


def test_it_shows_the_username_as_text_not_a_link_to_the_superusers_login_admin(coordinator, caseworker2):
    response = client_for(coordinator).get(change_url(caseworker2))

    assertContains(response, "casey2")
    assertNotContains(response, reverse("admin:auth_user_change", args=[caseworker2.user.pk]))
