"""One-row INSERTs without the ORM's query compiler, for hot paths (decision 0012).

``Model.save()`` compiles its INSERT on every call (about 0.15 ms); ``insert_row`` builds the
statement once per model and binds each field's database value exactly as ``save()`` would
(``pre_save`` then ``get_db_prep_save``); the ``pre_save``/``post_save`` signals are sent, as
by ``save()``, when a receiver listens to the model (django-tasks-db's task rows have one). A value
that already has the column's exact Python type is bound as it is (decision 0015).
``row_by_id`` and ``instance_from`` read rows the same way, without a compiled query, and build the
instance without ``Model.__init__`` where nothing customises it."""

from __future__ import annotations

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import signals
from django.db.models.base import ModelState

#: Django's own field classes whose database value is the attribute itself when it has one of these
#: exact types (``get_db_prep_save`` returns it unchanged on SQLite and PostgreSQL, apart from
#: psycopg's integer wrappers, see ``_int_adapter``). Only these exact classes: a subclass may convert
#: its values (``get_prep_value``, ``to_python``…), so it takes the ORM's path, as does any other value.
_INTS = frozenset({int, type(None)})
_PLAIN_TYPES = {
    models.BooleanField: frozenset({bool, type(None)}),
    models.CharField: frozenset({str, type(None)}),
    models.TextField: frozenset({str, type(None)}),
    **dict.fromkeys((models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField,
                     models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
                     models.PositiveBigIntegerField, models.PositiveSmallIntegerField), _INTS),
}


def _plain_types(field: models.Field) -> frozenset:
    """The value types ``field`` stores as they are (empty: always the ORM's conversion)."""
    if type(field) is models.ForeignKey:
        return _plain_types(field.target_field)
    return _PLAIN_TYPES.get(type(field), frozenset())


@cache
def _statement(model: type[models.Model], using: str, with_pk: bool) -> tuple[str, tuple]:
    quote = connections[using].ops.quote_name
    meta = model._meta
    fields = tuple(f for f in meta.local_concrete_fields if with_pk or f is not meta.pk)
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 (model metadata only)
    if not with_pk:
        sql += f" RETURNING {quote(meta.pk.column)}"
    return sql, tuple((f, f.attname, _plain_types(f), _int_adapter(f, connections[using])) for f in fields)


def _int_adapter(field: models.Field, connection):
    """What the backend wraps a plain integer in (psycopg 3: its column's ``Int4``/``Int8``…), or None
    (SQLite; an auto or non-integer column, which Django's own adapter leaves unwrapped too)."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    return getattr(connection.ops, "integerfield_type_map", {}).get(target.get_internal_type())


def _db_value(field: models.Field, attname: str, plain: frozenset, adapt, instance: models.Model, connection):
    value = instance.__dict__.get(attname, instance)  # the instance itself: not set (a deferred field)
    if type(value) in plain:
        return value if adapt is None or value is None else adapt(value)
    return field.get_db_prep_save(field.pre_save(instance, True), connection)


def insert_row(instance: models.Model, *, using: str = DEFAULT_DB_ALIAS) -> models.Model:
    """INSERT ``instance`` (a new row) and set its primary key; returns it."""
    connection = connections[using]
    model = type(instance)
    if signals.pre_save.has_listeners(model):
        signals.pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    with_pk = instance.pk is not None
    sql, fields = _statement(model, using, with_pk)
    params = [_db_value(f, attname, plain, adapt, instance, connection) for f, attname, plain, adapt in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if not with_pk:
            setattr(instance, model._meta.pk.attname, cursor.fetchone()[0])
    instance._state.adding = False
    instance._state.db = using
    if signals.post_save.has_listeners(model):
        signals.post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False,
                               using=using)
    return instance


# --- reads ----------------------------------------------------------------------------------

@cache
def _reader(model: type[models.Model], using: str, alias: str) -> tuple[str, list[str], list[tuple]]:
    """The select list of ``model``'s columns (table alias ``alias``), their attribute names and,
    per column that needs one, the database converters the ORM would apply."""
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = list(meta.concrete_fields)
    select = ", ".join(f"{alias}.{quote(f.column)}" for f in fields)
    converters = []
    for index, f in enumerate(fields):
        col = f.get_col(meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((index, tuple(found), col))
    return select, [f.attname for f in fields], converters


def columns(model: type[models.Model], *, alias: str, using: str = DEFAULT_DB_ALIAS) -> tuple[str, int]:
    """``model``'s select list for a hand-written query (``alias.col, …``) and its length."""
    select, names, _converters = _reader(model, using, alias)
    return select, len(names)


def instance_from(model: type[models.Model], values, *, using: str = DEFAULT_DB_ALIAS, alias: str = "t"):
    """A model instance from the values of ``columns(model, alias=…)``, converted as the ORM would."""
    _select, names, converters = _reader(model, using, alias)
    values = list(values[:len(names)])
    connection = connections[using]
    for index, found, col in converters:
        value = values[index]
        for convert in found:
            value = convert(value, col, connection)
        values[index] = value
    return _loaded(model, using, names, values)


def _loaded(model: type[models.Model], using: str, names: list[str], values: list):
    """``model.from_db(using, names, values)`` for a row of every concrete field, without
    ``Model.__init__`` (its per-field ``setattr`` and init signals are most of a small read's cost):
    the attributes go straight into the instance's ``__dict__``, as ``__init__`` would put them. The
    ORM's own path is taken when the model customises construction or a receiver listens to its
    init signals."""
    if (model.__init__ is not models.Model.__init__ or model.from_db.__func__ is not models.Model.from_db.__func__
            or signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)
            or len(values) != len(model._meta.concrete_fields)):
        return model.from_db(using, names, values)
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding, state.db = False, using
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


def storable_id(pk: int | None) -> bool:
    """Whether ``pk`` can be an id at all (a positive 64-bit integer): an id outside that range is
    simply not found, rather than an overflow error from the database driver."""
    return pk is not None and 0 < pk < 2**63


def row_by_id(model: type[models.Model], pk: int | None, *, using: str = DEFAULT_DB_ALIAS):
    """One row as a model instance, read without ORM compilation, or None; ids outside the
    database's integer range are simply not found."""
    if not storable_id(pk):
        return None
    connection = connections[using]
    select, _n = columns(model, alias="t", using=using)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {table} t WHERE t.id = %s", [pk])  # noqa: S608 (model metadata)
        row = cursor.fetchone()
    return None if row is None else instance_from(model, row, using=using)
