"""Merging two profiles of one person: every related row moves, a part both held is kept once with the values the
reviewer chose, the merged client passes every rule a section edit checks, the other becomes a tombstone found by
its old number, the change history shows one entry, and an undo puts back exactly what was there (but for what was
edited since, which it keeps and names)."""

import random
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import AgencyList, IcareList, IcareValue, user_display_name
from clients.history import client_changes
from clients.merge import clients_merge, merge_plan, merge_problems, merge_undo, merged_fields, relations
from clients.models import (
    Client,
    ClientLanguage,
    ClientMerge,
    ClientProgram,
    ConsentContact,
    DuplicatePair,
    Identifier,
    PairReason,
    PairStatus,
    SensitiveInfo,
    Session,
)
from clients.scan import pair_raise
from reports.models import IcareExport, IcareExportRow
from tests.clients.merge_helpers import ROW_KINDS, an_export, client_rows, client_with_rows, items, snapshot
from tests.factories import ClientFactory, FamilyFactory, IdentifierFactory, SessionFactory, icare_value, list_item
from tests.registration.edit_pages import edit_post, edit_url, form_of
from tests.wizard import registered_client, walk

pytestmark = pytest.mark.django_db


def pair_of(a: Client, b: Client) -> DuplicatePair:
    return pair_raise(agency=a.agency, a=a, b=b, reason=PairReason.FLAGGED)


def rows_left(client: Client) -> dict:
    """What still hangs off a client: its links and every relation's rows."""
    return {key: rows for key, rows in client_rows(client).items() if key != "client" and rows}


def test_every_kind_of_row_moves_to_the_survivor(coordinator):
    survivor = client_with_rows(coordinator, kinds=(), first_name="Amara")
    other = client_with_rows(coordinator, first_name="Amarah", variant=1)
    before = {key: len(rows) for key, rows in client_rows(other).items() if key != "client"}
    assert all(before.values()), before  # the other holds a row of every relation

    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)

    after = client_rows(survivor)
    for relation in relations():
        key = f"{relation.label}.{relation.field.attname}"
        if relation.model is Client:  # the other is a tombstone merged into it now, beside the other's own
            assert len(after[key]) == before[key] + 1
            continue
        assert len(after[key]) == before[key], key
    assert after["referral_sources"] and rows_left(other) == {}
    assert Client.objects.get(pk=other.pk).merged_into == survivor
    assert merge.parts_removed == [] and merge.moved_count == sum(before.values()) - before["referral_sources"]


def test_the_survivor_keeps_its_values_fills_its_blanks_and_takes_the_chosen_ones(coordinator):
    survivor = ClientFactory(registered_by=coordinator, first_name="Amara", preferred_name="", city="")
    other = ClientFactory(
        registered_by=coordinator,
        first_name="Amarah",
        preferred_name="Mara",
        city="Toronto",
        last_name="Okafor-Ade",
        gender=list_item(coordinator.agency, AgencyList.GENDER, "Male"),
    )

    clients_merge(survivor=survivor, other=other, by=coordinator.user, choices={"last_name": "other"})

    survivor.refresh_from_db()
    assert survivor.first_name == "Amara"  # its own
    assert survivor.preferred_name == "Mara" and survivor.city == "Toronto"  # blanks filled
    assert survivor.last_name == "Okafor-Ade"  # chosen
    assert survivor.gender.label == "Female"
    assert "mara" in survivor.name_words  # found by the preferred name it took


def clashing_pair(staff) -> tuple[Client, Client]:
    """Two profiles that both hold one identifier, one program, one emergency contact and Sensitive Information."""
    relationships = items(staff, AgencyList.RELATIONSHIP)
    insurance = items(staff, AgencyList.HEALTH_INSURANCE_STATUS)
    program = staff.agency.programs.order_by("pk").first()
    survivor = ClientFactory(registered_by=staff, first_name="Amara", with_identifier=True)
    other = ClientFactory(registered_by=staff, first_name="Amarah", with_identifier=True)
    ClientProgram.objects.create(client=survivor, program=program, status="new")
    ClientProgram.objects.create(client=other, program=program, status="returning")
    ConsentContact.objects.create(client=survivor, kind="emergency", name="Ada", relationship=relationships[0])
    ConsentContact.objects.create(
        client=other, kind="emergency", name="Adaeze", relationship=relationships[1], phone="+14165550111"
    )
    SensitiveInfo.objects.create(client=survivor, illnesses="Asthma-SECRET-1")
    SensitiveInfo.objects.create(client=other, illnesses="Diabetes-SECRET-2", health_insurance_status=insurance[0])
    return survivor, other


