"""Merging two profiles of one person into one, and undoing it exactly.

A merge keeps one client (the survivor), gives it the values the reviewer chose field by field, moves to it every
row that belonged to the other (whatever app the row's model lives in: each foreign key to Client is found through
Django's model metadata), and leaves the other as a tombstone pointing at the survivor.

Some parts a client holds once (its Sensitive Information, one contact of each kind, one row per program, per
language, per identifier, per iCARE file). Where both hold the same one, the survivor keeps one row with the values
the reviewer chose, field by field as for the client's own fields, and the other's row is taken out: its whole
version is kept on the ClientMerge, which is what an undo puts back. So no row is left behind on the tombstone.

Everything a merge changed is recorded on its ClientMerge. An undo puts both clients back as they were; a field
edited on the survivor after the merge keeps its later value (the undo says which), and whatever was added to the
survivor afterwards stays with it. A row the merge moved goes back to the other as it is now: one edited on the
survivor since goes back with its later values, one removed from it since is not put back, and the undo names both
(MovedSince), as it names the fields it kept.

Rows are changed with QuerySet.update() and the link tables directly: no timestamp moves and no change-history
record is written for each row touched; the survivor's change history shows the merge as one entry, read from the
ClientMerge (clients.history).
"""

import copy
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, ClientMerge, ConsentContact, ContactKind, DuplicatePair, PairStatus, search_keys
from clients.rules import Level, across_sections, facts_from_client, unmet

SURVIVOR, OTHER = "survivor", "other"

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
    return value is None or value == "" or value == []


def own_fields(model: type[models.Model], *leave_out: str) -> list[models.Field]:
    """A row's own values: neither its id, nor what the system keeps (its timestamps), nor the fields named (the
    client it belongs to, what makes it one of its kind); its many-to-many fields included."""
    concrete = [f for f in model._meta.concrete_fields if f.editable and not f.primary_key and f.name not in leave_out]
    return concrete + [f for f in model._meta.many_to_many if f.name not in leave_out]


def holds_a_value(row: models.Model) -> bool:
    """Whether a row records anything but whose it is: a Sensitive Information saved from a step left blank is a row
    of blanks."""
    return any(
        not is_blank(value_of(row, model_field))
        for model_field in own_fields(type(row))
        if model_field.related_model is not Client
    )


def default_side(mine, theirs) -> str:
    """Which side a value comes from unless the reviewer says otherwise: the survivor's, its blanks filled from the
    other's."""
    return OTHER if is_blank(mine) and not is_blank(theirs) else SURVIVOR


def default_choice(field: models.Field, survivor: Client, other: Client) -> str:
    return default_side(field.value_from_object(survivor), field.value_from_object(other))


def as_json(value):
    """A field's value as the merge records it: None, a number or a yes/no as it is, a list (of ids) as a list,
    anything else as text (a date in ISO form, a telephone number in E.164, a country by its code)."""
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def from_json(field: models.Field, value):
    if value is None or field.many_to_many:
        return value
    return field.to_python(value)


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
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.ForeignKey) and model_field.related_model is Client:
                found.append(Relation(model, model_field))
    return found


def many_to_many_fields() -> list[models.ManyToManyField]:
    return list(Client._meta.many_to_many)


# Rows, their values and their links ---------------------------------------------------------------------------


def value_of(row: models.Model, model_field: models.Field):
    """A field's value on a row as the merge compares and records it: a link field's as the sorted ids."""
    if model_field.many_to_many:
        return sorted(links_of(model_field, [row.pk]).get(row.pk, []))
    return model_field.value_from_object(row)


def links_of(model_field: models.ManyToManyField, pks: list[int]) -> dict[int, list[int]]:
    """The ids each row links to through a many-to-many field, read from its link table."""
    through = model_field.remote_field.through
    mine, theirs = f"{model_field.m2m_field_name()}_id", f"{model_field.m2m_reverse_field_name()}_id"
    found: dict[int, list[int]] = {}
    for pk, target in through._base_manager.filter(**{f"{mine}__in": pks}).values_list(mine, theirs):
        found.setdefault(pk, []).append(target)
    return found


