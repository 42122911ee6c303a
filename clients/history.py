"""A client's change history: who changed which field of the profile and its parts, old → new, when, read from
django-simple-history's records; and how a profile's parts and rows are named, here and on the merge pages alike."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.core import serializers
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import Country, CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import DeletedObject

from agencies.models import labelled, user_display_name
from agencies.templatetags.ocms_format import phone
from clients.merge import MovedSince, from_json, holds_a_value, merged_fields, moved_since, relations
from clients.models import (
    Certificate,
    Child,
    Client,
    ClientLanguage,
    ClientMerge,
    ClientProgram,
    ConsentContact,
    Identifier,
    MentorMatch,
    SensitiveInfo,
    Service,
    Session,
)
from clients.models.client import postal_code_shown

# The parts of a profile with a history, each under the heading the profile gives it.
PARTS: tuple[tuple[type[models.Model], str | Promise], ...] = (
    (Identifier, gettext_lazy("Identification Documents")),
    (ClientProgram, gettext_lazy("Agency Program Table")),
    (Certificate, gettext_lazy("Academic Certificates")),
    (ClientLanguage, gettext_lazy("Client Language Related")),
    (ConsentContact, gettext_lazy("Emergency Contact & Consent")),
    (Child, gettext_lazy("Children between Infant and School Age")),
    (SensitiveInfo, gettext_lazy("Sensitive Information")),
    (Session, gettext_lazy("Sessions")),
    (MentorMatch, gettext_lazy("Mentor/Tutor Matches")),
)
# The rows that hang off a profile under no heading of it, as a merge names what it moves; by label, as the clients
# app imports nothing of the apps that keep some of them.
UNSHOWN_PARTS: dict[str, str | Promise] = {
    "clients.client": gettext_lazy("Profiles merged into it earlier"),
    "clients.unlockattempt": gettext_lazy("Sensitive Information unlock log entries"),
    "reports.icareexportrow": gettext_lazy("iCARE export rows"),
    "registration.draft": gettext_lazy("Registrations in progress pre-filled from it"),
}
# Which row a part belongs to is not a change of the part.
NOT_SHOWN = {"id", "client", "agency"}
# Sensitive Information is shown only to someone who unlocks it with a password: its history names the
# fields that changed, never their values.
VALUES_HIDDEN = {SensitiveInfo}
EMPTY = "—"
HIDDEN = gettext_lazy("(value hidden)")
# Records of one row by one person this close together come from one save.
SAME_SAVE = timedelta(seconds=2)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    at: datetime
    who: str
    part: str
    action: str
    subject: str = ""
    fields: list[FieldChange] = field(default_factory=list)
    values_hidden: bool = False


def shown(model: type[models.Model], name: str, value) -> str:
    """A field's value as the profile would show it."""
    if isinstance(value, DeletedObject):
        # django-simple-history's stand-in for a foreign key naming no row: none chosen, or one deleted since.
        return EMPTY if value.pk is None else _("a value deleted since")
    if value is None or value == "" or value == []:
        return EMPTY
    model_field = model._meta.get_field(name)
    if model_field.many_to_many:  # the rows of the link table, each with the chosen value
        target = model_field.m2m_reverse_field_name()
        return "; ".join(sorted(str(row[target]) for row in value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Country):
        return str(value.name)
    if isinstance(model_field, PhoneNumberField):
        return phone(value) or str(value)
    if name == "postal_code":
        return postal_code_shown(str(value))
    if model is Session and name == "services":
        labels = dict(Service.choices)
        return "; ".join(str(labels.get(code, code)) for code in value)
    return str(value)


def subject_of(row: models.Model) -> str:
    """What the change is about: the row as the profile names it; a program's row by its program, in the page's
    language (knowing which, for the page to mark an English-only name)."""
    return str(row.program) if isinstance(row, ClientProgram) else str(row)


def label_of(model: type[models.Model], name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def who_did(record) -> str:
    user = record.history_user
    return _("The system") if user is None else user_display_name(user)


def tracked_fields(model: type[models.Model]) -> list[str]:
    historical = model.history.model
    names = [f.name for f in historical.tracked_fields if f.editable and f.name not in NOT_SHOWN]
    return names + [f.name for f in historical._history_m2m_fields]


def recorded_value(record, model: type[models.Model], name: str):
    """A field's value in a historical record; for a many-to-many field, its rows as diff_against gives them."""
    model_field = model._meta.get_field(name)
    if not model_field.many_to_many:
        return getattr(record, name)
    target = model_field.m2m_reverse_field_name()
    return [{target: getattr(row, target)} for row in getattr(record, name).select_related(target)]


def change_of(model: type[models.Model], part: str, record, before) -> Change | None:
    """One historical record as a change; None for a save that changed nothing shown."""
    hidden = model in VALUES_HIDDEN
    change = Change(at=record.history_date, who=who_did(record), part=part, action="", values_hidden=hidden)
    names = tracked_fields(model)
    if record.history_type == "+":
        change.action = _("Registered") if model is Client else _("Added")
        if model is not Client:
            change.subject = "" if hidden else subject_of(record.instance)
            values = [(name, recorded_value(record, model, name)) for name in names]
            change.fields = [
                FieldChange(label_of(model, name), EMPTY, EMPTY if hidden else shown(model, name, value))
                for name, value in values
                if value not in (None, "", [])
            ]
            if not change.fields:  # a row of blanks (the Sensitive Information of a client who gave none)
                return None
        return change
    if record.history_type == "-":
        change.action = _("Removed")
        change.subject = "" if hidden else subject_of(record.instance)
        return change
    change.action = _("Changed")
    if model is not Client and not hidden:
        change.subject = subject_of(record.instance)
    if before is None:  # history began after the row was created: what it was is not known
        return change
    delta = record.diff_against(before, included_fields=names, foreign_keys_are_objs=True)
    if not delta.changes:
        return None
    change.fields = [
        FieldChange(
            label_of(model, item.field),
            EMPTY if hidden else shown(model, item.field, item.old),
            EMPTY if hidden else shown(model, item.field, item.new),
        )
        for item in sorted(delta.changes, key=lambda item: names.index(item.field))  # in the profile's order
    ]
    return change


def changes_of(model: type[models.Model], part: str, records) -> list[Change]:
    """Each record compared with the one before it of the same row. The links of a many-to-many field are
    written just after their row, as records of their own: shown with the save they belong to."""
    changes = []
    last_of_row: dict[int, object] = {}
    last_change_of_row: dict[int, Change] = {}
    registered: dict[int, Change] = {}  # the entry of each row's creation
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        change = change_of(model, part, record, last_of_row.get(record.id))
        last_of_row[record.id] = record
        if change is None:
            continue
        previous = last_change_of_row.get(record.id)
        same_save = previous and previous.who == change.who and change.at - previous.at < SAME_SAVE
        if record.history_type == "~" and same_save:
            # Part of the save before it; of a registration, one of the values the client was registered with,
            # which the entry does not list one by one.
            if not (model is Client and registered.get(record.id) is previous):
                previous.fields += change.fields
            continue
        last_change_of_row[record.id] = change
        if record.history_type == "+":
            registered[record.id] = change
        changes.append(change)
    return changes


def client_changes(client: Client) -> list[Change]:
    """Every recorded change of the client and its parts, newest first; with the history of the clients merged into
    it (their rows are its rows now), and each merge, and each undo, as one entry."""
    changes = changes_of(Client, _("Profile"), Client.history.filter(id=client.pk))
    merged = list(client.merged_clients.values_list("pk", "number"))
    for pk, number in merged:
        part = _("Profile of client %(number)s (merged)") % {"number": number}
        changes += changes_of(Client, part, Client.history.filter(id=pk))
    ids = [client.pk, *(pk for pk, _number in merged)]
    for model, part in PARTS:
        changes += changes_of(model, str(part), model.history.filter(client_id__in=ids))
    for merge in ClientMerge.objects.filter(survivor=client).select_related("merged", "by", "undone_by"):
        changes.append(
            Change(
                at=merge.at,
                who=user_display_name(merge.by),
                part=_("Profile"),
                action=_("Merged"),
                subject=_("client %(number)s merged into this profile") % {"number": merge.merged.number},
                fields=[FieldChange(label, old, new) for label, old, new in merge_changes(merge)],
            )
        )
        if merge.undone_at:
            changes.append(
                Change(
                    at=merge.undone_at,
                    who=user_display_name(merge.undone_by),
                    part=_("Profile"),
                    action=_("Merge undone"),
                    subject=_("client %(number)s is a profile of its own again") % {"number": merge.merged.number},
                )
            )
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes


def part_title(model: type[models.Model], row: models.Model | None = None) -> str:
    """How a part of the profile is named, everywhere: by its heading on the profile (UNSHOWN_PARTS for a row it
    shows under none, its model's name for a kind of row added since); a row of it also by what makes it one of its
    kind ("Emergency Contact & Consent: Emergency Contact", "iCARE export rows: iCARE file made 2026-12-07 22:04", by
    its file's own name),
    or else as the change history names it ("Sessions: ..."), so that it can be found again; Sensitive Information
    by its heading alone."""
    label = model._meta.label_lower
    title = str(dict(PARTS).get(model) or UNSHOWN_PARTS.get(label) or capfirst(str(model._meta.verbose_name)))
    if row is None or model in VALUES_HIDDEN:
        return title
    if model is Identifier:  # its key is the value as compared; the value as typed reads better
        return labelled(title, row)
    key = part_key(model)
    if not key:
        return labelled(title, subject_of(row))
    values = []
    for name in key:
        model_field = model._meta.get_field(name)
        values.append(str(getattr(row, name) if model_field.is_relation else shown(model, name, getattr(row, name))))
    return labelled(title, " ".join(values))


def value_shown(model: type[models.Model], name: str, value) -> str:
    """A value as a merge records it (an id for a choice from a list, ids for links), as the profile shows it."""
    model_field = model._meta.get_field(name)
    if model_field.many_to_many:
        found = model_field.related_model._base_manager.in_bulk(value or [])
        return "; ".join(sorted(str(found[pk]) for pk in value if pk in found)) or EMPTY
    value = from_json(model_field, value)
    if isinstance(model_field, CountryField) and value:
        value = Country(value)
    if model_field.is_relation and value is not None:
        value = model_field.related_model._base_manager.filter(pk=value).first()
    return shown(model, name, value)


def merge_changes(merge: ClientMerge) -> list[tuple[str, str, str]]:
    """What the merge changed on the survivor, as the profile shows it: (label, before, after) for each of its own
    fields and for each value of a part both held; a value of Sensitive Information is never shown."""
    fields = {f.attname: f for f in merged_fields()}
    changes = []
    for attname, (before, after) in merge.survivor_fields.items():
        field = fields.get(attname)
        if field is None:  # the search keys kept with the names
            continue
        changes.append((label_of(Client, field.name), *(value_shown(Client, field.name, v) for v in (before, after))))
    for label, pk, changed in merge.parts_changed:
        model = apps.get_model(label)
        title = part_title(model, model._base_manager.filter(pk=pk).first())
        for name, (before, after) in changed.items():
            label_text = labelled(title, label_of(model, name))
            if model in VALUES_HIDDEN:
                changes.append((label_text, HIDDEN, HIDDEN))
            else:
                changes.append((label_text, value_shown(model, name, before), value_shown(model, name, after)))
    return changes


def part_key(model: type[models.Model]) -> list[str]:
    """What makes a row of a part one of its kind for its client (the kind of a contact, the program, ...)."""
    for relation in relations():
        if relation.model is model:
            keys = relation.unique_with_client()
            return keys[0] if keys else []
    return []


def removed_titles(merge: ClientMerge) -> list[str]:
    """The merged client's rows of the parts both held, which the merge took out and keeps for an undo: those that
    record something (not a Sensitive Information of blanks)."""
    titles = []
    for data in merge.parts_removed:
        (row,) = serializers.deserialize("python", [data])  # read only, never saved here
        model = type(row.object)
        if part_key(model) or holds_a_value(row.object) or any((row.m2m_data or {}).values()):
            titles.append(part_title(model, row.object))
    return titles


def kept_later_labels(merge: ClientMerge) -> list[str]:
    """The values of the survivor and of its rows that an undo left as they were, edited after the merge, as the
    profile names them."""
    fields = {f.attname: f for f in merged_fields()}
    labels = []
    for name in merge.undo_kept_later:
        if name in fields:
            labels.append(label_of(Client, fields[name].name))
        elif MovedSince.parse(name) is None and name.count(".") == 2:
            label, field_name = name.rsplit(".", 1)
            model = apps.get_model(label)
            labels.append(labelled(part_title(model), label_of(model, field_name)))
    return labels


def moved_since_titles(merge: ClientMerge) -> tuple[list[str], list[str]]:
    """The rows the merge moved that its undo found edited on the survivor since (each with the fields edited), and
    those removed from it since, named as they were last recorded."""
    edited, removed = [], []
    for found in moved_since(merge):
        model = found.model
        row = model._base_manager.filter(pk=found.pk).first()
        if row is None and hasattr(model, "history"):
            record = model.history.filter(id=found.pk).order_by("-history_date", "-history_id").first()
            row = record.instance if record is not None else None
        name = part_title(model, row)
        if found.removed:
            removed.append(name)
        else:
            fields = ", ".join(label_of(model, field_name) for field_name in found.fields)
            edited.append(f"{name} ({fields})" if fields else name)
    return edited, removed
