"""Load (issue 10, point 10): concurrent clients drive the main pages and the API of a real
multi-process server (two gunicorn servers of two workers each, as in deploy/) on PostgreSQL, for a
bounded time, with the /healthz rate of the same servers as the baseline of the same run.

    /work/main/.venv/bin/python bench/load.py                 # 20,000 people, 16 clients, 60 s
    /work/main/.venv/bin/python bench/load.py --full          # the 1,000,000-person data set
    ... --keep                                                # keep the database (name printed)
    ... --reuse siaga_bench_load_123                          # run again on a kept database

The data set is ``siaga demo --people N`` (bulk COPY of the people, then the demo of every app) in a
fresh database that is dropped at the end unless ``--keep``. Clients log in as an organiser, an
agency admin, leadership and a participant (session cookie, as a browser) and use a centre admin's
API token; each client goes round a mixed list of pages and API reads: people list and search, a
person, event pages, the JP dashboard, certificate verification, the API lists. Every request
must answer 2xx/3xx: anything else (or a connection error or time-out) is counted in ``errors``.
Prints p50/p99 per path, then one ``RESULT load ...`` line. Only 127.0.0.1 is contacted."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ops.procs import Client, Stack, admin_sql, base_env, create_database, drop_database, run_python  # noqa: E402

PG = os.environ.get("SIAGA_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")

SETUP = """
import json, sys
import django
django.setup()
from accounts.demo import DEMO_PASSWORD
from accounts.models import ApiToken, User
from credentials.models import Certificate
from people.models import Person
from training.models import Event
secret = ApiToken.new_secret()
ApiToken.objects.create(user=User.objects.get(username="admin"), name="bench load", prefix=secret[:8],
                        digest=ApiToken.hash_secret(secret), scope=ApiToken.Scope.READ)
admin = User.objects.get(username="admin.kemensos")
mine = Person.objects.filter(agency_id=admin.agency_id).order_by("id").values_list("id", flat=True)
person = mine[min(500, mine.count() - 1)]
event = Event.objects.order_by("id").values_list("id", flat=True).first()
finished = Event.objects.filter(status="finished").order_by("id").values_list("id", flat=True).first()
code = Certificate.objects.filter(status="issued").order_by("id").values_list("code", flat=True).first()
print("WORLD " + json.dumps({"token": secret, "password": DEMO_PASSWORD, "person": person, "event": event, "finished": finished,
                             "code": code, "people": Person.objects.count()}))
