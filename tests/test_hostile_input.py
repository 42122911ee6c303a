"""No input gives a server error, and a refused input stores nothing: generated text (unicode of every kind,
control characters, NUL, superscript digits, oversized values) posted to every form of OCMS.

Property-based (hypothesis), with a bounded number of examples per form so that the suite stays quick. Each
example is a real request through the whole middleware stack, on PostgreSQL.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from agencies.models import ListItem, Program, SiteGroup
from agencies.validators import has_control_characters
from clients.models import (
    Client,
    ClientLanguage,
    ClientMerge,
    DuplicatePair,
    Identifier,
    MentorMatch,
    PairReason,
    PairStatus,
    SensitiveInfo,
    Session,
)
from clients.scan import pair_raise
from clients.sections import EDITABLE_SECTIONS
from registration.models import Draft
from registration.steps import STEP_NAMES
from reports.models import IcareExport, IcareReturn
from tests.conftest import client_for
from tests.factories import ClientFactory, StaffFactory
from tests.registration.edit_pages import fields_sent, opened_version, posted_by
from tests.reports.test_icare import workbook_bytes
from tests.wizard import draft_start, elements, step_data, step_url

pytestmark = pytest.mark.django_db

User = get_user_model()
WORKBOOK = workbook_bytes()

EXAMPLES = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What the audit posted, and what hypothesis adds to it.
AUDIT_VALUES = ["\x00", "F-²²²²-A", "²", "9" * 40, "a\x00b", "\ufffd", "x" * 5000, "'; DROP TABLE--", "<script>"]
hostile_text = st.one_of(
    st.sampled_from(AUDIT_VALUES),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.text(alphabet=st.sampled_from("\x00\x01\x07\x1b\x7f\u200b\u202e²٣𝟘🇨🇦👩‍👩‍👧"), min_size=1, max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def values_for(keys: list[str]):
    """Some of these fields, each with a hostile value."""
    return st.dictionaries(st.sampled_from(keys), hostile_text, min_size=1, max_size=4)


def assert_answered(response, *allowed: int) -> None:
    assert response.status_code < 500, response.status_code
    if allowed:
        assert response.status_code in allowed, response.status_code


def rows() -> dict[str, int]:
    """What a refused form must not have changed."""
    return {
        model.__name__: model.objects.count()
        for model in (Client, Identifier, ClientLanguage, SensitiveInfo, Session, MentorMatch, IcareExport)
    }


def client_row(client: Client) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM clients_client WHERE id = %s", [client.pk])
        return cursor.fetchone()


@pytest.fixture
def http(manager):
    return client_for(manager)


@pytest.fixture
def profile(manager) -> Client:
    return ClientFactory(registered_by=manager, ready_for_icare=True, consenting=True)


# The wizard: whatever a step is sent, it answers, keeps the draft readable, and registers nothing.


def assert_step_takes_any_input(http, manager, step: str, go: str, answers: tuple[int, ...], shown: list[str]):
    """Hostile values posted to a step of a new draft with `go`: each post is answered with one of `answers`, adds
    no row, and leaves the draft readable: the `shown` steps still open."""
    code = draft_start(http)
    data = step_data(step, staff=manager)

    @EXAMPLES
    @given(values=values_for([*data, f"{step}-unknown-field"]))
    def post(values):
        before = rows()
        response = http.post(step_url(code, step), {**data, **values, "go": go})
        assert_answered(response, *answers)
        assert rows() == before
        for shown_step in shown:
            assert_answered(http.get(step_url(code, shown_step)), 200)

    post()


@pytest.mark.parametrize("step", STEP_NAMES)
def test_no_wizard_step_fails_on_any_input_and_the_draft_stays_readable(step, http, manager):
    # The stored step, valid or not, is shown again, and so is every later step that reads it.
    assert_step_takes_any_input(http, manager, step, "next", (200, 302), shown=[step, STEP_NAMES[-1]])


@pytest.mark.parametrize("step", STEP_NAMES)
def test_no_autosave_of_a_step_fails_on_any_input_and_the_draft_stays_readable(step, http, manager):
    assert_step_takes_any_input(http, manager, step, "autosave", (204,), shown=[step])


def test_register_fails_on_no_stored_input(http, manager):
    code = draft_start(http)

    @EXAMPLES
    @given(values=values_for(["first_name", "last_name", "date_of_birth", "family_code", "official_language"]))
    def register(values):
        primary = {**step_data("primary", staff=manager), **values}
        http.post(step_url(code, "primary"), {**primary, "go": "next"})
        response = http.post(step_url(code, "summary"), {**step_data("summary", staff=manager), "go": "register"})
        assert_answered(response, 200, 302)

    register()


def test_the_family_code_of_the_audit_poisons_no_later_step(http, manager):
    code = draft_start(http)
    primary = step_data("primary", staff=manager) | {"family_code": "F-²²²²-A"}

    response = http.post(step_url(code, "primary"), {**primary, "go": "next"})

    assert response.status_code == 200
    assert response.context["section"].forms["primary"].errors["family_code"]
    for step in STEP_NAMES:
        assert http.get(step_url(code, step)).status_code == 200


def test_a_nul_typed_in_a_step_is_refused_next_to_its_field_and_the_draft_keeps_the_rest(http, manager):
    code = draft_start(http)
    primary = step_data("primary", staff=manager) | {"first_name": "Am\x00ara", "preferred_name": "Mara"}

    response = http.post(step_url(code, "primary"), {**primary, "go": "next"})

    assert response.status_code == 200
    assert response.context["section"].forms["primary"].errors["first_name"] == [
        "This field holds a control character or an unreadable one (often pasted with the text): delete it and "
        "type the text again."
    ]
    kept = Draft.objects.get(code=code).data["primary"]
    assert kept["preferred_name"] == ["Mara"]
    assert "\x00" not in kept["first_name"][0]


CONTROL_MESSAGE = (
    "This field holds a control character or an unreadable one (often pasted with the text): delete it and type the "
    "text again."
)


def test_a_nul_typed_in_a_section_edit_is_told_once_next_to_its_field(http, manager, profile):
    """Django's own check of NUL would say it a second time, in other words, beside OCMS's."""
    url = reverse("registration:section-edit", kwargs={"code": profile.code, "section": "primary"})
    data = step_data("primary", staff=manager) | {"first_name": "Wa\x00lk"}

    response = http.post(url, {**data, "opened_version": opened_version(http, profile, "primary")})

    assert response.status_code == 200
    assert response.context["section"].forms["primary"].errors["first_name"] == [CONTROL_MESSAGE]


def test_a_nul_typed_in_the_anonymous_form_is_told_once_next_to_its_field(http, manager):
    data = {
        "postal_code": "M5V 2T6",
        "registration_date": date.today().isoformat(),
        "registration_site": str(manager.default_site.pk),
        "comments": "Came \x00 with a friend",
    }

    response = http.post(reverse("registration:anonymous-register"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["comments"] == [CONTROL_MESSAGE]


ROW_KINDS = [
    ("identification", "identifiers", 10),
    ("identification", "programs", 100),
    ("employment", "certificates", 15),
    ("language", "languages", 15),
    ("sensitive", "programs", 100),
    ("consent", "children", 15),
]


@pytest.mark.parametrize(("step", "prefix", "most"), ROW_KINDS)
def test_two_thousand_rows_are_refused_without_building_them_with_a_message_on_the_page(
    step, prefix, most, http, manager
):
    code = draft_start(http)
    data = step_data(step, staff=manager) | {f"{prefix}-TOTAL_FORMS": "2000"}

    response = http.post(step_url(code, step), {**data, "go": "next"})

    message = f"At most {most} rows can be kept here: remove the rows you do not need."
    assert response.status_code == 200
    rows = response.context["section"].formsets[prefix]
    assert len(rows.forms) <= most
    assert rows.non_form_errors() == [message]
    assertContains(response, message)


# The profile's section edits: a refused edit changes nothing.


@pytest.mark.parametrize("section", EDITABLE_SECTIONS)
def test_no_section_edit_fails_on_any_input_and_a_refusal_changes_nothing(section, http, manager, profile):
    url = reverse("registration:section-edit", kwargs={"code": profile.code, "section": section})
    data = step_data(section, staff=manager)

    @EXAMPLES
    @given(values=values_for(list(data)))
    def post(values):
        before, row = rows(), client_row(profile)
        # Opened just before: the post is checked, not stopped as a save over an unknown version.
        response = http.post(url, {**data, "opened_version": opened_version(http, profile, section), **values})
        assert_answered(response, 200, 302, 403)
        if response.status_code != 302:
            assert rows() == before
            assert client_row(profile) == row
        assert_answered(http.get(reverse("clients:client-detail", kwargs={"code": profile.code})), 200)

    post()


# The other forms.


def test_the_anonymous_form_fails_on_no_input_and_a_refusal_registers_nobody(http, manager):
    data = {
        "gender": "",
        "arrival_year": "",
        "immigration_status": "",
        "postal_code": "M5V 2T6",
        "registration_date": date.today().isoformat(),
        "registration_site": str(manager.default_site.pk),
        "comments": "",
    }

    @EXAMPLES
    @given(values=values_for(list(data)))
    def post(values):
        before = rows()
        response = http.post(reverse("registration:anonymous-register"), {**data, **values})
        assert_answered(response, 200, 302)
        if response.status_code == 200:
            assert rows() == before

    post()


@pytest.mark.parametrize(
    ("route", "data"),
    [
        (
            "clients:session-create",
            {
                "date": "2026-01-05",
                "program": "",
                "session_type": "direct",
                "delivery_mode": "in_person",
                "services": "information",
                "duration_minutes": "30",
                "notes": "",
            },
        ),
        (
            "clients:mentor-match-create",
            {"kind": "mentor", "name": "Grace", "program": "", "start_date": "2026-01-05", "end_date": "", "notes": ""},
        ),
    ],
)
def test_sessions_and_matches_fail_on_no_input_and_a_refusal_stores_nothing(route, data, http, profile):
    url = reverse(route, kwargs={"code": profile.code})
    data = {**data, "program": str(profile.agency.programs.first().pk)}

    @EXAMPLES
    @given(values=values_for(list(data)))
    def post(values):
        before = rows()
        response = http.post(url, {**data, **values})
        assert_answered(response, 200, 302)
        if response.status_code == 200:
            assert rows() == before

    post()


@pytest.mark.parametrize("route", ["clients:sensitive-unlock", "clients:sensitive-edit", "clients:sensitive-update"])
def test_the_sensitive_information_forms_fail_on_no_input(route, http, profile):
    url = reverse(route, kwargs={"code": profile.code})

    @EXAMPLES
    @given(values=values_for(["password", "illnesses", "health_insurance_status", "self_identity", "family_income"]))
    def post(values):
        before = rows()
        response = http.post(url, values)
        assert_answered(response)
        if response.status_code != 302:
            assert rows() == before

    post()


GETS = {
    "clients:client-find": ["q", "date_of_birth", "page", "search_comments", "include_anonymous"],
    "clients:unlock-log": ["staff", "client", "outcome", "date_from", "date_to", "page"],
    "clients:unlock-log-csv": ["staff", "client", "outcome", "date_from", "date_to"],
    "agencies:occupation-search": ["q", "target"],
    "registration:site-search": ["q"],
    "families:family-find": ["family_q", "field"],
    "registration:family-code-new": ["field", "name"],
    "reports:icare-check": ["date_from", "date_to", "program", "include"],
    "agencies:staff-access-changes": ["page"],
    "clients:duplicate-queue": ["reason", "status", "page"],
    "registration:identifiers-held": [
        "identifiers-TOTAL_FORMS",
        "identifiers-INITIAL_FORMS",
        "identifiers-0-identifier_type",
        "identifiers-0-value",
        "identifiers-1-value",
    ],
}


# The export answers filters that mean nothing with the log that says what to correct.
GET_ANSWERS = {"clients:unlock-log-csv": (200, 302)}


@pytest.mark.parametrize("route", sorted(GETS))
def test_no_search_lookup_or_filter_fails_on_any_input(route, http):
    url = reverse(route)

    @EXAMPLES
    @given(values=values_for(GETS[route]))
    def get(values):
        assert_answered(http.get(url, values), *GET_ANSWERS.get(route, (200,)))

    get()


def test_the_duplicate_check_and_the_documents_fail_on_no_input(http, manager, profile):
    code = draft_start(http)
    duplicates = reverse("registration:draft-duplicates", kwargs={"code": code})
    report = reverse("reports:client-report", kwargs={"code": profile.code})

    @EXAMPLES
    @given(check=values_for(["first_name", "last_name", "date_of_birth"]), options=values_for(["document", "lang"]))
    def get(check, options):
        assert_answered(http.get(duplicates, check), 200)
        assert_answered(http.get(report, options), 302, 400)

    get()


def test_the_family_select_and_the_icare_forms_fail_on_no_input(http):
    @EXAMPLES
    @given(values=values_for(["relative", "field", "date_from", "date_to", "program", "include"]))
    def post(values):
        before = rows()
        assert_answered(http.post(reverse("families:family-select"), values), 200, 404)
        response = http.post(reverse("reports:icare-export-create"), values)
        assert_answered(response)
        if response.status_code != 200 or "attachment" not in response.get("Content-Disposition", ""):
            assert rows() == before

    post()


def test_the_login_form_fails_on_no_input(client):
    @EXAMPLES
    @given(values=values_for(["username", "password"]))
    def post(values):
        assert_answered(client.post(reverse("login"), values), 200, 429)

    post()


def test_the_identifiers_held_of_a_profile_fail_on_no_input(http, profile):
    url = reverse("registration:identifiers-held", kwargs={"code": profile.code})

    @EXAMPLES
    @given(values=values_for(["identifiers-TOTAL_FORMS", "identifiers-0-identifier_type", "identifiers-0-value"]))
    def get(values):
        assert_answered(http.get(url, values), 200)

    get()


@pytest.mark.parametrize("document", ["receipt", "card", "history", "mentor-history"])
def test_the_options_of_a_client_document_fail_on_no_input(document, http, profile):
    url = reverse("reports:client-document", kwargs={"code": profile.code, "document": document})

    @EXAMPLES
    @given(values=values_for(["format", "lang", "download"]))
    def get(values):
        assert_answered(http.get(url, values), 200, 400)

    get()


def test_the_login_lock_lift_fails_on_no_input(http):
    @EXAMPLES
    @given(values=values_for(["staff"]))
    def post(values):
        assert_answered(http.post(reverse("agencies:login-lock-lift"), values), 302, 404)

    post()


def test_the_returned_icare_upload_fails_on_no_input_and_a_refusal_stores_nothing(http):
    url = reverse("reports:icare-returned-upload")

    @EXAMPLES
    @given(name=hostile_text, content=st.binary(max_size=200), field=values_for(["file", "csrfmiddlewaretoken", "x"]))
    def post(name, content, field):
        try:
            uploads = [SimpleUploadedFile(name, content), SimpleUploadedFile(name, WORKBOOK)]
        except SuspiciousFileOperation:
            uploads = []  # a name the test client cannot send ("", "..", a path)
        for data in (field, *({"file": upload} for upload in uploads)):
            before = IcareReturn.objects.count()
            response = http.post(url, data)
            assert_answered(response, 200, 302)
            if response.status_code == 200:
                assert IcareReturn.objects.count() == before
            else:  # taken, for the worker: under a name that can be stored
                assert not has_control_characters(IcareReturn.objects.latest("created_at").name)

    post()


# Possible duplicates: the flag, the queue, Different people, the merge and its undo.


@pytest.fixture
def pair(manager):
    first = ClientFactory(registered_by=manager, first_name="Amara", last_name="Okafor", city="Ottawa")
    second = ClientFactory(registered_by=manager, first_name="Amara", last_name="Okafor", city="Toronto")
    return pair_raise(agency=manager.agency, a=first, b=second, reason=PairReason.FLAGGED)


def pair_state(pair) -> tuple:
    pair.refresh_from_db()
    return pair.status, ClientMerge.objects.count(), client_row(pair.first), client_row(pair.second), rows()


def test_the_duplicates_pages_fail_on_no_input_and_a_refusal_stores_nothing(http, pair):
    flag = reverse("clients:duplicate-flag", kwargs={"code": pair.first.code})
    different = reverse("clients:duplicate-different", kwargs={"code": pair.code})
    merge = reverse("clients:duplicate-merge", kwargs={"code": pair.code})

    @EXAMPLES
    @given(
        number=values_for(["number"]),
        note=values_for(["note"]),
        choices=values_for(["keep", "city", "first_name", "registration_date"]),
    )
    def post(number, note, choices):
        pairs = DuplicatePair.objects.count()
        response = http.post(flag, number)
        assert_answered(response, 302, 422)
        if response.status_code == 422:
            assert DuplicatePair.objects.count() == pairs
        before = pair_state(pair)
        response = http.post(different, note)
        assert_answered(response, 302, 422)
        if response.status_code == 422:
            assert pair_state(pair) == before
        DuplicatePair.objects.filter(pk=pair.pk).update(status=PairStatus.OPEN)
        before = pair_state(pair)
        response = http.post(merge, {**choices, "merge": "1"})
        assert_answered(response, 302, 422)  # a merge the rules refuse is shown again, 422, nothing written
        if response.status_code == 422:
            assert pair_state(pair) == before
        merged = ClientMerge.objects.filter(undone_at__isnull=True).first()
        if merged:  # a merge the choices allowed: undone, whatever else the undo is sent
            undo = reverse("clients:merge-undo", kwargs={"code": merged.code})
            assert_answered(http.post(undo, {**note, **choices}), 302)
        DuplicatePair.objects.filter(pk=pair.pk).update(status=PairStatus.OPEN)

    post()


# The admin of the agency's objects, as its coordinator uses it.

ADMIN_OBJECTS = {
    "program": lambda staff: Program.objects.for_agency(staff.agency).first(),
    "sitegroup": lambda staff: SiteGroup.objects.for_agency(staff.agency).first(),
    "site": lambda staff: staff.default_site,
    "listitem": lambda staff: ListItem.objects.for_agency(staff.agency).first(),
    "staffprofile": lambda staff: StaffFactory(agency=staff.agency),
    "agency": lambda staff: staff.agency,
}
TEXT_INPUTS = ("text", "email", "url", "number", "tel", "search")


@pytest.fixture
def coordinator_admin(coordinator):
    coordinator.user.is_staff = True
    coordinator.user.save()
    return client_for(coordinator)


def admin_form(page) -> tuple[dict[str, list[str]], list[str]]:
    """What the admin page's form posts as it stands, and the names of its text fields."""
    assert page.status_code == 200, page.status_code
    form = next(form for form in elements(page, "form") if dict(form.attributes).get("id", "").endswith("_form"))
    texts = [
        dict(element.attributes)["name"]
        for element in fields_sent(form)
        if "name" in dict(element.attributes)
        and (
            element.name == "textarea"
            or (element.name == "input" and dict(element.attributes).get("type", "text") in TEXT_INPUTS)
        )
    ]
    return posted_by(form), texts