def links_set(model_field: models.ManyToManyField, pk: int, *, add=(), remove=()) -> None:
    """Add and remove links of one row in its link table itself: through the field's manager Django would tell the
    change history of every link changed, and the merge is one entry of its own."""
    through = model_field.remote_field.through
    mine, theirs = f"{model_field.m2m_field_name()}_id", f"{model_field.m2m_reverse_field_name()}_id"
    if remove:
        through._base_manager.filter(**{mine: pk, f"{theirs}__in": list(remove)}).delete()
    if add:
        through._base_manager.bulk_create([through(**{mine: pk, theirs: target}) for target in add])


# What a merge will do ----------------------------------------------------------------------------------------


@dataclass
class Clash:
    """A part the client holds once that both profiles hold: the survivor keeps one row (`mine`), with the values
    chosen field by field, and the other's (`theirs`) is taken out and kept on the merge record."""

    relation: Relation
    key: list[str]  # the fields that make the two rows one (none for a one-to-one)
    mine: models.Model
    theirs: models.Model
    # Field name -> "survivor" or "other": the side each of the row's values comes from.
    sides: dict[str, str] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"{self.relation.label.replace('.', '_')}-{self.theirs.pk}"

    def choice_name(self, model_field: models.Field) -> str:
        """The name of the reviewer's choice for one of the row's fields (the merge form's field)."""
        return f"{self.prefix}-{model_field.name}"

    def fields(self) -> list[models.Field]:
        """The row's own values a reviewer chooses between: neither the client, nor what makes the row one, nor
        what the system keeps (its id, its timestamps)."""
        return own_fields(self.relation.model, self.relation.field.name, *self.key)

    def holds(self, row: models.Model) -> bool:
        """Whether a side holds the part: what makes the row one (a language, a program) is held; a part held
        once without it (Sensitive Information) is held only with a value recorded."""
        return bool(self.key) or holds_a_value(row)

    def changes(self) -> dict[str, tuple]:
        """The kept row's values the merge changes: field name -> (before, after)."""
        found = {}
        for model_field in self.fields():
            if self.sides.get(model_field.name, SURVIVOR) == OTHER:
                before, after = value_of(self.mine, model_field), value_of(self.theirs, model_field)
                if before != after:
                    found[model_field.name] = (before, after)
        return found


@dataclass
class MergePlan:
    """What merging `other` into `survivor` with the reviewer's choices does, worked out before anything is
    written: the merge form shows it, and the merge does exactly it."""

    survivor: Client
    other: Client
    # The survivor's own fields that change: attname -> (before, after).
    fields: dict[str, tuple] = field(default_factory=dict)
    # The many-to-many links of the other that the survivor lacks: field name -> ids.
    links: dict[str, list[int]] = field(default_factory=dict)
    # The other's rows that move to the survivor, by relation.
    moves: list[tuple[Relation, list[int]]] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)

    @property
    def edited(self) -> list[str]:
        """The names of the survivor's own fields that change."""
        return [f.name for f in merged_fields() if f.attname in self.fields]

    def merged_client(self) -> Client:
        """The survivor as the merge leaves it, in memory only."""
        merged = copy.copy(self.survivor)
        for attname, (_before, after) in self.fields.items():
            setattr(merged, attname, after)
        return merged


