"""Crash-safe background jobs (decision 0008): a job's state and its task row are written in one
transaction, so a crash never leaves a job without a task or a task without its job.

With the django-tasks database backend (production and ``dev.py demo``) the task row lives in Siaga's
own database: enqueued inside the caller's transaction, it commits or rolls back with the job's rows,
and a worker cannot see it before the commit. Any other backend (the immediate backend of the test
suite) keeps the earlier behaviour: the task is enqueued once the transaction has committed."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, router, transaction


def queued_in_database(task) -> bool:
    """Whether ``task``'s backend keeps its queue in the default database (django-tasks-db)."""
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the app is always installed
        return False
    return (isinstance(task.get_backend(), DatabaseBackend)
            and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS)


def enqueue_with_job(task, *args, **kwargs) -> None:
    """Enqueue ``task`` as part of the current transaction (call it inside the transaction that writes
    the job's state): now when the queue is in the database, otherwise on commit."""
    if queued_in_database(task) and transaction.get_connection().in_atomic_block:
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


__all__ = ["enqueue_with_job", "queued_in_database"]
