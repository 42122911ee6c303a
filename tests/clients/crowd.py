"""A crowd of invented clients in two agencies, built once for a whole test module.

Generating the crowd for every test made Find Client's and the duplicate check's modules slow; built once, it is
committed outside the tests' transactions, so each test still runs in its own transaction, rolled back, over the
same crowd. When the module is done, everything the crowd added is deleted and the tables hold what they held
before: the rest of the suite starts from the same database as ever.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import override_settings

from agencies.models import Agency, Program, Role, Site, SiteGroup, StaffProfile
from clients.models import Client, Family
from demo.generate import clients_generate
from tests.conftest import reference_lists_load
from tests.factories import StaffFactory, agency_create, other_agency_create

CROWD_SIZE = 300
AGENCY_NAMES = ("Maple Test Agency", "Harbour Test Centre")
USERNAMES = ("casey", "otto")


@dataclass(frozen=True)
class Crowd:
    """The two agencies and their personas, as tests/conftest.py makes them, each with CROWD_SIZE invented
    clients: the same seed gives both agencies the same people, client numbers, telephones and identifiers."""

    agency: Agency
    other_agency: Agency
    caseworker: StaffProfile
    outsider: StaffProfile


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def crowd_create(*, seed: int) -> Crowd:
    """The agencies and personas of tests/conftest.py (agency, other_agency, caseworker, outsider) with the crowd."""
    agency = agency_create(AGENCY_NAMES[0])
    other_agency = other_agency_create(AGENCY_NAMES[1])
    caseworker = StaffFactory(
        agency=agency, role=Role.CASEWORKER, user__username=USERNAMES[0], may_unlock_sensitive=True
    )
    outsider = StaffFactory(
        agency=other_agency, role=Role.CASEWORKER, user__username=USERNAMES[1], may_unlock_sensitive=True
    )
    clients_generate(agency=agency, count=CROWD_SIZE, created_by=caseworker.user, seed=seed)
    clients_generate(agency=other_agency, count=CROWD_SIZE, created_by=outsider.user, seed=seed)
    return Crowd(agency=agency, other_agency=other_agency, caseworker=caseworker, outsider=outsider)


# Deleting the crowd is nobody's change of a client: no history row is written for it.
@override_settings(SIMPLE_HISTORY_ENABLED=False)
def crowd_delete() -> None:
    """Every row of the crowd's agencies and personas, found by name so that a build that failed half-way is
    deleted too."""
    agencies = list(Agency.objects.filter(name__in=AGENCY_NAMES))
    Client.objects.filter(agency__in=agencies).delete()
    Family.objects.filter(agency__in=agencies).delete()
    StaffProfile.objects.filter(agency__in=agencies).delete()
    get_user_model().objects.filter(username__in=USERNAMES).delete()
    Site.objects.filter(agency__in=agencies).delete()
    SiteGroup.objects.filter(agency__in=agencies).delete()
    Program.objects.filter(agency__in=agencies).delete()
    for agency in agencies:
        agency.list_items.all().delete()
        agency.delete()


def crowd_fixture(django_db_blocker, *, seed: int) -> Iterator[Crowd]:
    """The body of a module-scoped fixture: the crowd for the module's tests, then every row of it deleted."""
    with django_db_blocker.unblock():
        reference_lists_load()  # as tests/conftest.py does before each test: the crowd is built before that
        crowd_delete()  # what a run stopped before its teardown may have left (with --reuse-db)
        before = row_counts()
    try:
        with django_db_blocker.unblock():
            crowd = crowd_create(seed=seed)
        yield crowd
    finally:
        with django_db_blocker.unblock():
            crowd_delete()
            after = row_counts()
        left = {table: after[table] - count for table, count in before.items() if after[table] != count}
        assert not left, f"the crowd left rows behind: {left}"


def crowd_fixtures(*, seed: int) -> tuple:
    """A module's fixtures `crowd, agency, other_agency, caseworker, outsider`, to assign to those names: the crowd
    (CROWD_SIZE invented clients in each agency, built once for the module with this seed) and the personas of
    tests/conftest.py, here the ones of the crowd, so that every test of the module runs among it."""

    @pytest.fixture(scope="module")
    def crowd(django_db_setup, django_db_blocker) -> Iterator[Crowd]:
        yield from crowd_fixture(django_db_blocker, seed=seed)

    @pytest.fixture
    def agency(crowd, db) -> Agency:
        return Agency.objects.get(pk=crowd.agency.pk)

    @pytest.fixture
    def other_agency(crowd, db) -> Agency:
        return Agency.objects.get(pk=crowd.other_agency.pk)

    @pytest.fixture
    def caseworker(crowd, db) -> StaffProfile:
        return StaffProfile.objects.select_related("user", "agency").get(pk=crowd.caseworker.pk)

    @pytest.fixture
    def outsider(crowd, db) -> StaffProfile:
        return StaffProfile.objects.select_related("user", "agency").get(pk=crowd.outsider.pk)

    return crowd, agency, other_agency, caseworker, outsider