def test_a_part_both_hold_is_kept_once_with_the_chosen_values_and_nothing_stays_on_the_tombstone(coordinator):
    survivor, other = clashing_pair(coordinator)
    plan = merge_plan(survivor=survivor, other=other)
    contact = next(c for c in plan.clashes if c.relation.model is ConsentContact)
    program = next(c for c in plan.clashes if c.relation.model is ClientProgram)
    insurance = SensitiveInfo.objects.get(client=other).health_insurance_status
    before = snapshot()

    merge = clients_merge(
        survivor=survivor,
        other=other,
        by=coordinator.user,
        choices={contact.choice_name(ConsentContact._meta.get_field("name")): "other",
                 program.choice_name(ClientProgram._meta.get_field("status")): "other"},
    )  # fmt: skip

    assert rows_left(other) == {}
    kept = ConsentContact.objects.get(client=survivor)
    assert kept.name == "Adaeze"  # chosen
    assert kept.phone.as_e164 == "+14165550111"  # a blank filled from the other
    assert kept.relationship == items(coordinator, AgencyList.RELATIONSHIP)[0]  # its own
    assert ClientProgram.objects.get(client=survivor).status == "returning"
    sensitive = SensitiveInfo.objects.get(client=survivor)
    assert sensitive.illnesses == "Asthma-SECRET-1" and sensitive.health_insurance_status == insurance
    assert Identifier.objects.filter(client=survivor).count() == 1
    assert sorted(row["model"] for row in merge.parts_removed) == [
        "clients.clientprogram", "clients.consentcontact", "clients.identifier", "clients.sensitiveinfo"
    ]  # fmt: skip

    merge_undo(merge=merge, by=coordinator.user)
    assert snapshot(leave_out=merge) == before


def test_an_undo_keeps_a_value_edited_after_the_merge_and_names_it(coordinator, coordinator_client):
    survivor = ClientFactory(registered_by=coordinator, city="", preferred_name="")
    other = ClientFactory(registered_by=coordinator, city="Ottawa", preferred_name="Mara")
    ConsentContact.objects.create(client=survivor, kind="emergency", name="Ada")
    ConsentContact.objects.create(client=other, kind="emergency", name="Ada", phone="+14165550111")
    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)
    survivor.refresh_from_db()
    survivor.city = "Kingston"  # edited after the merge
    survivor.save()
    ConsentContact.objects.filter(client=survivor).update(phone="+16135550122")

    response = coordinator_client.post(reverse("clients:merge-undo", kwargs={"code": merge.code}), follow=True)

    survivor.refresh_from_db()
    assert survivor.city == "Kingston"  # the later edit is kept
    assert survivor.preferred_name == ""  # the merge's value, unchanged since, is taken back
    assert ConsentContact.objects.get(client=survivor).phone.as_e164 == "+16135550122"
    assert ConsentContact.objects.get(client=other).phone.as_e164 == "+14165550111"  # the other's row is back
    assertContains(response, "so kept as they are now: City; Emergency Contact &amp; Consent: Telephone.")
    detail = coordinator_client.get(reverse("clients:merge-detail", kwargs={"code": merge.code}))
    assertContains(detail, "the undo kept their later values: City; Emergency Contact &amp; Consent: Telephone")


def test_a_merge_whose_chosen_values_break_a_rule_is_refused_beside_the_choice_and_writes_nothing(
    coordinator, coordinator_client
):
    survivor = ClientFactory(registered_by=coordinator, landing_date=date(2015, 3, 1), consent_required=False)
    other = ClientFactory(registered_by=coordinator, first_name="Amarah", date_of_birth=date(2016, 5, 5))
    pair = pair_of(survivor, other)
    url = reverse("clients:duplicate-merge", kwargs={"code": pair.code})
    before = snapshot()

    response = coordinator_client.post(url, {"keep": survivor.number, "merge": "1", "date_of_birth": "other"})

    assert response.status_code == 422
    errors = response.context["form"].errors["date_of_birth"]
    assert "The date of birth is after the Landing Date 2015-03-01 (Immigration Related)." in errors
    assert any("This makes the client a minor" in error for error in errors)
    assertContains(response, "nothing is merged", status_code=422)
    assert response.context["form"]["date_of_birth"].value() == "other"  # the choice made is kept
    assert snapshot() == before and not ClientMerge.objects.exists()
    with pytest.raises(ValidationError):
        clients_merge(survivor=survivor, other=other, by=coordinator.user, choices={"date_of_birth": "other"})


def test_a_chosen_consent_required_needs_the_minor_s_contacts(coordinator):
    survivor = ClientFactory(registered_by=coordinator, date_of_birth=date(2015, 1, 1), consent_required=None)
    other = ClientFactory(registered_by=coordinator, date_of_birth=date(2015, 1, 1), consent_required=True)

    problems = merge_problems(merge_plan(survivor=survivor, other=other))

    assert ("consent_required", "Guardian: Name is required by OCMS: fill it in to register the client.") in problems
    ConsentContact.objects.bulk_create(
        ConsentContact(client=other, kind=kind, name="Ada", relationship=items(coordinator, AgencyList.RELATIONSHIP)[0],
                       phone="+14165550111")
        for kind in ("guardian", "consenter", "emergency")
    )  # fmt: skip
    assert merge_problems(merge_plan(survivor=survivor, other=other)) == []  # its contacts move with it


