"""Background work of imports (django-tasks). Each task is idempotent: it acts only on a run in the
status its service expects, so a task run twice (or after a crash) does no harm."""

from __future__ import annotations

from django_tasks import task

from imports import services


@task()
def check_import(run_id: int, user_id: int | None) -> str:
    run = services.import_run_check(run_id=run_id, by=services.actor_for(user_id))
    return run.status


@task()
def commit_import(run_id: int, user_id: int | None) -> str:
    run = services.import_run_commit(run_id=run_id, by=services.actor_for(user_id))
    return run.status
