"""Benchmark: roster matching for a deployment request.

    /tmp/venv/bin/python bench/roster.py                 # 20,000 people, SQLite
    /tmp/venv/bin/python bench/roster.py --full          # 1,000,000 people
    /tmp/venv/bin/python bench/roster.py --postgres      # a fresh PostgreSQL database (created, then dropped)

Builds its own database: N people (people.demo, bulk inserted), the readiness table for a realistic
share of them (12 % hold the LDP competency — a tenth of those on an outdated module version — and a
few percent each of the other services), some past and current deployments and unavailability, then
times ``match_request`` for requests at assembly points across Indonesia (with and without a maximum
distance). The baseline, measured in the same run, is the naive way: fetch every qualified person,
compute every distance in Python and sort."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POINTS = ["32.04", "31.71", "35.78", "73.71", "11.06", "91.71", "64.72", "52.01", "18.71", "71.71"]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 people")
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="print the slowest queries of one match")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    return parser.parse_args()


def setup_database(args) -> tuple[str, callable]:
    if args.postgres:
        import psycopg

        name = f"siaga_bench_roster_{os.getpid()}"
        with psycopg.connect(f"{args.pg_url}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{args.pg_url}/{name}"

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{args.pg_url}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return "postgresql", drop
    folder = tempfile.TemporaryDirectory(prefix="siaga-bench-roster-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["SIAGA_DATA_DIR"] = folder.name
    return "sqlite", folder.cleanup


def build(count: int, rng: random.Random) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from curriculum.models import ModuleVersion
    from people import demo as people_demo
    from people.models import Person
    from readiness import services
    from readiness.demo import COMPETENCIES, _modules
    from readiness.models import Deployment, PersonCompetency, Unavailability
    from siaga.testing import SYSTEM

    call_command("migrate", verbosity=0)
    t0 = time.monotonic()
    people_demo.load(count=count, rng=rng)
    print(f"people: {count:,} in {time.monotonic() - t0:.0f} s", flush=True)
    versions = _modules()
    ldp = versions["ldp"]
    now = timezone.now()
    old = ModuleVersion.objects.create(module=ldp.module, number=0, status=ModuleVersion.Status.RETIRED,
                                       approved_at=now - dt.timedelta(days=6 * 365), total_minutes=16 * 45)
    from curriculum.models import Competency

    cids = dict(Competency.objects.filter(code__in=list(COMPETENCIES)).values_list("code", "pk"))
    ids = list(Person.objects.values_list("pk", flat=True))
    t0 = time.monotonic()
    total = 0
    for code, (_name, _title, share) in COMPETENCIES.items():
        chosen = rng.sample(ids, k=int(len(ids) * share))
        rows = [PersonCompetency(person_id=pid, competency_id=cids[code],
                                 module_version=old if code == "ldp" and rng.random() < 0.1
                                 else versions[code], completed_at=now - dt.timedelta(days=rng.randint(5, 900)))
                for pid in chosen]
        for start in range(0, len(rows), 10_000):
            PersonCompetency.objects.bulk_create(rows[start : start + 10_000])
        total += len(rows)
    print(f"competency rows: {total:,} in {time.monotonic() - t0:.0f} s", flush=True)
    boss = User.objects.create_user(username="bench-coordinator", password="x", role=Role.COORDINATOR)
    incident = services.incident_create(by=boss, title="Banjir bench", type="flood", regency_codes=["32.04"],
                                        start_date=dt.date(2026, 11, 1), services=["psychosocial_support"])
    past = services.request_create(by=boss, incident=incident, service="psychosocial_support", role="LDP",
                                   people_needed=10, competency_codes=["ldp"], credential_kinds=[],
                                   start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 30),
                                   assembly_point_code="32.04")
    deployed = rng.sample(ids, k=len(ids) // 100)
    Deployment.objects.bulk_create(
        [Deployment(request=past, person_id=pid, role="LDP", start_date=dt.date(2026, 11, 1) + dt.timedelta(rng.randint(0, 20)),
                    end_date=dt.date(2026, 11, 25) + dt.timedelta(rng.randint(0, 25))) for pid in deployed],
        batch_size=5000, ignore_conflicts=True)
    away = rng.sample(ids, k=len(ids) // 100)
    Unavailability.objects.bulk_create(
        [Unavailability(person_id=pid, start_date=dt.date(2026, 12, rng.randint(1, 20)),
                        end_date=dt.date(2026, 12, 28), reason="cuti") for pid in away], batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    services.agency_policy_set(agency=Person.objects.first().agency, consent_required=True, by=SYSTEM)
    return total


def requests():
    import datetime as dt

    from readiness import services
    from readiness.models import Incident

    incident = Incident.objects.get(title="Banjir bench")
    boss = incident.coordinator
    return [services.request_create(by=boss, incident=incident, service="psychosocial_support", role="LDP",
                                    people_needed=10, competency_codes=["ldp"], credential_kinds=[],
                                    start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 24),
                                    assembly_point_code=point) for point in POINTS]


def naive(req) -> int:
    """Every qualified person, every distance in Python, then sort (the baseline)."""
    from people.models import Person
    from readiness.geo import haversine_km, regency_centroids
    from readiness.matching import allowed_versions
    from readiness.models import PersonCompetency

    versions = allowed_versions(req)
    [(competency_id, allowed)] = versions.items()
    centroids = regency_centroids()
    lat0, lng0 = centroids[req.assembly_point_id][:2]
    rows = (PersonCompetency.objects.filter(competency_id=competency_id, module_version_id__in=allowed)
            .values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=rows, is_active=True).values_list("pk", "region_id")
    ranked = sorted((haversine_km(lat0, lng0, *centroids[r][:2]), pk) for pk, r in people if r in centroids)
    return len(ranked[:50])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    args = parse()
    count = args.people or (1_000_000 if args.full else 20_000)
    backend, cleanup = setup_database(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    os.environ.setdefault("SIAGA_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    try:
        rng = random.Random(2020)
        rows = build(count, rng)
        from readiness.matching import Filters, match_request

        reqs = requests()
        for req in reqs:  # warm caches (centroids, statement plans)
            match_request(req)
        if args.profile:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                match_request(reqs[0])
                print(f"one match: {(time.perf_counter() - t0) * 1000:.0f} ms, {len(ctx.captured_queries)} queries")
            for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(q["time"], q["sql"][:200])
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            match_request(reqs[1])
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
        timings: list[float] = []
        found = []
        for run in range(args.runs):
            req = reqs[run % len(reqs)]
            filters = Filters(max_km=250.0) if run % 3 == 2 else Filters()
            t0 = time.perf_counter()
            result = match_request(req, filters=filters, limit=50)
            timings.append((time.perf_counter() - t0) * 1000)
            found.append(len(result.candidates))
        base: list[float] = []
        for req in reqs[: max(3, min(10, args.runs // 6))]:
            t0 = time.perf_counter()
            naive(req)
            base.append((time.perf_counter() - t0) * 1000)
        print(f"RESULT roster backend={backend} people={count} competency_rows={rows} runs={len(timings)} "
              f"p50_ms={statistics.median(timings):.1f} p95_ms={percentile(timings, 0.95):.1f} "
              f"max_ms={max(timings):.1f} candidates_min={min(found)} "
              f"baseline_naive_p50_ms={statistics.median(base):.1f} "
              f"baseline_naive_p95_ms={percentile(base, 0.95):.1f}")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
