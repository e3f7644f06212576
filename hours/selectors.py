"""Reads of the JP ledger: dashboard figures (from PersonYearTotal only, never the ledger),
people lists, at-risk people with suggested events, and a person's year."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from accounts.access import sees_all_agencies
from accounts.roles import Role
from hours import rollup_sql
from hours.access import cells_visible_to, entries_visible_to, totals_visible_to
from hours.models import BUCKETS, MINUTES_PER_JP, LedgerEntry, PersonYearTotal
from people.models import Agency, EmploymentType, Position, PositionLevel, Region

#: Dashboard dimensions: key → (field of PersonYearTotal, label)
DIMENSIONS = {
    "agency": ("agency_id", _("Instansi")),
    "province": ("province_id", _("Provinsi")),
    "position": ("position_id", _("Jabatan")),
    "level": ("level_id", _("Jenjang")),
    "employment_type": ("employment_type", _("Status kepegawaian")),
}
CELL_COLUMNS = {"agency": "agency_key", "province": "province_key", "position": "position_key",
                "level": "level_key", "employment_type": "employment_type"}


@dataclass(frozen=True)
class DashboardFilters:
    year: int
    agency: int | None = None
    province: str = ""
    position: int | None = None
    level: int | None = None
    employment_type: str = ""
    compliant: bool | None = None

    def apply(self, qs: QuerySet) -> QuerySet:
        qs = qs.filter(year=self.year)
        if self.agency:
            qs = qs.filter(agency_id=self.agency)
        if self.province:
            qs = qs.filter(province_id=self.province)
        if self.position:
            qs = qs.filter(position_id=self.position)
        if self.level:
            qs = qs.filter(level_id=self.level)
        if self.employment_type:
            qs = qs.filter(employment_type=self.employment_type)
        if self.compliant is not None:
            qs = qs.filter(compliant=self.compliant)
        return qs

    def query(self, **override) -> str:
        from urllib.parse import urlencode

        values = {"year": self.year, "agency": self.agency or "", "province": self.province,
                  "position": self.position or "", "level": self.level or "",
                  "employment_type": self.employment_type}
        values.update(override)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


@dataclass
class Row:
    key: str
    label: str
    people: int
    compliant: int
    minutes: int
    pending: int
    buckets: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.compliant / self.people if self.people else None

    @property
    def avg_jp(self) -> float:
        return self.minutes / self.people / MINUTES_PER_JP if self.people else 0.0


def _aggregates() -> dict:
    data = {"n_people": Sum("people"), "n_compliant": Sum("compliant"), "n_minutes": Sum("approved_minutes"),
            "n_pending": Sum("pending_minutes")}
    data.update({f"n_b{i}": Sum(f"b{i}") for i in range(len(BUCKETS))})
    return data


def _row(key, label, values) -> Row:
    return Row(key=str(key if key not in (None, 0) else ""), label=str(label), people=values["n_people"] or 0,
               compliant=values["n_compliant"] or 0, minutes=values["n_minutes"] or 0,
               pending=values["n_pending"] or 0, buckets=[values[f"n_b{i}"] or 0 for i in range(len(BUCKETS))])


def subject_totals(user, filters: DashboardFilters) -> QuerySet:
    """Totals of people the minimum applies to (required > 0), in ``user``'s scope."""
    return filters.apply(totals_visible_to(user)).filter(required_minutes__gt=0)


def cells_for(user, filters: DashboardFilters, *, with_year: bool = True) -> QuerySet:
    """ComplianceCells in ``user``'s scope matching ``filters`` (the dashboard reads only these)."""
    qs = cells_visible_to(user)
    if with_year:
        qs = qs.filter(year=filters.year)
    if filters.agency:
        qs = qs.filter(agency_key=filters.agency)
    if filters.province:
        qs = qs.filter(province_key=filters.province)
    if filters.position:
        qs = qs.filter(position_key=filters.position)
    if filters.level:
        qs = qs.filter(level_key=filters.level)
    if filters.employment_type:
        qs = qs.filter(employment_type=filters.employment_type)
    return qs


