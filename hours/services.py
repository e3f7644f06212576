"""State changes of the JP ledger. Every change of an entry updates its PersonYearTotal
in the same transaction (row locked with ``select_for_update``), writes one audit row,
and nothing is deleted: entries are voided with a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record, snapshot
from accounts.models import User
from hours import cells, rules
from hours.access import require_add_for, require_manage, require_rule_editor
from hours.models import ConversionShare, EntryType, JPRequirement, LedgerEntry, PersonYearTotal
from ops.jobs import enqueue_with_job
from people.models import EmploymentType, Person
from web.uploads import check_upload

EVIDENCE_KINDS = {"pdf", "png", "jpeg"}
MAX_ENTRY_MINUTES = 45 * 200  # 200 JP in one entry is already a degree programme
#: A rule change touching more people than this is recomputed in a background task.
INLINE_RECOMPUTE_LIMIT = 2000


def _user(by) -> User | None:
    return by if isinstance(by, User) else None


_SNAPSHOT_FIELDS = [f.name for f in LedgerEntry._meta.concrete_fields if f.name != "evidence"]


def _snap(entry: LedgerEntry) -> dict:
    """The audit snapshot of an entry (an empty FileField is recorded as None)."""
    return {**snapshot(entry, fields=_SNAPSHOT_FIELDS), "evidence": entry.evidence.name or None}


# --- totals ---------------------------------------------------------------------------------

def contribution(*, status: str, credited_minutes: int, voided: bool) -> tuple[int, int]:
    """(approved, pending) minutes an entry adds to its year's total."""
    if voided:
        return 0, 0
    if status == LedgerEntry.Status.APPROVED:
        return credited_minutes, 0
    if status == LedgerEntry.Status.PENDING:
        return 0, credited_minutes
    return 0, 0


def _entry_contribution(entry: LedgerEntry) -> tuple[int, int]:
    return contribution(status=entry.status, credited_minutes=entry.credited_minutes, voided=entry.is_void)


#: The person's attributes copied onto each year total (same names on both models) for the dashboards.
DIMENSIONS = ("agency_id", "province_id", "position_id", "level_id", "employment_type")


def dimensions(person: Person) -> dict:
    return {name: getattr(person, name) for name in DIMENSIONS}


def _locked_total(person: Person, year: int) -> PersonYearTotal:
    total = PersonYearTotal.objects.select_for_update().filter(person=person, year=year).first()
    if total is not None:
        return total
    try:
        with transaction.atomic():
            required = rules.required_minutes(year, person.employment_type)
            total = PersonYearTotal.objects.create(person=person, year=year, required_minutes=required,
                                                   compliant=required == 0, **dimensions(person))
            cells.shift(None, cells.state_of(total))
            return total
    except IntegrityError:  # created by a concurrent writer meanwhile
        return PersonYearTotal.objects.select_for_update().get(person=person, year=year)


def _apply(person: Person, year: int, approved: int, pending: int) -> PersonYearTotal:
    total = _locked_total(person, year)
    before = cells.state_of(total)
    total.approved_minutes = max(0, total.approved_minutes + approved)
    total.pending_minutes = max(0, total.pending_minutes + pending)
    for key, value in dimensions(person).items():
        setattr(total, key, value)
    total.compliant = total.approved_minutes >= total.required_minutes
    total.save(update_fields=["approved_minutes", "pending_minutes", "compliant", "agency", "province",
                              "position", "level", "employment_type"])
    cells.shift(before, cells.state_of(total))
    return total


def _apply_change(entry: LedgerEntry, before: tuple[int, int]) -> None:
    after = _entry_contribution(entry)
    if after != before:
        _apply(entry.person, entry.year, after[0] - before[0], after[1] - before[1])
    else:
        _locked_total(entry.person, entry.year)  # the row exists for every year with an entry


# --- entries ----------------------------------------------------------------------------------

@dataclass
class ExternalInput:
    date: dt.date
    minutes: int
    entry_type: str
    title: str
    organiser: str = ""
    location: str = ""
    certificate_number: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None


def _check_evidence(evidence) -> None:
    if evidence is None:
        raise ValidationError({"evidence": [_("Lampirkan bukti (sertifikat atau surat keterangan) PDF, PNG atau "
                                              "JPEG.")]})
    try:
        check_upload(evidence, allowed=EVIDENCE_KINDS)
    except ValidationError as exc:
        raise ValidationError({"evidence": exc.messages}) from exc