def test_the_tombstone_is_found_by_its_old_number_and_its_pages_lead_to_the_survivor(coordinator, coordinator_client):
    survivor = ClientFactory(registered_by=coordinator, first_name="Amara")
    other = ClientFactory(registered_by=coordinator, first_name="Amarah")
    clients_merge(survivor=survivor, other=other, by=coordinator.user)

    found = coordinator_client.get(reverse("clients:client-find"), {"q": str(other.number)})
    assertContains(found, f"Merged into client {survivor.number}")
    by_name = coordinator_client.get(reverse("clients:client-find"), {"q": "Amarah Okafor"})
    assertNotContains(by_name, "Merged into client")  # a name finds the living profile only
    profile = coordinator_client.get(reverse("clients:client-detail", kwargs={"code": other.code}), follow=True)
    assertRedirects(profile, reverse("clients:client-detail", kwargs={"code": survivor.code}))
    assertContains(profile, f"Client {other.number} was merged into client {survivor.number}")
    for name in ("clients:client-dashboard", "clients:session-list", "clients:session-create"):
        page = coordinator_client.get(reverse(name, kwargs={"code": other.code}))
        assertRedirects(page, reverse(name, kwargs={"code": survivor.code}), fetch_redirect_response=False)
    edit = reverse("registration:section-edit", kwargs={"code": other.code, "section": "primary"})
    assertRedirects(
        coordinator_client.get(edit),
        reverse("registration:section-edit", kwargs={"code": survivor.code, "section": "primary"}),
        fetch_redirect_response=False,
    )
    posted = coordinator_client.post(edit, {"first_name": "Changed"})
    assert posted.status_code == 404  # a tombstone is never written to
    assert Client.objects.get(pk=other.pk).first_name == "Amarah"


def test_the_change_history_shows_the_merge_as_one_entry_and_the_undo_as_another(coordinator):
    survivor = ClientFactory(registered_by=coordinator, preferred_name="")
    other = ClientFactory(registered_by=coordinator, preferred_name="Mara")
    SensitiveInfo.objects.create(client=survivor, illnesses="")
    SensitiveInfo.objects.create(client=other, illnesses="Asthma-SECRET")
    SessionFactory(client=other, worker=coordinator)
    before = len(client_changes(survivor))

    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)
    changes = client_changes(survivor)
    merges = [c for c in changes if c.action == "Merged"]
    assert len(merges) == 1
    assert merges[0].subject == f"client {other.number} merged into this profile"
    assert [(f.label, f.old, f.new) for f in merges[0].fields] == [
        ("Preferred Name", "—", "Mara"),
        ("Sensitive Information: Illnesses", "(value hidden)", "(value hidden)"),
    ]
    # The other's history (its registration, its session) is the survivor's now, and nothing else was added.
    assert len(changes) == before + 1 + len(client_changes(other))

    merge_undo(merge=merge, by=coordinator.user)
    assert [c.action for c in client_changes(survivor)][:1] == ["Merge undone"]


def test_an_undo_names_each_moved_row_removed_or_edited_on_the_kept_profile_since(coordinator, coordinator_client):
    survivor = ClientFactory(registered_by=coordinator, first_name="Amara")
    other = ClientFactory(registered_by=coordinator, first_name="Amarah")
    passport = IdentifierFactory(
        client=other,
        identifier_type=list_item(coordinator.agency, AgencyList.IDENTIFIER_TYPE, "Passport Number"),
        value="AB123456",
    )
    french = ClientLanguage.objects.create(client=other, language=icare_value(IcareList.LANGUAGE, "French"))
    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)
    # On the kept profile, through its section edits: the passport is removed, the language's level changed.
    identification = form_of(coordinator_client.get(edit_url(survivor, "identification")))
    row = next(key for key, value in identification.items() if key.endswith("-id") and value == [str(passport.pk)])
    identification[row.removesuffix("-id") + "-DELETE"] = ["on"]
    assert edit_post(coordinator_client, survivor, "identification", identification).status_code == 302
    language = form_of(coordinator_client.get(edit_url(survivor, "language")))
    speaking = IcareValue.objects.of(IcareList.CLB_SPEAKING).get(value="5")
    language["languages-0-speaking"] = [str(speaking.pk)]
    assert edit_post(coordinator_client, survivor, "language", language).status_code == 302
    assert not Identifier.objects.filter(pk=passport.pk).exists()

    response = coordinator_client.post(reverse("clients:merge-undo", kwargs={"code": merge.code}), follow=True)

    assertContains(
        response,
        f"Removed from client {survivor.number} after the merge, so not put back on client {other.number}: "
        "Identification Documents: Passport Number: AB123456.",
    )
    assertContains(
        response,
        f"Edited on client {survivor.number} after the merge, so back on client {other.number} with their later "
        "values: Client Language Related: French (Speaking).",
    )
    french.refresh_from_db()
    assert french.client == other and french.speaking == speaking  # back, with its later value
    record = coordinator_client.get(reverse("clients:merge-detail", kwargs={"code": merge.code}))
    assertContains(record, "so the undo could not put them back on client")
    assertContains(record, "Identification Documents: Passport Number: AB123456")
    assertContains(record, "Client Language Related: French (Speaking)")


