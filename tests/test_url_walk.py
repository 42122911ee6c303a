"""Agency isolation, proved over every URL: each route that takes an object's code answers 404 to a user
of another agency, for GET and for POST, with the code of a real object of agency A.

The routes are read from the project's URL configuration, not listed by hand: a route added later with
no entry in OBJECT_URLS fails here until someone says which object it takes, and then it is checked.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from uuid import uuid4

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from pytest_django.asserts import assertRedirects

from agencies.models import StaffProfile
from clients.merge import clients_merge
from clients.models import (
    Client,
    ClientMerge,
    DuplicatePair,
    DuplicateScan,
    MatchKind,
    MentorMatch,
    PairReason,
    Session,
    SessionType,
)
from clients.scan import pair_raise
from clients.sections import EDITABLE_SECTIONS
from registration.models import Draft
from registration.steps import STEP_NAMES
from reports.models import IcareExport, IcareReturn
from tests.clients.sensitive_helpers import client_with_secrets
from tests.conftest import client_for
from tests.factories import ClientFactory, MentorMatchFactory, SessionFactory

pytestmark = pytest.mark.django_db

# Namespaces outside the walk: the admin has its own permission checks and agency scoping (tests/agencies).
SKIPPED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    namespace: str
    name: str
    route: str
    converters: tuple[str, ...]

    @property
    def takes_object(self) -> bool:
        return bool(self.converters)


def walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or f"(unnamed) {prefix}"
            converters = entry.pattern.converters if isinstance(entry.pattern, RoutePattern) else {}
            yield Route(namespace or "", name, prefix + str(entry.pattern), tuple(sorted(converters)))


ROUTES = [
    route
    for route in walk(get_resolver())
    if route.takes_object and route.namespace.split(":", 1)[0] not in SKIPPED_NAMESPACES
]


class World:
    """Agency A's objects, made when a route first needs them; the manager owns and created them."""

    def __init__(self, manager: StaffProfile) -> None:
        self.manager = manager
        self.agency = manager.agency

    @cached_property
    def client(self) -> Client:
        return client_with_secrets(self.manager)

    @cached_property
    def anonymous_client(self) -> Client:
        return ClientFactory(registered_by=self.manager, anonymous=True)

    @cached_property
    def draft(self) -> Draft:
        return Draft.objects.create(
            agency=self.agency,
            owner=self.manager.user,
            data={"primary": {"first_name": ["Amara"], "last_name": ["Okafor"]}},
        )

    @cached_property
    def session(self) -> Session:
        return SessionFactory(
            client=self.client,
            program=self.agency.programs.first(),
            session_type=SessionType.DIRECT,
            services=["information"],
            duration_minutes=30,
            worker=self.manager,
        )

    @cached_property
    def mentor_match(self) -> MentorMatch:
        return MentorMatchFactory(
            client=self.client,
            kind=MatchKind.MENTOR,
            name="Grace Lee",
            program=self.agency.programs.first(),
            start_date=date(2026, 1, 5),
        )

    @cached_property
    def icare_export(self) -> IcareExport:
        return IcareExport.objects.create(
            agency=self.agency, created_by=self.manager.user, date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)
        )

    @cached_property
    def pair(self) -> DuplicatePair:
        return pair_raise(
            agency=self.agency, a=self.client, b=ClientFactory(registered_by=self.manager), reason=PairReason.FLAGGED
        )

    @cached_property
    def merge(self) -> ClientMerge:
        kept, other = ClientFactory(registered_by=self.manager), ClientFactory(registered_by=self.manager)
        return clients_merge(survivor=kept, other=other, by=self.manager.user)

    @cached_property
    def scan(self) -> DuplicateScan:
        return DuplicateScan.objects.create(agency=self.agency)

    @cached_property
    def icare_return(self) -> IcareReturn:
        return IcareReturn.objects.create(agency=self.agency, uploaded_by=self.manager.user, name="returned.xlsx")


def documents() -> list[str]:
    from reports.documents import DOCUMENTS

    return list(DOCUMENTS)


