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
def enrolment_status_mails_task() -> int:
    """Mail every participant whose enrolment status changed since the last sweep (the outbox of
    ``training.status_mail``; sent by a worker, so a slow or unreachable mail server never slows or
    fails the request that changed it). Returns how many enrolments it handled."""
    from training import status_mail

    return status_mail.send_pending()


@task()
def enrolment_status_mail_task(enrolment_id: int) -> None:
    """One enrolment's status mail: the task of releases before the outbox, kept so that the tasks
    queued before an upgrade still run. New changes are mailed by ``enrolment_status_mails_task``."""
    from training import status_mail

    status_mail.mail_and_clear(enrolment_ids=[enrolment_id])
