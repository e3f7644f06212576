"""The multi-process proof's steps (issue 12, point 5), used by ``ops/tests/test_multiprocess.py``:
push the jobs through the running servers like users do, wait until everything is done, then read
the outcome straight from the database (psycopg, no Django: the runs' databases are not the test's).

What is pushed (see ``ops.world`` for the data):
- a large import: the centre admin uploads ``import.csv`` through the API (``POST /api/v1/imports/people``,
  "valid rows only"); a worker checks it, the script asks for the commit when it is checked, a worker
  writes it;
- bulk certificate jobs: the organiser starts one "issue" job per finished event through the API
  (``POST /api/v1/certificates/jobs``); workers issue, render and store every certificate;
- finishing a big event: the organiser presses "finish" on the event page (``POST .../selesai/``); a
  worker evaluates every participant in batches (JP ledger entries, certificates), which queues one
  PDF render task per certificate.
"""

from __future__ import annotations

import collections
import hashlib
import json
import time
from pathlib import Path

from ops.procs import Client, Flow

#: Fields compared between runs. Left out: ids the database hands out in another order when two
#: processes insert at once (imported people, ledger rows), times, and the random verification code
#: with what is derived from it (QR claims, signature, PDF file name).
DIGEST_QUERIES = {
    "people": """SELECT p.nip, p.nik, p.full_name, p.sex, p.birth_date::text, p.employment_type, a.code, p.phone,
                        p.email, p.is_active, p.work_unit, p.position_id, p.level_id, p.province_id, p.region_id
                 FROM people_person p JOIN people_agency a ON a.id = p.agency_id
                 ORDER BY p.nip NULLS LAST, p.nik NULLS LAST, p.full_name""",
    "enrolments": """SELECT id, event_id, person_id, status, not_completed_reason, attended_minutes, post_test_score
                     FROM training_enrolment ORDER BY id""",
    "events": "SELECT id, status, seats_taken FROM training_event ORDER BY id",
    "certificates": """SELECT serial, sequence, status, kind, enrolment_id, person_id, event_id, person_name,
                              person_nip, agency_name, programme_code, programme_title, modules::text, total_minutes,
                              start_date::text, end_date::text, city_name, key_id, pdf <> ''
                       FROM credentials_certificate ORDER BY serial""",
    # A completion's entry is dated on the local day it was finished, and the two runs may finish
    # either side of a midnight (WIB, WITA or WIT): such a day and year are compared with the
    # completion time in the person's time zone, not as the literal date.
    "ledger": """SELECT e.person_id,
                        CASE WHEN e.year = extract(year FROM c.local_day) THEN 'completion year' ELSE e.year::text END,
                        CASE WHEN e.date = c.local_day THEN 'completion day' ELSE e.date::text END,
                        e.minutes, e.credited_minutes, e.entry_type, e.source, e.title, e.status, e.enrolment_id,
                        e.certificate_number
                 FROM hours_ledgerentry e
                 JOIN people_person p ON p.id = e.person_id
                 LEFT JOIN people_region r ON r.code = p.region_id
                 LEFT JOIN people_region pr ON pr.code = p.province_id
                 LEFT JOIN training_enrolment en ON en.id = e.enrolment_id
                 CROSS JOIN LATERAL (SELECT ((en.completed_at AT TIME ZONE 'UTC')
                                             + make_interval(hours => COALESCE(r.utc_offset, pr.utc_offset, 7)))::date
                                            AS local_day) c
                 ORDER BY e.person_id, e.year, e.enrolment_id NULLS FIRST, e.date, e.title, e.minutes""",
    "year_totals": """SELECT person_id, year, approved_minutes, pending_minutes, required_minutes, compliant,
                             employment_type, agency_id
                      FROM hours_personyeartotal ORDER BY person_id, year""",
    "imports": """SELECT status, mode, rows_total, rows_new, rows_update, rows_unchanged, rows_error, rows_warning,
                         rows_duplicate, created_count, updated_count FROM imports_importrun ORDER BY id""",
    "import_issues": "SELECT row, level, messages::text FROM imports_importissue ORDER BY row",
    "certificate_jobs": "SELECT action, event_id, programme_id, status, total, done, skipped, error "
                        "FROM credentials_certificatejob ORDER BY event_id, id",
    # The flowing page views write no audit rows; logins do (and differ in number between runs).
    "audit": "SELECT action, target_type, count(*) FROM accounts_auditlog WHERE action NOT LIKE 'login%%' "
             "GROUP BY action, target_type ORDER BY action, target_type",
}
TASKS_TABLE = "django_tasks_database_dbtaskresult"
TASKS_SQL = f"SELECT id::text, task_path, status, worker_ids::text FROM {TASKS_TABLE}"  # noqa: S608 - constants
FAILED_SQL = f"SELECT task_path, exception_class_path, traceback FROM {TASKS_TABLE} WHERE status = 'FAILED'"  # noqa: S608
BUSY_SQL = f"SELECT count(*) FROM {TASKS_TABLE} WHERE status IN ('READY', 'RUNNING')"  # noqa: S608


