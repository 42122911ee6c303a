"""Which clients an iCARE file holds, and whether each is ready: the rules behind the yellow fields, never
restated here (clients.rules.icare_missing)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import batched
from operator import attrgetter
from typing import Any

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, TextChoices, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyList, ListItem, Program
from clients.duplicates import (
    blocking_holder,
    different_people,
    icare_match,
    second_holder_label,
    shared_identifier_label,
)
from clients.models import Client, ClientMerge, ConsentContact, Identifier
from clients.rules import FACT_FIELDS, FACT_LIST_FIELDS, Rule, facts_of, icare_missing
from clients.sections import EDITABLE_SECTIONS, SectionName, section_named
from reports.models import IcareExportRow, IcareStatus

# Clients read, and export rows written, this many at a time: memory stays flat whatever the agency's size.
CHUNK = 2000
# The check page names at most this many clients in each list; the counts are always whole.
SHOWN = 500


class Include(TextChoices):
    NEW = "new", _("Only clients not yet exported")
    CHANGED = "changed", _("Also clients changed since their upload")
    ALL = "all", _("Every client, exported or not (re-export)")


# Which clients


def icare_candidates(
    *,
    agency: Agency,
    date_from: date,
    date_to: date,
    program: Program | None = None,
    include: str = Include.NEW,
) -> QuerySet[Client]:
    """The agency's named clients registered in the dates (and in the program), with their latest export.

    Each client carries `exported_at` (when the latest file holding it was made, or None) and `icare_status`.
    """
    latest = IcareExportRow.objects.filter(client=OuterRef("pk")).order_by("-export__created_at", "-pk")
    merges = ClientMerge.objects.filter(survivor=OuterRef("pk"), undone_at=None).order_by("-at")
    clients = (
        Client.objects.for_agency(agency)
        .named()
        .filter(registration_date__range=(date_from, date_to))
        .annotate(
            exported_at=Subquery(latest.values("export__created_at")[:1]),
            icare_status=Subquery(latest.values("status")[:1]),
            merged_at=Subquery(merges.values("at")[:1]),
        )
    )
    if program is not None:
        clients = clients.filter(program_statuses__program=program)
    # A client another profile was merged into after its latest file goes in the next one, whatever was chosen.
    merged_since = Q(merged_at__isnull=False, exported_at__isnull=False, merged_at__gt=F("exported_at"))
    if include == Include.NEW:
        clients = clients.filter(Q(exported_at__isnull=True) | merged_since)
    elif include == Include.CHANGED:
        clients = clients.filter(Q(exported_at__isnull=True) | Q(updated_at__gt=F("exported_at")) | merged_since)
    return clients


def changed_since_upload(
    *, agency: Agency, date_from: date, date_to: date, program: Program | None = None
) -> QuerySet[Client]:
    """Clients in the dates edited after the latest file that held them."""
    clients = icare_candidates(
        agency=agency, date_from=date_from, date_to=date_to, program=program, include=Include.ALL
    )
    return clients.filter(exported_at__isnull=False, updated_at__gt=F("exported_at"))


# Each client read as plain values: building a model instance per client, identifier and contact cost the file
# several times what writing it does (`make bench`).

# When each client was last in a file, what iCARE said of it then, and its latest merge: the check page shows them;
# the file needs none, and they are three look-ups a client.
UPLOAD_VALUES = ("exported_at", "icare_status", "merged_at")
PHONE_TEXT = Cast("phone", TextField())  # the stored text: a PhoneNumber would be parsed for every client
CLIENT_VALUES = (
    "pk",
    "code",
    "number",
    "agency_id",
    "registration_date",
    "updated_at",
    "duplicate_reason",
    *FACT_FIELDS,
    *(f"{name}_id" for name in FACT_LIST_FIELDS),
    "unit",
    # IRCC's strings of the file's list columns
    "street_type__value",
    "street_direction__value",
    "province__value",
    "official_language__value",
)


@dataclass(frozen=True, slots=True)
class IcareIdentifier:
    """An identifier of a client as the check and the file read it."""

    pk: int
    value: str
    value_key: str
    identifier_type: str  # the type's name, as the page says it
    icare_value: str  # IRCC's code of the type ("" when it is no iCARE type)
    position: int  # the type's place in IRCC's order

    @property
    def is_icare(self) -> bool:
        return bool(self.icare_value)


@dataclass(slots=True)
class IcareClient:
    """A named client as the check and the file read it: its values (by field name, lists by `<name>_id`, phone as
    its stored text), its identifiers and its facts (clients.rules); what keeps it from iCARE by the rules, and the
    identifier iCARE matches it on (the first of IRCC's types, in IRCC's order, with a value), both worked out once."""

    values: dict[str, Any]
    identifiers: list[IcareIdentifier]
    facts: dict[str, Any]
    icare_missing: list[Rule] = field(init=False)
    icare_identifier: IcareIdentifier | None = field(init=False)

    def __post_init__(self) -> None:
        self.icare_missing = icare_missing(self.facts)
        self.icare_identifier = icare_match(self.identifiers, attrgetter("position"))

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def display_name(self) -> str:
        return f"{self.values['first_name']} {self.values['last_name']}".strip()


def identifier_types(agency_id: int) -> dict[int, tuple[str, str, int]]:
    """The agency's identifier types: id -> (name, IRCC's code or "", IRCC's position)."""
    types = ListItem.objects.filter(agency_id=agency_id, list=AgencyList.IDENTIFIER_TYPE).select_related("icare_value")
    found = {}
    for item in types:
        icare = item.icare_value
        found[item.pk] = (str(item), icare.value, icare.position) if icare else (str(item), "", 0)
    return found