# Every route that takes an object: the URL arguments of one or more real objects of agency A.
# Add a route here when you add it to a urls.py; the walk tells you when one is missing.
OBJECT_URLS: dict[str, Callable[[World], list[dict]]] = {
    "clients:client-detail": lambda w: [{"code": w.client.code}, {"code": w.anonymous_client.code}],
    "clients:client-dashboard": lambda w: [{"code": w.client.code}],
    "clients:sensitive-unlock": lambda w: [{"code": w.client.code}],
    "clients:sensitive-lock": lambda w: [{"code": w.client.code}],
    "clients:sensitive-edit": lambda w: [{"code": w.client.code}],
    "clients:sensitive-update": lambda w: [{"code": w.client.code}],
    "clients:client-change-history": lambda w: [{"code": w.client.code}],
    "clients:session-list": lambda w: [{"code": w.client.code}],
    "clients:session-create": lambda w: [{"code": w.client.code}],
    "clients:mentor-match-create": lambda w: [{"code": w.client.code}],
    "clients:duplicate-flag": lambda w: [{"code": w.client.code}],
    "clients:duplicate-scan-progress": lambda w: [{"code": w.scan.code}],
    "clients:duplicate-pair": lambda w: [{"code": w.pair.code}],
    "clients:duplicate-different": lambda w: [{"code": w.pair.code}],
    "clients:duplicate-merge": lambda w: [{"code": w.pair.code}],
    "clients:merge-detail": lambda w: [{"code": w.merge.code}],
    "clients:merge-undo": lambda w: [{"code": w.merge.code}],
    "registration:draft-clear": lambda w: [{"code": w.draft.code}],
    "registration:draft-duplicates": lambda w: [{"code": w.draft.code}],
    "registration:draft-family-find": lambda w: [{"code": w.draft.code}],
    "registration:draft-family-select": lambda w: [{"code": w.draft.code}],
    "registration:draft-family-offer": lambda w: [{"code": w.draft.code}],
    "registration:draft-family-copy": lambda w: [{"code": w.draft.code}],
    "registration:draft-step-family-copy": lambda w: [{"code": w.draft.code, "step": "primary"}],
    "registration:identifiers-held": lambda w: [{"code": w.client.code}],
    "registration:draft-sensitive-unlock": lambda w: [{"code": w.draft.code}],
    "registration:draft-step": lambda w: [{"code": w.draft.code, "step": step} for step in STEP_NAMES],
    "registration:next-steps": lambda w: [{"code": w.client.code}],
    "registration:section-edit": lambda w: [
        {"code": w.client.code, "section": section} for section in EDITABLE_SECTIONS
    ],
    "reports:client-report": lambda w: [{"code": w.client.code}],
    "reports:client-document": lambda w: [{"code": w.client.code, "document": name} for name in documents()],
    "reports:icare-export-detail": lambda w: [{"code": w.icare_export.code}],
    "reports:icare-export-progress": lambda w: [{"code": w.icare_export.code}],
    "reports:icare-export-download": lambda w: [{"code": w.icare_export.code}],
    "reports:icare-export-retry": lambda w: [{"code": w.icare_export.code}],
    "reports:icare-returned-detail": lambda w: [{"code": w.icare_return.code}],
    "reports:icare-returned-progress": lambda w: [{"code": w.icare_return.code}],
    "reports:icare-returned-retry": lambda w: [{"code": w.icare_return.code}],
}


def status(http: HttpClient, method: str, url: str) -> int:
    return http.get(url).status_code if method == "GET" else http.post(url, {}).status_code


def test_the_walk_finds_the_object_routes_of_every_app():
    names = {route.name for route in ROUTES}

    assert {"clients:client-detail", "registration:section-edit", "reports:client-document"} <= names
    assert all("<" in route.route for route in ROUTES)


def test_every_route_in_the_map_still_exists():
    stale = set(OBJECT_URLS) - {route.name for route in ROUTES}

    assert not stale, f"OBJECT_URLS names routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_it_answers_404_to_another_agency_for_every_object_route(route, manager, outsider):
    if route.name not in OBJECT_URLS:
        pytest.fail(
            f"{route.name} ({route.route}) takes {', '.join(route.converters)} but tests/test_url_walk.py has no "
            "factory for it: add one to OBJECT_URLS, so that this route is proved to answer 404 to other agencies."
        )
    world = World(manager)
    outsider_http = client_for(outsider)
    manager_http = client_for(manager)
    for kwargs in OBJECT_URLS[route.name](world):
        url = reverse(route.name, kwargs=kwargs)
        # The same route with a code nobody has: what "no such object" looks like for each method.
        unknown = reverse(route.name, kwargs={**kwargs, **{k: uuid4() for k in kwargs if k in ("code", "uid")}})
        answers = {method: status(outsider_http, method, url) for method in ("GET", "POST")}
        for method, answer in answers.items():
            if answer == 405:
                # Refused by method before any object is looked up: the same for a code that exists nowhere.
                assert status(outsider_http, method, unknown) == 405, f"{method} {url}"
            else:
                assert answer == 404, f"{method} {url} answered {answer} to another agency's user"
        assert 404 in answers.values(), f"{url}: neither GET nor POST reached the object lookup"
        # The object is real: its own agency reaches it.
        insider = status(manager_http, "GET", url)
        if insider in (404, 405):
            insider = status(manager_http, "POST", url)
        assert insider != 404, f"{url} answers 404 to its own agency: the factory makes the wrong object"


