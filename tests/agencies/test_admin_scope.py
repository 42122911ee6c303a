"""The admin stays inside the agency: a coordinator's lists, object pages and every choice of every form.

The form checks walk `admin.site._registry`, so a model registered later is checked without a new test.
"""

from dataclasses import dataclass

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import Agency, AgencyList, ListItem, LoginSession, Program, Role, Site, SiteGroup, StaffProfile
from tests.conftest import client_for
from tests.factories import PASSWORD, ProgramFactory, SiteFactory, SiteGroupFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
ADMIN_INDEX = reverse("admin:index")

# The forms a coordinator must at least reach; the walk below opens every other one they may too.
COORDINATOR_FORMS = {
    "agencies.Agency change",
    "agencies.Program add",
    "agencies.Program change",
    "agencies.SiteGroup add",
    "agencies.SiteGroup change",
    "agencies.Site add",
    "agencies.Site change",
    "agencies.StaffProfile add",
    "agencies.StaffProfile change",
    "agencies.ListItem add",
    "agencies.ListItem change",
}
# The choices of those forms that hold an agency's rows.
AGENCY_CHOICES = {
    "agencies.Site add: group",
    "agencies.Site change: group",
    "agencies.StaffProfile add: programs",
    "agencies.StaffProfile add: default_site",
    "agencies.StaffProfile change: programs",
    "agencies.StaffProfile change: default_site",
}


