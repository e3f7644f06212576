"""Completion: the one place that decides who completed a training.

``event_finish`` evaluates everyone still attending (in batches when ``limit`` is given, so the
background task can show progress) and moves the event to *finished* when nobody is left;
``enrolment_complete`` evaluates one enrolment. Every completed enrolment runs
``training.hooks.run_completion_handlers`` inside the same transaction (JP ledger, certificates)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from training import notifications
from training.access import require_manager
from training.hooks import run_completion_handlers
from training.models import Enrolment, Event
from training.services_event import event_minutes
from training.services_programme import programme_pass_mark

S = Enrolment.Status
#: Enrolments that are evaluated when the event finishes.
TO_EVALUATE = (S.CONFIRMED, S.ATTENDED)


@dataclass(frozen=True)
class Rule:
    minutes: int
    min_attendance_percent: int
    require_post_test: bool
    pass_mark: int

    @property
    def minutes_needed(self) -> int:
        return -(-self.minutes * self.min_attendance_percent // 100)


def rule_for(event: Event) -> Rule:
    programme = event.programme
    return Rule(minutes=event_minutes(event), min_attendance_percent=programme.min_attendance_percent,
                require_post_test=programme.require_post_test, pass_mark=programme_pass_mark(programme))


def not_completed_reasons(enrolment: Enrolment, rule: Rule) -> list[str]:
    """Why ``enrolment`` does not meet ``rule`` (empty: it completed)."""
    reasons = []
    if enrolment.attended_minutes < rule.minutes_needed:
        share = 100 * enrolment.attended_minutes // rule.minutes if rule.minutes else 0
        reasons.append(_("Kehadiran %(got)s %% JP, kurang dari %(need)s %%.")
                       % {"got": share, "need": rule.min_attendance_percent})
    if rule.require_post_test:
        if enrolment.post_test_score is None:
            reasons.append(_("Belum ada nilai post-test."))
        elif enrolment.post_test_score < rule.pass_mark:
            reasons.append(_("Nilai post-test %(got)s di bawah nilai lulus %(need)s.")
                           % {"got": enrolment.post_test_score, "need": rule.pass_mark})
    return reasons


def _evaluate(enrolment: Enrolment, rule: Rule, by) -> Enrolment:
    reasons = not_completed_reasons(enrolment, rule)
    if reasons:
        enrolment.status, enrolment.not_completed_reason = S.NOT_COMPLETED, " ".join(reasons)[:255]
        enrolment.completed_at = None
    else:
        enrolment.status, enrolment.not_completed_reason = S.COMPLETED, ""
        enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "not_completed_reason", "completed_at"])
    if enrolment.status == S.COMPLETED:
        run_completion_handlers(enrolment=enrolment, by=by)
    return enrolment


@transaction.atomic
def enrolment_complete(*, enrolment: Enrolment, by) -> Enrolment:
    """Evaluate one attending enrolment of a running event: completed or not completed (with why)."""
    require_manager(by)
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("event__programme", "person").get(
        pk=enrolment.pk)
    if enrolment.status not in TO_EVALUATE or enrolment.event.status != Event.Status.RUNNING:
        raise ValidationError(_("Hanya peserta angkatan yang sedang berlangsung yang dapat dinilai kelulusannya."))
    before = enrolment.status
    _evaluate(enrolment, rule_for(enrolment.event), by)
    audit_record(actor=by, action="enrolment.complete", target=enrolment, before={"status": before},
                 after={"status": enrolment.status, "reason": enrolment.not_completed_reason})
    ids = [enrolment.pk]
    transaction.on_commit(lambda: notifications.completion(enrolment_ids=ids))
    return enrolment


@dataclass(frozen=True)
class FinishResult:
    event: Event
    evaluated: int
    completed: int
    not_completed: int
    remaining: int

    @property
    def finished(self) -> bool:
        return self.event.status == Event.Status.FINISHED


@transaction.atomic
def event_finish(*, event: Event, by, limit: int | None = None) -> FinishResult:
    """running → finished, evaluating every attending enrolment against the completion rule.
    With ``limit``, evaluates at most that many and finishes only when none are left."""
    require_manager(by)
    event = Event.objects.select_for_update(of=("self",)).select_related("programme", "city").get(pk=event.pk)
    if event.status != Event.Status.RUNNING:
        raise ValidationError(_("Hanya angkatan yang sedang berlangsung yang dapat diselesaikan."))
    rule = rule_for(event)
    pending = Enrolment.objects.filter(event=event, status__in=TO_EVALUATE).select_related("person").order_by("id")
    batch = list(pending[:limit] if limit else pending)
    done = [_evaluate(e, rule, by) for e in batch]
    completed = sum(1 for e in done if e.status == S.COMPLETED)
    remaining = pending.count() if limit else 0
    if not remaining:
        event.status = Event.Status.FINISHED
        event.save(update_fields=["status"])
    audit_record(actor=by, action="event.finish" if not remaining else "event.finish_batch", target=event,
                 before={"status": Event.Status.RUNNING}, after={"status": event.status, "completed": completed,
                 "not_completed": len(done) - completed, "remaining": remaining})
    ids = [e.pk for e in done]
    transaction.on_commit(lambda: notifications.completion(enrolment_ids=ids))
    return FinishResult(event=event, evaluated=len(done), completed=completed, not_completed=len(done) - completed,
                        remaining=remaining)


def finish_progress(event: Event) -> tuple[int, int]:
    """(evaluated, total) of an event being finished, for the progress bar."""
    counts = dict.fromkeys(S.values, 0)
    for status, n in _status_counts(event):
        counts[status] = n
    total = counts[S.CONFIRMED] + counts[S.ATTENDED] + counts[S.COMPLETED] + counts[S.NOT_COMPLETED]
    return counts[S.COMPLETED] + counts[S.NOT_COMPLETED], total


def _status_counts(event: Event):
    from django.db.models import Count

    return Enrolment.objects.filter(event=event).values_list("status").annotate(n=Count("id")).order_by()
