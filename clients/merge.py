"""Merging two profiles of one person into one, and undoing it exactly.

A merge keeps one client (the survivor), gives it the values the reviewer chose field by field, moves to it every
row that belonged to the other (whatever app the row's model lives in: each foreign key to Client is found through
Django's model metadata), and leaves the other as a tombstone pointing at the survivor. Everything it changed is
recorded on its ClientMerge, which is what an undo puts back, so that both clients return to what they were and
whatever was added to the survivor afterwards stays with it.

Rows are changed with QuerySet.update(): no timestamp moves and no change-history record is written for each row
moved; the survivor's change history shows the merge as one entry, read from the ClientMerge (clients.history).
"""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, ClientMerge, DuplicatePair, PairStatus, search_keys

# Client fields that are not the person's data: never chosen, never changed by a merge.
NOT_MERGED = {
    "id",
    "code",
    "agency",
    "number",
    "is_anonymous",
    "created_by",
    "created_at",
    "updated_at",
    "registered_from",
    "merged_into",
    "search_name",
    "name_words",
}


def merged_fields() -> list[models.Field]:
    """The client's own fields a reviewer chooses between, in the model's (the profile's) order."""
    return [f for f in Client._meta.concrete_fields if f.name not in NOT_MERGED]


def is_blank(value) -> bool:
    return value is None or value == ""


def default_choice(field: models.Field, survivor: Client, other: Client) -> str:
    """Which side a field keeps unless the reviewer says otherwise: the survivor's, its blanks filled from the
    other's."""
    mine, theirs = field.value_from_object(survivor), field.value_from_object(other)
    return "other" if is_blank(mine) and not is_blank(theirs) else "survivor"