# No personal data in caches: every answer carries Cache-Control: no-store, whichever page, whoever asks.

ALL_ROUTES = [route for route in walk(get_resolver()) if route.namespace.split(":", 1)[0] not in SKIPPED_NAMESPACES]


def urls_of(route: Route, world: World) -> list[str]:
    if not route.takes_object:
        return [reverse(route.name)] if ":" in route.name or route.name else []
    return [reverse(route.name, kwargs=kwargs) for kwargs in OBJECT_URLS[route.name](world)]


def test_every_page_a_caseworker_or_manager_opens_is_never_stored(manager, caseworker):
    world = World(manager)
    answered = {}
    for profile in (caseworker, manager):
        http = client_for(profile)
        for route in ALL_ROUTES:
            if route.name.startswith("(unnamed)") or route.name == "logout":
                continue
            for url in urls_of(route, world):
                response = http.get(url)
                answered[(profile.user.username, url)] = response.status_code
                assert "no-store" in response.get("Cache-Control", ""), f"{url} ({response.status_code}) may be stored"
    # Enough pages answered with content for the check to mean something.
    assert sum(status == 200 for status in answered.values()) >= 40, answered


def test_the_admin_pages_are_never_stored(coordinator):
    http = client_for(coordinator)
    for url in (reverse("admin:index"), reverse("admin:agencies_staffprofile_changelist")):
        response = http.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


# The admin, walked like the application: another agency's coordinator never reaches agency A's rows.

ADMIN_MODELS = ["program", "sitegroup", "site", "staffprofile", "listitem", "agency"]
# Only a superuser removes an agency or a staff profile. Django's delete view asks for that permission before it
# looks the object up, so a coordinator gets 403 there; every other view finds no such object among the
# coordinator's rows and goes back to the admin's index.
DELETE_REFUSED_BY_ROLE = {"agency", "staffprofile"}


def admin_object(model_name: str, manager: StaffProfile):
    agency = manager.agency
    return {
        "program": lambda: agency.programs.first(),
        "sitegroup": lambda: agency.site_groups.first(),
        "site": lambda: agency.sites.first(),
        "staffprofile": lambda: manager,
        "listitem": lambda: agency.list_items.first(),
        "agency": lambda: agency,
    }[model_name]()


@pytest.mark.parametrize("model_name", ADMIN_MODELS)
def test_another_agencys_coordinator_reaches_no_admin_page_of_agency_a(model_name, manager, other_agency):
    from agencies.models import Role
    from tests.factories import StaffFactory

    outsider_coordinator = client_for(StaffFactory(agency=other_agency, role=Role.COORDINATOR))
    obj = admin_object(model_name, manager)
    obj.refresh_from_db()  # as stored (the fixture's copy of the agency predates its lists)
    before = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
    for action in ("change", "delete", "history"):
        url = reverse(f"admin:agencies_{model_name}_{action}", args=[obj.pk])
        for response in (
            outsider_coordinator.get(url),
            outsider_coordinator.post(url, {"post": "yes", "name": "Taken over"}),
        ):
            if action == "delete" and model_name in DELETE_REFUSED_BY_ROLE:
                assert response.status_code == 403, f"{response.request['REQUEST_METHOD']} {url}"
            else:
                assertRedirects(response, reverse("admin:index"), fetch_redirect_response=False, msg_prefix=url)
    obj.refresh_from_db()
    assert {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields} == before
    listed = outsider_coordinator.get(reverse(f"admin:agencies_{model_name}_changelist"))
    assert listed.status_code == 200
    assert obj.pk not in {row.pk for row in listed.context["cl"].result_list}
