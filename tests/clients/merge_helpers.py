"""Clients with every kind of row that hangs off a profile, and a snapshot of a client's database rows to compare a
merge and its undo against."""

from datetime import date

from django.db.models import Model

from agencies.models import IcareList, IcareValue, StaffProfile
from clients.merge import relations
from clients.models import (
    Certificate,
    Child,
    Client,
    ClientLanguage,
    ClientProgram,
    ConsentContact,
    SensitiveInfo,
    UnlockAttempt,
    UnlockOutcome,
)
from registration.models import Draft
from reports.models import IcareExport, IcareExportRow
from tests.factories import ClientFactory, IdentifierFactory, MentorMatchFactory, SessionFactory, icare_value

# Every kind of row a client may have, by the name the tests give it.
ROW_KINDS = (
    "identifier",
    "program",
    "certificate",
    "language",
    "contact",
    "child",
    "referral",
    "sensitive",
    "session",
    "match",
    "unlock",
    "icare_row",
    "draft",
)


def icare_values(list_name: str) -> list[IcareValue]:
    return list(IcareValue.objects.filter(list=list_name).order_by("position", "pk"))


def client_with_rows(staff: StaffProfile, kinds=ROW_KINDS, variant: int = 0, **fields) -> Client:
    """A named client of the staff's agency with a row of each of `kinds`; `variant` picks other values, so that two
    clients may hold the same row (a clash the merge leaves with the merged client) or different ones."""
    client = ClientFactory(registered_by=staff, **fields)
    agency = staff.agency
    programs = list(agency.programs.order_by("pk"))
    if "identifier" in kinds:
        IdentifierFactory(client=client, value=f"1234-{5678 + variant}")
    if "program" in kinds:
        ClientProgram.objects.create(client=client, program=programs[variant % len(programs)])
    if "certificate" in kinds:
        Certificate.objects.create(client=client, institution=f"University {variant}", year=2010 + variant)
    if "language" in kinds:
        languages = [icare_value(IcareList.LANGUAGE, v) for v in ("English", "French")]
        ClientLanguage.objects.create(client=client, language=languages[variant % 2])
    if "contact" in kinds:
        ConsentContact.objects.create(client=client, kind="emergency", name=f"Contact {variant}", phone="+14165550111")
    if "child" in kinds:
        ages = icare_values(IcareList.CHILD_AGE)
        Child.objects.create(client=client, name=f"Child {variant}", age_group=ages[variant % len(ages)])
    if "referral" in kinds:
        sources = icare_values(IcareList.REFERRAL_SOURCE)
        client.referral_sources.add(sources[variant % len(sources)])
    if "sensitive" in kinds:
        SensitiveInfo.objects.create(client=client, illnesses=f"Illness {variant}")
    if "session" in kinds:
        SessionFactory(client=client, worker=staff, program=programs[0])
    if "match" in kinds:
        MentorMatchFactory(client=client, program=programs[0], start_date=date(2025, 1, 6))
    if "unlock" in kinds:
        UnlockAttempt.objects.create(agency=agency, client=client, user=staff.user, outcome=UnlockOutcome.GRANTED)
    if "icare_row" in kinds:
        export = IcareExport.objects.create(
            agency=agency, created_by=staff.user, date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)
        )
        IcareExportRow.objects.create(export=export, client=client)
    if "draft" in kinds:
        Draft.objects.create(agency=agency, owner=staff.user, prefilled_from=client)
    return client


def row_values(row: Model) -> dict:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def snapshot(client: Client) -> dict:
    """Every database row of the client: its own, its many-to-many links, and each row of every model with a foreign
    key to clients (found the way the merge finds them)."""
    fresh = Client.objects.get(pk=client.pk)
    rows = {"client": row_values(fresh)}
    for field in Client._meta.many_to_many:
        rows[field.name] = sorted(getattr(fresh, field.name).values_list("pk", flat=True))
    for relation in relations():
        found = relation.rows_of(fresh).order_by("pk")
        rows[f"{relation.label}.{relation.field.attname}"] = [row_values(row) for row in found]
    sensitive = SensitiveInfo.objects.filter(client=fresh).first()
    if sensitive is not None:
        rows["self_identity"] = sorted(sensitive.self_identity.values_list("pk", flat=True))
    return rows
