"""Keeping ComplianceCell in step with PersonYearTotal: a delta per total change (same
transaction), or a rebuild of a whole year from the totals (after bulk changes)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum

from hours.models import BUCKETS, MINUTES_PER_JP, ComplianceCell, PersonYearTotal, bucket_of

COUNTERS = ["people", "compliant", "approved_minutes", "pending_minutes"] + [f"b{i}" for i in range(len(BUCKETS))]
KEY_FIELDS = ["year", "agency_key", "province_key", "position_key", "level_key", "employment_type"]


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
    """Replace the cells of ``year`` with those computed from the totals."""
    cells = expected_cells(year)
    with transaction.atomic():
        ComplianceCell.objects.filter(year=year).delete()
        ComplianceCell.objects.bulk_create(
            [ComplianceCell(**dict(zip(KEY_FIELDS, key, strict=True)), **values) for key, values in cells.items()],
            batch_size=2000)
    return len(cells)


def differences(year: int) -> list[tuple[tuple, str, object, object]]:
    want, have = expected_cells(year), stored_cells(year)
    zero = dict.fromkeys(COUNTERS, 0)
    found = []
    for key in sorted(set(want) | set(have), key=str):
        w, h = want.get(key, zero), have.get(key, zero)
        for field in COUNTERS:
            if w[field] != h[field]:
                found.append((key, field, h[field], w[field]))
    return found
