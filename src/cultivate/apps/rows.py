"""Write many rows of one model at the database's own speed: COPY on PostgreSQL, one prepared
statement run for every row (executemany) on SQLite.

Django's `bulk_create` builds every value through its SQL compiler; profiled on an import into
PostgreSQL, that and the driver's query conversion were the largest part of writing. Values
still go through each field's `pre_save` and `get_db_prep_save`, so defaults, `auto_now_add`
and JSON behave as in `bulk_create`, except where that is known to hand the value back as it is
(an int in an integer column or a foreign key to an integer id, a str in a text column, a bool in
a boolean one: `_passes_as_it_is`); model `save()` methods and signals are not called, as with
`bulk_create`.

- `append_rows`: rows whose ids nobody needs back (an import's activities, the map from an
  export's ids to what they became).
- `create_rows`: rows whose ids the next rows point at (questions, then their answers): on
  PostgreSQL the ids are taken from the table's sequence first, then the rows are copied with
  them; elsewhere `bulk_create`, which returns them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import Field, Model

__all__ = ["append_rows", "create_rows"]

Row = TypeVar("Row", bound=Model)
_BATCH = 500


def _columns(model: type[Model], *, with_id: bool) -> list[Field]:  # type: ignore[type-arg]
    """The columns a row writes: not the id unless asked, never a column the database makes."""
    auto = model._meta.auto_field
    return [
        f
        for f in model._meta.concrete_fields
        if (with_id or f is not auto) and not getattr(f, "generated", False)
    ]


_KEPT_AS_THEY_ARE: dict[type[Field], type] = {  # type: ignore[type-arg]
    models.AutoField: int,
    models.BigAutoField: int,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
}
"""Field classes (exactly these, not subclasses) whose `pre_save` reads the attribute and whose
`get_db_prep_save` returns a value of this type unchanged on SQLite and PostgreSQL."""


def _passes_as_it_is(field: Field) -> type | None:  # type: ignore[type-arg]
    """The type a field's value is written as it is in (skipping the per-value preparation that
    was a quarter of writing a demo's rows), or None when it must be prepared."""
    if isinstance(field, models.ForeignKey):
        return _KEPT_AS_THEY_ARE.get(type(field.target_field))
    return _KEPT_AS_THEY_ARE.get(type(field))


def _prepared_rows(fields: list[Field], objs: Sequence[Model]) -> list[list[Any]]:  # type: ignore[type-arg]
    plans = [(field, field.attname, _passes_as_it_is(field)) for field in fields]
    rows = []
    for obj in objs:
        row: list[Any] = []
        for field, attname, kept in plans:
            if kept is not None:
                value = getattr(obj, attname)
                if value is None or type(value) is kept:
                    row.append(value)
                    continue
            row.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
        rows.append(row)
    return rows


def _one_model(objs: Sequence[Model]) -> type[Model]:
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("rows of one model at a time")
    return model


def _write(model: type[Model], objs: Sequence[Model], *, with_id: bool) -> None:
    fields = _columns(model, with_id=with_id)
    rows = _prepared_rows(fields, objs)
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


def append_rows(objs: Sequence[Model]) -> int:
    """Insert the (unsaved) instances of one model in one go; return how many were written.

    Their primary keys are not set afterwards. Runs inside the caller's transaction.
    """
    if not objs:
        return 0
    _write(_one_model(objs), objs, with_id=False)
    return len(objs)


def create_rows(objs: list[Row]) -> list[Row]:
    """Insert the (unsaved) instances of one model and set their primary keys, as
    `bulk_create` does; runs inside the caller's transaction."""
    if not objs:
        return objs
    model = _one_model(objs)
    if any(obj.pk is not None for obj in objs):
        raise ValueError("create_rows writes new rows: these already have ids")
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=_BATCH)  # sets each one's id
        return objs
    for obj in objs:  # a related object assigned before it was saved: take its id now
        obj._prepare_related_fields_for_save(operation_name="create_rows")  # type: ignore[attr-defined]  # Django's own step before saving, not in the stubs
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) AS n "
            "ORDER BY n",
            [model._meta.db_table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for obj, new_id in zip(objs, ids, strict=True):
        obj.pk = new_id
    _write(model, objs, with_id=True)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
