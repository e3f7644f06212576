"""Background work of training (django_tasks)."""

from __future__ import annotations

from django_tasks import task

from accounts.models import User

#: Events with more attending participants than this are finished in the background.
INLINE_FINISH_LIMIT = 300
BATCH = 200


@task()
def finish_event_task(event_id: int, user_id: int) -> dict:
    """Finish a big event in batches (each its own transaction), so its page shows progress.
    Idempotent: evaluated enrolments are skipped; an already finished event is left alone."""
    from training.models import Event
    from training.services_completion import event_finish

    by = User.objects.get(pk=user_id)
    totals = {"completed": 0, "not_completed": 0}
    while True:
        event = Event.objects.get(pk=event_id)
        if event.status != Event.Status.RUNNING:
            return totals | {"status": event.status}
        result = event_finish(event=event, by=by, limit=BATCH)
        totals["completed"] += result.completed
        totals["not_completed"] += result.not_completed
        if result.finished:
            return totals | {"status": result.event.status}


@task()
def enrolment_status_mail_task(enrolment_id: int) -> None:
    """Tell a participant their enrolment's new status (sent by a worker, so a slow or
    unreachable mail server never slows or fails the request that changed it)."""
    from training import notifications

    notifications.enrolment_status(enrolment_id=enrolment_id)