def admin_url(model: type[Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def rows_of(agency: Agency) -> dict[type[Model], Model]:
    """One row of each model the admin edits, of the agency, named after it so a leak shows on a page."""
    group = SiteGroupFactory(agency=agency, name=f"{agency.name} Libraries")
    return {
        Agency: agency,
        Program: ProgramFactory(agency=agency, name=f"{agency.name} Youth Mentoring"),
        SiteGroup: group,
        Site: SiteFactory(agency=agency, group=group, name=f"{agency.name} North Library"),
        StaffProfile: StaffFactory(agency=agency),
        ListItem: agency.list_items.order_by("pk").first(),
    }


def add_data(model: type[Model], own: dict[type[Model], Model]) -> dict:
    """A valid post of the model's add form, choosing only the agency's own rows."""
    data = {
        Program: {"name": "Newcomer Youth", "is_active": "on"},
        SiteGroup: {"name": "Community Centres"},
        Site: {"name": "East Library", "group": own[SiteGroup].pk, "is_active": "on"},
        StaffProfile: {
            "username": "nia",
            "first_name": "Nia",
            "last_name": "Newcomer",
            "email": "nia@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "programs": [own[Program].pk],
            "default_site": own[Site].pk,
        },
        ListItem: {"list": AgencyList.GENDER, "label": "Prefers to self-describe", "position": 9, "is_active": "on"},
    }
    assert model in data, f"add_data() has no valid post for {model._meta.label}'s add form: give it one"
    return data[model]


@dataclass
class Side:
    """A coordinator of one agency, their agency's rows and the other agency's."""

    http: Client
    staff: StaffProfile
    own: dict[type[Model], Model]
    other: dict[type[Model], Model]

    @property
    def agency(self) -> Agency:
        return self.own[Agency]

    @property
    def other_agency(self) -> Agency:
        return self.other[Agency]

    def request(self) -> HttpRequest:
        """A request of the coordinator as the admin sees it (staff and agency set by the middleware)."""
        return self.http.get(ADMIN_INDEX).wsgi_request


@pytest.fixture(params=["Maple coordinator", "Harbour coordinator"])
def side(request, agency, other_agency, coordinator) -> Side:
    # A superuser exists, whom no coordinator's choice of users may ever hold.
    root = UserFactory(username="root")
    root.is_staff = root.is_superuser = True
    root.save()
    maple, harbour = rows_of(agency), rows_of(other_agency)
    if request.param == "Maple coordinator":
        return Side(client_for(coordinator), coordinator, own=maple, other=harbour)
    hana = StaffFactory(agency=other_agency, role=Role.COORDINATOR, user__username="hana")
    return Side(client_for(hana), hana, own=harbour, other=maple)


def belongs_elsewhere(row: Model, agency: Agency) -> bool:
    """A row a coordinator of the agency must never be offered: another agency's, or a login not of theirs."""
    if isinstance(row, User):
        return not StaffProfile.objects.filter(user=row, agency=agency).exists()
    if isinstance(row, Agency):
        return row.pk != agency.pk
    if hasattr(row, "agency_id"):
        return row.agency_id != agency.pk
    return False  # shared reference data (IRCC's lists, NOC): the same for every agency


def foreign_row(model: type[Model], side: Side) -> Model | None:
    if model in side.other:
        return side.other[model]
    if model is User:
        return side.other[StaffProfile].user
    return None


def admin_forms(side: Side) -> dict[str, tuple[type[Model], str, forms.Form]]:
    """Every add form, and the change form of the agency's own row, the coordinator may open."""
    request = side.request()
    opened = {}
    for model, model_admin in admin.site._registry.items():
        urls = {}
        if model_admin.has_add_permission(request):
            urls["add"] = admin_url(model, "add")
        if model_admin.has_change_permission(request):
            assert model in side.own, f"rows_of() has no row of {model._meta.label}, whose change form is open"
            urls["change"] = admin_url(model, "change", side.own[model].pk)
        for view, url in urls.items():
            response = side.http.get(url)
            assert response.status_code == 200, url
            opened[f"{model._meta.label} {view}"] = (model, url, response.context["adminform"].form)
    return opened


def choice_fields(form: forms.Form) -> dict[str, forms.ModelChoiceField]:
    """The form's foreign-key and many-to-many choices (ModelMultipleChoiceField is a ModelChoiceField)."""
    return {name: field for name, field in form.fields.items() if isinstance(field, forms.ModelChoiceField)}


def form_data(form: forms.Form) -> dict:
    """What the browser posts back for an unbound form left as it was shown."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif value is not None:
            data[name] = str(value)
    return data


def database_state() -> dict[str, list[dict]]:
    """Every row of the agencies app (many-to-many tables included) and every login; not the browsers' sessions,
    which a refused post changes too (the message it leaves for the next page)."""
    models = [
        *(m for m in apps.get_app_config("agencies").get_models(include_auto_created=True) if m is not LoginSession),
        User,
    ]
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models}


def test_it_offers_a_coordinator_no_choice_of_another_agency_in_any_admin_form(side):
    opened = admin_forms(side)
    checked, leaks = set(), []

    for label, (_model, _url, form) in opened.items():
        for name, field in choice_fields(form).items():
            checked.add(f"{label}: {name}")
            offered = [row for row in field.queryset if belongs_elsewhere(row, side.agency)]
            leaks += [f"{label}: {name} offers {row!r}" for row in offered]

    assert set(opened) >= COORDINATOR_FORMS
    assert checked >= AGENCY_CHOICES
    assert leaks == []


def test_it_offers_a_coordinator_their_own_agencys_rows_in_the_admin_forms(side):
    opened = admin_forms(side)

    assert side.own[SiteGroup] in choice_fields(opened["agencies.Site add"][2])["group"].queryset
    staff_form = choice_fields(opened["agencies.StaffProfile change"][2])
    assert side.own[Program] in staff_form["programs"].queryset
    assert side.own[Site] in staff_form["default_site"].queryset


def test_it_refuses_another_agencys_row_posted_in_any_admin_form(side):
    refused, accepted = [], []

    for label, (model, url, form) in admin_forms(side).items():
        base = add_data(model, side.own) if label.endswith(" add") else form_data(form)
        for name, field in choice_fields(form).items():
            theirs = foreign_row(field.queryset.model, side)
            if theirs is None:
                continue  # shared reference data: there is no other agency's row to post
            posted = [str(theirs.pk)] if isinstance(field, forms.ModelMultipleChoiceField) else str(theirs.pk)
            before = database_state()

            response = side.http.post(url, {**base, name: posted})

            errors = response.context["adminform"].form.errors if response.status_code == 200 else {}
            if response.status_code == 200 and set(errors) == {name} and database_state() == before:
                refused.append(f"{label}: {name}")
            else:
                accepted.append(f"{label}: {name} ({response.status_code}, errors {dict(errors)})")

    assert accepted == []
    assert set(refused) >= AGENCY_CHOICES


@pytest.mark.parametrize("model", [Program, SiteGroup, Site, StaffProfile, ListItem], ids=lambda m: m.__name__)
def test_it_files_a_coordinators_new_row_under_their_agency(side, model):
    response = side.http.post(admin_url(model, "add"), {**add_data(model, side.own), "agency": side.other_agency.pk})

    assert response.status_code == 302
    assert model._default_manager.latest("pk").agency == side.agency


def test_it_lists_no_row_of_another_agency_in_a_coordinators_change_lists(side):
    request = side.request()
    listed = set()

    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        response = side.http.get(admin_url(model, "changelist"))

        assertNotContains(response, side.other_agency.name)
        rows = list(response.context["cl"].result_list)
        assert [row for row in rows if belongs_elsewhere(row, side.agency)] == [], model._meta.label
        if model in side.own:
            assert side.own[model] in rows, model._meta.label
            listed.add(model)

    assert listed == set(side.own)


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_it_does_not_open_another_agencys_row_for_a_coordinator(side, view):
    request = side.request()

    for model, theirs in side.other.items():
        response = side.http.get(admin_url(model, view, theirs.pk))

        if view == "delete" and not admin.site._registry[model].has_delete_permission(request):
            # Django refuses the delete page of a model the user may not delete before looking the row up.
            assert response.status_code == 403, model._meta.label
        else:
            assertRedirects(response, ADMIN_INDEX, msg_prefix=model._meta.label)


def test_it_changes_nothing_of_another_agency_posted_to_its_change_and_delete_pages(side):
    request = side.request()
    before = database_state()

    for model, theirs in side.other.items():
        changed = side.http.post(admin_url(model, "change", theirs.pk), {"name": "Taken over", "label": "Taken over"})
        deleted = side.http.post(admin_url(model, "delete", theirs.pk), {"post": "yes"})

        assertRedirects(changed, ADMIN_INDEX, msg_prefix=model._meta.label)
        if admin.site._registry[model].has_delete_permission(request):
            assertRedirects(deleted, ADMIN_INDEX, msg_prefix=model._meta.label)
        else:
            assert deleted.status_code == 403, model._meta.label
    assert database_state() == before


def test_it_deletes_no_row_of_another_agency_selected_in_a_change_list(side):
    request = side.request()
    before = database_state()
    tried = []

    for model, theirs in side.other.items():
        if not admin.site._registry[model].has_delete_permission(request):
            continue
        response = side.http.post(
            admin_url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"},
        )

        assert response.status_code == 302, model._meta.label
        tried.append(model)

    assert database_state() == before
    assert {Program, SiteGroup, Site, ListItem} <= set(tried)


def test_it_does_not_save_another_agencys_list_value_posted_in_the_editable_change_list(side):
    theirs = side.other[ListItem]
    before = database_state()

    response = side.http.post(
        admin_url(ListItem, "changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(theirs.pk),
            "form-0-position": "99",
            "form-0-is_active": "",
            "_save": "Save",
        },
    )

    # Django takes an id outside the coordinator's list for a new row, which list_editable never adds.
    assert response.status_code == 400
    assert database_state() == before


def test_it_filters_a_coordinators_sites_by_their_agencys_groups_only(side):
    response = side.http.get(admin_url(Site, "changelist"))

    assert response.status_code == 200
    (group_filter,) = [spec for spec in response.context["cl"].filter_specs if spec.field_path == "group"]
    offered = {pk for pk, _label in group_filter.lookup_choices}
    assert offered == set(Site.objects.filter(agency=side.agency).values_list("group", flat=True))
    assert side.own[SiteGroup].pk in offered
    assertContains(response, side.own[SiteGroup].name)
    assertNotContains(response, side.other[SiteGroup].name)


def test_it_suggests_a_coordinator_no_row_of_another_agency_in_the_admin_autocomplete(side):
    answered, leaks = [], []

    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if not (field.many_to_many or field.many_to_one) or field.auto_created:
                continue
            response = side.http.get(
                reverse("admin:autocomplete"),
                {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field.name},
            )
            if response.status_code != 200:
                continue  # no search on the related admin, or no right to see it
            label = f"{model._meta.label}.{field.name}"
            answered.append(label)
            remote = field.related_model._default_manager
            suggested = [remote.get(pk=result["id"]) for result in response.json()["results"]]
            leaks += [f"{label} suggests {row!r}" for row in suggested if belongs_elsewhere(row, side.agency)]

    assert leaks == []
    assert {"agencies.StaffProfile.programs", "agencies.StaffProfile.default_site"} <= set(answered)


# A coordinator's form holds no agency field: the per-agency unique names must still come back as form errors.
DUPLICATES = {
    Program: {"name": "Settlement", "is_active": "on"},
    SiteGroup: {"name": "Schools"},
    Site: {"name": "Main Office", "is_active": "on"},
    ListItem: {"list": AgencyList.GENDER, "position": 0, "is_active": "on"},
}


@pytest.mark.parametrize("model", list(DUPLICATES), ids=lambda m: m.__name__)
def test_it_refuses_a_coordinator_a_second_row_of_the_same_name_in_their_agency(model, agency, coordinator):
    data = dict(DUPLICATES[model])
    if model is Site:
        data["group"] = agency.site_groups.get(name="Schools").pk
    if model is ListItem:
        data["label"] = agency.list_items.filter(list=AgencyList.GENDER).first().label
    http = client_for(coordinator)
    http.raise_request_exception = False
    before = database_state()

    response = http.post(admin_url(model, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert database_state() == before


@pytest.mark.parametrize("model", list(DUPLICATES), ids=lambda m: m.__name__)
def test_it_refuses_a_second_row_whose_name_differs_only_in_capitals(model, agency, coordinator):
    """Two choices of one drop-down nobody could tell apart ("Settlement" and "settlement")."""
    data = dict(DUPLICATES[model])
    if model is Site:
        data["group"] = agency.site_groups.get(name="Schools").pk
    field = "label" if model is ListItem else "name"
    taken = agency.list_items.filter(list=AgencyList.GENDER).first().label if model is ListItem else data[field]
    data[field] = taken.swapcase()
    http = client_for(coordinator)
    before = database_state()

    response = http.post(admin_url(model, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Your agency has this name already (in any capitals): choose another."
    ]
    assert database_state() == before


def test_it_refuses_a_program_whose_french_name_another_program_has(agency, coordinator):
    agency.programs.filter(name="Settlement").update(name_fr="Établissement")
    http = client_for(coordinator)

    response = http.post(admin_url(Program, "add"), {"name": "Youth", "name_fr": "établissement", "is_active": "on"})

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Your agency has this French name already (in any capitals): choose another."
    ]
    assert not agency.programs.filter(name="Youth").exists()
    # Programs without a French name are many, and fine.
    assert http.post(admin_url(Program, "add"), {"name": "Youth", "is_active": "on"}).status_code == 302


def test_it_refuses_a_coordinator_a_program_renamed_like_another_of_their_agency(agency, coordinator):
    employment = agency.programs.get(name="Employment")
    http = client_for(coordinator)
    http.raise_request_exception = False

    response = http.post(admin_url(Program, "change", employment.pk), {"name": "Settlement", "is_active": "on"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    employment.refresh_from_db()
    assert employment.name == "Employment"