IDENTIFIERS_OF = (
    "SELECT client_id, id, value, value_key, identifier_type_id"
    f" FROM {Identifier._meta.db_table} WHERE client_id = ANY(%s::bigint[]) ORDER BY id"
)


def identifiers_of(client_ids: list[int]) -> Iterable[tuple[int, int, str, str, int]]:
    """(client id, id, value, value key, type id) of these clients' identifiers, by id. On PostgreSQL the ids go as
    one array: an IN list of a chunk's thousands of ids takes four times longer to build and send than to run."""
    if connection.vendor != "postgresql":
        found = Identifier.objects.filter(client_id__in=client_ids).order_by("pk")
        return found.values_list("client_id", "pk", "value", "value_key", "identifier_type_id")
    with connection.cursor() as cursor:
        cursor.execute(IDENTIFIERS_OF, [client_ids])
        return cursor.fetchall()


def icare_clients(clients: QuerySet[Client], *, uploads: bool = True) -> Iterator[list[IcareClient]]:
    """The clients by number, CHUNK at a time, each with its identifiers and consent contacts (one query each per
    chunk); with UPLOAD_VALUES unless `uploads` is False."""
    types: dict[int, dict[int, tuple[str, str, int]]] = {}  # by agency
    rows = (
        clients.order_by("number")
        .annotate(phone_text=PHONE_TEXT)
        .values(*CLIENT_VALUES, *(UPLOAD_VALUES if uploads else ()), "phone_text")
    )
    for batch in batched(rows.iterator(chunk_size=CHUNK), CHUNK):
        pks = [row["pk"] for row in batch]
        agency_id = batch[0]["agency_id"]
        if agency_id not in types:
            types[agency_id] = identifier_types(agency_id)
        identifiers: dict[int, list[IcareIdentifier]] = {pk: [] for pk in pks}
        for client_id, pk, value, key, type_id in identifiers_of(pks):
            identifiers[client_id].append(IcareIdentifier(pk, value, key, *types[agency_id][type_id]))
        # A rule reads the consent contacts only when consent is required (a minor's): those clients' alone.
        contacts: dict[int, list[tuple]] = {pk: [] for pk in pks}
        if consenting := [row["pk"] for row in batch if row["consent_required"]]:
            found = ConsentContact.objects.filter(client_id__in=consenting).annotate(phone_text=PHONE_TEXT)
            fields = ("client_id", "kind", "name", "relationship_id", "phone_text")
            for client_id, *contact in found.order_by("kind").values_list(*fields):
                contacts[client_id].append(tuple(contact))
        chunk = []
        for row in batch:
            row["phone"] = row.pop("phone_text")
            mine = identifiers[row["pk"]]
            facts = facts_of(row, [(i.is_icare, i.value) for i in mine], contacts[row["pk"]])
            chunk.append(IcareClient(row, mine, facts))
        yield chunk


# One identifier, one client


def identifier_holders(agency_id: int) -> dict[str, list[tuple[int, int]]]:
    """Every identifier value (compared without spaces, hyphens or case) that more than one client of the agency
    holds, with its holders as (client id, number) by number. One query for the whole file: few values are shared."""
    live = Identifier.objects.filter(client__agency_id=agency_id, client__merged_into=None)
    shared = live.values("value_key").annotate(holders=Count("client", distinct=True)).filter(holders__gt=1)
    holders: dict[str, list[tuple[int, int]]] = {}
    found = live.filter(value_key__in=shared.values("value_key")).order_by("client__number")
    for key, client_id, number in found.values_list("value_key", "client_id", "client__number"):
        holders.setdefault(key, []).append((client_id, number))
    return holders


def shared_identifiers(
    holders: dict[str, list[tuple[int, int]]], clients: Iterable[IcareClient], different: set[frozenset[int]]
) -> dict[int, int]:
    """For each of `clients` whose iCARE identifier another client also holds (`holders`: identifier_holders), the
    number of the other client that keeps it from iCARE (clients.duplicates.blocking_holder: none when a reason for
    registering the client despite a possible duplicate is recorded, nor a client a reviewer decided is a different
    person, `different`: clients.duplicates.different_people)."""
    shared = {}
    for client in clients:
        identifier = client.icare_identifier
        if identifier is None or identifier.value_key not in holders:
            continue
        other = blocking_holder(client.pk, client.duplicate_reason, holders[identifier.value_key], different)
        if other is not None:
            shared[client.pk] = other
    return shared


