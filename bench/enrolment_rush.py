"""Enrolment rush: many participants register for the last seats at once, through a real
multi-process server (gunicorn, 4 workers) and the JSON API with token auth.

    /tmp/venv/bin/python bench/enrolment_rush.py            # small: 4 events, 166 seats, 300 requests
    /tmp/venv/bin/python bench/enrolment_rush.py --full     # the issue's scale: 1,665 seats, 3,000 requests
    /tmp/venv/bin/python bench/enrolment_rush.py --full --postgres

Uses its own database (a temp SQLite file, or a fresh PostgreSQL database that it creates and
drops), measures /healthz on the same server in the same run as the baseline, and ends with
one ``RESULT enrolment_rush ...`` line. Every request goes to 127.0.0.1 only, bounded in count."""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PG_ADMIN = os.environ.get("SIAGA_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def configure(args, workdir: Path) -> dict:
    env = {
        "SIAGA_DATA_DIR": str(workdir),
        "SIAGA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # as in production: the status e-mails are queued for a worker (none runs during the rush)
        "SIAGA_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "SIAGA_LOG_LEVEL": "WARNING",
        "SIAGA_DB_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "siaga.settings",
    }
    if args.postgres:
        env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + f"/{args.db_name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    return env


def build_world(*, seats_per_event: list[int], people: int) -> tuple[list[int], list[str]]:
    """4 open events (seats = capacity × 50 %) and ``people`` participants with write tokens."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import ApiToken, User
    from curriculum.models import Institution, Module, ModuleVersion
    from people.models import Agency, Person, Position, Region
    from people.normalize import sort_key
    from siaga.testing import SYSTEM
    from training.services_event import CityPlan, EventInput, event_open, events_create_for_cities
    from training.services_programme import ProgrammeInput, programme_create

    owner = Institution.objects.create(code="bench", name="Pusbangprof", kind=Institution.Kind.CENTRE)
    module = Module.objects.create(code="bench-jf", title="Pemantapan JF", owner=owner)
    version = ModuleVersion.objects.create(module=module, number=1, status="approved", total_minutes=32 * 45,
                                           approved_at=timezone.now())
    programme = programme_create(data=ProgrammeInput(
        code="bimtek-jf-2020", title="Bimbingan dan Pemantapan JF Pekerja Sosial dan Penyuluh Sosial",
        module_versions=[version]), by=SYSTEM)
    cities = ["32.73", "34.71", "73.71", "31.71"]
    plans = [CityPlan(city=Region.objects.get(code=c), venue=f"Aula {c}", venue_capacity=s * 2)
             for c, s in zip(cities, seats_per_event, strict=True)]
    created = events_create_for_cities(programme=programme, plans=plans, data=EventInput(
        start_date=dt.date(2027, 8, 3), end_date=dt.date(2027, 8, 7), cap_percent=50, self_registration=True),
        by=SYSTEM)
    events = [event_open(event=c.event, by=SYSTEM).pk for c in created]
    agencies = list(Agency.objects.filter(code__in=["kemensos", "kemenkumham", "bnpb", "rs-cipto"]))
    position = Position.objects.get(code="pekerja-sosial")
    now = timezone.now()
    persons = [Person(full_name=f"Peserta Uji {i}", sex="L" if i % 2 else "P", employment_type="PNS",
                      nip=f"19850314{2010 + i // 99999 % 10}{i % 12 + 1:02d}{1 + i % 2}{i % 999 + 1:03d}"[:14]
                      + f"{i:04d}"[-4:], position=position, agency=agencies[i % len(agencies)],
                      sort_name=sort_key(f"Peserta Uji {i}"), created_at=now, updated_at=now)
                   for i in range(people)]
    Person.objects.bulk_create(persons, batch_size=1000)
    password = make_password(None)
    users = [User(username=f"peserta{i}", role="participant", agency_id=p.agency_id, person=p, password=password)
             for i, p in enumerate(persons)]
    User.objects.bulk_create(users, batch_size=1000)
    secrets = [ApiToken.new_secret() for _ in users]
    ApiToken.objects.bulk_create([ApiToken(user=u, name="bench", prefix=s[:8], digest=ApiToken.hash_secret(s),
                                           scope=ApiToken.Scope.WRITE) for u, s in zip(users, secrets, strict=True)],
                                 batch_size=1000)
    return events, secrets


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen([GUNICORN, "siaga.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                               "--backlog", "2048", "--timeout", "120",
                               "--log-level", "warning"],
                              cwd=ROOT, env=os.environ | env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start: " + (server.stderr.read().decode() if server.stderr else ""))


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_seconds(server: subprocess.Popen) -> dict[str, float]:
    """CPU seconds used so far by the server's workers, PostgreSQL's processes and this client."""
    import resource

    workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    postgres = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _comm(p) == "postgres"]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"server": sum(_cpu_of(int(w)) for w in workers), "db": sum(_cpu_of(p) for p in postgres),
            "client": usage.ru_utime + usage.ru_stime}


def _comm(proc: Path) -> str:
    try:
        return (proc / "comm").read_text().strip()
    except OSError:
        return ""


def cpu_per_request(before: dict[str, float], after: dict[str, float], requests: int) -> dict[str, float]:
    """Milliseconds of CPU per request, by who spent it."""
    return {k: (after[k] - before[k]) / requests * 1000 for k in before}


def fire(port: int, jobs: list[tuple[str, str, dict]], threads: int) -> tuple[float, list[tuple[int, float, dict]]]:
    """Send ``jobs`` (method, path, headers) from ``threads`` threads; (wall seconds, results)."""
    results: list[tuple[int, float, dict] | None] = [None] * len(jobs)
    cursor = iter(range(len(jobs)))
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)

    def worker():
        start.wait()
        while True:
            with lock:
                i = next(cursor, None)
            if i is None:
                return
            method, path, headers = jobs[i]
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request(method, path, body=b"" if method == "POST" else None, headers=headers)
                response = conn.getresponse()
                body = response.read()
                conn.close()
                status = response.status
                data = json.loads(body) if body[:1] in (b"{", b"[") else {}
            except OSError as exc:
                status, data = 0, {"error": str(exc)}
            results[i] = (status, time.perf_counter() - t0, data)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    return time.perf_counter() - t0, [r for r in results if r is not None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="1,665 seats and 3,000 requests (the issue's scale)")
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database instead of SQLite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=32)
    args = parser.parse_args()
    seats = [500, 450, 400, 315] if args.full else [50, 45, 40, 31]
    requests = 3000 if args.full else 300
    args.db_name = f"siaga_bench_rush_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="siaga-rush-"))
    env = configure(args, workdir)
    if args.postgres:
        pg_admin(f"CREATE DATABASE {args.db_name}")
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", interactive=False, verbosity=0)
        events, secrets = build_world(seats_per_event=seats, people=requests)
        if args.postgres:  # statistics for the bulk-loaded tables now, not by autovacuum during the rush
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        connection.close()
        port = free_port()
        server = start_server(env, port, args.workers)
        fire(port, [("GET", "/healthz", {})] * 200, args.threads)  # warm up every worker
        cpu0 = cpu_seconds(server)
        base_wall, base = fire(port, [("GET", "/healthz", {})] * requests, args.threads)
        trivial_before = len(base) / base_wall
        cpu1 = cpu_seconds(server)
        jobs = [("POST", f"/api/v1/training/events/{events[i % len(events)]}/register",
                 {"Authorization": f"Bearer {secret}", "Content-Length": "0"}) for i, secret in enumerate(secrets)]
        wall, results = fire(port, jobs, args.threads)
        cpu2 = cpu_seconds(server)
        trivial_cpu = cpu_per_request(cpu0, cpu1, requests)
        rush_cpu = cpu_per_request(cpu1, cpu2, requests)
        # the baseline again right after the rush: on a shared machine the load drifts, and the mean of
        # the two runs either side of the rush is the fairer comparison
        after_wall, after = fire(port, [("GET", "/healthz", {})] * requests, args.threads)
        trivial_after = len(after) / after_wall
        trivial_rps = (trivial_before + trivial_after) / 2
        from training.models import Enrolment, Event

        told_confirmed = {r[2]["id"] for r in results if r[0] == 201 and r[2].get("status") == "confirmed"}
        db_confirmed = set(Enrolment.objects.filter(status="confirmed").values_list("id", flat=True))
        overbooked = sum(max(0, e.seats_taken - e.seats) + max(
            0, Enrolment.objects.filter(event=e, status="confirmed").count() - e.seats) for e in Event.objects.all())
        counter_drift = sum(abs(Enrolment.objects.filter(event=e, status="confirmed").count() - e.seats_taken)
                            for e in Event.objects.all())
        lost = len(told_confirmed - db_confirmed) + len(db_confirmed - told_confirmed)
        errors = sum(1 for r in results if r[0] != 201)
        from django_tasks_db.models import DBTaskResult

        # every participant is owed a status mail: flagged on the enrolment, sent by queued sweeps
        mails_pending = Enrolment.objects.filter(mail_pending=True).count()
        mail_sweeps = DBTaskResult.objects.filter(task_path__endswith="enrolment_status_mails_task").count()
        latencies = sorted(r[1] for r in results)
        rps = len(results) / wall
        total_seats = sum(seats)
        line = (f"RESULT enrolment_rush db={'postgresql' if args.postgres else 'sqlite'} workers={args.workers} "
                f"threads={args.threads} events={len(events)} seats={total_seats} requests={len(results)} "
                f"confirmed={len(db_confirmed)} waitlisted={Enrolment.objects.filter(status='waitlisted').count()} "
                f"errors={errors} overbooked={overbooked} lost_confirmations={lost} counter_drift={counter_drift} "
                f"throughput_rps={rps:.0f} p50_ms={statistics.median(latencies) * 1000:.1f} "
                f"p99_ms={latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} trivial_rps={trivial_rps:.0f} "
                f"trivial_before_rps={trivial_before:.0f} trivial_after_rps={trivial_after:.0f} "
                f"ratio={rps / trivial_rps:.2f} mails_pending={mails_pending} mail_sweeps_queued={mail_sweeps} "
                + " ".join(f"cpu_ms_{who}={rush_cpu[who]:.2f} trivial_cpu_ms_{who}={trivial_cpu[who]:.2f}"
                           for who in ("server", "db", "client")))
        connection.close()
        print(line)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.postgres:
            from django.db import connections

            connections.close_all()
            pg_admin(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
