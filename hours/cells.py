"""Keeping ComplianceCell in step with PersonYearTotal: a delta per total change (same
transaction), or a rebuild of a whole year from the totals (after bulk changes).

Every cell change is also appended as a ComplianceDelta row (one INSERT, no row is updated, so no
hot row); ``compact`` moves deltas into the one-dimension ComplianceRollup rows (decision 0013)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, Sum

from hours.models import (
    BUCKETS,
    MINUTES_PER_JP,
    ComplianceCell,
    ComplianceDelta,
    ComplianceRollup,
    PersonYearTotal,
    RollupDimension,
    bucket_of,
)
from siaga.db.rows import insert_row

COUNTERS = ["people", "compliant", "approved_minutes", "pending_minutes"] + [f"b{i}" for i in range(len(BUCKETS))]
KEY_FIELDS = ["year", "agency_key", "province_key", "position_key", "level_key", "employment_type"]
#: Rollup dimension → the cell (and delta) column it sums over the others
ROLLUP_COLUMNS = {RollupDimension.AGENCY: "agency_key", RollupDimension.PROVINCE: "province_key",
                  RollupDimension.POSITION: "position_key", RollupDimension.LEVEL: "level_key",
                  RollupDimension.EMPLOYMENT_TYPE: "employment_type"}
COMPACT_BATCH = 10_000
#: Seconds between a ledger write and the compaction it schedules (also the dedupe window)
COMPACT_DELAY = 30
SCHEDULED_KEY = "hours:compact-scheduled"
#: pg_advisory_xact_lock key serialising compaction and rollup rebuilds ("hours" + 13)
ADVISORY_LOCK = 0x686F757273_13


def state_of(total: PersonYearTotal | None):
    """(cell key, counters) of a total, or None when the minimum does not apply to it."""
    if total is None or total.required_minutes <= 0:
        return None
    key = {"year": total.year, "agency_key": total.agency_id, "province_key": total.province_id or "",
           "position_key": total.position_id or 0, "level_key": total.level_id or 0,
           "employment_type": total.employment_type}
    values = dict.fromkeys(COUNTERS, 0)
    values.update(people=1, compliant=int(bool(total.compliant)), approved_minutes=total.approved_minutes,
                  pending_minutes=total.pending_minutes)
    values[f"b{bucket_of(total.approved_minutes)}"] = 1
    return key, values


def _add(key: dict, delta: dict) -> None:
    delta = {k: v for k, v in delta.items() if v}
    if not delta:
        return
    insert_row(ComplianceDelta(**key, **delta))  # no compiled INSERT per ledger change
    _schedule_compaction()
    if ComplianceCell.objects.filter(**key).update(**{k: F(k) + v for k, v in delta.items()}):
        return
    try:
        with transaction.atomic():
            ComplianceCell.objects.create(**key, **delta)
    except IntegrityError:
        ComplianceCell.objects.filter(**key).update(**{k: F(k) + v for k, v in delta.items()})


def shift(before, after) -> None:
    """Move a total's contribution from ``before`` to ``after`` (states from ``state_of``)."""
    if before and after and before[0] == after[0]:
        _add(after[0], {k: after[1][k] - before[1][k] for k in COUNTERS})
        return
    if before:
        _add(before[0], {k: -v for k, v in before[1].items()})
    if after:
        _add(after[0], after[1])


def expected_cells(year: int) -> dict[tuple, dict]:
    """The cells of ``year`` as the totals say they should be (one grouped query)."""
    jp = MINUTES_PER_JP
    buckets = {}
    for i, (_label, low, high) in enumerate(BUCKETS):
        if high == 0:
            cond = Q(approved_minutes__lte=0)
        elif high is None:
            cond = Q(approved_minutes__gte=low * jp)
        else:
            cond = Q(approved_minutes__lt=high * jp) & (Q(approved_minutes__gte=low * jp) if low
                                                        else Q(approved_minutes__gt=0))
        buckets[f"b{i}"] = Count("id", filter=cond)
    rows = (PersonYearTotal.objects.filter(year=year, required_minutes__gt=0)
            .values("agency_id", "province_id", "position_id", "level_id", "employment_type")
            .annotate(n_people=Count("id"), n_compliant=Count("id", filter=Q(compliant=True)),
                      n_approved=Sum("approved_minutes"), n_pending=Sum("pending_minutes"), **buckets)
            .order_by())
    result = {}
    for r in rows:
        key = (year, r["agency_id"], r["province_id"] or "", r["position_id"] or 0, r["level_id"] or 0,
               r["employment_type"])
        r = {**r, "people": r["n_people"], "compliant": r["n_compliant"], "approved_minutes": r["n_approved"],
             "pending_minutes": r["n_pending"]}
        result[key] = {k: r[k] or 0 for k in COUNTERS}
    return result


