"""Issue 12, point 5: two application servers and two task workers against one PostgreSQL database
run a large import, bulk certificate jobs and a big event's completion while requests flow; every
task runs exactly once, no request fails, and the results are identical to a single-process run.

The data set (``ops.world``) is built and migrated once in a template database; each run gets its own
copy (``CREATE DATABASE ... TEMPLATE``) and its own copy of the data folder. The single-process run is
one gunicorn process with one worker thread per request and the tasks run inline (django-tasks'
immediate backend): no second process, no queue. Every process is stopped and every database dropped
in ``finally``. Small on purpose (1,800 imported rows, about 460 certificates): what is shown is
exactly-once and identical results, not speed (``bench/load.py`` measures that)."""

from __future__ import annotations

import collections
import json
import os
import shutil
import time

import pytest

from ops import proof
from ops.procs import Stack, admin_sql, base_env, create_database, drop_database, run_python, unique_name

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"),
    reason="needs PostgreSQL (runs in the PostgreSQL pass: DATABASE_URL=postgres://...); SQLite has no "
           "row locks for several workers to share a queue")
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


def _database(names: list[str], *, template: str | None = None) -> tuple[str, str]:
    name = unique_name("siaga_mp")
    url = create_database(DATABASE_URL, name, template=template)
    names.append(name)
    # A throwaway database: commits need not wait for the disk (nothing else changes).
    admin_sql(DATABASE_URL, f"ALTER DATABASE {name} SET synchronous_commit TO off")
    return name, url


def test_two_servers_and_two_workers_run_every_task_once_with_the_results_of_one_process(tmp_path):
    names: list[str] = []
    stacks: list[Stack] = []
    timings = {}
    try:
        t0 = time.monotonic()
        template, template_url = _database(names)
        template_dir = tmp_path / "template-data"
        run_python(base_env(database_url=template_url, data_dir=template_dir, SIAGA_TASK_BACKEND=IMMEDIATE),
                   "-m", "ops.world", "build", str(tmp_path / "world.json"))
        world = json.loads((tmp_path / "world.json").read_text())
        timings["build"] = time.monotonic() - t0

        # Two servers (two gunicorn workers each) and two task workers.
        t0 = time.monotonic()
        _name, multi_url = _database(names, template=template)
        multi_dir = tmp_path / "multi-data"
        shutil.copytree(template_dir, multi_dir)
        multi = Stack(env=base_env(database_url=multi_url, data_dir=multi_dir), logs=tmp_path / "multi-logs")
        stacks.append(multi)
        multi.start_web(workers=2, threads=2)
        multi.start_web(workers=2, threads=2)
        multi.start_worker("w1")
        multi.start_worker("w2")
        multi.wait_ready()
        bases = [f"http://127.0.0.1:{port}" for port in multi.ports]
        outcome = proof.drive(database_url=multi_url, bases=bases, world=world, data_dir=multi_dir,
                              flow_threads=2, check_alive=multi.check_alive)
        multi.stop()
        timings["multi"] = time.monotonic() - t0

        # One process: one gunicorn worker, tasks run inline in the request that starts them.
        t0 = time.monotonic()
        _name, single_url = _database(names, template=template)
        single_dir = tmp_path / "single-data"
        shutil.copytree(template_dir, single_dir)
        single = Stack(env=base_env(database_url=single_url, data_dir=single_dir, SIAGA_TASK_BACKEND=IMMEDIATE),
                       logs=tmp_path / "single-logs")
        stacks.append(single)
        single.start_web(workers=1, threads=2, timeout=300)
        single.wait_ready()
        baseline = proof.drive(database_url=single_url, bases=[f"http://127.0.0.1:{single.ports[0]}"], world=world,
                               data_dir=single_dir, check_alive=single.check_alive)
        single.stop()
        timings["single"] = time.monotonic() - t0

        # No request failed while the jobs ran.
        requests = outcome["requests"]
        assert len(requests) >= 20, f"too few requests flowed: {len(requests)}"
        assert outcome["failures"] == [], outcome["failures"][:20]

        # Every task ran exactly once: finished, claimed by one worker only.
        tasks = proof.tasks(multi_url)
        paths = collections.Counter(t["path"] for t in tasks)
        assert paths["imports.tasks.check_import"] == 1 and paths["imports.tasks.commit_import"] == 1, paths
        assert paths["credentials.tasks.run_certificate_job"] == len(world["finished_events"]), paths
        assert paths["training.tasks.finish_event_task"] == 1, paths
        assert paths["credentials.tasks.render_certificate"] > 150, paths  # one per certificate of the finish
        assert [t for t in tasks if t["status"] != "SUCCESSFUL"] == []
        assert [t for t in tasks if len(t["workers"]) != 1] == []
        by_worker = collections.Counter(t["workers"][0] for t in tasks)
        assert set(by_worker) <= {"w1", "w2"}, by_worker
        assert len(by_worker) == 2, f"one worker ran every task: {by_worker}"

        # The effects happened once: every certificate once per enrolment, every imported row once.
        certificates = proof.rows(multi_url, "certificates")
        assert len({c[4] for c in certificates}) == len(certificates)
        assert outcome["import"]["created"] == world["import_rows"], outcome["import"]
        assert outcome["import"]["rows_error"] == world["import_bad_rows"], outcome["import"]
        assert outcome["job_states"] == ["done"]

        # Identical results.
        multi_digest, single_digest = proof.digest(multi_url), proof.digest(single_url)
        different = {part: (multi_digest[part], single_digest[part]) for part in multi_digest
                     if multi_digest[part] != single_digest[part]}
        assert different == {}, {part: (figures, proof.differences(multi_url, single_url, part))
                                  for part, figures in different.items()}
        assert multi_digest["certificates"][0] >= world["certificates_by_jobs"] + 150
        assert multi_digest["ledger"][0] > 250
        # Every completion's entry is dated on the local day (and year) its enrolment was completed.
        completions = [r for r in proof.rows(multi_url, "ledger") if r[9] is not None]
        assert len(completions) > 150 and {r[1:3] for r in completions} == {("completion year", "completion day")}
        print(f"multi-process proof: {len(tasks)} tasks ({dict(by_worker)}), {len(requests)} requests flowed, "
              f"0 failed; timings {', '.join(f'{k} {v:.0f} s' for k, v in timings.items())}; "
              f"jobs {outcome['seconds']:.0f} s with 2+2 processes, {baseline['seconds']:.0f} s in one")
    finally:
        for stack in stacks:
            stack.stop()
        for name in names:
            drop_database(DATABASE_URL, name)