def _rows(database_url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def digest(database_url: str) -> dict[str, tuple[int, str]]:
    """Per part: (row count, SHA-256 of the rows)."""
    out = {}
    for part, sql in DIGEST_QUERIES.items():
        rows = sorted(_rows(database_url, sql), key=lambda r: json.dumps(r, default=str))
        out[part] = (len(rows), hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest())
    return out


def rows(database_url: str, part: str) -> list[tuple]:
    return _rows(database_url, DIGEST_QUERIES[part])


def differences(url_a: str, url_b: str, part: str, *, limit: int = 10) -> dict[str, list[tuple]]:
    """Rows of ``part`` that only one of the two databases has (at most ``limit`` each): what a
    failing comparison shows, so that a difference can be told from a flaky one."""
    a, b = collections.Counter(rows(url_a, part)), collections.Counter(rows(url_b, part))
    return {"only_first": list((a - b).elements())[:limit], "only_second": list((b - a).elements())[:limit]}


def tasks(database_url: str) -> list[dict]:
    """Every task row of the django-tasks database queue: id, task path, status, claiming workers."""
    found = _rows(database_url, TASKS_SQL)
    return [{"id": i, "path": p, "status": s, "workers": json.loads(w)} for i, p, s, w in found]


def _failed_tasks(database_url: str) -> list[tuple]:
    return _rows(database_url, FAILED_SQL)


def _queue_busy(database_url: str) -> int:
    return _rows(database_url, BUSY_SQL)[0][0]


def flow_plan(bases: list[str], world: dict) -> list[tuple[Client, str]]:
    """Pages and API reads of four roles, spread over the servers like a load balancer would."""
    plan = []
    pages = {
        "penyelenggara": ["/", "/sdm/", "/sdm/?q=siti", "/pelatihan/angkatan/",
                          f"/pelatihan/angkatan/{world['running_event']}/", "/sertifikat/", "/sertifikat/massal/"],
        "admin.kemensos": ["/", "/sdm/", "/sdm/?q=budi", "/impor/", "/jp/dasbor/"],
        "pimpinan": ["/", "/jp/dasbor/", "/pelatihan/"],
        "peserta": ["/", "/pelatihan/saya/", "/sertifikat/saya/", "/jp/saya/"],
    }
    for n, (username, paths) in enumerate(pages.items()):
        client = Client(bases[n % len(bases)])
        client.login(username, world["password"])
        plan += [(client, path) for path in paths]
    for n, base in enumerate(bases):
        api = Client(base, token=world["organiser_token"])
        plan += [(Client(base), "/healthz"), (Client(base), "/readyz"), (api, "/api/v1/certificates/jobs"),
                 (api, f"/api/v1/training/events/{world['running_event']}"), (api, "/api/v1/people/?limit=20")]
        if n == 0:
            plan.append((Client(base, token=world["admin_token"]), "/api/v1/imports/"))
    return plan


def drive(*, database_url: str, bases: list[str], world: dict, data_dir: Path, flow_threads: int = 0,
          timeout: float = 600, check_alive=None) -> dict:
    """Push the import, the certificate jobs and the event's finish through the servers at ``bases``,
    with ``flow_threads`` threads of other requests flowing meanwhile; wait until all is done."""
    flow = Flow(flow_plan(bases, world), threads=flow_threads).start() if flow_threads else None
    started = time.monotonic()
    try:
        admin = Client(bases[0], token=world["admin_token"])
        with (data_dir / world["import_file"]).open("rb") as handle:
            response = admin.post("/api/v1/imports/people", files={"file": ("sdm-kemensos.csv", handle, "text/csv")},
                                  data={"agency_id": str(world["kemensos"]), "dry_run": "false", "mode": "valid_only"})
        assert response.status_code == 201, (response.status_code, response.text[:500])
        run_id = response.json()["id"]
        jobs = []
        for n, event_id in enumerate(world["finished_events"]):
            api = Client(bases[n % len(bases)], token=world["organiser_token"])
            response = api.post("/api/v1/certificates/jobs", json={"action": "issue", "event_id": event_id})
            assert response.status_code == 201, (response.status_code, response.text[:500])
            jobs.append(response.json()["id"])
        organiser = Client(bases[-1])
        organiser.login("penyelenggara", world["password"])
        response = organiser.post(f"/pelatihan/angkatan/{world['running_event']}/selesai/")
        assert response.status_code == 302, (response.status_code, response.text[:500])
        pushed_s = time.monotonic() - started

        api = Client(bases[-1], token=world["organiser_token"])
        while True:
            if check_alive:
                check_alive()
            failed = _failed_tasks(database_url)
            if failed:
                raise AssertionError(f"{len(failed)} task(s) failed; the first: {failed[0]}")
            run = admin.get(f"/api/v1/imports/{run_id}").json()
            if run["status"] == "checked":
                response = admin.post(f"/api/v1/imports/{run_id}/commit", json={"mode": "valid_only"})
                assert response.status_code in (200, 202), (response.status_code, response.text[:500])
                continue
            states = {api.get(f"/api/v1/certificates/jobs/{job}").json()["status"] for job in jobs}
            event = api.get(f"/api/v1/training/events/{world['running_event']}").json()
            if run["status"] in ("done", "failed") and states <= {"done", "failed"} and event["status"] == "finished" \
                    and not _queue_busy(database_url):
                break
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"not done after {timeout} s: import {run['status']}, jobs {states}, "
                                   f"event {event['status']}, busy tasks {_queue_busy(database_url)}")
            time.sleep(0.5)
    finally:
        results = flow.stop() if flow else []
    return {"seconds": time.monotonic() - started, "pushed_seconds": pushed_s, "import": run,
            "job_states": sorted(states), "requests": results,
            "failures": [r for r in results if not 200 <= r[1] < 400]}
