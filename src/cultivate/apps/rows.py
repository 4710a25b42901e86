"""Append many rows of one model at the database's own speed: COPY on PostgreSQL, one prepared
statement run for every row (executemany) on SQLite.

For rows whose ids nobody needs back at once: the activities of an import or of the demo's
replay, the map from an export's ids to what they became. Django's `bulk_create` builds every
value through its SQL compiler and returns ids; profiled on an import into PostgreSQL, that and
the driver's query conversion were the largest part of writing. Values still go through each
field's `pre_save` and `get_db_prep_save`, so defaults, `auto_now_add` and JSON behave as in
`bulk_create`; model `save()` methods and signals are not called, as with `bulk_create`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Field, Model

__all__ = ["append_rows"]


def _columns(model: type[Model]) -> list[Field]:  # type: ignore[type-arg]
    auto = model._meta.auto_field
    return [f for f in model._meta.concrete_fields if f is not auto]


def append_rows(objs: Sequence[Model]) -> int:
    """Insert the (unsaved) instances of one model in one go; return how many were written.

    Their primary keys are not set afterwards. Runs inside the caller's transaction.
    """
    if not objs:
        return 0
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("append_rows writes instances of one model at a time")
    fields = _columns(model)
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
        for obj in objs
    ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            # The table and columns are the model's own names, quoted; the values are parameters.
            insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(insert, rows)
    return len(rows)
