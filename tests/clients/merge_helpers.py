"""Clients with every kind of row that hangs off a profile, and a snapshot of the database rows a merge and its undo
may touch, to compare before and after."""

from datetime import date

from django.apps import apps
from django.db.models import Model

from agencies.models import AgencyList, IcareList, IcareValue, ListItem, StaffProfile
from clients.merge import clients_merge
from clients.models import (
    Certificate,
    Child,
    Client,
    ClientLanguage,
    ClientMerge,
    ClientProgram,
    ConsentContact,
    SensitiveInfo,
    UnlockAttempt,
    UnlockOutcome,
)
from registration.models import Draft
from reports.models import IcareExport, IcareExportRow
from tests.factories import (
    ClientFactory,
    FamilyFactory,
    IdentifierFactory,
    MentorMatchFactory,
    SessionFactory,
    icare_value,
)

# Every kind of row a client may have, by the name the tests give it.
ROW_KINDS = (
    "identifier",
    "program",
    "certificate",
    "language",
    "contact",
    "guardian",
    "child",
    "referral",
    "sensitive",
    "session",
    "match",
    "unlock",
    "icare_row",
    "draft",
    "family",
    "tombstone",
    "history",
)
# The apps whose rows a merge may touch (the agencies' lists and staff it only points at).
APPS = ("clients", "families", "registration", "reports")


def icare_values(list_name: str) -> list[IcareValue]:
    return list(IcareValue.objects.filter(list=list_name).order_by("position", "pk"))


def items(staff: StaffProfile, list_name: str) -> list[ListItem]:
    return list(ListItem.objects.for_agency(staff.agency).of(list_name).order_by("position", "pk"))


def an_export(staff: StaffProfile) -> IcareExport:
    return IcareExport.objects.create(
        agency=staff.agency, created_by=staff.user, date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)
    )


def client_with_rows(
    staff: StaffProfile, kinds=ROW_KINDS, variant: int = 0, export: IcareExport | None = None, **fields
) -> Client:
    """A named client of the staff's agency with a row of each of `kinds`; `variant` picks other values, so that two
    clients may hold the same part (a clash the merge resolves) with other values, or different parts. `export`:
    the iCARE file its row is in (one file for both clients of a pair: a clash too)."""
    client = ClientFactory(registered_by=staff, **fields)
    agency = staff.agency
    programs = list(agency.programs.order_by("pk"))
    relationships = items(staff, AgencyList.RELATIONSHIP)
    if "identifier" in kinds:
        IdentifierFactory(client=client, value=f"1234-{5678 + variant}")
    if "program" in kinds:
        ClientProgram.objects.create(
            client=client, program=programs[variant % len(programs)], status=("new", "returning")[variant % 2]
        )
    if "certificate" in kinds:
        Certificate.objects.create(client=client, institution=f"University {variant}", year=2010 + variant)
    if "language" in kinds:
        languages = [icare_value(IcareList.LANGUAGE, v) for v in ("English", "French")]
        ClientLanguage.objects.create(client=client, language=languages[variant % 2], comments=f"Note {variant}")
    if "contact" in kinds:  # the same kind on both clients: a clash, resolved value by value
        ConsentContact.objects.create(
            client=client,
            kind="emergency",
            name=f"Contact {variant}",
            relationship=relationships[variant % len(relationships)],
            phone=("+14165550111", "")[variant % 2],
            email=("", "contact@example.org")[variant % 2],
        )
    if "guardian" in kinds:
        ConsentContact.objects.create(client=client, kind="guardian", name=f"Guardian {variant}")
    if "child" in kinds:
        ages = icare_values(IcareList.CHILD_AGE)
        Child.objects.create(client=client, name=f"Child {variant}", age_group=ages[variant % len(ages)])
    if "referral" in kinds:
        sources = icare_values(IcareList.REFERRAL_SOURCE)
        client.referral_sources.add(sources[variant % len(sources)], sources[2])
    if "sensitive" in kinds:
        insurance = items(staff, AgencyList.HEALTH_INSURANCE_STATUS)
        identities = items(staff, AgencyList.SELF_IDENTITY)
        sensitive = SensitiveInfo.objects.create(  # a blank of one side filled from the other's, by variant
            client=client,
            illnesses="" if variant == 1 else f"Illness {variant}",
            health_insurance_status=None if variant == 2 else insurance[variant % len(insurance)],
        )
        sensitive.self_identity.set(identities[variant % len(identities) :][:2])
    if "session" in kinds:
        SessionFactory(client=client, worker=staff, program=programs[0])
    if "match" in kinds:
        MentorMatchFactory(client=client, program=programs[0], start_date=date(2025, 1, 6))
    if "unlock" in kinds:
        UnlockAttempt.objects.create(agency=agency, client=client, user=staff.user, outcome=UnlockOutcome.GRANTED)
    if "icare_row" in kinds:
        IcareExportRow.objects.create(
            export=export or an_export(staff), client=client, status=("exported", "accepted")[variant % 2]
        )
    if "draft" in kinds:
        Draft.objects.create(agency=agency, owner=staff.user, prefilled_from=client)
    if "family" in kinds:
        family = FamilyFactory(agency=agency)
        ClientFactory(registered_by=staff, family=family, first_name=f"Relative {variant}")
        Client.objects.filter(pk=client.pk).update(family=family)
    if "tombstone" in kinds:  # an earlier profile of the person, merged into this one already
        earlier = client_with_rows(staff, ("session", "identifier"), variant + 7, first_name="Earlier")
        clients_merge(survivor=client, other=earlier, by=staff.user)
    if "history" in kinds:  # edits after the registration, recorded in the change history
        client.refresh_from_db()
        client.comments = f"Edited {variant}"
        client.save()
    return Client.objects.get(pk=client.pk)


def row_values(row: Model) -> dict:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def models_touched() -> list[type[Model]]:
    """Every model of the apps a merge may touch, their change histories and link tables included."""
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.app_label in APPS]


def snapshot(*, leave_out: ClientMerge | None = None) -> dict:
    """Every row of every model a merge may touch (but the record of the merge under test, `leave_out`), by model:
    the clients themselves, every row that hangs off them, the pairs, the families, the change histories. A link
    table's rows are compared by what they link (their own ids mean nothing)."""
    rows = {}
    for model in models_touched():
        found = model._base_manager.order_by("pk")
        if model is ClientMerge and leave_out is not None:
            found = found.exclude(pk=leave_out.pk)
        if model._meta.auto_created:
            columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            rows[model._meta.label] = sorted(found.values_list(*columns))
        else:
            rows[model._meta.label] = [row_values(row) for row in found]
    return rows


def client_rows(client: Client) -> dict:
    """The rows of one client, by the foreign key that holds them (as the merge finds them)."""
    from clients.merge import relations

    fresh = Client.objects.get(pk=client.pk)
    rows = {"client": row_values(fresh)}
    for field in Client._meta.many_to_many:
        rows[field.name] = sorted(getattr(fresh, field.name).values_list("pk", flat=True))
    for relation in relations():
        found = relation.rows_of(fresh).order_by("pk")
        rows[f"{relation.label}.{relation.field.attname}"] = [row_values(row) for row in found]
    return rows
