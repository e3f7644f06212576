"""The enrolment status e-mail as an outbox on the enrolment row (decision 0014).

A service that changes an enrolment's status sets ``Enrolment.mail_pending`` in the same write (no
row of its own, so a registration in a rush is one INSERT lighter) and calls ``schedule()``. Once the
transaction commits, one sweep task (``enrolment_status_mails_task``) is queued to run a few seconds
later, unless one is already due: many changes, one task. The sweep mails every pending enrolment its
current status and clears the flag only where the status is still the one it mailed, so a change that
lands during the sweep is mailed by the next one. A mail is sent at least once (a worker killed between
sending and clearing sends it again), as the one-task-per-mail design did.

Nothing is lost if the process dies between the commit and the queueing: the flag stays set, and the
next sweep (any later change, or ``siaga worker`` at start) sends it."""

from __future__ import annotations

import datetime as dt
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from training.models import Enrolment

#: Seconds between a status change and the sweep that mails it (changes in between share the sweep).
MAIL_DELAY = 5
BATCH = 200
SCHEDULED_KEY = "training:status-mail-sweep"


def schedule() -> None:
    """Queue a sweep once the current transaction commits (at once outside one)."""
    transaction.on_commit(enqueue_sweep, robust=True)  # the change has committed: a failure only logs


_last_enqueued = -float("inf")  # this process's last queueing (time.monotonic())


def enqueue_sweep() -> None:
    """Queue the sweep ``MAIL_DELAY`` seconds from now unless one is already due: this process queued
    one less than ``MAIL_DELAY`` ago, or any process did (a cache key as the dedupe). Both expire a
    second before that task may start, so a change committed while either holds is seen by the task.
    A backend that cannot defer (the tests' immediate backend) runs the sweep now."""
    global _last_enqueued
    from training.tasks import enrolment_status_mails_task as task

    if not task.get_backend().supports_defer:
        task.enqueue()
        return
    now = time.monotonic()
    if now - _last_enqueued < MAIL_DELAY:
        return
    if cache.add(SCHEDULED_KEY, 1, timeout=MAIL_DELAY):  # else another process's sweep is due: ask next time
        task.using(run_after=timezone.now() + dt.timedelta(seconds=MAIL_DELAY + 1)).enqueue()
        _last_enqueued = now


def send_pending(*, batch: int = BATCH) -> int:
    """Mail every enrolment whose status mail is pending, in batches by id; returns the mails handled."""
    handled, after = 0, 0
    while True:
        ids = list(Enrolment.objects.filter(mail_pending=True, id__gt=after).order_by("id")
                   .values_list("id", flat=True)[:batch])
        if not ids:
            return handled
        after = ids[-1]
        handled += mail_and_clear(enrolment_ids=ids)


def mail_and_clear(*, enrolment_ids: list[int]) -> int:
    """Mail these enrolments their current status and clear each flag where the status is still the
    one mailed (a change since stays pending); returns how many were handled."""
    from training import notifications

    handled = 0
    for status, ids in notifications.enrolment_statuses(enrolment_ids=enrolment_ids).items():
        Enrolment.objects.filter(pk__in=ids, status=status, mail_pending=True).update(mail_pending=False)
        handled += len(ids)
    return handled


def sweep_if_pending() -> None:
    """Queue a sweep if any mail is pending (run by ``siaga worker`` at start: a process killed between
    a commit and its queueing leaves its flags set and nothing queued)."""
    if Enrolment.objects.filter(mail_pending=True).exists():
        enqueue_sweep()


__all__ = ["MAIL_DELAY", "enqueue_sweep", "mail_and_clear", "schedule", "send_pending", "sweep_if_pending"]
