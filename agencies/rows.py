"""The values of the lists every page shows, kept by each process: IRCC's lists and the NOC occupations (which change
only by migration, so are read once), and each agency's own lists (read again when the agency's lists_version says
one of its values or programs changed: agencies.models.lists_changed).

A page puts them on the records it read (list_rows_attach) instead of joining their tables in its queries: the
client profile's query joined some twenty tables, most of them these lists.
"""

import functools
import uuid
from collections.abc import Callable, Iterable

from django.db.models import ForeignKey, Model

from agencies.models import IcareValue, ListItem, Occupation, Program, StaffProfile


@functools.cache
def icare_values() -> dict[int, IcareValue]:
    """Every value of IRCC's lists, by key in the lists' order."""
    return {value.pk: value for value in IcareValue.objects.order_by("list", "position")}


@functools.cache
def occupations() -> dict[str, Occupation]:
    """The NOC 2021 unit groups, by code."""
    return Occupation.objects.in_bulk()


# agency pk -> (its lists_version, what the process read of the agency then).
_agency_items: dict[int, tuple[uuid.UUID, dict[int, ListItem]]] = {}
_agency_programs: dict[int, tuple[uuid.UUID, dict[uuid.UUID, Program]]] = {}
_agency_staff: dict[int, tuple[uuid.UUID, dict[int, str]]] = {}


def _kept(store: dict, agency, read: Callable) -> dict:
    """`read(agency)`, kept in `store` until the agency's lists_version (read with the request's user) changes."""
    version, rows = store.get(agency.pk, (None, None))
    if rows is None or version != agency.lists_version:
        rows = read(agency)
        store[agency.pk] = (agency.lists_version, rows)
    return rows


def _items_read(agency) -> dict[int, ListItem]:
    return {item.pk: item for item in ListItem.objects.filter(agency=agency).order_by("list", "position", "label")}


def agency_items(agency) -> dict[int, ListItem]:
    """Every value of the agency's own lists, by key in the lists' order, inactive ones too (a client may still hold
    one): read once a process, and again when the agency's lists_version changes."""
    return _kept(_agency_items, agency, _items_read)


def _programs_read(agency) -> dict[uuid.UUID, Program]:
    return {program.code: program for program in Program.objects.for_agency(agency)}


def agency_programs(agency) -> dict[uuid.UUID, Program]:
    """Every program of the agency, by code in the programs' order, inactive ones too: read as agency_items are."""
    return _kept(_agency_programs, agency, _programs_read)


def _staff_read(agency) -> dict[int, str]:
    return {staff.pk: staff.display_name for staff in StaffProfile.objects.for_agency(agency).select_related("user")}


def agency_staff(agency) -> dict[int, str]:
    """The agency's staff, by key in the order of their names, each with the name pages show: read as agency_items
    are (a staff member added, changed or removed, or a login saved, renews the agency's lists_version)."""
    return _kept(_agency_staff, agency, _staff_read)


@functools.cache
def list_fields(model: type[Model]) -> tuple[ForeignKey, ...]:
    """The model's foreign keys to list values."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in (IcareValue, ListItem, Occupation)
    )


def list_rows_attach(records: Iterable[Model], agency) -> None:
    """Put on each record (of `agency`) the list values its foreign keys name, as select_related would, without a
    join. A value the process does not hold (added since it read its lists) is left to be read when it is used."""
    tables = {IcareValue: icare_values(), Occupation: occupations(), ListItem: agency_items(agency)}
    for record in records:
        for field in list_fields(type(record)):
            key = getattr(record, field.attname)
            if key is not None and (row := tables[field.related_model].get(key)) is not None:
                field.set_cached_value(record, row)
