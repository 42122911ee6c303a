"""No lost update: a profile section edit (and the Sensitive Information's) is saved only over the version of the
section it was opened on.

The edit page carries, signed, a fingerprint of each part of the section (a field, or a whole list of rows) as
it was when the page was opened: hashes only, so the page never carries a value it does not show. When the edit
is saved, the section as it is now is fingerprinted again; a part someone else changed in between (another
person, or the same person in another tab) stops the save, and the page shows, part by part, the value now
saved and the one typed, for the user to keep theirs, take the other, or choose part by part.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.core import signing
from django.forms import BaseForm, BaseFormSet, CheckboxInput
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _

OPENED = "opened_version"
# The button that saves a conflict's resolution, and its three answers.
RESOLVE = "resolve"
CHOSEN, MINE, THEIRS = "chosen", "mine", "theirs"
# A part only someone else changed: the saved value, whichever button is pressed ("Keep all mine" keeps what the
# user changed, and never undoes a colleague's change to a part the user left alone).
SAVED = "saved"
# Each conflicting part's choice: "take:<part>" = mine | theirs (radio buttons), or saved (a part the user left alone).
TAKE = "take:"
SALT = "ocms.registration.section-edit"

# A part's values as its form posts them: {html name: [values]}.
Posted = dict[str, list[str]]


class Section(Protocol):
    """The forms and formsets of an edit page (a wizard step bound to a saved client is one)."""

    forms: dict[str, BaseForm]
    formsets: dict[str, BaseFormSet]


class FormsSection:
    """A page of plain forms, without rows, as a Section."""

    def __init__(self, **forms: BaseForm) -> None:
        self.forms = forms
        self.formsets: dict[str, BaseFormSet] = {}


def field_posted(bound_field) -> list[str]:
    """A field's value as its form would post it."""
    widget = bound_field.field.widget
    value = bound_field.value()
    if isinstance(widget, CheckboxInput):
        return ["on"] if widget.check_test(value) else []
    formatted = widget.format_value(value)
    if formatted is None:
        return []
    values = formatted if isinstance(formatted, list) else [formatted]
    return [str(item) for item in values if item not in (None, "")]


def form_fields(form: BaseForm):
    return [form[name] for name in form.fields]


def section_parts(section: Section) -> dict[str, Posted]:
    """An unbound section's parts as its forms would post them: each field on its own, each list of rows whole."""
    parts: dict[str, Posted] = {}
    for form in section.forms.values():
        for bound_field in form_fields(form):
            parts[bound_field.html_name] = {bound_field.html_name: field_posted(bound_field)}
    for formset in section.formsets.values():
        posted: Posted = {}
        for form in [formset.management_form, *formset.forms]:
            for bound_field in form_fields(form):
                posted[bound_field.html_name] = field_posted(bound_field)
        parts[formset.prefix] = posted
    return parts


def fingerprint(posted: Posted) -> str:
    """A part's values, hashed; a field left empty counts as one not sent (an unticked box is never sent)."""
    sent = {name: values for name, values in posted.items() if values}
    return hashlib.sha256(json.dumps(sent, sort_keys=True).encode()).hexdigest()[:32]


def version_token(parts: dict[str, Posted], *, client, section: str) -> str:
    return signing.dumps(
        {key: fingerprint(posted) for key, posted in parts.items()}, salt=f"{SALT}:{client.code}:{section}"
    )


def opened_fingerprints(data: QueryDict, *, client, section: str) -> dict[str, str] | None:
    """The fingerprints the page was opened with; None when the post carries none (or a forged one)."""
    try:
        return signing.loads(data.get(OPENED, ""), salt=f"{SALT}:{client.code}:{section}")
    except signing.BadSignature:
        return None


def typed(data: QueryDict, key: str, part: Posted) -> Posted:
    """What the post holds of a part: its fields, or all the fields of its rows."""
    if len(part) == 1 and key in part:
        return {key: [value for value in data.getlist(key) if value != ""]}
    return {
        name: [value for value in data.getlist(name) if value != ""]
        for name in data
        if name.startswith(f"{key}-") and "__prefix__" not in name
    }


@dataclass(frozen=True)
class Change:
    """A part of the section someone else changed since the page was opened."""

    key: str
    label: str
    theirs: str
    yours: str
    # Whether the user left this part as it was when the page was opened: the saved value is then kept, whatever the
    # user chooses for the others.
    left_alone: bool