def stored_cells(year: int) -> dict[tuple, dict]:
    return {tuple(c[k] for k in KEY_FIELDS): {k: c[k] for k in COUNTERS}
            for c in ComplianceCell.objects.filter(year=year).values(*KEY_FIELDS, *COUNTERS)}


def rebuild_year(year: int) -> int:
    """Replace the cells of ``year`` with those computed from the totals, and its rollups with the
    sums of those cells (its pending deltas dropped), in one transaction."""
    cells = expected_cells(year)
    with transaction.atomic():
        _lock_rollups()
        ComplianceCell.objects.filter(year=year).delete()
        ComplianceCell.objects.bulk_create(
            [ComplianceCell(**dict(zip(KEY_FIELDS, key, strict=True)), **values) for key, values in cells.items()],
            batch_size=2000)
        rebuild_rollups(year)
    return len(cells)


def differences(year: int) -> list[tuple[tuple, str, object, object]]:
    """The cells that differ from the totals, then the rollups (plus pending deltas) that differ
    from the stored cells, keyed ``("rollup", dimension, key)``."""
    return cell_differences(year) + [(("rollup", *key), field, have, want)
                                     for key, field, have, want in rollup_differences(year)]


def cell_differences(year: int) -> list[tuple[tuple, str, object, object]]:
    want, have = expected_cells(year), stored_cells(year)
    zero = dict.fromkeys(COUNTERS, 0)
    found = []
    for key in sorted(set(want) | set(have), key=str):
        w, h = want.get(key, zero), have.get(key, zero)
        for field in COUNTERS:
            if w[field] != h[field]:
                found.append((key, field, h[field], w[field]))
    return found


# --- rollups: compaction of the appended deltas ---------------------------------------------

def rollup_key(value) -> str:
    """A cell key as a rollup key: text, "" for "not filled in" (cells store 0 or "")."""
    return "" if value in (None, 0, "") else str(value)


def _schedule_compaction() -> None:
    """Once per transaction: on commit, enqueue ``compact_rollups`` to run in COMPACT_DELAY seconds
    unless one is already scheduled (a cache key as the dedupe). Backends that cannot defer a task
    (the immediate backend of the tests) get nothing: reads are exact with any backlog."""
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        if getattr(conn, "_hours_compact_hook", None) is conn.run_on_commit:
            return  # already registered in this transaction (a savepoint rollback makes a new list)
        conn._hours_compact_hook = conn.run_on_commit
    transaction.on_commit(_enqueue_compaction, robust=True)  # the write has committed: a failure only logs


def _enqueue_compaction() -> None:
    from django.core.cache import cache
    from django.utils import timezone

    from hours.tasks import compact_rollups

    if not compact_rollups.get_backend().supports_defer:
        return
    if cache.add(SCHEDULED_KEY, 1, timeout=COMPACT_DELAY - 5):
        compact_rollups.using(run_after=timezone.now() + dt.timedelta(seconds=COMPACT_DELAY)).enqueue()