def test_an_undo_names_nothing_when_the_moved_rows_were_only_saved_unchanged(coordinator, coordinator_client):
    survivor = ClientFactory(registered_by=coordinator)
    other = ClientFactory(registered_by=coordinator)
    french = ClientLanguage.objects.create(client=other, language=icare_value(IcareList.LANGUAGE, "French"))
    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)
    ClientLanguage.objects.get(pk=french.pk).save()  # a save that changes nothing

    merge = merge_undo(merge=merge, by=coordinator.user)

    assert merge.undo_kept_later == []
    assert ClientLanguage.objects.get(pk=french.pk).client == other


def test_an_undo_after_the_kept_profile_was_merged_into_a_third_says_to_undo_that_merge_first(
    coordinator, coordinator_client
):
    a, c, d = (ClientFactory(registered_by=coordinator, first_name=name) for name in ("Amara", "Chioma", "Dayo"))
    SessionFactory(client=c, worker=coordinator)
    first = clients_merge(survivor=a, other=c, by=coordinator.user)  # C into A
    second = clients_merge(survivor=d, other=a, by=coordinator.user)  # then A into D
    url = reverse("clients:merge-undo", kwargs={"code": first.code})

    response = coordinator_client.post(url, follow=True)

    assertContains(response, f"Client {a.number} was merged into another client since: undo that merge first.")
    assert ClientMerge.objects.get(pk=first.pk).undone_at is None
    merge_undo(merge=second, by=coordinator.user)  # undone in turn, both go back
    merge_undo(merge=first, by=coordinator.user)
    assert Session.objects.get().client == c
    assert not Client.objects.filter(merged_into__isnull=False).exists()


def test_what_was_added_to_the_survivor_after_the_merge_stays_with_it_after_the_undo(coordinator):
    survivor = ClientFactory(registered_by=coordinator)
    other = ClientFactory(registered_by=coordinator)
    SessionFactory(client=other, worker=coordinator)
    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)
    later = SessionFactory(client=survivor, worker=coordinator)

    merge_undo(merge=merge, by=coordinator.user)

    assert list(Session.objects.filter(client=survivor)) == [later]
    assert Session.objects.filter(client=other).count() == 1
    assert Client.objects.get(pk=other.pk).merged_into is None


def test_family_membership_moves_and_comes_back(coordinator):
    family = FamilyFactory(agency=coordinator.agency)
    relative = ClientFactory(registered_by=coordinator, family=family, first_name="Chidi")
    survivor = ClientFactory(registered_by=coordinator)
    other = ClientFactory(registered_by=coordinator, family=family)

    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)
    survivor.refresh_from_db()
    other.refresh_from_db()
    assert survivor.family == family and other.family is None
    assert set(family.members.all()) == {relative, survivor}

    merge_undo(merge=merge, by=coordinator.user)
    survivor.refresh_from_db()
    other.refresh_from_db()
    assert survivor.family is None and other.family == family


def test_a_merge_is_refused_for_a_tombstone_an_anonymous_client_or_another_agency(coordinator, outsider):
    a, b, c = (ClientFactory(registered_by=coordinator) for _ in range(3))
    clients_merge(survivor=a, other=b, by=coordinator.user)
    with pytest.raises(ValidationError):
        clients_merge(survivor=c, other=b, by=coordinator.user)
    with pytest.raises(ValidationError):
        clients_merge(survivor=c, other=ClientFactory(registered_by=coordinator, anonymous=True), by=coordinator.user)
    with pytest.raises(ValidationError):
        clients_merge(survivor=c, other=ClientFactory(registered_by=outsider), by=coordinator.user)


