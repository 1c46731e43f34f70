"""Write many rows of one model at once, inside the caller's transaction: COPY on PostgreSQL, one prepared
statement run for every row elsewhere.

Django's `bulk_create` compiles every field of every object into SQL, and on SQLite sends at most 999 parameters a
statement (about 90 values); for the 100,000 values and 100,000 history rows of a large import that was three
quarters of the import's time. Here each value still goes through its field's `get_db_prep_save`, as `save` does,
but a value repeated on many rows (a unit, a day, the user) is prepared once."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DecimalField, Field, Model


def _fields(model: type[Model], columns: Sequence[str]) -> list[Field[Any, Any]]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[c] for c in columns]


def _column(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> str:
    assert field.column is not None
    return connection.ops.quote_name(field.column)


def _lazily(rows: Iterator[Sequence[object]]) -> Sequence[Sequence[Any]]:
    """Rows for `executemany`, made as they are sent: Django's cursors take any iterable (its SQLite one peeks at a
    generator's first row), though their type says sequence."""
    return cast(Sequence[Sequence[Any]], rows)


def _prepared(
    fields: Sequence[Field[Any, Any]],
    rows: Sequence[Sequence[object]],
    distinct: Collection[str],
    connection: BaseDatabaseWrapper,
) -> Iterator[tuple[object, ...]]:
    """Each row's values as the database takes them, prepared column by column: a value repeated down a column is
    prepared once, except in `distinct` columns and numbers (Decimal("1.0") == Decimal("1"), yet they differ)."""
    prepared: list[list[object]] = []
    for field, values in zip(fields, zip(*rows, strict=True), strict=True):
        prep = field.get_db_prep_save
        if field.attname in distinct or isinstance(field, DecimalField):
            prepared.append([prep(v, connection) for v in values])
        else:
            once = {v: prep(v, connection) for v in set(values)}
            prepared.append([once[v] for v in values])
    return zip(*prepared, strict=True)


def insert_rows(
    model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[object]], distinct: Collection[str] = ()
) -> None:
    """Insert `rows` (one value for each of `columns`, named by attribute: "round_id") into `model`'s table.

    Fields that fill themselves (`auto_now`) are not filled here: give their values. A column holds values of one
    type (1 and True would be prepared as one). `distinct` names the columns whose values differ on every row,
    not worth remembering."""
    if not rows:
        return
    # The connection itself, not django.db.connection: each attribute of that proxy is a thread-local look-up.
    connection = connections[DEFAULT_DB_ALIAS]
    fields = _fields(model, columns)
    prepared = _prepared(fields, rows, distinct, connection)
    table, names = connection.ops.quote_name(model._meta.db_table), ", ".join(_column(f, connection) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", _lazily(prepared))


def update_rows(
    model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[object]], distinct: Collection[str] = ()
) -> None:
    """Set `columns` of the rows whose primary key is the first value of each row; the rest are the columns'."""
    if not rows:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    fields = _fields(model, columns)
    key = model._meta.pk
    assert key is not None
    prepared = _prepared([key, *fields], rows, {key.attname, *distinct}, connection)
    assignments = ", ".join(f"{_column(f, connection)} = %s" for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} SET {assignments} WHERE {_column(key, connection)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, _lazily([*row[1:], row[0]] for row in prepared))
