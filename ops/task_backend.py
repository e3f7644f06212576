"""django-tasks-db's database backend with its task row written by one plain INSERT.

The stock backend creates the ``DBTaskResult`` with ``objects.create()``, compiling the INSERT on
every call; Siaga queues a task inside many hot transactions (every registration queues its status
e-mail, decision 0008), where that compilation is held under the write lock. Everything else —
the row, the worker, the signals — is the stock backend's."""

from __future__ import annotations

from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend as StockDatabaseBackend

from siaga.db.rows import insert_row


class DatabaseBackend(StockDatabaseBackend):
    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        return insert_row(DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        ))