# The exact undo, over generated pairs ---------------------------------------------------------

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
kinds = st.sets(st.sampled_from(ROW_KINDS), min_size=6)
# A value of each kind of field: text, a choice from an agency list and from an iCARE list, a telephone number, a
# country, a date, a yes/no that may be unanswered, a plain box.
profile = st.fixed_dictionaries(
    {
        "preferred_name": st.sampled_from(["", "Mara", "Ngozi", "Đức", "Zoë"]),
        "city": st.sampled_from(["", "Toronto", "Montréal"]),
        "gender": st.sampled_from(["Female", "Male", None]),
        "official_language": st.sampled_from(["English", "French", None]),
        "phone": st.sampled_from(["", "+14165550111", "+16135550122"]),
        "country_of_origin": st.sampled_from(["", "NG", "VN", "SY"]),
        "landing_date": st.one_of(st.none(), st.dates(date(1995, 1, 1), date(2025, 1, 1))),
        "research_consent": st.sampled_from([None, True, False]),
        "consent_required": st.sampled_from([None, True, False]),
        "email_safe": st.booleans(),
    }
)
EVERYTHING = {
    "first_kinds": frozenset(ROW_KINDS),
    "second_kinds": frozenset(ROW_KINDS),
    "first_values": {"gender": "Female", "official_language": "English", "city": "Toronto", "phone": "",
                     "landing_date": date(2016, 1, 1)},
    "second_values": {"gender": "Male", "official_language": None, "city": "", "phone": "+14165550111",
                      "landing_date": date(2017, 1, 1), "country_of_origin": "NG", "email_safe": True},
    "variant": 0,
    "keep_second": False,
    "shared_export": True,
    "pair_status": PairStatus.DIFFERENT,
    "born": date(1980, 1, 1),
}  # fmt: skip


def resolved(staff, values: dict) -> dict:
    """A generated profile's values as the client's fields take them (list choices by their labels)."""
    values = dict(values)
    if "gender" in values:
        values["gender"] = values["gender"] and list_item(staff.agency, AgencyList.GENDER, values["gender"])
    if "official_language" in values:
        language = values["official_language"]
        values["official_language"] = language and icare_value(IcareList.OFFICIAL_LANGUAGE, language)
    return values


def offered(plan) -> list[str]:
    """The names of every choice a reviewer may make on this plan, of the client's fields and of the parts both
    hold."""
    survivor, other = plan.survivor, plan.other
    names = [f.name for f in merged_fields() if f.value_from_object(survivor) != f.value_from_object(other)]
    return names + [clash.choice_name(f) for clash in plan.clashes for f in clash.fields()]


def test_a_merge_undone_leaves_every_row_exactly_as_it_was(coordinator):
    """Any two generated clients, with any rows of every kind (parts both hold among them), any values of every kind
    of field, any choices: merged then undone, every row of the clients, of what hangs off them, of the pairs, of
    the families and of the change histories is as it was. A merge the chosen values refuse writes nothing."""
    third = ClientFactory(registered_by=coordinator, first_name="Third")

    @EXAMPLES
    @given(
        first_kinds=kinds,
        second_kinds=kinds,
        first_values=profile,
        second_values=profile,
        variant=st.integers(0, 3),
        keep_second=st.booleans(),
        shared_export=st.booleans(),
        pair_status=st.sampled_from([None, PairStatus.OPEN, PairStatus.DIFFERENT]),
        born=st.dates(date(1950, 1, 1), date(2012, 1, 1)),
        rng=st.randoms(use_true_random=False),
    )
    @example(**EVERYTHING, rng=random.Random(1))
    @example(**EVERYTHING | {"variant": 1, "keep_second": True, "pair_status": None}, rng=random.Random(2))
    def merged_and_undone(
        first_kinds, second_kinds, first_values, second_values, variant, keep_second, shared_export, pair_status, born,
        rng,
    ):  # fmt: skip
        export = an_export(coordinator) if shared_export else None
        first = client_with_rows(
            coordinator, first_kinds, 0, export, date_of_birth=born, **resolved(coordinator, first_values)
        )
        second = client_with_rows(
            coordinator, second_kinds, variant, export, last_name="Okafor-Ade", **resolved(coordinator, second_values)
        )
        pair_of(second, third)  # a pair with someone else: untouched
        if pair_status:
            pair = pair_of(first, second)
            if pair_status == PairStatus.DIFFERENT:
                from clients.scan import pair_decide_different

                pair_decide_different(pair=pair, by=coordinator.user, note="Twins")
        survivor, other = (second, first) if keep_second else (first, second)
        plan = merge_plan(survivor=survivor, other=other)
        choices = {name: rng.choice(["survivor", "other"]) for name in offered(plan)}
        before = snapshot()

        if merge_problems(merge_plan(survivor=survivor, other=other, choices=choices)):
            with pytest.raises(ValidationError):
                clients_merge(survivor=survivor, other=other, by=coordinator.user, choices=choices)
            assert snapshot() == before
            return
        merge = clients_merge(survivor=survivor, other=other, by=coordinator.user, choices=choices)
        assert rows_left(other) == {} and Client.objects.get(pk=other.pk).merged_into == survivor
        merge_undo(merge=merge, by=coordinator.user)

        assert snapshot(leave_out=merge) == before

    merged_and_undone()