def merge_plan(*, survivor: Client, other: Client, choices: dict[str, str] | None = None) -> MergePlan:
    """What the merge will do. `choices`: for a field's name (a client field's, or a clashing row's field by
    Clash.choice_name), "survivor" or "other"; anything not named keeps its default (`default_side`)."""
    choices = choices or {}
    plan = MergePlan(survivor=survivor, other=other)
    for model_field in merged_fields():
        mine, theirs = model_field.value_from_object(survivor), model_field.value_from_object(other)
        side = choices.get(model_field.name) or default_side(mine, theirs)
        after = theirs if side == OTHER else mine
        if mine != after:
            plan.fields[model_field.attname] = (mine, after)
    if {"first_name", "last_name", "preferred_name"} & plan.fields.keys():
        merged = plan.merged_client()
        search_name, words = search_keys(merged.first_name, merged.last_name, merged.preferred_name)
        for attname, value in (("search_name", search_name), ("name_words", words)):
            if getattr(survivor, attname) != value:
                plan.fields[attname] = (getattr(survivor, attname), value)

    for model_field in many_to_many_fields():
        theirs = set(getattr(other, model_field.name).values_list("pk", flat=True))
        added = theirs - set(getattr(survivor, model_field.name).values_list("pk", flat=True))
        if added:
            plan.links[model_field.name] = sorted(added)

    for relation in relations():
        moved, clashes = rows_to_move(relation, survivor, other)
        if moved:
            plan.moves.append((relation, moved))
        for clash in clashes:
            for model_field in clash.fields():
                name = clash.choice_name(model_field)
                mine, theirs = value_of(clash.mine, model_field), value_of(clash.theirs, model_field)
                clash.sides[model_field.name] = choices.get(name) or default_side(mine, theirs)
            plan.clashes.append(clash)
    return plan


def rows_to_move(relation: Relation, survivor: Client, other: Client) -> tuple[list[int], list[Clash]]:
    """The other's rows of a relation: those that move, and those the survivor holds already (what may be held
    once: an identifier of one type and value, one row per program, one contact of a kind, and so on)."""
    rows = list(relation.rows_of(other).order_by("pk"))
    if not rows:
        return [], []
    keys = relation.unique_with_client()
    if not keys:
        return [row.pk for row in rows], []
    columns = [[relation.model._meta.get_field(name).attname for name in key] for key in keys]

    def values(row, key: list[str]) -> tuple:
        return tuple(getattr(row, attname) for attname in key)

    held = [{values(row, key): row for row in relation.rows_of(survivor).order_by("pk")} for key in columns]
    moved, clashes = [], []
    for row in rows:
        for key, names, held_once in zip(columns, keys, held, strict=True):
            mine = held_once.get(values(row, key))
            if mine is not None:
                clashes.append(Clash(relation, names, mine, row))
                break
        else:
            moved.append(row.pk)
    return moved, clashes


def merged_facts(plan: MergePlan) -> dict:
    """The facts the rules read (clients.rules) of the client the merge makes: its chosen values, and the contacts
    it holds afterwards (its own with the chosen values, and the other's that move)."""
    facts = facts_from_client(plan.merged_client())
    for kind in ContactKind.values:
        for key in ("name", "relationship", "phone"):
            facts.pop(f"{kind}-{key}", None)
    changed = {c.mine.pk: c.changes() for c in plan.clashes if c.relation.model is ConsentContact}
    contacts = list(ConsentContact.objects.filter(client=plan.survivor))
    for contact in contacts:
        for name, (_before, after) in changed.get(contact.pk, {}).items():
            setattr(contact, ConsentContact._meta.get_field(name).attname, after)
    for relation, pks in plan.moves:
        if relation.model is ConsentContact:
            contacts += list(ConsentContact.objects.filter(pk__in=pks))
    for contact in contacts:
        facts[f"{contact.kind}-name"] = contact.name
        facts[f"{contact.kind}-relationship"] = contact.relationship_id
        facts[f"{contact.kind}-phone"] = str(contact.phone) if contact.phone else ""
    return facts


def merge_problems(plan: MergePlan) -> list[tuple[str, str]]:
    """What keeps the merged client from being saved, as every other path that writes a client checks it: each
    chosen value's own rules, the checks across sections (dates in order, a minor's consent) and the green rules the
    merge would break. (name of the choice, or "" for the merge as a whole; message)."""
    edited = plan.edited
    merged = plan.merged_client()
    problems: list[tuple[str, str]] = []
    try:
        merged.clean_fields(exclude=[f.name for f in Client._meta.fields if f.name not in edited])
    except ValidationError as error:
        problems += [(name, message) for name, messages in error.message_dict.items() for message in messages]
    facts = merged_facts(plan)
    problems += [(name, str(message)) for name, message in across_sections(facts, edited)]
    unmet_before = {rule.key for rule in unmet(facts_from_client(plan.survivor), Level.OCMS)}
    for rule in unmet(facts, Level.OCMS):
        if rule.key in unmet_before:
            continue
        # A minor's contacts become required when Consent Required is chosen Yes: the message goes beside it.
        name = rule.key if rule.key in edited else "consent_required" if "consent_required" in edited else ""
        problems.append((name, str(rule.error)))
    return problems