def as_json(value):
    """A field's value as the merge records it: None, a number or a yes/no as it is, anything else as text (a date
    in ISO form, a telephone number in E.164, a country by its code)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def from_json(field: models.Field, value):
    return None if value is None else field.to_python(value)


@dataclass
class Relation:
    """A foreign key to Client from a model of any app: the rows it holds move with a merge."""

    model: type[models.Model]
    field: models.ForeignKey

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows_of(self, client: Client) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.field.attname: client.pk})

    def unique_with_client(self) -> list[list[str]]:
        """The sets of other fields that, with the client, may be held once only (a one-to-one: none)."""
        if self.field.one_to_one or self.field.unique:
            return [[]]
        sets = [
            [name for name in constraint.fields if name != self.field.name]
            for constraint in self.model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint) and self.field.name in constraint.fields
        ]
        sets += [[n for n in together if n != self.field.name] for together in self.model._meta.unique_together]
        return sets


def relations() -> list[Relation]:
    """Every foreign key to Client, the tombstones merged into a client included, but the records of merges and
    pairs themselves and the change histories (read by client id, not through a foreign key)."""
    skip = {ClientMerge, DuplicatePair}
    found = []
    for model in apps.get_models():
        if model in skip or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Client:
                found.append(Relation(model, field))
    return found


def many_to_many_fields() -> list[models.ManyToManyField]:
    return list(Client._meta.many_to_many)


def refuse_unless_mergeable(survivor: Client, other: Client) -> None:
    if survivor.pk == other.pk:
        raise ValidationError(_("A client cannot be merged with itself."))
    if survivor.agency_id != other.agency_id:
        raise ValidationError(_("Only clients of one agency can be merged."))
    if survivor.is_anonymous or other.is_anonymous:
        raise ValidationError(_("Anonymous clients are never merged."))
    if survivor.merged_into_id or other.merged_into_id:
        raise ValidationError(_("One of these clients is already merged into another."))


@transaction.atomic
def clients_merge(*, survivor: Client, other: Client, by, choices: dict[str, str] | None = None) -> ClientMerge:
    """Merge `other` into `survivor`, in one transaction. `choices`: for a field name, "survivor" or "other" (the
    side whose value the survivor keeps); a field not named keeps its default (`default_choice`)."""
    locked = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk])}
    survivor, other = locked[survivor.pk], locked[other.pk]
    refuse_unless_mergeable(survivor, other)
    choices = choices or {}
    merge = ClientMerge(agency_id=survivor.agency_id, survivor=survivor, merged=other, by=by)

    changed = {}
    for field in merged_fields():
        side = choices.get(field.name) or default_choice(field, survivor, other)
        before, after = (
            field.value_from_object(survivor),
            field.value_from_object(other if side == "other" else survivor),
        )
        if before != after:
            changed[field.attname] = after
            merge.survivor_fields[field.attname] = [as_json(before), as_json(after)]
    if changed:
        for attname, value in changed.items():
            setattr(survivor, attname, value)
        search_name, words = search_keys(survivor.first_name, survivor.last_name, survivor.preferred_name)
        for attname, value in (("search_name", search_name), ("name_words", words)):
            if getattr(survivor, attname) != value:
                merge.survivor_fields[attname] = [getattr(survivor, attname), value]
                changed[attname] = value
        Client.objects.filter(pk=survivor.pk).update(**changed)

    for field in many_to_many_fields():
        theirs = set(getattr(other, field.name).values_list("pk", flat=True))
        added = theirs - set(getattr(survivor, field.name).values_list("pk", flat=True))
        if added:
            getattr(survivor, field.name).add(*added)
            merge.links_added[field.name] = sorted(added)

    for relation in relations():
        moved, kept = rows_to_move(relation, survivor, other)
        if moved:
            relation.model._base_manager.filter(pk__in=moved).update(**{relation.field.attname: survivor.pk})
            merge.moved.append([relation.label, relation.field.attname, moved])
        if kept:
            merge.kept_with_merged.append([relation.label, relation.field.attname, kept])

    merge.merged_fields = {"merged_into_id": None, "family_id": other.family_id}
    Client.objects.filter(pk=other.pk).update(merged_into=survivor, family=None)
    pair = DuplicatePair.objects.filter(first__in=[survivor, other], second__in=[survivor, other]).first()
    if pair is not None:
        merge.pair, merge.pair_status = pair, pair.status
        DuplicatePair.objects.filter(pk=pair.pk).update(
            status=PairStatus.MERGED, decided_by=by, decided_at=timezone.now()
        )
    merge.save()
    return merge


def rows_to_move(relation: Relation, survivor: Client, other: Client) -> tuple[list[int], list[int]]:
    """The other's rows of a relation: those that move, and those that stay because the survivor holds the same
    already (what may be held once: an identifier of one type and value, one row per program, and so on)."""
    rows = list(relation.rows_of(other).order_by("pk"))
    if not rows:
        return [], []
    keys = relation.unique_with_client()
    if not keys:
        return [row.pk for row in rows], []
    columns = [[relation.model._meta.get_field(name).attname for name in key] for key in keys]

    def values(row, key: list[str]) -> tuple:
        return tuple(getattr(row, attname) for attname in key)

    survivors = list(relation.rows_of(survivor))
    held = [{values(row, key) for row in survivors} for key in columns]
    moved, kept = [], []
    for row in rows:
        clash = any(values(row, key) in held_once for key, held_once in zip(columns, held, strict=True))
        (kept if clash else moved).append(row.pk)
    return moved, kept


@transaction.atomic
def merge_undo(*, merge: ClientMerge, by) -> ClientMerge:
    """Put both clients back as they were before the merge: the rows it moved go back (those still with the
    survivor), the survivor's fields it changed get their values back, the links it added go, the tombstone is a
    client again. What was added to the survivor after the merge stays with it."""
    merge = ClientMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge is already undone."))
    clients = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[merge.survivor_id, merge.merged_id])}
    survivor, other = clients[merge.survivor_id], clients[merge.merged_id]
    if other.merged_into_id != survivor.pk:
        raise ValidationError(_("This merge can no longer be undone: the clients changed since."))
    if survivor.merged_into_id is not None:
        raise ValidationError(
            _("Client %(number)s was merged into another client since: undo that merge first.")
            % {"number": survivor.number}
        )

    for label, attname, pks in merge.moved:
        model = apps.get_model(label)
        model._base_manager.filter(pk__in=pks, **{attname: survivor.pk}).update(**{attname: other.pk})
    for name, ids in merge.links_added.items():
        getattr(survivor, name).remove(*ids)
    fields = {f.attname: f for f in Client._meta.concrete_fields}
    if merge.survivor_fields:
        Client.objects.filter(pk=survivor.pk).update(
            **{
                attname: from_json(fields[attname], before)
                for attname, (before, _after) in merge.survivor_fields.items()
            }
        )
    Client.objects.filter(pk=other.pk).update(
        **{attname: from_json(fields[attname], value) for attname, value in merge.merged_fields.items()}
    )
    if merge.pair_id:
        DuplicatePair.objects.filter(pk=merge.pair_id).update(
            status=merge.pair_status or PairStatus.OPEN, decided_by=None, decided_at=None
        )
    merge.undone_by, merge.undone_at = by, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    return merge