# The pages: who may, and the walk a coordinator takes ------------------------------------------


def test_a_caseworker_may_flag_a_pair_but_not_review_merge_or_undo(caseworker, caseworker_client, coordinator):
    client = ClientFactory(registered_by=caseworker)
    other = ClientFactory(registered_by=caseworker)
    merged = clients_merge(
        survivor=ClientFactory(registered_by=caseworker), other=ClientFactory(registered_by=caseworker),
        by=coordinator.user,
    )  # fmt: skip

    flagged = caseworker_client.post(
        reverse("clients:duplicate-flag", kwargs={"code": client.code}), {"number": str(other.number)}
    )
    assert flagged.status_code == 302
    pair = DuplicatePair.objects.get(first=client)
    assert pair.reasons == [PairReason.FLAGGED] and pair.flagged_by == caseworker.user
    code = {"code": pair.code}
    for method, url, data in (
        ("get", reverse("clients:duplicate-queue"), {}),
        ("get", reverse("clients:duplicate-pair", kwargs=code), {}),
        ("get", reverse("clients:duplicate-merge", kwargs=code), {}),
        ("post", reverse("clients:duplicate-merge", kwargs=code), {"merge": "1"}),
        ("post", reverse("clients:duplicate-different", kwargs=code), {"note": "Twins"}),
        ("post", reverse("clients:duplicate-scan"), {}),
        ("get", reverse("clients:merge-detail", kwargs={"code": merged.code}), {}),
        ("post", reverse("clients:merge-undo", kwargs={"code": merged.code}), {}),
    ):
        assert getattr(caseworker_client, method)(url, data).status_code == 403, url
    assert ClientMerge.objects.get() == merged and merged.undone_at is None
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.OPEN
    assert not Client.objects.filter(merged_into__isnull=False).exclude(pk=merged.merged_id).exists()
    from clients.models import DuplicateScan

    assert not DuplicateScan.objects.exists()


def test_another_agencys_pair_and_merge_are_not_found(coordinator, outsider_client):
    pair = pair_of(ClientFactory(registered_by=coordinator), ClientFactory(registered_by=coordinator))
    merge = clients_merge(survivor=pair.first, other=pair.second, by=coordinator.user)

    for url in (
        reverse("clients:duplicate-pair", kwargs={"code": pair.code}),
        reverse("clients:merge-detail", kwargs={"code": merge.code}),
    ):
        assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(reverse("clients:merge-undo", kwargs={"code": merge.code})).status_code == 404
    assert ClientMerge.objects.get().undone_at is None


def test_a_flag_with_a_number_of_nobody_says_so_next_to_the_field_and_keeps_it(caseworker, caseworker_client):
    client = ClientFactory(registered_by=caseworker)

    response = caseworker_client.post(reverse("clients:duplicate-flag", kwargs={"code": client.code}), {"number": "99"})

    assert response.status_code == 422
    assertContains(response, "No other named client of your agency has this number.", status_code=422)
    assertContains(response, 'value="99"', status_code=422)
    assert not DuplicatePair.objects.exists()


def test_the_pair_and_merge_pages_never_show_sensitive_values_but_say_which_side_has_some(
    coordinator, coordinator_client
):
    survivor, other = clashing_pair(coordinator)
    pair = pair_of(survivor, other)

    compare = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))
    merge_page = coordinator_client.get(
        reverse("clients:duplicate-merge", kwargs={"code": pair.code}), {"keep": survivor.number}
    )

    for page in (compare, merge_page):
        assert page.status_code == 200
        assertNotContains(page, "SECRET")
    assertContains(compare, "Unlock it on the profile", count=2)
    profile = reverse("clients:client-detail", kwargs={"code": survivor.code})
    assertContains(compare, f'href="{profile}#section-sensitive-info"')
    assertContains(merge_page, f"Filled in on client {other.number} (not shown)")
    assertContains(merge_page, f"Blank on client {survivor.number}")  # its health insurance status


def test_the_merge_page_says_what_moves_and_what_both_hold(coordinator, coordinator_client):
    survivor, other = clashing_pair(coordinator)
    SessionFactory(client=other, worker=coordinator)
    SessionFactory(client=other, worker=coordinator)
    pair = pair_of(survivor, other)

    page = coordinator_client.get(reverse("clients:duplicate-merge", kwargs={"code": pair.code}))

    assertContains(page, "<li>Sessions: 2</li>", html=True)
    program = coordinator.agency.programs.order_by("pk").first()
    for title in ("Emergency Contact &amp; Consent: Emergency Contact", f"Agency Program Table: {program.name}",
                  "Identification Documents: FOSS/GCMS Client ID: 1234-5678", "Sensitive Information"):  # fmt: skip
        assertContains(page, f"<li>{title}</li>", html=True)
    assertContains(page, "Emergency Contact &amp; Consent: Emergency Contact: Name")  # a choice, beside its value
    assertContains(page, f"Adaeze (client {other.number})")


