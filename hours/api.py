"""JP ledger API: the same scoping, selectors and services as the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from accounts.access import require_role, sees_all_agencies
from hours import rules
from hours.access import DASHBOARD_ROLES, LEDGER_MANAGERS, entry_for_user
from hours.models import ConversionShare, JPRequirement
from hours.selectors import (
    DIMENSIONS,
    DashboardFilters,
    dashboard_breakdown,
    dashboard_summary,
    pending_entries,
    person_year,
)
from hours.services import entry_approve, entry_reject
from people.access import person_for_user

router = Router(tags=["hours"])


class EntryOut(Schema):
    id: int
    person_id: int
    year: int
    date: dt.date
    title: str
    entry_type: str
    source: str
    minutes: int
    credited_minutes: int
    status: str
    rejection_reason: str
    voided: bool


class PersonYearOut(Schema):
    person_id: int
    year: int
    approved_minutes: int
    pending_minutes: int
    required_minutes: int
    compliant: bool
    entries: list[EntryOut]


class RowOut(Schema):
    key: str
    label: str
    people: int
    compliant: int
    rate: float | None
    avg_jp: float
    buckets: list[int]


class DashboardOut(Schema):
    year: int
    by: str
    summary: RowOut
    rows: list[RowOut]


class DashboardQuery(Schema):
    year: int | None = None
    by: str = "agency"
    agency: int | None = None
    province: str = ""
    employment_type: str = ""


class ReasonIn(Schema):
    reason: str


class RuleOut(Schema):
    year: int
    key: str
    value: int
    legal_source: str
    needs_check: bool


class RulesOut(Schema):
    year: int
    minimum_minutes: list[RuleOut]
    conversion_percent: list[RuleOut]


def _entry_out(e) -> EntryOut:
    return EntryOut(id=e.pk, person_id=e.person_id, year=e.year, date=e.date, title=e.title,
                    entry_type=e.entry_type, source=e.source, minutes=e.minutes,
                    credited_minutes=e.credited_minutes, status=e.status, rejection_reason=e.rejection_reason,
                    voided=e.is_void)


def _row_out(r) -> RowOut:
    return RowOut(key=r.key, label=r.label, people=r.people, compliant=r.compliant, rate=r.rate,
                  avg_jp=round(r.avg_jp, 2), buckets=r.buckets)


@router.get("/people/{person_id}/years/{year}", response=PersonYearOut, summary="JP satu orang dalam satu tahun")
def hours_person_year(request, person_id: int, year: int):
    person = person_for_user(request.auth, person_id)
    total, entries = person_year(person=person, year=year)
    return PersonYearOut(
        person_id=person.pk, year=year, approved_minutes=total.approved_minutes if total else 0,
        pending_minutes=total.pending_minutes if total else 0,
        required_minutes=total.required_minutes if total else rules.required_minutes(year, person.employment_type),
        compliant=total.compliant if total else False, entries=[_entry_out(e) for e in entries],
    )


@router.get("/dashboard", response=DashboardOut, summary="Kepatuhan 20 JP per kelompok")
def hours_dashboard(request, query: Query[DashboardQuery]):
    require_role(request.auth, DASHBOARD_ROLES)
    user = request.auth
    by = query.by if query.by in DIMENSIONS else "agency"
    filters = DashboardFilters(year=query.year or rules.today_in("Asia/Jakarta").year,
                               agency=query.agency if sees_all_agencies(user) else user.agency_id,
                               province=query.province[:2], employment_type=query.employment_type)
    return DashboardOut(year=filters.year, by=by, summary=_row_out(dashboard_summary(user=user, filters=filters)),
                        rows=[_row_out(r) for r in dashboard_breakdown(user=user, filters=filters, dimension=by)])


@router.get("/entries/pending", response=list[EntryOut], summary="Catatan yang menunggu verifikasi")
def hours_pending_entries(request, limit: int = 100):
    require_role(request.auth, LEDGER_MANAGERS)
    return [_entry_out(e) for e in pending_entries(user=request.auth)[: max(1, min(limit, 500))]]


@router.post("/entries/{entry_id}/approve", response=EntryOut, summary="Setujui catatan")
def hours_approve_entry(request, entry_id: int):
    require_role(request.auth, LEDGER_MANAGERS)
    entry = entry_for_user(request.auth, entry_id)
    return _entry_out(entry_approve(entry=entry, by=request.auth))


@router.post("/entries/{entry_id}/reject", response=EntryOut, summary="Tolak catatan dengan alasan")
def hours_reject_entry(request, entry_id: int, payload: ReasonIn):
    require_role(request.auth, LEDGER_MANAGERS)
    entry = entry_for_user(request.auth, entry_id)
    return _entry_out(entry_reject(entry=entry, reason=payload.reason, by=request.auth))


@router.get("/rules", response=RulesOut, summary="Aturan JP satu tahun (dengan dasar hukum)")
def hours_rules(request, year: int | None = None):
    require_role(request.auth, DASHBOARD_ROLES)
    year = year or rules.today_in("Asia/Jakarta").year
    return RulesOut(
        year=year,
        minimum_minutes=[RuleOut(year=r.year, key=r.employment_type, value=r.minimum_minutes,
                                 legal_source=r.legal_source, needs_check=r.needs_check)
                         for r in JPRequirement.objects.filter(year=year)],
        conversion_percent=[RuleOut(year=r.year, key=r.entry_type, value=r.percent, legal_source=r.legal_source,
                                    needs_check=r.needs_check) for r in ConversionShare.objects.filter(year=year)],
    )
