"""The one statement that reads ComplianceRollup rows together with the pending ComplianceDelta
rows projected onto the same dimension (UNION ALL, so both come from one snapshot even under
PostgreSQL's READ COMMITTED: a delta is either still pending or already in its rollup)."""

from __future__ import annotations

from django.db import connection

from hours.cells import COUNTERS, ROLLUP_COLUMNS
from hours.models import ComplianceDelta, ComplianceRollup, RollupDimension

_TEXT_COLUMNS = {"province_key", "employment_type"}


def _projection(column: str) -> str:
    """The delta column as a rollup key (text, "" for not filled in; see ``cells.rollup_key``)."""
    if column in _TEXT_COLUMNS:
        return column
    return f"CASE WHEN {column} = 0 THEN '' ELSE CAST({column} AS TEXT) END"


def _where(key_expr: str, *, year: int | None, key: str | None) -> tuple[list[str], list]:
    """The optional ``year`` and ``key`` conditions (``key_expr``: the key column or projection)."""
    conditions, params = [], []
    if year is not None:
        conditions.append("year = %s")
        params.append(year)
    if key is not None:
        conditions.append(f"{key_expr} = %s")
        params.append(key)
    return conditions, params


def union_sql(dimensions: list[str], *, year: int | None, key: str | None = None) -> tuple[str, list]:
    """SQL yielding (year, dimension, rkey, counters…) of the rollups and the pending deltas of
    ``dimensions`` (optionally one ``year``, optionally one ``key``)."""
    qn = connection.ops.quote_name
    counters = ", ".join(qn(c) for c in COUNTERS)
    conditions, values = _where(qn("key"), year=year, key=key)
    where = ["dimension IN ({})".format(", ".join(["%s"] * len(dimensions))), *conditions]
    parts = [f"SELECT year, dimension, {qn('key')} AS rkey, {counters} "  # noqa: S608 - constants
             f"FROM {ComplianceRollup._meta.db_table} WHERE {' AND '.join(where)}"]
    params: list = [*dimensions, *values]
    for dimension in dimensions:
        projection = _projection(ROLLUP_COLUMNS[RollupDimension(dimension)])
        conditions, values = _where(projection, year=year, key=key)
        parts.append(f"SELECT year, %s AS dimension, {projection} AS rkey, {counters} "  # noqa: S608 - constants
                     f"FROM {ComplianceDelta._meta.db_table}"
                     + (f" WHERE {' AND '.join(conditions)}" if conditions else ""))
        params += [dimension, *values]
    return " UNION ALL ".join(parts), params


def grouped(dimensions: list[str], *, year: int | None, key: str | None = None,
            by: tuple[str, ...] = ("rkey",)) -> list[dict]:
    """Sums of the counters grouped by ``by`` (columns of ``union_sql``), one statement."""
    inner, params = union_sql(dimensions, year=year, key=key)
    sums = ", ".join(f"SUM({connection.ops.quote_name(c)})" for c in COUNTERS)
    if not set(by) <= {"year", "dimension", "rkey"}:
        raise ValueError(by)
    group = ", ".join(by)
    sql = f"SELECT {group}, {sums} FROM ({inner}) u GROUP BY {group}"  # noqa: S608 - constants
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [{**dict(zip(by, row[:len(by)], strict=True)),
             **{c: int(v or 0) for c, v in zip(COUNTERS, row[len(by):], strict=True)}} for row in rows]