def test_the_pair_page_counts_what_each_profile_holds(coordinator, coordinator_client):
    family = FamilyFactory(agency=coordinator.agency)
    first = client_with_rows(coordinator, ("icare_row", "identifier", "certificate", "session"), first_name="Amara")
    second = ClientFactory(registered_by=coordinator, first_name="Amarah", family=family)
    ClientFactory(registered_by=coordinator, family=family, first_name="Chidi")
    ClientFactory(registered_by=coordinator, family=family, first_name="Obi")
    pair = pair_of(first, second)

    page = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))

    for label, counts in (("Sessions", (1, 0)), ("Identification Documents", (1, 0)),
                          ("Academic Certificates", (1, 0)), ("Other family members", (0, 2)),
                          ("iCARE export rows", (1, 0))):  # fmt: skip
        row = f'<tr><th scope="row" class="fw-normal">{label}</th><td>{counts[0]}</td><td>{counts[1]}</td></tr>'
        assertContains(page, row, html=True)


def test_a_coordinator_compares_merges_and_undoes_through_the_pages(coordinator, coordinator_client):
    first = ClientFactory(registered_by=coordinator, first_name="Amara", city="Toronto")
    second = ClientFactory(registered_by=coordinator, first_name="Amarah", city="Ottawa")
    IdentifierFactory(client=second, value="9999-0001")
    pair = pair_of(first, second)

    queue = coordinator_client.get(reverse("clients:duplicate-queue"))
    assertContains(queue, "Amarah Okafor")
    compare = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))
    assertContains(compare, "Toronto")
    assertContains(compare, "Ottawa")
    assertContains(compare, "differs")
    merge_url = reverse("clients:duplicate-merge", kwargs={"code": pair.code})
    form = coordinator_client.get(merge_url, {"keep": first.number})
    assertContains(form, "Ottawa (client")

    merged = coordinator_client.post(merge_url, {"keep": first.number, "merge": "1", "city": "other"})
    merge = ClientMerge.objects.get()
    assertRedirects(merged, reverse("clients:merge-detail", kwargs={"code": merge.code}))
    first.refresh_from_db()
    assert first.city == "Ottawa" and first.first_name == "Amara"
    assert Identifier.objects.get().client == first
    assert DuplicatePair.objects.get().status == PairStatus.MERGED
    profile = coordinator_client.get(reverse("clients:client-detail", kwargs={"code": first.code}))
    assertContains(profile, reverse("clients:merge-detail", kwargs={"code": merge.code}))

    undone = coordinator_client.post(reverse("clients:merge-undo", kwargs={"code": merge.code}))
    assert undone.status_code == 302
    first.refresh_from_db()
    assert first.city == "Toronto" and Identifier.objects.get().client == second
    assert DuplicatePair.objects.get().status == PairStatus.OPEN


def sensitive_line(page) -> tuple[str, str]:
    """What the pair page says of each side's Sensitive Information."""
    line = next(line for block in page.context["blocks"] for line in block.lines if line.name == "sensitive")
    return line.first, line.second


def test_a_client_registered_with_the_sensitive_step_blank_has_no_sensitive_information(
    caseworker, caseworker_client, coordinator, coordinator_client
):
    _code, response = walk(caseworker_client, caseworker)
    blank = registered_client(response)
    assert SensitiveInfo.objects.filter(client=blank).exists()  # a row of blanks
    other = ClientFactory(registered_by=coordinator, first_name="Amarah")
    pair = pair_of(blank, other)

    compare = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))
    merge_page = coordinator_client.get(reverse("clients:duplicate-merge", kwargs={"code": pair.code}))

    assert sensitive_line(compare) == ("No", "No")
    assertNotContains(compare, "Unlock it on the profile")
    assertNotContains(merge_page, "<li>Sensitive Information</li>", html=True)
    assertNotContains(merge_page, "Held by both profiles")

    SensitiveInfo.objects.create(client=other, illnesses="Asthma-SECRET")  # recorded on the other only
    compare = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))
    merge_page = coordinator_client.get(reverse("clients:duplicate-merge", kwargs={"code": pair.code}))
    assert sensitive_line(compare) == ("No", "Yes")
    assertContains(compare, "Unlock it on the profile", count=1)
    assertNotContains(merge_page, "Held by both profiles")
    assertContains(merge_page, "<li>Sensitive Information: 1</li>", html=True)  # its values fill the blank row


