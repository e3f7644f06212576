"""kill -9 of the worker during an import's commit and its background check (issue 10, point 8;
decision 0008).

A real ``siaga worker`` process commits a checked run and is killed with SIGKILL while a chunk is
written but not committed. Nothing is half-written: "all or nothing" has kept nothing, "valid rows
only" has kept whole chunks with their checkpoint. The worker started again with the same
``--worker-id`` re-queues the task and finishes the run with exactly the file's rows, no duplicates.
A background check killed half-way leaves the run "checking"; run again, it records each finding once."""

import pytest

from ops.testing import kill_at, live_database, run_step

ROWS = 23  # 22 new people and one already in the registry (the last row); chunks of 5

SCRIPT = """
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from accounts.models import AuditLog
from imports import pipeline, services
from imports.models import ImportIssue, ImportRun
from imports.tests import samples
from people.models import Agency, Person, PersonSearchToken
from siaga.testing import SYSTEM, make_nip, make_person
import datetime as dt

pipeline.CHUNK = 5
born = dt.date(1985, 3, 14)
if step == "setup":
    existing = make_person(full_name="Nama Lama", born=born, nip=make_nip(born=born, serial=9000))
    rows = [[i, f"Pegawai Uji {i}", make_nip(born=born, serial=9000 + i), "L", "14/03/1985",
             "Pekerja Sosial Ahli Muda", "", "Bidang Rehabilitasi", "Jabar", "Kota Bandung", "", ""]
            for i in range(1, 23)]
    rows.append([23, "Nama Baru", existing.nip, "L", "14/03/1985", "Pekerja Sosial Ahli Muda", "",
                 "Bidang Rehabilitasi", "Jabar", "Kota Bandung", "", ""])
    if sys.argv[2] == "check":  # a few rows with a wrong NIP; the check in the background
        for row in rows[3::4]:
            row[2] = "12345"
        services.INLINE_CHECK_BYTES = 0
    upload = SimpleUploadedFile("peserta.csv", samples.csv_bytes(rows, delimiter=";"), content_type="text/csv")
    run = services.import_run_create(by=SYSTEM, upload=upload, agency=Agency.objects.get(code="kemensos"))
    run = services.import_run_start_check(run=run, by=SYSTEM)
    if sys.argv[2] == "check":
        state(run=run.pk, status=run.status, tasks=DBTaskResult.objects.count())
        sys.exit(0)
    assert run.status == ImportRun.Status.CHECKED and run.rows_error == 0, (run.status, run.message)
    run = services.import_run_start_commit(run=run, by=SYSTEM, mode=sys.argv[2])
    state(run=run.pk, status=run.status, tasks=DBTaskResult.objects.count())
elif step == "worker":
    worker(sys.argv[2])
else:
    run = ImportRun.objects.get()
    people = Person.objects.filter(nip__startswith="19850314")
    state(status=run.status, checkpoint=run.checkpoint_row, created=run.created_count,
          updated=run.updated_count, rows=[run.rows_new, run.rows_update, run.rows_unchanged, run.rows_error],
          people=people.count(), nips=people.values("nip").distinct().count(),
          renamed=people.filter(full_name="Nama Baru").count(),
          duplicate_tokens=PersonSearchToken.objects.values("person", "token").annotate(n=Count("id"))
          .filter(n__gt=1).count(),
          audits=AuditLog.objects.filter(action="import.people").count(),
          issues=list(ImportIssue.objects.filter(run=run).values_list("row", "level")),
          tasks=sorted((t.status, len(t.worker_ids)) for t in DBTaskResult.objects.all()))
"""


@pytest.mark.parametrize("mode", ["valid_only", "all_or_nothing"])
def test_a_killed_commit_leaves_nothing_half_written_and_a_restart_finishes_it(transactional_db, tmp_path, mode):
    db = live_database(tmp_path)
    started = run_step(db, SCRIPT, "setup", mode)
    assert started["status"] == "committing" and started["tasks"] == 1  # the task row came with the status

    kill_at(db, SCRIPT, "worker", "w1", point="imports.commit.chunk_written@2")
    after_kill = run_step(db, SCRIPT, "state")
    assert after_kill["status"] == "committing" and after_kill["audits"] == 0
    assert [tuple(t) for t in after_kill["tasks"]] == [("RUNNING", 1)]  # left running by the killed worker
    assert after_kill["renamed"] == 0 and after_kill["duplicate_tokens"] == 0
    if mode == "valid_only":
        # The first chunk (5 rows) and its checkpoint committed together; the second is gone entirely.
        assert after_kill["people"] == 1 + 5 and after_kill["created"] == 5 and after_kill["checkpoint"] > 0
    else:
        assert after_kill["people"] == 1 and after_kill["created"] == 0 and after_kill["checkpoint"] == 0

    run_step(db, SCRIPT, "worker", "w1")  # the same worker id: it re-queues and resumes the killed task
    done = run_step(db, SCRIPT, "state")
    assert done["status"] == "done"
    assert done["people"] == done["nips"] == ROWS and done["renamed"] == 1 and done["duplicate_tokens"] == 0
    assert (done["created"], done["updated"]) == (ROWS - 1, 1)
    assert done["rows"] == [ROWS - 1, 1, 0, 0]
    assert done["audits"] == 1
    assert [tuple(t) for t in done["tasks"]] == [("SUCCESSFUL", 2)]  # claimed again by the same worker


def test_a_killed_background_check_is_done_again_with_each_finding_once(transactional_db, tmp_path):
    db = live_database(tmp_path)
    started = run_step(db, SCRIPT, "setup", "check")
    assert started["status"] == "checking" and started["tasks"] == 1

    kill_at(db, SCRIPT, "worker", "w1", point="imports.check.chunk@2")
    after_kill = run_step(db, SCRIPT, "state")
    # Still "checking" (no preview to commit from) and nothing in the registry but the one existing person.
    assert after_kill["status"] == "checking" and after_kill["people"] == 1 and after_kill["audits"] == 0
    bad = [5, 9, 13, 17, 21]  # the file rows (after the header) of every fourth data row
    assert sorted(tuple(i) for i in after_kill["issues"]) == [(5, "error"), (9, "error")]  # two chunks checked

    run_step(db, SCRIPT, "worker", "w1")  # the check starts over: each finding recorded once
    done = run_step(db, SCRIPT, "state")
    assert done["status"] == "checked" and done["people"] == 1
    assert done["rows"][3] == len(bad) and sorted(tuple(i) for i in done["issues"]) == [(r, "error") for r in bad]
    assert [tuple(t) for t in done["tasks"]] == [("SUCCESSFUL", 2)]