# --- the dashboard: from rollups when one dimension is named, else from the cells --------------

_INT_DIMENSIONS = {"agency", "position", "level"}


def _named(filters: DashboardFilters) -> dict[str, str]:
    """The dimensions ``filters`` name, with their values as rollup keys."""
    values = {"agency": filters.agency, "province": filters.province, "position": filters.position,
              "level": filters.level, "employment_type": filters.employment_type}
    return {d: str(v) for d, v in values.items() if v}


def _rollup_plan(user, filters: DashboardFilters, dimension: str | None) -> tuple[str, str | None] | None:
    """(dimension, key or None) when the rollups answer the request exactly, else None: the scope sees
    every agency or is one agency (= an agency filter), and scope, filters and breakdown together name
    at most one dimension."""
    if not getattr(user, "is_authenticated", False):
        return None
    named = _named(filters)
    if not sees_all_agencies(user):
        if user.role != Role.AGENCY_ADMIN or not user.agency_id:
            return None
        if named.setdefault("agency", str(user.agency_id)) != str(user.agency_id):
            return None  # another agency than the admin's own: let the cell path answer (nothing)
    dims = set(named) | ({dimension} if dimension else set())
    if len(dims) > 1:
        return None
    target = dimension or next(iter(dims), "employment_type")  # every cell is in one type row
    return target, named.get(target)


def _cell_key(dimension: str, key: str):
    """A rollup key back as the cell path reports it (ints for agency/position/level, 0 = not filled in)."""
    if dimension in _INT_DIMENSIONS:
        return int(key) if key else 0
    return key


def _as_values(row: dict) -> dict:
    return {"n_people": row["people"], "n_compliant": row["compliant"], "n_minutes": row["approved_minutes"],
            "n_pending": row["pending_minutes"], **{f"n_b{i}": row[f"b{i}"] for i in range(len(BUCKETS))}}


def dashboard_summary(*, user, filters: DashboardFilters) -> Row:
    plan = _rollup_plan(user, filters, None)
    if plan:
        rows = rollup_sql.grouped([plan[0]], year=filters.year, key=plan[1], by=("year",))
        values = _as_values(rows[0]) if rows else dict.fromkeys(_aggregates(), None)
    else:
        values = cells_for(user, filters).aggregate(**_aggregates())
    return _row("all", _("Semua"), values)


