"""Crash-safe jobs (decision 0008): task rows in the job's transaction, a restarted worker takes back
what its killed process left running, pause points cost nothing when unset. The kill -9 tests
themselves are imports/tests/test_kill_commit.py, credentials/tests/test_kill_bulk.py and
hours/tests/test_kill_recompute.py."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from hours.tasks import ensure_year_totals
from ops import faults, jobs
from ops.management.commands.worker import requeue_abandoned

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Boom(Exception):
    pass


def test_with_the_database_queue_the_task_row_commits_or_rolls_back_with_the_job(db, settings):
    settings.TASKS = DATABASE_QUEUE
    assert jobs.queued_in_database(ensure_year_totals)
    with pytest.raises(Boom), transaction.atomic():
        jobs.enqueue_with_job(ensure_year_totals, 2026)
        assert DBTaskResult.objects.count() == 1  # written at once, in the transaction
        raise Boom
    assert not DBTaskResult.objects.exists()
    with transaction.atomic():
        jobs.enqueue_with_job(ensure_year_totals, 2026)
    assert DBTaskResult.objects.get().status == "READY"


def test_with_another_backend_the_task_is_enqueued_on_commit_as_before(db, django_capture_on_commit_callbacks):
    assert not jobs.queued_in_database(ensure_year_totals)  # the test suite's immediate backend
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        jobs.enqueue_with_job(ensure_year_totals, 2026)
    assert len(callbacks) == 1


def _task(status: str, *worker_ids: str) -> DBTaskResult:
    return DBTaskResult.objects.create(args_kwargs={"args": [2026], "kwargs": {}}, status=status,
                                       task_path="hours.tasks.ensure_year_totals", backend_name="default",
                                       run_after="9999-01-01T00:00:00Z", worker_ids=list(worker_ids))


def test_a_restarted_worker_requeues_only_what_its_previous_process_left_running(db):
    mine = _task("RUNNING", "host-1")
    retried_elsewhere = _task("RUNNING", "host-1", "host-2")  # taken over by another worker since
    other = _task("RUNNING", "host-2")
    finished = _task("SUCCESSFUL", "host-1")
    assert requeue_abandoned(worker_id="host-1") == [str(mine.pk)]
    assert DBTaskResult.objects.get(pk=mine.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=mine.pk).worker_ids == ["host-1"]
    for row in (retried_elsewhere, other):
        assert DBTaskResult.objects.get(pk=row.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=finished.pk).status == "SUCCESSFUL"
    assert requeue_abandoned(worker_id="host-1") == []


def test_pause_points_do_nothing_unless_asked_for(monkeypatch):
    faults.pause("imports.commit.chunk_written")  # unset: returns at once
    monkeypatch.setattr(faults, "_POINT", "elsewhere")
    faults.pause("imports.commit.chunk_written")


def test_pause_points_are_ignored_in_production(monkeypatch):
    monkeypatch.setenv("SIAGA_FAULT_PAUSE", "imports.commit.chunk_written@2")
    assert faults._wanted() == ("imports.commit.chunk_written", 2)
    monkeypatch.setenv("SIAGA_PRODUCTION", "true")
    assert faults._wanted() == ("", 0)