# The merge and its undo ---------------------------------------------------------------------------------------


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
    """Merge `other` into `survivor`, in one transaction, with the reviewer's `choices` (see merge_plan). Refused,
    with nothing written, when the chosen values break a rule (merge_problems)."""
    locked = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk])}
    survivor, other = locked[survivor.pk], locked[other.pk]
    refuse_unless_mergeable(survivor, other)
    plan = merge_plan(survivor=survivor, other=other, choices=choices)
    problems = merge_problems(plan)
    if problems:
        raise ValidationError([message for _name, message in problems])
    merge = ClientMerge(agency_id=survivor.agency_id, survivor=survivor, merged=other, by=by)

    if plan.fields:
        merge.survivor_fields = {attname: [as_json(b), as_json(a)] for attname, (b, a) in plan.fields.items()}
        Client.objects.filter(pk=survivor.pk).update(**{attname: a for attname, (_b, a) in plan.fields.items()})
    for name, added in plan.links.items():
        links_set(Client._meta.get_field(name), survivor.pk, add=added)
    merge.links_added = plan.links

    for clash in plan.clashes:
        clash_resolve(clash, merge)
    for relation, pks in plan.moves:
        relation.model._base_manager.filter(pk__in=pks).update(**{relation.field.attname: survivor.pk})
        merge.moved.append([relation.label, relation.field.attname, pks])

    # The tombstone keeps nothing of the person: no family, no links (the survivor holds them now).
    merge.merged_fields = {"merged_into_id": None, "family_id": other.family_id}
    for model_field in many_to_many_fields():
        ids = value_of(other, model_field)
        if ids:
            merge.merged_fields[model_field.name] = ids
            links_set(model_field, other.pk, remove=ids)
    Client.objects.filter(pk=other.pk).update(merged_into=survivor, family=None)
    pair = DuplicatePair.objects.filter(first__in=[survivor, other], second__in=[survivor, other]).first()
    if pair is not None:
        merge.pair = pair
        merge.pair_before = {
            "status": pair.status,
            "decided_by_id": pair.decided_by_id,
            "decided_at": as_json(pair.decided_at),
        }
        DuplicatePair.objects.filter(pk=pair.pk).update(
            status=PairStatus.MERGED, decided_by=by, decided_at=timezone.now()
        )
    merge.save()
    return merge


def row_record(row: models.Model) -> dict:
    """A whole row as Django's serializer writes it ({"model", "pk", "fields"}, links included), its values as the
    merge records values (a time to the microsecond, where the JSON serializer keeps milliseconds)."""
    (data,) = serializers.serialize("python", [row])
    data["fields"] = {name: as_json(value) for name, value in data["fields"].items()}
    return data


def clash_resolve(clash: Clash, merge: ClientMerge) -> None:
    """The survivor's row takes the chosen values; the other's row is kept whole on the merge record (as Django's
    serializer writes a row, with its links) and taken out."""
    model = clash.relation.model
    changes = clash.changes()
    if changes:
        plain = {}
        for name, (before, after) in changes.items():
            model_field = model._meta.get_field(name)
            if model_field.many_to_many:
                links_set(model_field, clash.mine.pk, add=set(after) - set(before), remove=set(before) - set(after))
            else:
                plain[model_field.attname] = after
        if plain:
            model._base_manager.filter(pk=clash.mine.pk).update(**plain)
        merge.parts_changed.append(
            [clash.relation.label, clash.mine.pk, {name: [as_json(b), as_json(a)] for name, (b, a) in changes.items()}]
        )
    merge.parts_removed.append(row_record(clash.theirs))
    for model_field in model._meta.many_to_many:
        links_set(model_field, clash.theirs.pk, remove=value_of(clash.theirs, model_field))
    # Taken out without Model.delete(): its signals would write a "removed" entry into the change history, which
    # the undo could not take back; the merge record is the history of this row now.
    model._base_manager.filter(pk=clash.theirs.pk)._raw_delete(model._base_manager.db)


