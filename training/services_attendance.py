"""Attendance per session (ticked by the organiser or by the session QR) and test scores."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_role
from accounts.audit import audit_record
from training import qr
from training.access import ATTENDANCE_TAKERS, require_manager
from training.models import Attendance, Enrolment, Event, EventSession
from training.services_enrolment import enrolment_mark_attended

S = Enrolment.Status
#: Enrolments whose attendance may be recorded.
ATTENDING = (S.CONFIRMED, S.ATTENDED)
#: A QR check-in this long after the session starts counts as late.
LATE_AFTER_MINUTES = 15


def _recompute_minutes(enrolment_ids: Iterable[int]) -> None:
    for enrolment_id in enrolment_ids:
        jp = (Attendance.objects.filter(enrolment_id=enrolment_id, status__in=Attendance.COUNTED)
              .aggregate(jp=Sum("session__jp"))["jp"] or 0)
        Enrolment.objects.filter(pk=enrolment_id).update(attended_minutes=jp * 45)


def _check_open(session: EventSession) -> None:
    if session.event.status not in (Event.Status.OPEN, Event.Status.RUNNING):
        raise ValidationError(_("Kehadiran hanya dicatat saat angkatan dibuka atau berlangsung."))


def _record(*, session: EventSession, enrolment: Enrolment, status: str, method: str, by) -> Attendance:
    attendance, _created = Attendance.objects.update_or_create(
        enrolment=enrolment, session=session,
        defaults={"status": status, "method": method, "recorded_at": timezone.now(),
                  "recorded_by": by if getattr(by, "pk", None) else None},
    )
    if status in Attendance.COUNTED:
        enrolment_mark_attended(enrolment)
    return attendance


@transaction.atomic
def attendance_mark(*, session: EventSession, marks: dict[int, str], by) -> int:
    """The organiser's list: ``marks`` maps enrolment id → present/late/excused/absent."""
    require_role(by, ATTENDANCE_TAKERS)
    _check_open(session)
    bad = {v for v in marks.values() if v not in Attendance.Status.values}
    if bad:
        raise ValidationError(_("Status kehadiran tidak dikenal: %(v)s.") % {"v": ", ".join(sorted(bad))})
    enrolments = {e.pk: e for e in Enrolment.objects.filter(event=session.event, pk__in=list(marks),
                                                             status__in=ATTENDING)}
    missing = set(marks) - set(enrolments)
    if missing:
        raise ValidationError(_("Sebagian peserta tidak terdaftar (terkonfirmasi) di angkatan ini."))
    before = dict(Attendance.objects.filter(session=session, enrolment_id__in=list(marks))
                  .values_list("enrolment_id", "status"))
    for enrolment_id, status in marks.items():
        _record(session=session, enrolment=enrolments[enrolment_id], status=status, method=Attendance.Method.LIST,
                by=by)
    _recompute_minutes(marks)
    audit_record(actor=by, action="attendance.mark", target=session.event, before={"session": session.pk,
                 "marks": before}, after={"session": session.pk, "marks": marks})
    return len(marks)


@dataclass
class CheckIn:
    attendance: Attendance
    already: bool


@transaction.atomic
def attendance_check_in(*, session: EventSession, code: str, by, timestamp: float | None = None) -> CheckIn:
    """A participant checks in with the rotating session code (current or previous window)."""
    if not qr.code_is_valid(session.pk, code, timestamp):
        raise ValidationError(_("Kode QR sudah kedaluwarsa atau bukan untuk sesi ini. Pindai ulang kode di layar."),
                              code="qr_invalid")
    _check_open(session)
    person_id = getattr(by, "person_id", None)
    enrolment = Enrolment.objects.filter(event=session.event, person_id=person_id, status__in=ATTENDING).first()
    if not person_id or enrolment is None:
        raise PermissionDenied(_("Anda tidak terdaftar (terkonfirmasi) di angkatan ini."))
    existing = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    if existing is not None and existing.status in Attendance.COUNTED:
        return CheckIn(attendance=existing, already=True)
    late = timezone.now() > session.starts_at + timezone.timedelta(minutes=LATE_AFTER_MINUTES)
    status = Attendance.Status.LATE if late else Attendance.Status.PRESENT
    attendance = _record(session=session, enrolment=enrolment, status=status, method=Attendance.Method.QR, by=by)
    _recompute_minutes([enrolment.pk])
    audit_record(actor=by, action="attendance.check_in", target=session.event,
                 after={"session": session.pk, "enrolment": enrolment.pk, "status": status})
    return CheckIn(attendance=attendance, already=False)


@transaction.atomic
def scores_record(*, event: Event, scores: dict[int, tuple[int | None, int | None]], by) -> int:
    """Pre-/post-test scores: ``scores`` maps enrolment id → (pre, post); None leaves a score as is."""
    require_manager(by)
    if event.status in (Event.Status.FINISHED, Event.Status.CANCELLED):
        raise ValidationError(_("Nilai angkatan yang sudah selesai tidak dapat diubah."))
    for pre, post in scores.values():
        for value in (pre, post):
            if value is not None and not 0 <= value <= 100:
                raise ValidationError(_("Nilai harus antara 0 dan 100."))
    enrolments = {e.pk: e for e in Enrolment.objects.filter(event=event, pk__in=list(scores), status__in=ATTENDING)}
    if set(scores) - set(enrolments):
        raise ValidationError(_("Sebagian peserta tidak terdaftar (terkonfirmasi) di angkatan ini."))
    before, after = {}, {}
    for enrolment_id, (pre, post) in scores.items():
        enrolment = enrolments[enrolment_id]
        before[enrolment_id] = [enrolment.pre_test_score, enrolment.post_test_score]
        if pre is not None:
            enrolment.pre_test_score = pre
        if post is not None:
            enrolment.post_test_score = post
        enrolment.save(update_fields=["pre_test_score", "post_test_score"])
        after[enrolment_id] = [enrolment.pre_test_score, enrolment.post_test_score]
    audit_record(actor=by, action="enrolment.scores", target=event, before=before, after=after)
    return len(scores)