def _labels(dimension: str, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if dimension == "agency":
        return {a.pk: str(a) for a in Agency.objects.filter(pk__in=keys)}
    if dimension == "province":
        return dict(Region.objects.filter(pk__in=keys).values_list("code", "name"))
    if dimension == "position":
        return dict(Position.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "level":
        return {lv.pk: f"{lv.position.name} · {lv.name}"
                for lv in PositionLevel.objects.filter(pk__in=keys).select_related("position")}
    return dict(EmploymentType.choices)


def dashboard_breakdown(*, user, filters: DashboardFilters, dimension: str) -> list[Row]:
    """One row per value of ``dimension`` (one grouped query over rollups or cells)."""
    column = CELL_COLUMNS[dimension]
    plan = _rollup_plan(user, filters, dimension)
    if plan:
        rows = [{column: _cell_key(dimension, r["rkey"]), **_as_values(r)}
                for r in rollup_sql.grouped([dimension], year=filters.year, key=plan[1])]
    else:
        rows = list(cells_for(user, filters).values(column).annotate(**_aggregates()).order_by())
    labels = _labels(dimension, [r[column] for r in rows])
    result = [_row(r[column], labels.get(r[column], _("(tidak diisi)")), r) for r in rows]
    return sorted(result, key=lambda row: (-(row.rate or 0), row.label, row.key))


def dashboard_trend(*, user, filters: DashboardFilters) -> list[Row]:
    """Compliance per year (the year filter is not applied)."""
    plan = _rollup_plan(user, filters, None)
    if plan:
        rows = sorted(rollup_sql.grouped([plan[0]], year=None, key=plan[1], by=("year",)), key=lambda r: r["year"])
        return [_row(r["year"], r["year"], _as_values(r)) for r in rows]
    qs = cells_for(user, filters, with_year=False)
    rows = qs.values("year").annotate(**_aggregates()).order_by("year")
    return [_row(r["year"], r["year"], r) for r in rows]


def dashboard_people(*, user, filters: DashboardFilters) -> QuerySet:
    """The people behind a figure (drill-down), least JP first."""
    return (subject_totals(user, filters)
            .select_related("person", "agency", "province", "position", "level")
            .order_by("approved_minutes", "person_id"))


def totals_years(user) -> list[int]:
    """The years with dashboard figures in ``user``'s scope (newest first)."""
    plan = _rollup_plan(user, DashboardFilters(year=0), None)
    if plan:
        return sorted({r["year"] for r in rollup_sql.grouped([plan[0]], year=None, key=plan[1], by=("year",))},
                      reverse=True)
    return sorted(set(cells_visible_to(user).values_list("year", flat=True).distinct().order_by()), reverse=True)


# --- a person's year --------------------------------------------------------------------------

def person_year(*, person, year: int):
    total = PersonYearTotal.objects.filter(person=person, year=year).first()
    entries = (LedgerEntry.objects.filter(person=person, year=year)
               .select_related("platform").order_by("-date", "-id"))
    return total, entries


def pending_entries(*, user) -> QuerySet:
    return (entries_visible_to(user).filter(status=LedgerEntry.Status.PENDING, voided_at__isnull=True)
            .select_related("person", "person__agency").order_by("created_at"))


# --- at risk ----------------------------------------------------------------------------------

def at_risk(*, user, filters: DashboardFilters) -> QuerySet:
    """People below their minimum in ``filters.year``, largest gap first."""
    return (subject_totals(user, filters).filter(compliant=False)
            .select_related("person", "person__region", "person__province", "person__position", "agency")
            .order_by("approved_minutes", "person_id"))


def _km(a_lat, a_lng, b_lat, b_lng) -> float:
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lng - a_lng)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


@dataclass
class Suggestion:
    event: object
    distance_km: float | None
    closes_gap: bool
    minutes: int


def open_events(today: dt.date) -> list:
    """Open events with free seats that have not started, with their targets prefetched."""
    from django.db.models import F

    from training.models import Event

    return list(Event.objects.filter(status=Event.Status.OPEN, start_date__gte=today,
                                     seats_taken__lt=F("seats"), start_date__year=today.year)
                .select_related("programme", "city").prefetch_related("programme__target_positions")
                .order_by("start_date")[:500])


def suggestions_for(total: PersonYearTotal, events: list, *, limit: int = 3,
                    near_km: float = 500.0) -> list[Suggestion]:
    """Events that target the person's position (or any), nearest first, preferring those whose
    JP would close the gap; online events count as near."""
    person = total.person
    place = person.region or person.province
    gap = total.gap_minutes
    found: list[Suggestion] = []
    for event in events:
        targets = {p.pk for p in event.programme.target_positions.all()}
        if targets and person.position_id not in targets:
            continue
        online = event.mode == "online"
        distance = None if (online or place is None) else _km(place.lat, place.lng, event.city.lat, event.city.lng)
        if distance is not None and distance > near_km and not online:
            continue
        found.append(Suggestion(event=event, distance_km=distance, closes_gap=event.programme.total_minutes >= gap,
                                minutes=event.programme.total_minutes))
    found.sort(key=lambda s: (not s.closes_gap, s.distance_km or 0.0, s.event.start_date))
    return found[:limit]
