"""The demo data: two agencies and their staff, safe to load again."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agencies.models import Agency, ListItem, Program, Role, Site, SiteGroup, StaffProfile

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "ocms-demo-2026"
DEMO_STAFF = {
    # username: agency, role, may unlock sensitive
    "caseworker": ("Maple Settlement Services", Role.CASEWORKER, True),
    "caseworker2": ("Maple Settlement Services", Role.CASEWORKER, False),
    "coordinator": ("Maple Settlement Services", Role.COORDINATOR, False),
    "manager": ("Maple Settlement Services", Role.MANAGER, True),
    "outsider": ("Harbour Newcomer Centre", Role.CASEWORKER, True),
}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = [Agency, Program, SiteGroup, Site, ListItem, StaffProfile, get_user_model()]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def loaded_twice() -> dict[str, int]:
    load_demo()
    after_first = row_counts()
    load_demo()
    return after_first


def test_it_creates_maple_with_its_programs_and_sites_in_two_groups(loaded_twice):
    maple = Agency.objects.get(name="Maple Settlement Services")

    assert sorted(maple.programs.values_list("name", flat=True)) == ["Employment", "Language Training", "Settlement"]
    assert maple.sites.count() == 4
    assert sorted(maple.site_groups.values_list("name", flat=True)) == ["Non-schools or Reception Centres", "Schools"]
    assert {site.group.agency_id for site in maple.sites.all()} == {maple.pk}


def test_it_creates_the_harbour_agency_apart_from_maple(loaded_twice):
    harbour = Agency.objects.get(name="Harbour Newcomer Centre")

    assert list(harbour.programs.values_list("name", flat=True)) == ["Settlement"]
    assert harbour.sites.count() == 1
    assert Agency.objects.count() == 2


@pytest.mark.parametrize("username", DEMO_STAFF)
def test_it_gives_each_demo_login_its_agency_role_and_grants(loaded_twice, username):
    agency_name, role, may_unlock = DEMO_STAFF[username]
    profile = StaffProfile.objects.select_related("agency", "user").get(user__username=username)

    assert profile.agency.name == agency_name
    assert profile.role == role
    assert profile.may_unlock_sensitive is may_unlock
    assert set(profile.programs.all()) == set(profile.agency.programs.all())
    assert profile.default_site is not None and profile.default_site.agency == profile.agency
    assert profile.user.check_password(DEMO_PASSWORD)


def test_it_lets_only_the_manager_of_maple_upload_to_icare(loaded_twice):
    maple_uploaders = StaffProfile.objects.filter(agency__name="Maple Settlement Services", may_upload_icare=True)

    assert list(maple_uploaders.values_list("user__username", flat=True)) == ["manager"]


@pytest.mark.parametrize(("username", "status"), [("coordinator", 200), ("manager", 200), ("caseworker", 403)])
def test_it_opens_the_list_administration_to_the_coordinator_and_the_manager_only(loaded_twice, username, status):
    http = Client()
    http.force_login(get_user_model().objects.get(username=username))

    assert http.get(reverse("admin:agencies_listitem_changelist")).status_code == status
    assert not get_user_model().objects.get(username=username).is_superuser


def test_it_duplicates_nothing_when_run_again(loaded_twice):
    assert loaded_twice["StaffProfile"] == len(DEMO_STAFF)
    assert row_counts() == loaded_twice


def test_it_prints_the_demo_password(db):
    assert DEMO_PASSWORD in load_demo()


def test_the_demo_agencies_have_their_texts_and_names_in_french_too(loaded_twice):
    maple = Agency.objects.get(name="Maple Settlement Services")

    assert maple.privacy_statement_fr.startswith("Maple Settlement Services recueille vos renseignements personnels")
    assert sorted(maple.programs.values_list("name_fr", flat=True)) == [
        "Emploi",
        "Formation linguistique",
        "Établissement",
    ]
    assert not Site.objects.filter(name_fr="").exists()
    assert not SiteGroup.objects.filter(name_fr="").exists()


def test_loading_again_gives_french_names_to_a_demo_loaded_before_them_and_keeps_edited_ones(loaded_twice):
    Program.objects.filter(name="Employment").update(name_fr="")
    Program.objects.filter(name="Settlement").update(name_fr="Accueil et établissement")

    load_demo()

    assert Program.objects.get(name="Employment", agency__name="Maple Settlement Services").name_fr == "Emploi"
    assert set(Program.objects.filter(name="Settlement").values_list("name_fr", flat=True)) == {
        "Accueil et établissement"
    }