@transaction.atomic
def merge_undo(*, merge: ClientMerge, by) -> ClientMerge:
    """Put both clients back as they were before the merge: the rows it moved go back (those still with the
    survivor), the other's rows it took out come back, the links it added go, the tombstone is a client again.
    A value the merge gave the survivor (or one of its rows) comes back only if it is still the one the merge gave:
    a later edit is kept, and named in `merge.undo_kept_later`, as is each moved row edited or removed since
    (MovedSince). What was added to the survivor afterwards stays."""
    merge = ClientMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge is already undone."))
    clients = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[merge.survivor_id, merge.merged_id])}
    survivor, other = clients[merge.survivor_id], clients[merge.merged_id]
    # Asked first: merging the survivor into a third client moved the tombstone's pointer to that client too.
    if survivor.merged_into_id is not None:
        raise ValidationError(
            _("Client %(number)s was merged into another client since: undo that merge first.")
            % {"number": survivor.number}
        )
    if other.merged_into_id != survivor.pk:
        raise ValidationError(_("This merge can no longer be undone: the clients changed since."))

    kept_later = []
    for label, attname, pks in merge.moved:
        model = apps.get_model(label)
        rows = model._base_manager.filter(pk__in=pks, **{attname: survivor.pk})
        back = list(rows.values_list("pk", flat=True))
        kept_later += [str(MovedSince(label, pk, removed=True)) for pk in pks if pk not in back]
        edited = changed_since(model, attname, back, merge.at)
        kept_later += [str(MovedSince(label, pk, fields=tuple(names))) for pk, names in edited.items()]
        rows.update(**{attname: other.pk})
    for name, ids in merge.links_added.items():
        links_set(Client._meta.get_field(name), survivor.pk, remove=ids)
    kept_later += [name for name in values_restore(survivor, Client, merge.survivor_fields) if name not in NOT_MERGED]
    search_keys_refresh(survivor)
    for label, pk, changes in merge.parts_changed:
        model = apps.get_model(label)
        row = model._base_manager.filter(pk=pk).first()
        if row is None:  # taken out since: nothing of it to put back
            kept_later += [f"{label}.{name}" for name in changes]
            continue
        kept_later += [f"{label}.{name}" for name in values_restore(row, model, changes)]
    for data in merge.parts_removed:
        (restored,) = serializers.deserialize("python", [data])
        links = restored.m2m_data or {}  # the save forgets them
        # A raw save, as loaddata's: no change-history entry for the row coming back.
        restored.save(save_m2m=False)
        for name, ids in links.items():
            links_set(restored.object._meta.get_field(name), restored.object.pk, add=ids)
    fields = fields_by_attname(Client)
    plain = {}
    for name, value in merge.merged_fields.items():
        if fields[name].many_to_many:
            links_set(fields[name], other.pk, add=value)
        else:
            plain[name] = from_json(fields[name], value)
    Client.objects.filter(pk=other.pk).update(**plain)
    if merge.pair_id:
        before = merge.pair_before or {}
        DuplicatePair.objects.filter(pk=merge.pair_id).update(
            status=before.get("status", PairStatus.OPEN),
            decided_by_id=before.get("decided_by_id"),
            decided_at=from_json(DuplicatePair._meta.get_field("decided_at"), before.get("decided_at")),
        )
    merge.undone_by, merge.undone_at, merge.undo_kept_later = by, timezone.now(), kept_later
    merge.save(update_fields=["undone_by", "undone_at", "undo_kept_later"])
    return merge


