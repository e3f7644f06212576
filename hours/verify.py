"""Recompute totals from the ledger and compare with PersonYearTotal (``siaga hours verify``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, Min

from hours import rules
from hours.models import LedgerEntry, PersonYearTotal
from hours.services import dimensions, totals_rebuild
from people.models import Person

CHUNK = 50_000
FIELDS = ("approved_minutes", "pending_minutes", "required_minutes", "compliant", "agency_id", "province_id",
          "position_id", "level_id", "employment_type")


@dataclass
class Difference:
    person_id: int
    year: int
    field: str
    stored: object
    expected: object


def years_checked(year: int | None) -> list[int]:
    if year:
        return [year]
    years = set(LedgerEntry.objects.values_list("year", flat=True).distinct().order_by())
    return sorted(years | set(PersonYearTotal.objects.values_list("year", flat=True).distinct().order_by()))


def find_differences(*, year: int | None = None, limit: int | None = None):
    """Yield every difference between the stored totals and the ledger, chunked by person id."""
    found = 0
    bounds = Person.objects.aggregate(lo=Min("id"), hi=Max("id"))
    if bounds["lo"] is None:
        return
    for y in years_checked(year):
        for start in range(bounds["lo"], bounds["hi"] + 1, CHUNK):
            for difference in chunk_differences(year=y, lo=start, hi=start + CHUNK):
                yield difference
                found += 1
                if limit and found >= limit:
                    return


def chunk_differences(*, year: int, lo: int, hi: int):
    """The differences of people with ``lo <= id < hi`` in ``year`` (one block of ``find_differences``)."""
    required = {et: rules.required_minutes(year, et) for et in ("PNS", "PPPK", "NON_ASN")}
    sums = _chunk_sums(year, lo, hi)
    stored = {t.person_id: t for t in PersonYearTotal.objects.filter(year=year, person_id__gte=lo, person_id__lt=hi)}
    keys = set(sums) | set(stored)
    if not keys:
        return
    people = Person.objects.in_bulk(list(keys))
    for person_id in sorted(keys):
        person = people[person_id]
        approved, pending = sums.get(person_id, (0, 0))
        need = required[person.employment_type]
        want = {"approved_minutes": approved, "pending_minutes": pending, "required_minutes": need,
                "compliant": approved >= need, **dimensions(person)}
        total = stored.get(person_id)
        for field in FIELDS:
            have = getattr(total, field) if total else None
            if have != want[field]:
                yield Difference(person_id, year, field, have, want[field])


def _chunk_sums(year: int, lo: int, hi: int) -> dict[int, tuple[int, int]]:
    from django.db.models import Q, Sum

    rows = (LedgerEntry.objects.filter(year=year, voided_at__isnull=True, person_id__gte=lo, person_id__lt=hi)
            .values("person_id")
            .annotate(a=Sum("credited_minutes", filter=Q(status=LedgerEntry.Status.APPROVED)),
                      p=Sum("credited_minutes", filter=Q(status=LedgerEntry.Status.PENDING))).order_by())
    return {r["person_id"]: (r["a"] or 0, r["p"] or 0) for r in rows}


def fix(differences: list[Difference]) -> int:
    by_year: dict[int, set[int]] = {}
    for d in differences:
        by_year.setdefault(d.year, set()).add(d.person_id)
    changed = 0
    for year, ids in by_year.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), 2000):
            changed += totals_rebuild(year=year, person_ids=ordered[start:start + 2000])
    return changed


__all__ = ["Difference", "chunk_differences", "find_differences", "fix"]