def changes_since(
    opened: dict[str, str], current: dict[str, Posted], data: QueryDict, section: Section
) -> list[Change]:
    """The parts saved differently now than when the page was opened, each with the value now saved and the one
    typed; empty when nothing changed, or when every change is the one the user typed too."""
    shown = PartDisplay(section)
    changes = []
    for key, posted in current.items():
        if opened.get(key) == fingerprint(posted):
            continue
        mine = typed(data, key, posted)
        theirs_text, yours_text = shown.text(key, posted), shown.text(key, mine)
        if theirs_text == yours_text:
            continue  # both made the same change
        changes.append(
            Change(
                key=key,
                label=shown.label(key),
                theirs=theirs_text,
                yours=yours_text,
                left_alone=opened.get(key) == fingerprint(mine),
            )
        )
    return changes


def resolved(data: QueryDict, current: dict[str, Posted]) -> QueryDict:
    """The post with the parts the user chose to take from the saved version put in place of what they typed."""
    answer = data.get(RESOLVE, CHOSEN)
    taken = []
    for name in data:
        if not name.startswith(TAKE):
            continue
        key = name.removeprefix(TAKE)
        choice = data.get(name)
        if choice != SAVED and answer in (MINE, THEIRS):
            choice = answer
        if key in current and choice in (THEIRS, SAVED):
            taken.append(key)
    return with_saved(data, current, taken)


def with_saved(data: QueryDict, current: dict[str, Posted], keys: Iterable[str]) -> QueryDict:
    """The post with the parts `keys` as saved now in place of what was typed."""
    merged = data.copy()
    for key in keys:
        posted = current[key]
        for typed_name in list(typed(data, key, posted)):
            merged.pop(typed_name, None)
        for saved_name, values in posted.items():
            merged.setlist(saved_name, values)
    return merged


def bound_data(data: QueryDict, current: dict[str, Posted], changes: list[Change]) -> QueryDict:
    """What a section's form is bound to for a save. Over a version changed since the page was opened: as typed,
    beside the changes, but a part the user left alone as saved now, the value the save keeps (it showed the value
    the page was opened with, which no button would save). Otherwise the post as resolved."""
    if changes:
        return with_saved(data, current, [change.key for change in changes if change.left_alone])
    return resolved(data, current)


class PartDisplay:
    """A part's label and its values as a person reads them (the names of choices, Yes and No, rows)."""

    def __init__(self, section: Section) -> None:
        self.fields = {}
        for form in section.forms.values():
            for bound_field in form_fields(form):
                self.fields[bound_field.html_name] = bound_field
        self.formsets = {formset.prefix: formset for formset in section.formsets.values()}

    def label(self, key: str) -> str:
        if key in self.fields:
            return str(self.fields[key].label)
        formset = self.formsets[key]
        title = getattr(formset, "title", "") or (
            formset.model._meta.verbose_name_plural if hasattr(formset, "model") else _("Programs")
        )
        return capfirst(str(title))

    def text(self, key: str, posted: Posted) -> str:
        if key in self.fields:
            return value_text(self.fields[key].field, posted.get(key, []))
        return self.rows_text(self.formsets[key], posted)

    def rows_text(self, formset, posted: Posted) -> str:
        empty = formset.empty_form
        rows: dict[int, list[str]] = {}
        for name, values in posted.items():
            index, _sep, field_name = name.removeprefix(f"{formset.prefix}-").partition("-")
            if not index.isdigit() or field_name not in empty.fields or not values:
                continue
            field = empty.fields[field_name]
            if field.widget.is_hidden or field_name == "DELETE":
                continue
            rows.setdefault(int(index), []).append(value_text(field, values))
        deleted = {
            int(name.removeprefix(f"{formset.prefix}-").partition("-")[0])
            for name, values in posted.items()
            if name.endswith("-DELETE") and values
        }
        lines = [", ".join(row) for index, row in sorted(rows.items()) if index not in deleted and any(row)]
        return "; ".join(lines) or "—"


def value_text(field, values: list[str]) -> str:
    if isinstance(field.widget, CheckboxInput):
        return _("Yes") if values else _("No")
    if not values:
        return "—"
    if hasattr(field, "choices"):
        names = {str(value): str(label) for value, label in field.choices}
        return ", ".join(names.get(value, value) for value in values)
    return ", ".join(values)