def _new_entry(*, person: Person, year: int, status: str, by, **fields) -> LedgerEntry:
    entry = LedgerEntry(person=person, year=year, status=status, created_by=_user(by), **fields)
    if not 0 < entry.minutes <= MAX_ENTRY_MINUTES:
        raise ValidationError({"minutes": [_("Durasi harus antara 1 menit dan %(max)d JP.")
                                           % {"max": MAX_ENTRY_MINUTES // 45}]})
    entry.credited_minutes = rules.credited(entry.minutes, rules.share_percent(year, entry.entry_type))
    entry.full_clean(exclude=["evidence"])
    entry.save()
    _apply_change(entry, (0, 0))
    return entry


@transaction.atomic
def entry_add_external(*, person: Person, data: ExternalInput, evidence, by) -> LedgerEntry:
    """External learning with its evidence, waiting for the agency admin's decision."""
    require_add_for(by, person)
    _check_evidence(evidence)
    if data.date > rules.today_in(person.time_zone):
        raise ValidationError({"date": [_("Tanggal tidak boleh di masa depan.")]})
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ValidationError({"end_date": [_("Tanggal selesai sebelum tanggal mulai.")]})
    if data.entry_type not in EntryType.values:
        raise ValidationError({"entry_type": [_("Jenis kegiatan tidak dikenal.")]})
    entry = _new_entry(
        person=person, year=data.date.year, status=LedgerEntry.Status.PENDING, by=by,
        source=LedgerEntry.Source.EXTERNAL, date=data.date, minutes=data.minutes, entry_type=data.entry_type,
        title=data.title.strip(), organiser=data.organiser.strip(), location=data.location.strip(),
        certificate_number=data.certificate_number.strip(), start_date=data.start_date or data.date,
        end_date=data.end_date or data.date, evidence=evidence,
    )
    audit_record(actor=by, action="hours.entry_add", target=entry, after=_snap(entry))
    return entry


_DELIVERY_TYPES = {"classroom": EntryType.CLASSROOM, "elearning": EntryType.ELEARNING,
                   "non_classroom": EntryType.DISTANCE, "blended": EntryType.CLASSROOM}


def entry_record_completion(*, enrolment, by) -> LedgerEntry | None:
    """The completion handler: a completed enrolment writes one approved entry, in the
    completion's transaction. Minutes: the programme's ``total_minutes`` (the JP the
    certificate states), or the attended minutes when the programme has none (see ADR 0004).
    Running it twice for the same enrolment writes nothing new."""
    if LedgerEntry.objects.filter(enrolment=enrolment, voided_at__isnull=True).exists():
        return None
    event = enrolment.event
    programme = event.programme
    person = enrolment.person
    minutes = programme.total_minutes or enrolment.attended_minutes
    if not minutes:
        return None
    when = enrolment.completed_at or event.end_date
    year, day = rules.year_of(when, person.time_zone)
    with transaction.atomic():
        entry = _new_entry(
            person=person, year=year, status=LedgerEntry.Status.APPROVED, by=by,
            source=LedgerEntry.Source.EVENT, date=day, minutes=minutes,
            entry_type=_DELIVERY_TYPES.get(programme.delivery, EntryType.CLASSROOM),
            title=programme.title[:250], organiser="Pusbangprof Kemensos", location=str(event.city)[:200],
            start_date=event.start_date, end_date=event.end_date, enrolment=enrolment,
            decided_at=timezone.now(),
        )
        audit_record(actor=by, action="hours.entry_from_completion", target=entry, after=_snap(entry))
    return entry


def entry_record_statement(*, person: Person, platform, statement_id, title: str, minutes: int,
                           when: dt.datetime, entry_type: str = EntryType.ELEARNING, by=None) -> LedgerEntry:
    """An xAPI ``completed``/``passed`` statement; the caller holds the batch transaction."""
    year, day = rules.year_of(when, person.time_zone)
    entry = _new_entry(
        person=person, year=year, status=LedgerEntry.Status.APPROVED, by=by,
        source=LedgerEntry.Source.PLATFORM, date=day, minutes=minutes, entry_type=entry_type,
        title=title[:250], organiser=platform.name[:200], location=_("Daring"), start_date=day, end_date=day,
        platform=platform, statement_id=statement_id, decided_at=timezone.now(),
    )
    audit_record(actor=by, action="hours.entry_from_xapi", target=entry, after=_snap(entry),
                 note=f"platform={platform.code} statement={statement_id}")
    return entry


def _lock(entry: LedgerEntry) -> LedgerEntry:
    return LedgerEntry.objects.select_for_update(of=("self",)).select_related("person").get(pk=entry.pk)


@transaction.atomic
def entry_approve(*, entry: LedgerEntry, by) -> LedgerEntry:
    entry = _lock(entry)
    require_manage(by, entry.person)
    if entry.is_void or entry.status != LedgerEntry.Status.PENDING:
        raise ValidationError(_("Hanya catatan yang menunggu verifikasi yang dapat disetujui."))
    before_snap, before = _snap(entry), _entry_contribution(entry)
    entry.status = LedgerEntry.Status.APPROVED
    entry.decided_by, entry.decided_at = _user(by), timezone.now()
    entry.save(update_fields=["status", "decided_by", "decided_at"])
    _apply_change(entry, before)
    audit_record(actor=by, action="hours.entry_approve", target=entry, before=before_snap, after=_snap(entry))
    return entry


@transaction.atomic
def entry_reject(*, entry: LedgerEntry, reason: str, by) -> LedgerEntry:
    entry = _lock(entry)
    require_manage(by, entry.person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan penolakan agar pengaju tahu apa yang kurang.")]})
    if entry.is_void or entry.status != LedgerEntry.Status.PENDING:
        raise ValidationError(_("Hanya catatan yang menunggu verifikasi yang dapat ditolak."))
    before_snap, before = _snap(entry), _entry_contribution(entry)
    entry.status = LedgerEntry.Status.REJECTED
    entry.rejection_reason = reason[:500]
    entry.decided_by, entry.decided_at = _user(by), timezone.now()
    entry.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    _apply_change(entry, before)
    audit_record(actor=by, action="hours.entry_reject", target=entry, before=before_snap, after=_snap(entry))
    return entry


@transaction.atomic
def entry_void(*, entry: LedgerEntry, reason: str, by) -> LedgerEntry:
    """Take an entry out of the totals; it stays in the ledger for the auditor."""
    entry = _lock(entry)
    require_manage(by, entry.person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan pembatalan.")]})
    if entry.is_void:
        raise ValidationError(_("Catatan ini sudah dibatalkan."))
    before_snap, before = _snap(entry), _entry_contribution(entry)
    entry.voided_at, entry.void_reason, entry.voided_by = timezone.now(), reason[:500], _user(by)
    entry.save(update_fields=["voided_at", "void_reason", "voided_by"])
    _apply_change(entry, before)
    audit_record(actor=by, action="hours.entry_void", target=entry, before=before_snap, after=_snap(entry))
    return entry


# --- rebuilding totals from the ledger --------------------------------------------------------

def ledger_sums(*, year: int, person_ids=None) -> dict[int, tuple[int, int]]:
    """(approved, pending) credited minutes per person for ``year``, summed from the ledger."""
    qs = LedgerEntry.objects.filter(year=year, voided_at__isnull=True)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    rows = qs.values("person_id").annotate(
        a=Sum("credited_minutes", filter=Q(status=LedgerEntry.Status.APPROVED)),
        p=Sum("credited_minutes", filter=Q(status=LedgerEntry.Status.PENDING)),
    ).order_by()
    return {r["person_id"]: (r["a"] or 0, r["p"] or 0) for r in rows}


def totals_rebuild(*, year: int, person_ids) -> int:
    """Recompute credited minutes and totals of ``person_ids`` in ``year``; returns rows changed."""
    person_ids = list(person_ids)
    changed = 0
    with transaction.atomic():
        for etype in EntryType.values:
            pct = rules.share_percent(year, etype)
            (LedgerEntry.objects.filter(year=year, entry_type=etype, person_id__in=person_ids)
             .update(credited_minutes=F("minutes") * pct / 100))
        sums = ledger_sums(year=year, person_ids=person_ids)
        people = Person.objects.in_bulk(person_ids)
        for person_id in person_ids:
            person = people.get(person_id)
            if person is None:
                continue
            approved, pending = sums.get(person_id, (0, 0))
            total = PersonYearTotal.objects.select_for_update().filter(person_id=person_id, year=year).first()
            if total is None:
                if person_id not in sums:
                    continue
                total = PersonYearTotal(person=person, year=year)
            required = rules.required_minutes(year, person.employment_type)
            want = {"approved_minutes": approved, "pending_minutes": pending, "required_minutes": required,
                    "compliant": approved >= required, **dimensions(person)}
            if total.pk and all(getattr(total, k) == v for k, v in want.items()):
                continue
            before = cells.state_of(total) if total.pk else None
            for key, value in want.items():
                setattr(total, key, value)
            total.save()
            cells.shift(before, cells.state_of(total))
            changed += 1
    return changed


def totals_ensure_year(*, year: int) -> int:
    """Create zero totals for active people without a row for ``year`` (so dashboards count
    people who have learnt nothing yet). Returns rows created. One ``INSERT … SELECT`` in the
    database (a million people at a year's start, or the 1M demo, without a model instance each);
    the dashboard cells of the year are rebuilt after it."""
    required = {et: rules.required_minutes(year, et) for et in EmploymentType.values}
    whens = " ".join(["WHEN %s THEN %s"] * len(required))
    sql = (f"INSERT INTO {PersonYearTotal._meta.db_table} (person_id, year, approved_minutes, pending_minutes, "  # noqa: S608 - model metadata, placeholders
           f"required_minutes, compliant, {', '.join(DIMENSIONS)}) "
           f"SELECT p.id, %s, 0, 0, CASE p.employment_type {whens} END, CASE p.employment_type {whens} END, "
           f"{', '.join(f'p.{name}' for name in DIMENSIONS)} "
           f"FROM {Person._meta.db_table} p WHERE p.is_active AND NOT EXISTS "
           f"(SELECT 1 FROM {PersonYearTotal._meta.db_table} t WHERE t.person_id = p.id AND t.year = %s) "
           "ON CONFLICT (person_id, year) DO NOTHING")
    params = [year, *[v for et, m in required.items() for v in (et, m)],
              *[v for et, m in required.items() for v in (et, m == 0)], year]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        created = max(cursor.rowcount, 0)
    if created:
        cells.rebuild_year(year)
    return created


# --- rules ----------------------------------------------------------------------------------

def _ledger_years() -> set[int]:
    years = set(PersonYearTotal.objects.values_list("year", flat=True).distinct())
    return years | set(LedgerEntry.objects.values_list("year", flat=True).distinct())


def _start_recompute(*, year: int, entry_type: str = "", employment_type: str = ""):
    from hours.models import RuleRecompute
    from hours.tasks import recompute_after_rule_change, run_recompute

    if entry_type:
        years = rules.governed_years(ConversionShare, year=year, key={"entry_type": entry_type},
                                     years=_ledger_years())
        affected = (LedgerEntry.objects.filter(year__in=years, entry_type=entry_type)
                    .values("person_id").distinct().count())
    else:
        years = rules.governed_years(JPRequirement, year=year, key={"employment_type": employment_type},
                                     years=_ledger_years())
        affected = PersonYearTotal.objects.filter(year__in=years, employment_type=employment_type).count()
    job = RuleRecompute.objects.create(year=year, entry_type=entry_type, employment_type=employment_type,
                                       total=affected)
    if affected <= INLINE_RECOMPUTE_LIMIT:
        run_recompute(job.pk)
        job.refresh_from_db()
    else:
        enqueue_with_job(recompute_after_rule_change, job.pk)  # committed with the job (decision 0008)
    return job


@transaction.atomic
def requirement_set(*, year: int, employment_type: str, minimum_minutes: int, legal_source: str,
                    needs_check: bool, by):
    """Set the minimum for one year and employment type; totals it governs are recomputed."""
    require_rule_editor(by)
    row = JPRequirement.objects.filter(year=year, employment_type=employment_type).first()
    before = snapshot(row) if row else None
    row = row or JPRequirement(year=year, employment_type=employment_type)
    row.minimum_minutes, row.legal_source, row.needs_check = minimum_minutes, legal_source.strip(), needs_check
    row.updated_at = timezone.now()
    row.full_clean()
    row.save()
    audit_record(actor=by, action="hours.requirement_set", target=row, before=before, after=snapshot(row))
    return row, _start_recompute(year=year, employment_type=employment_type)


@transaction.atomic
def share_set(*, year: int, entry_type: str, percent: int, legal_source: str, needs_check: bool, by):
    """Set how much of a type counts in a year; entries and totals it governs are recomputed."""
    require_rule_editor(by)
    row = ConversionShare.objects.filter(year=year, entry_type=entry_type).first()
    before = snapshot(row) if row else None
    row = row or ConversionShare(year=year, entry_type=entry_type)
    row.percent, row.legal_source, row.needs_check = percent, legal_source.strip(), needs_check
    row.updated_at = timezone.now()
    row.full_clean()
    row.save()
    audit_record(actor=by, action="hours.share_set", target=row, before=before, after=snapshot(row))
    return row, _start_recompute(year=year, entry_type=entry_type)


def recompute_required(*, years: list[int], employment_type: str) -> int:
    """One UPDATE per year: new minimum and compliant flag (approved minutes are unchanged)."""
    n = 0
    for year in years:
        required = rules.required_minutes(year, employment_type)
        n += PersonYearTotal.objects.filter(year=year, employment_type=employment_type).update(
            required_minutes=required,
            compliant=Case(When(approved_minutes__gte=required, then=Value(True)), default=Value(False)),
        )
        cells.rebuild_year(year)
    return n
