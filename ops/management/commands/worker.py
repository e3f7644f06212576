"""``siaga worker``: django-tasks-db's ``db_worker`` (same options) that first takes back its own
unfinished work.

With ``--worker-id ID`` (stable per worker slot, unique in the pool; the systemd unit uses
``%H-%i``) a worker that starts again after its process died (kill -9, out of memory, power loss)
puts the tasks its previous process had claimed and left "running" back in the queue, and runs them
again: every Siaga task is idempotent and resumes where its job's committed state says it stopped
(decision 0008). It then runs the apps' start hooks (``ops.worker_hooks``). Without ``--worker-id``
the id is random and nothing is re-queued."""

from __future__ import annotations

import logging

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from ops.worker_hooks import run_worker_start_hooks

log = logging.getLogger("siaga.worker")


def requeue_abandoned(*, worker_id: str, backend_name: str = "default") -> list[str]:
    """Put back in the queue the tasks ``worker_id`` claimed last and left running; returns their ids."""
    with exclusive_transaction(DBTaskResult.objects.db):
        running = (DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING, backend_name=backend_name).only("id", "worker_ids"))
        ids = [r.id for r in running if r.worker_ids and r.worker_ids[-1] == worker_id]
        if ids:
            DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None)
    return [str(i) for i in ids]


class Command(DBWorkerCommand):
    help = ("Run background tasks (django-tasks database queue). With --worker-id, first re-queue the "
            "tasks this worker's previous process left running.")

    def handle(self, *args, worker_id: str, backend_name: str, **options) -> None:
        for task_id in requeue_abandoned(worker_id=worker_id, backend_name=backend_name):
            log.warning("worker %s: re-queued task %s left running by its previous process", worker_id, task_id)
        run_worker_start_hooks()
        super().handle(*args, worker_id=worker_id, backend_name=backend_name, **options)