def edit_url(client: Client, section: SectionName) -> str:
    return reverse("registration:section-edit", kwargs={"code": client.code, "section": section})


def shared_identifier_missing(client: IcareClient, other: int) -> "Missing":
    """What keeps a client from iCARE while another client holds its identifier: fixed on Identification (the
    values differ then) or on the Registration Summary (the reason the two are different people)."""
    return Missing(
        label=shared_identifier_label(client.icare_identifier.identifier_type, other),
        section=section_named(SectionName.IDENTIFICATION).title,
        url=edit_url(client, SectionName.IDENTIFICATION),
        reason_url=edit_url(client, SectionName.SUMMARY) + "#id_duplicate_reason",
    )


def second_holder_missing(client: IcareClient, first: int) -> "Missing":
    """What keeps a client from iCARE when a client before it in the file (`first`, its number) already holds its
    identifier, both with a reason recorded: iCARE takes one client per identifier value, so only a corrected value
    helps."""
    return Missing(
        label=second_holder_label(client.icare_identifier.identifier_type, first),
        section=section_named(SectionName.IDENTIFICATION).title,
        url=edit_url(client, SectionName.IDENTIFICATION),
    )


# The readiness check


@dataclass(frozen=True)
class Missing:
    """One thing that keeps a client from iCARE, and where in the profile it is fixed."""

    label: str | Promise
    section: str | Promise
    url: str
    # Where to record the reason for registering the client despite a possible duplicate, when that fixes it.
    reason_url: str = ""


@dataclass
class Checked:
    client: IcareClient
    missing: list[Missing]

    @property
    def exported_at(self) -> datetime | None:
        return getattr(self.client, "exported_at", None)

    @property
    def merged_since_upload(self) -> bool:
        """Another profile was merged into the client after its latest file: the next file carries it again."""
        merged_at = getattr(self.client, "merged_at", None)
        return merged_at is not None and self.exported_at is not None and merged_at > self.exported_at

    @property
    def changed_since_upload(self) -> bool:
        return self.exported_at is not None and self.client.updated_at > self.exported_at

    @property
    def status_label(self) -> str | Promise:
        status = getattr(self.client, "icare_status", None)
        return IcareStatus(status).label if status else ""


@dataclass
class CheckResult:
    ready: list[Checked] = field(default_factory=list)
    not_ready: list[Checked] = field(default_factory=list)
    ready_count: int = 0
    not_ready_count: int = 0


def missing_of(client: IcareClient, rules: list[Rule]) -> list[Missing]:
    found = []
    for rule in rules:
        section = section_named(rule.step)
        url = ""
        if rule.step in EDITABLE_SECTIONS:
            url = reverse("registration:section-edit", kwargs={"code": client.code, "section": rule.step})
        found.append(Missing(label=rule.label, section=section.title, url=url))
    return found


def checked_clients(clients: QuerySet[Client], *, uploads: bool = True) -> Iterator[tuple[IcareClient, list[Missing]]]:
    """Each client by number, read as plain values CHUNK at a time (icare_clients), with what keeps it from iCARE
    (nothing: ready): the unmet rules, an iCARE identifier another client of the agency holds, and one that a ready
    client before it already brings to the file (one identifier value, one row). The check page and the file both
    read readiness here, so the page's Ready clients are the file's."""
    # The number of the ready client that brings each shared identifier value to the file (only a value another
    # client holds can come again: memory stays flat).
    ready_holders: dict[str, int] = {}
    holders = None
    for batch in icare_clients(clients, uploads=uploads):
        if holders is None:
            holders = identifier_holders(batch[0].agency_id)
            different = different_people({pk for sharing in holders.values() for pk, _number in sharing})
        shared = shared_identifiers(holders, batch, different)
        for client in batch:
            missing = missing_of(client, client.icare_missing)
            other = shared.get(client.pk)
            if other is not None:
                missing.append(shared_identifier_missing(client, other))
            if not missing:
                key = client.icare_identifier.value_key
                if key in ready_holders:
                    missing.append(second_holder_missing(client, ready_holders[key]))
                elif key in holders:
                    ready_holders[key] = client.number
            yield client, missing


def icare_readiness(clients: QuerySet[Client], *, shown: int = SHOWN) -> CheckResult:
    """Split clients into Ready and Not ready, each Not ready one with what is missing; names `shown` of each."""
    result = CheckResult()
    for client, missing in checked_clients(clients):
        if missing:
            result.not_ready_count += 1
            if len(result.not_ready) < shown:
                result.not_ready.append(Checked(client, missing))
        else:
            result.ready_count += 1
            if len(result.ready) < shown:
                result.ready.append(Checked(client, []))
    return result


def latest_icare_row(client: Client) -> IcareExportRow | None:
    """The client's row in the latest file that held it: what iCARE last said of the client."""
    return client.icare_rows.select_related("export__created_by").order_by("-export__created_at", "-pk").first()