def _lock_rollups() -> None:
    """Serialise compactors and rebuilds until the transaction ends. SQLite has one writer at a time
    (and Siaga's backend queues them on a flock), so its write transaction is the lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])


def _upsert(rows: dict[tuple[int, str, str], list[int]]) -> None:
    table = ComplianceRollup._meta.db_table
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in COUNTERS)
    sql = (f"INSERT INTO {table} (year, dimension, {qn('key')}, {columns}) "  # noqa: S608 - names are constants
           f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(COUNTERS))}) "
           f"ON CONFLICT (year, dimension, {qn('key')}) DO UPDATE SET "
           + ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in COUNTERS))
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, *values) for key, values in rows.items()])


def compact_batch(*, limit: int = COMPACT_BATCH) -> int:
    """Move up to ``limit`` deltas (lowest ids first) into the rollups in one transaction: DELETE …
    RETURNING says exactly which rows this transaction took, so a delta committed later (whatever
    its id) stays for the next batch, and none is counted twice. Returns the deltas moved."""
    table = ComplianceDelta._meta.db_table
    fields = KEY_FIELDS + COUNTERS
    returning = ", ".join(connection.ops.quote_name(f) for f in fields)
    with transaction.atomic():
        _lock_rollups()
        sql = (f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s) "  # noqa: S608
               f"RETURNING {returning}")  # table and column names are constants
        with connection.cursor() as cursor:
            cursor.execute(sql, [limit])
            moved = cursor.fetchall()
        sums: dict[tuple[int, str, str], list[int]] = {}
        for row in moved:
            values = dict(zip(fields, row, strict=True))
            for dimension, column in ROLLUP_COLUMNS.items():
                acc = sums.setdefault((values["year"], dimension.value, rollup_key(values[column])),
                                      [0] * len(COUNTERS))
                for i, counter in enumerate(COUNTERS):
                    acc[i] += values[counter]
        if sums:
            _upsert(sums)
    return len(moved)


def compact(*, limit: int = COMPACT_BATCH, max_batches: int | None = None) -> int:
    """Move every delta committed so far into the rollups, batch by batch (derived data like the
    cells: no audit row). Returns the deltas moved."""
    total, batches = 0, 0
    while max_batches is None or batches < max_batches:
        moved = compact_batch(limit=limit)
        total, batches = total + moved, batches + 1
        if moved < limit:
            break
    return total


def expected_rollups(year: int) -> dict[tuple[str, str], dict]:
    """The rollups of ``year`` as the cells say they should be (one grouped query per dimension)."""
    result: dict[tuple[str, str], dict] = {}
    for dimension, column in ROLLUP_COLUMNS.items():
        rows = (ComplianceCell.objects.filter(year=year).values(column)
                .annotate(**{f"n_{c}": Sum(c) for c in COUNTERS}).order_by())
        for r in rows:
            acc = result.setdefault((dimension.value, rollup_key(r[column])), dict.fromkeys(COUNTERS, 0))
            for c in COUNTERS:
                acc[c] += r[f"n_{c}"] or 0
    return result


def effective_rollups(year: int) -> dict[tuple[str, str], dict]:
    """Rollups plus pending deltas of ``year``, as the dashboard reads them (one statement)."""
    from hours.rollup_sql import grouped

    rows = grouped([d.value for d in ROLLUP_COLUMNS], year=year, by=("dimension", "rkey"))
    return {(r["dimension"], r["rkey"]): {c: r[c] for c in COUNTERS} for r in rows}


def rebuild_rollups(year: int) -> int:
    """Replace the rollups of ``year`` with the sums of its cells and drop its pending deltas (call
    inside the transaction that wrote the cells, after ``_lock_rollups``)."""
    rollups = expected_rollups(year)
    ComplianceDelta.objects.filter(year=year).delete()
    ComplianceRollup.objects.filter(year=year).delete()
    ComplianceRollup.objects.bulk_create(
        [ComplianceRollup(year=year, dimension=dimension, key=key, **values)
         for (dimension, key), values in rollups.items()], batch_size=2000)
    return len(rollups)


def rollup_differences(year: int) -> list[tuple[tuple, str, object, object]]:
    """(dimension, key), field, stored (rollup + pending deltas), expected (sum of the cells)."""
    want, have = expected_rollups(year), effective_rollups(year)
    zero = dict.fromkeys(COUNTERS, 0)
    found = []
    for key in sorted(set(want) | set(have)):
        w, h = want.get(key, zero), have.get(key, zero)
        for field in COUNTERS:
            if w[field] != h[field]:
                found.append((key, field, h[field], w[field]))
    return found