def test_an_icare_export_row_is_named_by_its_file_at_local_time_in_the_page_s_language(coordinator, coordinator_client):
    export = an_export(coordinator)
    IcareExport.objects.filter(pk=export.pk).update(created_at=datetime(2026, 12, 8, 3, 4, tzinfo=UTC))
    survivor = client_with_rows(coordinator, ("icare_row",), 0, export, first_name="Amara")
    other = client_with_rows(coordinator, ("icare_row",), 1, export, first_name="Amarah")
    pair = pair_of(survivor, other)
    merge_url = reverse("clients:duplicate-merge", kwargs={"code": pair.code})
    named = "iCARE export rows: iCARE file made 2026-12-07 22:04"  # 03:04 UTC, in Toronto

    page = coordinator_client.get(merge_url)

    assertContains(page, f"<li>{named}</li>", html=True)
    assertContains(page, f"{named}: Status")  # the choice of its values
    assertNotContains(page, "Icare export row")
    assertNotContains(page, "03:04")
    status = next(c for c in merge_plan(survivor=survivor, other=other).clashes).choice_name(
        IcareExportRow._meta.get_field("status")
    )
    merged = coordinator_client.post(merge_url, {"keep": survivor.number, "merge": "1", status: "other"})
    record = coordinator_client.get(merged.url)
    assertContains(record, f"<li>{named}</li>", html=True)  # held by both, kept once
    assertContains(record, f'<th scope="row" class="fw-normal">{named}: Status</th>', html=True)
    assertNotContains(record, "Icare export row")
    coordinator_client.post(reverse("set_language"), {"language": "fr"})
    french = coordinator_client.get(merged.url)
    assertContains(french, "Lignes d&#x27;exportation iCARE : Fichier iCARE créé le 2026-12-07 22:04")


def test_a_merged_pair_leads_to_its_merge_record(coordinator, coordinator_client):
    survivor = ClientFactory(registered_by=coordinator, first_name="Amara")
    other = ClientFactory(registered_by=coordinator, first_name="Amarah")
    pair = pair_of(survivor, other)
    merge = clients_merge(survivor=survivor, other=other, by=coordinator.user)

    page = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))

    assertContains(page, f"Client {other.number} was merged into client {survivor.number} by ")
    record = reverse("clients:merge-detail", kwargs={"code": merge.code})
    assertContains(page, f'<a href="{record}">Open the merge record, where it can be undone</a>', html=True)


def test_a_pair_whose_client_was_merged_through_another_pair_says_so_with_a_link(coordinator, coordinator_client):
    amara, amarah, third = (ClientFactory(registered_by=coordinator, first_name=n) for n in ("Amara", "Amarah", "Ama"))
    pair = pair_of(amara, amarah)
    merge = clients_merge(survivor=third, other=amarah, by=coordinator.user)  # through another pair, or none

    page = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))

    assert page.status_code == 200
    assertContains(page, f"Status <strong>Client {amarah.number} merged into client {third.number}</strong>")
    assertNotContains(page, "To review")
    record = reverse("clients:merge-detail", kwargs={"code": merge.code})
    link = f"Open the merge of client {amarah.number} into client {third.number}"
    assertContains(page, f'<a href="{record}">{link}</a>', html=True)
    assertNotContains(page, "Merge, keeping client")


def test_a_flagged_pair_says_who_flagged_it(caseworker, caseworker_client, coordinator, coordinator_client):
    client = ClientFactory(registered_by=caseworker)
    other = ClientFactory(registered_by=caseworker)
    caseworker_client.post(reverse("clients:duplicate-flag", kwargs={"code": client.code}), {"number": other.number})
    pair = DuplicatePair.objects.get()

    page = coordinator_client.get(reverse("clients:duplicate-pair", kwargs={"code": pair.code}))

    assertContains(page, "Reasons: Flagged by staff")
    assertContains(page, f"Flagged by {user_display_name(caseworker.user)}.")


def test_a_flag_with_the_number_of_a_merged_client_names_the_profile_it_was_merged_into(
    caseworker, caseworker_client, coordinator
):
    client = ClientFactory(registered_by=caseworker, first_name="Amara")
    survivor = ClientFactory(registered_by=caseworker, first_name="Chioma")
    merged = ClientFactory(registered_by=caseworker, first_name="Chiomah")
    clients_merge(survivor=survivor, other=merged, by=coordinator.user)
    url = reverse("clients:duplicate-flag", kwargs={"code": client.code})

    response = caseworker_client.post(url, {"number": str(merged.number)})

    assert response.status_code == 422
    told = (
        f"Client {merged.number} was merged into client {survivor.number}: type {survivor.number} to flag that profile."
    )
    assertContains(response, told, status_code=422)
    assertContains(response, f'value="{merged.number}"', status_code=422)
    assert not DuplicatePair.objects.exists()
    own = caseworker_client.post(
        reverse("clients:duplicate-flag", kwargs={"code": survivor.code}), {"number": str(merged.number)}
    )
    told = f"Client {merged.number} was merged into this profile already: there is nothing to flag."
    assertContains(own, told, status_code=422)
    assert not DuplicatePair.objects.exists()
