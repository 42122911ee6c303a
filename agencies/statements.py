"""Records read by fixed statements: what the ORM puts together for every query (the SQL compiled again, the columns
matched to fields), done once a process for a statement that runs on every page (the session with its user, a
registration draft). The records come out as the ORM makes them: each value through its field's converters, the
instance made by Model.from_db."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import Model


@dataclass(frozen=True)
class Columns:
    """A model's concrete fields, in the order of its columns, as one database reads them."""

    model: type[Model]
    alias: str
    sql: str  # the columns as a SELECT lists them, of the table named (or aliased) `table`
    names: tuple[str, ...]  # the fields' attribute names
    converters: tuple[tuple, ...]  # each field's converters

    def record(self, values: Sequence) -> Model:
        """The instance of one row's values (in the order of `sql`)."""
        connection = connections[self.alias]
        values = list(values)
        for index, field_converters in enumerate(self.converters):
            for converter in field_converters:
                values[index] = converter(values[index], None, connection)
        return self.model.from_db(self.alias, self.names, values)

    def records(self, rows: Sequence[Sequence], extra: Sequence[str] = ()) -> list[Model]:
        """The instances of rows that hold these columns, then one value for each name of `extra`: set on the
        instance as an attribute of that name, as a raw query's annotations are."""
        width = len(self.names)
        instances = []
        for row in rows:
            instance = self.record(row[:width])
            for name, value in zip(extra, row[width:], strict=True):
                setattr(instance, name, value)
            instances.append(instance)
        return instances


@functools.cache
def columns(model: type[Model], alias: str, table: str = "", only: tuple[str, ...] = ()) -> Columns:
    """`model`'s columns for a statement of database `alias`, prefixed by `table` when given; with `only` (field
    names), those fields alone, the others deferred as only() defers them."""
    connection = connections[alias]
    fields = [field for field in model._meta.concrete_fields if not only or field.name in only]
    prefix = f"{table}." if table else ""
    return Columns(
        model=model,
        alias=alias,
        sql=", ".join(f"{prefix}{connection.ops.quote_name(field.column)}" for field in fields),
        names=tuple(field.attname for field in fields),
        converters=tuple(
            tuple(
                connection.ops.get_db_converters(field.get_col(table or model._meta.db_table))
                + field.get_db_converters(connection)
            )
            for field in fields
        ),
    )


def rows_of(statement: str, *params, values: int = 0) -> list[tuple]:
    """The rows of a fixed statement on the default database, its `{values}` made `values` placeholders."""
    with connection.cursor() as cursor:
        cursor.execute(with_values(statement, values) if values else statement, params)
        return cursor.fetchall()


def with_values(statement: str, count: int, **parts: str) -> str:
    """The statement with `count` placeholders in place of `{values}` (and `parts` in place of theirs)."""
    return statement.format(values=", ".join(["%s"] * count), **parts)