def stored_text(model) -> list[str]:
    return [value for row in model.objects.values() for value in row.values() if isinstance(value, str)]


@pytest.mark.parametrize("action", ["add", "change"])
@pytest.mark.parametrize("name", sorted(ADMIN_OBJECTS))
def test_no_admin_form_of_the_agency_fails_on_any_input_and_a_refusal_stores_nothing(
    name, action, coordinator, coordinator_admin
):
    obj = ADMIN_OBJECTS[name](coordinator)
    model = type(obj)
    if action == "add" and name == "agency":
        pytest.skip("only a superuser adds an agency")
    url = reverse(f"admin:agencies_{name}_{action}", args=[obj.pk] if action == "change" else [])
    data, texts = admin_form(coordinator_admin.get(url))

    @EXAMPLES
    @given(values=values_for(texts or ["unknown"]))
    def post(values):
        before = (model.objects.count(), User.objects.count(), list(model.objects.filter(pk=obj.pk).values()))
        response = coordinator_admin.post(url, {**data, **values, "_save": "Save"})
        assert_answered(response, 200, 302)
        if response.status_code == 200:
            after = (model.objects.count(), User.objects.count(), list(model.objects.filter(pk=obj.pk).values()))
            assert after == before
        assert not any(has_control_characters(text) for text in stored_text(model))

    post()


@pytest.mark.parametrize("name", sorted(ADMIN_OBJECTS))
def test_no_admin_list_of_the_agency_fails_on_any_search_or_filter(name, coordinator, coordinator_admin):
    url = reverse(f"admin:agencies_{name}_changelist")

    @EXAMPLES
    @given(values=values_for(["q", "p", "o", "is_active__exact", "list__exact", "role__exact", "e"]))
    def get(values):
        assert_answered(coordinator_admin.get(url, values), 200, 302)

    get()
