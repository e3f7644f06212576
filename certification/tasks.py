"""Background tasks of certification (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from certification.reminders import send_expiry_reminders


@task()
def send_expiry_reminders_task() -> dict:
    """Daily: expiry reminders at 90, 60 and 30 days (idempotent; see ``certification.reminders``)."""
    run = send_expiry_reminders()
    return {"checked": run.checked, "sent": run.sent}