@dataclass(frozen=True)
class MovedSince:
    """A row the merge moved that was edited on the survivor after it (it goes back with its later values; `fields`:
    the names of those edited, when known) or removed from it (nothing to put back). The undo records it in
    `undo_kept_later` as "app_label.model#pk~field,field" or "app_label.model#pk-": a "#" never names a field."""

    label: str
    pk: int
    removed: bool = False
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.label}#{self.pk}" + ("-" if self.removed else "~" + ",".join(self.fields))

    @classmethod
    def parse(cls, text: str) -> "MovedSince | None":
        """The row `text` names, or None for a field's name."""
        label, hash_sign, rest = text.partition("#")
        if not hash_sign:
            return None
        if rest.endswith("-"):
            return cls(label, int(rest[:-1]), removed=True)
        pk, _tilde, names = rest.partition("~")
        return cls(label, int(pk), fields=tuple(name for name in names.split(",") if name))

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


def moved_since(merge: ClientMerge) -> list[MovedSince]:
    """The rows the merge moved that its undo found edited or removed since."""
    return [found for found in map(MovedSince.parse, merge.undo_kept_later) if found is not None]


def changed_since(model: type[models.Model], attname: str, pks: list[int], since: datetime) -> dict[int, list[str]]:
    """Which of these rows were edited after `since`, with the names of the fields edited (none when that is not
    known): read from the row's change history where its model keeps one (a save that changed nothing is no
    edit), else from the time of its last save where it keeps one."""
    if not pks:
        return {}
    client_field = next(f.name for f in model._meta.concrete_fields if f.attname == attname)
    if not hasattr(model, "history"):
        stamps = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        if not stamps:  # nothing tells an edit (an unlock log entry is never edited)
            return {}
        later = models.Q()
        for stamp in stamps:
            later |= models.Q(**{f"{stamp}__gt": since})
        return {pk: [] for pk in model._base_manager.filter(later, pk__in=pks).values_list("pk", flat=True)}
    order = [f.name for f in own_fields(model)]  # the profile's
    edited: dict[int, list[str]] = {}
    by_row: dict[int, list] = {}
    for record in model.history.filter(id__in=pks).order_by("history_date", "history_id"):
        by_row.setdefault(record.id, []).append(record)
    for pk, records in by_row.items():
        before = [record for record in records if record.history_date <= since]
        after = [record for record in records if record.history_date > since]
        if not after:
            continue
        if not before:  # its history began after the merge: what it was is not known
            edited[pk] = []
            continue
        delta = after[-1].diff_against(before[-1], excluded_fields=[client_field])
        if delta.changed_fields:
            edited[pk] = sorted(delta.changed_fields, key=lambda name: order.index(name) if name in order else -1)
    return edited


def fields_by_attname(model: type[models.Model]) -> dict[str, models.Field]:
    """A model's fields by the names a merge records them under: a column's attname, a link field's name."""
    return {f.attname: f for f in model._meta.concrete_fields} | {f.name: f for f in model._meta.many_to_many}


def values_restore(row: models.Model, model: type[models.Model], changes: dict) -> list[str]:
    """Put back the values a merge changed on a row ({name: [before, after]}), each only where the row still holds
    what the merge gave it. The names of those that changed since, which keep their later value."""
    fresh = model._base_manager.get(pk=row.pk)
    by_name = fields_by_attname(model) | {f.name: f for f in model._meta.concrete_fields}
    restore, kept = {}, []
    for name, (before, after) in changes.items():
        model_field = by_name[name]
        if as_json(value_of(fresh, model_field)) != after:
            kept.append(name)
        elif model_field.many_to_many:
            links_set(model_field, row.pk, add=set(before) - set(after), remove=set(after) - set(before))
        else:
            restore[model_field.attname] = from_json(model_field, before)
    if restore:
        model._base_manager.filter(pk=row.pk).update(**restore)
    return kept


def search_keys_refresh(client: Client) -> None:
    """The search keys of the names a client holds now (some put back by an undo, some edited since)."""
    names = Client.objects.filter(pk=client.pk).values("first_name", "last_name", "preferred_name", "search_name",
                                                       "name_words")[0]  # fmt: skip
    search_name, words = search_keys(names["first_name"], names["last_name"], names["preferred_name"])
    if (search_name, words) != (names["search_name"], names["name_words"]):
        Client.objects.filter(pk=client.pk).update(search_name=search_name, name_words=words)
