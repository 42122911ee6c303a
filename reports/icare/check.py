"""Which clients an iCARE file holds, and whether each is ready: the rules behind the yellow fields, never
restated here (clients.rules.icare_missing)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import batched

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery, TextChoices
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Program
from clients.models import Client, ClientMerge, Identifier
from clients.rules import Rule
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


def with_icare_parts(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Everything the rules and the file read, fetched with the clients (per chunk when iterated)."""
    return clients.select_related("official_language", "province", "street_type", "street_direction").prefetch_related(
        Prefetch("identifiers", queryset=Identifier.objects.select_related("identifier_type__icare_value")),
        "consent_contacts",
    )


# One identifier, one client


def icare_identifier(client: Client) -> Identifier | None:
    """The identifier iCARE matches the client on: the first of IRCC's types (in IRCC's order) with a value."""
    usable = [i for i in client.identifiers.all() if i.is_icare and i.value]
    return min(usable, key=lambda i: (i.identifier_type.icare_value.position, i.pk), default=None)


def shared_identifiers(agency: Agency, clients: Iterable[Client]) -> dict[int, Identifier]:
    """For each of `clients` whose iCARE identifier another client of the agency also holds (compared without
    spaces, hyphens or case), that other client's identifier. One query for the lot."""
    keys = {client.pk: identifier.value_key for client in clients if (identifier := icare_identifier(client))}
    if not keys:
        return {}
    holders: dict[str, list[Identifier]] = {}
    others = (
        Identifier.objects.for_agency(agency)
        .filter(value_key__in=set(keys.values()), client__merged_into=None)
        .select_related("client")
    )
    for identifier in others.order_by("client__number"):
        holders.setdefault(identifier.value_key, []).append(identifier)
    shared = {}
    for pk, key in keys.items():
        other = next((i for i in holders.get(key, []) if i.client_id != pk), None)
        if other is not None:
            shared[pk] = other
    return shared


def edit_url(client: Client, section: SectionName) -> str:
    return reverse("registration:section-edit", kwargs={"code": client.code, "section": section})


def shared_identifier_missing(client: Client, other: Identifier) -> "Missing":
    """What keeps a client from iCARE while another client holds its identifier: fixed on Identification (the
    values differ then) or on the Registration Summary (the reason the two are different people)."""
    return Missing(
        label=_("same %(type)s as client %(number)s")
        % {"type": icare_identifier(client).identifier_type, "number": other.client.number},
        section=section_named(SectionName.IDENTIFICATION).title,
        url=edit_url(client, SectionName.IDENTIFICATION),
        reason_url=edit_url(client, SectionName.SUMMARY) + "#id_duplicate_reason",
    )


def second_holder_missing(client: Client, first: Client) -> "Missing":
    """What keeps a client from iCARE when a client before it in the file (by number) already holds its identifier,
    both with a reason recorded: iCARE takes one client per identifier value, so only a corrected value helps."""
    return Missing(
        label=_("same %(type)s as client %(number)s, whom the file holds: iCARE takes one client per identifier")
        % {"type": icare_identifier(client).identifier_type, "number": first.number},
        section=section_named(SectionName.IDENTIFICATION).title,
        url=edit_url(client, SectionName.IDENTIFICATION),
    )


def held_by_another(client: Client, shared: dict[int, Identifier]) -> Identifier | None:
    """The other client holding this client's iCARE identifier, unless a reason for registering the client despite
    a possible duplicate is recorded."""
    return None if client.duplicate_reason else shared.get(client.pk)


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
    client: Client
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


def missing_of(client: Client, rules: list[Rule]) -> list[Missing]:
    found = []
    for rule in rules:
        section = section_named(rule.step)
        url = ""
        if rule.step in EDITABLE_SECTIONS:
            url = reverse("registration:section-edit", kwargs={"code": client.code, "section": rule.step})
        found.append(Missing(label=rule.label, section=section.title, url=url))
    return found


def checked_clients(clients: QuerySet[Client]) -> Iterator[tuple[Client, list[Missing]]]:
    """Each client by number, read with its iCARE parts CHUNK at a time, with what keeps it from iCARE (nothing:
    ready): the unmet rules, an iCARE identifier another client of the agency holds, and one that a ready client
    before it already brings to the file (one identifier value, one row). The check page and the file both read
    readiness here, so the page's Ready clients are the file's."""
    ready_holders: dict[str, Client] = {}
    for batch in batched(with_icare_parts(clients.order_by("number")).iterator(chunk_size=CHUNK), CHUNK):
        shared = shared_identifiers(batch[0].agency, batch)
        for client in batch:
            missing = missing_of(client, client.icare_missing)
            other = held_by_another(client, shared)
            if other is not None:
                missing.append(shared_identifier_missing(client, other))
            if not missing:
                key = icare_identifier(client).value_key
                if key in ready_holders:
                    missing.append(second_holder_missing(client, ready_holders[key]))
                else:
                    ready_holders[key] = client
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