"""


def plan_for(bases: list[str], world: dict, password: str) -> list[tuple[Client, str]]:
    """(client, path) pairs: four logged-in roles and one API token, spread over the servers."""
    event, finished, person, code = world["event"], world["finished"], world["person"], world["code"]
    pages = {
        "penyelenggara": ["/", "/sdm/", "/sdm/?q=siti", "/sdm/?q=budi+santoso", "/pelatihan/angkatan/",
                          f"/pelatihan/angkatan/{event}/", f"/pelatihan/angkatan/{finished}/peserta/",
                          "/sertifikat/", "/jp/dasbor/"],
        "admin.kemensos": ["/", "/sdm/", "/sdm/?q=siti", f"/sdm/{person}/", "/jp/dasbor/", "/jp/berisiko/"],
        "pimpinan": ["/", "/jp/dasbor/", "/pelatihan/"],
        # Verification as a logged-in visitor: anonymous look-ups are limited to 30 a minute per address.
        "peserta": ["/", "/pelatihan/saya/", "/sertifikat/saya/", "/jp/saya/", f"/v/{code}"],
    }
    api = ["/api/v1/people/?limit=50", "/api/v1/people/?q=siti&limit=50", "/api/v1/training/events",
           f"/api/v1/training/events/{event}", "/api/v1/hours/dashboard", "/api/v1/certificates/?limit=50"]
    plan = []
    for username, paths in pages.items():
        for base in bases:
            client = Client(base)
            client.login(username, password)
            plan += [(client, path) for path in paths]
    for base in bases:
        client = Client(base, token=world["token"])
        plan += [(client, path) for path in api]
    random.Random(10).shuffle(plan)  # every client thread sees a mix of roles and servers
    return plan


def drive(plan: list[tuple[Client, str]], *, clients: int, seconds: float) -> tuple[float, list[tuple[str, int, float]]]:
    """``clients`` threads, each going round ``plan`` from its own offset, until ``seconds`` pass."""
    import requests

    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(offset: int) -> None:
        start.wait()
        index, mine = offset, []
        while time.monotonic() < deadline[0]:
            who, path = plan[index % len(plan)]
            index += 1
            t0 = time.perf_counter()
            try:
                status = who.get(path, timeout=120).status_code
            except requests.RequestException:
                status = 0
            mine.append((path, status, time.perf_counter() - t0))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(i * len(plan) // clients,)) for i in range(clients)]
    for t in threads:
        t.start()
    deadline[0] = time.monotonic() + seconds
    t0 = time.monotonic()
    start.wait()
    for t in threads:
        t.join()
    return time.monotonic() - t0, results


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 people (the issue's data set)")
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--keep", action="store_true", help="keep the database and print its name")
    parser.add_argument("--reuse", default="", help="a database kept by an earlier --keep run")
    args = parser.parse_args()
    people = args.people or (1_000_000 if args.full else 20_000)
    name = args.reuse or f"siaga_bench_load_{os.getpid()}"
    url = PG.rsplit("/", 1)[0] + f"/{name}"
    work = Path(tempfile.mkdtemp(prefix="siaga-bench-load-"))
    data_dir = Path(os.environ.get("SIAGA_BENCH_DATA", work / "data"))
    env = base_env(database_url=url, data_dir=data_dir)
    stack = Stack(env=env, logs=work / "logs")
    build_s = 0.0
    errors: list = []
    try:
        if not args.reuse:
            create_database(PG, name)
            admin_sql(PG, f"ALTER DATABASE {name} SET synchronous_commit TO off")  # throwaway data
            t0 = time.monotonic()
            out = run_python(env | {"SIAGA_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
                             "-m", "siaga.cli", "demo", "--people", str(people), timeout=6 * 3600)
            build_s = time.monotonic() - t0
            print(f"demo --people {people}: {build_s:.0f} s", flush=True)
            print("\n".join(line for line in out.splitlines() if line.startswith("demo ")), flush=True)
        out = run_python(env, "-c", SETUP)
        world = json.loads(next(line for line in out.splitlines() if line.startswith("WORLD "))[6:])
        for _ in range(args.servers):
            stack.start_web(workers=args.web_workers, threads=2, timeout=120)
        stack.wait_ready()
        bases = [f"http://127.0.0.1:{port}" for port in stack.ports]
        plan = plan_for(bases, world, world["password"])
        print(f"{len(plan)} (client, path) pairs on {len(bases)} servers", flush=True)
        # Warm up: every path once (templates, caches, PostgreSQL's buffers); any failure stops the run.
        for client, path in plan:
            status = client.get(path).status_code
            if not 200 <= status < 400:
                raise SystemExit(f"{path} answered {status} before the run")
        health = [(Client(base), "/healthz") for base in bases]
        base_wall, base_results = drive(health, clients=args.clients, seconds=args.baseline_seconds)
        healthz_rps = len(base_results) / base_wall
        wall, results = drive(plan, clients=args.clients, seconds=args.seconds)
        stack.check_alive()
        errors = [r for r in results if not 200 <= r[1] < 400]
        by_path = defaultdict(list)
        for path, _status, elapsed in results:
            by_path[path].append(elapsed)
        for path, times in sorted(by_path.items(), key=lambda item: -statistics.median(item[1])):
            print(f"  {path:<45} n={len(times):>5} p50={pct(times, 0.5):8.1f} ms p99={pct(times, 0.99):8.1f} ms")
        if errors:
            print("errors (first 10):", errors[:10])
        times = [r[2] for r in results]
        rps = len(results) / wall
        print(f"RESULT load backend=postgresql people={world['people']} clients={args.clients} "
              f"seconds={wall:.0f} servers={args.servers}x{args.web_workers} requests={len(results)} rps={rps:.1f} "
              f"p50_ms={pct(times, 0.5):.1f} p99_ms={pct(times, 0.99):.1f} errors={len(errors)} "
              f"healthz_rps={healthz_rps:.1f} ratio={rps / healthz_rps:.3f} build_s={build_s:.0f}")
    finally:
        stack.stop()
        if args.keep or args.reuse:
            print(f"database kept: {name} (data folder {data_dir}); run again with --reuse {name}")
        else:
            drop_database(PG, name)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
