"""kill -9 of the worker during a ledger recompute (issue 10, point 8; decision 0008).

A JP rule change (how much a seminar counts) starts a background recompute of the entries and
totals it governs. A real ``siaga worker`` process runs it in batches of 3 people and is killed with
SIGKILL while the second batch is written but not committed. Nothing is half-written: the first batch
and the job's cursor are committed together, the second is gone, and the stored totals and dashboard
cells equal a recompute from the ledger (``siaga hours verify``). The worker started again with the
same ``--worker-id`` continues after the cursor (the progress counter shows no batch was done twice)
and finishes with every entry at the new share, one total per person and year."""

from ops.testing import kill_at, live_database, run_step

PEOPLE, BATCH = 12, 3

SCRIPT = """
from django_tasks_db.models import DBTaskResult
from accounts.roles import Role
from hours import cells, rules, services, tasks
from hours.models import LedgerEntry, PersonYearTotal, RuleRecompute
from hours.services import entry_approve, share_set
from hours.tests.factories import make_entry
from hours.verify import find_differences
from siaga.testing import make_person, make_user

COMPACT = "hours.tasks.compact_rollups"  # scheduled by the ledger writes, due in 30 s (decision 0013)
services.INLINE_RECOMPUTE_LIMIT = 0  # the background task even for a few people
tasks.BATCH = 3
if step == "setup":
    admin = make_user(Role.CENTRE_ADMIN)
    for n in range(int(sys.argv[2])):
        entry = make_entry(person=make_person(), entry_type="seminar", minutes=8 * 45)
        if n % 2:
            entry_approve(entry=entry, by=admin)
    year = entry.year
    old = rules.share_percent(year, "seminar")
    new = 50 if old != 50 else 25
    _row, job = share_set(year=year, entry_type="seminar", percent=new, legal_source="uji", needs_check=False,
                          by=admin)
    state(job=job.pk, status=job.status, total=job.total, year=year, old=old, new=new,
          tasks=DBTaskResult.objects.exclude(task_path=COMPACT).count(),
          compactions=DBTaskResult.objects.filter(task_path=COMPACT).count())
elif step == "worker":
    worker(sys.argv[2])
else:
    job = RuleRecompute.objects.get()
    year = int(sys.argv[2])
    entries = list(LedgerEntry.objects.filter(entry_type="seminar").order_by("person_id"))
    state(status=job.status, done=job.done, total=job.total, cursor=[job.cursor_year, job.cursor_person],
          people=[e.person_id for e in entries], credited=[e.credited_minutes for e in entries],
          differences=len(list(find_differences(year=year))), cell_differences=len(cells.differences(year)),
          totals=PersonYearTotal.objects.filter(year=year).count(),
          tasks=sorted((t.status, len(t.worker_ids)) for t in DBTaskResult.objects.exclude(task_path=COMPACT)))
"""


def test_a_killed_recompute_leaves_whole_batches_and_a_restart_continues_after_them(transactional_db, tmp_path):
    db = live_database(tmp_path)
    started = run_step(db, SCRIPT, "setup", str(PEOPLE))
    assert started["status"] == "queued" and started["total"] == PEOPLE
    assert started["tasks"] == 1  # the task row came with the job
    assert started["compactions"] == 1  # the ledger writes scheduled one dashboard compaction between them
    year, old, new = str(started["year"]), started["old"] * 8 * 45 // 100, started["new"] * 8 * 45 // 100

    kill_at(db, SCRIPT, "worker", "w1", point="hours.recompute.batch@2")
    after_kill = run_step(db, SCRIPT, "state", year)
    assert after_kill["status"] == "running"
    assert [tuple(t) for t in after_kill["tasks"]] == [("RUNNING", 1)]
    people = after_kill["people"]
    assert after_kill["credited"] == [new] * BATCH + [old] * (PEOPLE - BATCH)  # the first batch only
    assert after_kill["done"] == BATCH and after_kill["cursor"] == [int(year), people[BATCH - 1]]
    assert after_kill["differences"] == 0 and after_kill["cell_differences"] == 0  # totals match the ledger

    run_step(db, SCRIPT, "worker", "w1")  # the same worker id: it re-queues and resumes the killed task
    done = run_step(db, SCRIPT, "state", year)
    assert done["status"] == "done" and done["credited"] == [new] * PEOPLE
    assert done["done"] == done["total"] == PEOPLE  # continued after the cursor: no batch counted twice
    assert done["cursor"] == [int(year), people[-1]]
    assert done["differences"] == 0 and done["cell_differences"] == 0
    assert done["totals"] == PEOPLE  # one total per person and year
    assert [tuple(t) for t in done["tasks"]] == [("SUCCESSFUL", 2)]
