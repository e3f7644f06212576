"""Benchmark: roster matching for a deployment request.

    python bench/roster.py                          # 20,000 people, SQLite
    python bench/roster.py --full                   # 1,000,000 people
    python bench/roster.py --postgres [--full]      # a fresh PostgreSQL database (created, then dropped)

Builds its own database with bulk SQL (INSERT ... SELECT over a generated series; about a minute for a
million): N people spread over the 514 regencies, with their agency, position and active flag (1 in 97
inactive); the readiness table for a realistic share (12 % hold the LDP competency, a tenth of those on an
outdated module version, and a few percent each of the other services; the database triggers fill the
copies of the person's columns); 1 % of people deployed around the requests' dates, 1 % unavailable. Then
times ``match_request`` (limit 50) for requests at assembly points across Indonesia: LDP only, LDP with
preferred positions, LDP + shelter; a third of the runs with a 250 km maximum distance. The baseline,
measured in the same run, is the naive query: every qualified active person (readiness table joined with
people), every distance in Python, then sort -- without even checking availability. Finally, for three
requests, the roster is compared with a brute-force exact ranking (every qualified person through the people
table, availability of all, every ranking key, sort): ``same_as_full_scan`` counts the equal ones.

``people_search_token`` rows are not written (matching does not read them)."""

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


#: Multiplicative hashes: deterministic pseudo-random numbers in SQL, the same on both databases.
PERSON_HASH = "((x * 2654435761) % 4294967291)"


def _series(vendor: str, first: int, last: int) -> str:
    """A subquery of rows ``(x, h)``: x from ``first`` to ``last``, h a pseudo-random hash of x."""
    if vendor == "postgresql":
        return f"(SELECT x, {PERSON_HASH} AS h FROM generate_series({first}, {last}) AS g(x)) s"
    return (f"(WITH RECURSIVE c(x) AS (SELECT {first} UNION ALL SELECT x + 1 FROM c WHERE x < {last}) "
            f"SELECT x, {PERSON_HASH} AS h FROM c) s")


def _modulo(sql: str) -> str:
    """``sql`` with its modulo operators doubled, as both drivers need when parameters are given."""
    return sql.replace("%", "%%").replace("%%s", "%s")


def _bulk_people(count: int) -> None:
    """``count`` people in one INSERT ... SELECT per 250,000 (regency, agency, position from the hash)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from people.models import Agency, Position, Region

    vendor = connection.vendor
    regencies = list(Region.objects.filter(level=2).order_by("code").values_list("code", "province_id"))
    agencies = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    positions = list(Position.objects.order_by("pk").values_list("pk", flat=True))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    r, a, p = len(regencies), len(agencies), len(positions)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("bench_regency", "bench_agency", "bench_position"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute("CREATE TEMPORARY TABLE bench_regency (n integer PRIMARY KEY, code varchar(5), "
                       "province varchar(5))")
        cursor.executemany("INSERT INTO bench_regency VALUES (%s, %s, %s)",
                           [(n, code, prov) for n, (code, prov) in enumerate(regencies)])
        cursor.execute("CREATE TEMPORARY TABLE bench_agency (n integer PRIMARY KEY, id bigint)")
        cursor.executemany("INSERT INTO bench_agency VALUES (%s, %s)", list(enumerate(agencies)))
        cursor.execute("CREATE TEMPORARY TABLE bench_position (n integer PRIMARY KEY, id bigint)")
        cursor.executemany("INSERT INTO bench_position VALUES (%s, %s)", list(enumerate(positions)))
        for first in range(1, count + 1, 250_000):
            last = min(count, first + 249_999)
            cursor.execute(_modulo(
                "INSERT INTO people_person (id, full_name, title_prefix, title_suffix, sex, birth_place, "
                "employment_type, nik, position_id, rank_grade, agency_id, work_unit, region_id, province_id, "
                "phone, email, is_active, sort_name, created_at, updated_at) "
                "SELECT s.x, 'Orang Bench ' || s.x, '', '', CASE WHEN s.x % 2 = 0 THEN 'L' ELSE 'P' END, '', "
                "'NON_ASN', 'B' || s.x, p.id, '', a.id, '', r.code, r.province, '', '', (s.x % 97) <> 0, "
                "'orang bench ' || s.x, %s, %s "
                f"FROM {_series(vendor, first, last)} "
                f"JOIN bench_regency r ON r.n = s.h % {r} "
                f"JOIN bench_agency a ON a.n = (s.h / {r}) % {a} "
                f"JOIN bench_position p ON p.n = (s.h / {r * a}) % {p}"),
                [now, now])
        if vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence('people_person', 'id'), %s)", [count])


def _bulk_competencies(versions, old) -> int:
    """Readiness rows for a hashed share of people per competency (the triggers copy the person's columns)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from readiness.demo import COMPETENCIES
    from readiness.models import PersonCompetency

    completed = connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(days=100))
    with transaction.atomic(), connection.cursor() as cursor:
        for salt, (code, (_name, _title, share)) in enumerate(COMPETENCIES.items(), start=1):
            version = versions[code]
            pick = f"((id * {7919 * salt + 104729}) % 1000003) % 1000"
            outdated = f"CASE WHEN (id * 40503) % 10 = 0 THEN {old.pk} ELSE {version.pk} END" if code == "ldp" \
                else str(version.pk)
            cursor.execute(_modulo(
                "INSERT INTO readiness_personcompetency (person_id, competency_id, module_version_id, completed_at, "
                f"person_active) SELECT id, {version.module.competencies.get().pk}, {outdated}, %s, %s "
                f"FROM people_person WHERE {pick} < {int(share * 1000)}"), [completed, False])
    return PersonCompetency.objects.count()


def build(count: int, rng: random.Random) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from curriculum.models import ModuleVersion
    from people.models import Person
    from readiness import services
    from readiness.demo import _modules
    from readiness.models import Deployment, Unavailability
    from siaga.testing import SYSTEM

    call_command("migrate", verbosity=0)
    t0 = time.monotonic()
    _bulk_people(count)
    print(f"people: {count:,} in {time.monotonic() - t0:.0f} s", flush=True)
    versions = _modules()
    ldp = versions["ldp"]
    now = timezone.now()
    old = ModuleVersion.objects.create(module=ldp.module, number=0, status=ModuleVersion.Status.RETIRED,
                                       approved_at=now - dt.timedelta(days=6 * 365), total_minutes=16 * 45)
    t0 = time.monotonic()
    total = _bulk_competencies(versions, old)
    print(f"competency rows: {total:,} in {time.monotonic() - t0:.0f} s", flush=True)
    boss = User.objects.create_user(username="bench-coordinator", password="x", role=Role.COORDINATOR)
    incident = services.incident_create(by=boss, title="Banjir bench", type="flood", regency_codes=["32.04"],
                                        start_date=dt.date(2026, 11, 1), services=["psychosocial_support"])
    past = services.request_create(by=boss, incident=incident, service="psychosocial_support", role="LDP",
                                   people_needed=10, competency_codes=["ldp"], credential_kinds=[],
                                   start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 30),
                                   assembly_point_code="32.04")
    t0 = time.monotonic()
    deployed = rng.sample(range(1, count + 1), k=count // 100)
    Deployment.objects.bulk_create(
        [Deployment(request=past, person_id=pid, role="LDP",
                    start_date=dt.date(2026, 11, 1) + dt.timedelta(rng.randint(0, 20)),
                    end_date=dt.date(2026, 11, 25) + dt.timedelta(rng.randint(0, 25))) for pid in deployed],
        batch_size=5000, ignore_conflicts=True)
    away = rng.sample(range(1, count + 1), k=count // 100)
    Unavailability.objects.bulk_create(
        [Unavailability(person_id=pid, start_date=dt.date(2026, 12, rng.randint(1, 20)),
                        end_date=dt.date(2026, 12, 28), reason="cuti") for pid in away], batch_size=5000)
    print(f"deployments and unavailability: {len(deployed) + len(away):,} in {time.monotonic() - t0:.0f} s",
          flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    services.agency_policy_set(agency=Person.objects.first().agency, consent_required=True, by=SYSTEM)
    return total


def requests():
    """LDP requests at every point; with preferred positions at three; LDP + shelter at two."""
    import datetime as dt

    from people.models import Position
    from readiness import services
    from readiness.models import Incident

    incident = Incident.objects.get(title="Banjir bench")
    boss = incident.coordinator

    def make(point: str, codes: list[str]):
        return services.request_create(by=boss, incident=incident, service="psychosocial_support", role="LDP",
                                       people_needed=10, competency_codes=codes, credential_kinds=[],
                                       start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 24),
                                       assembly_point_code=point)

    out = [make(point, ["ldp"]) for point in POINTS]
    peksos = Position.objects.order_by("pk")[:2]
    for point in POINTS[:3]:
        req = make(point, ["ldp"])
        req.preferred_positions.set(peksos)
        out.append(req)
    out += [make(point, ["ldp", "shelter"]) for point in POINTS[3:5]]
    return out


def naive(req) -> int:
    """Every qualified person, every distance in Python, then sort (the baseline)."""
    from people.models import Person
    from readiness.geo import haversine_km, regency_centroids
    from readiness.matching import allowed_versions
    from readiness.models import PersonCompetency

    versions = allowed_versions(req)
    competency_id, allowed = next(iter(versions.items()))
    centroids = regency_centroids()
    lat0, lng0 = centroids[req.assembly_point_id][:2]
    rows = (PersonCompetency.objects.filter(competency_id=competency_id, module_version_id__in=allowed)
            .values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=rows, is_active=True).values_list("pk", "region_id")
    ranked = sorted((haversine_km(lat0, lng0, *centroids[r][:2]), pk) for pk, r in people if r in centroids)
    return len(ranked[:50])


def full_scan(req, *, limit: int = 50) -> list[int]:
    """The exact ranking by brute force: every qualified active person (through the people table, not the
    readiness table's copies), the availability of all of them, every ranking key, then sort."""
    from django.db.models import Q
    from django.utils import timezone

    from readiness import conf
    from readiness.geo import haversine_km, regency_centroids
    from readiness.matching import _ranking_key, allowed_versions, check_people
    from readiness.models import PersonCompetency

    versions = allowed_versions(req)
    condition = Q()
    for competency_id, allowed in versions.items():
        condition |= Q(competency_id=competency_id, module_version_id__in=sorted(allowed))
    centroids = regency_centroids()
    lat0, lng0 = centroids[req.assembly_point_id][:2]
    held: dict[int, set[int]] = {}
    facts: dict[int, tuple[str, int | None]] = {}
    for pid, competency_id, region, position in (PersonCompetency.objects.filter(condition, person__is_active=True)
                                                 .values_list("person_id", "competency_id", "person__region_id",
                                                              "person__position_id").iterator(chunk_size=20_000)):
        held.setdefault(pid, set()).add(competency_id)
        facts[pid] = (region, position)
    people = {pid: facts[pid][0] for pid, got in held.items() if len(got) == len(versions)
              and facts[pid][0] in centroids}
    ok, _out, seen = check_people(req, people, today=timezone.localdate())
    key = _ranking_key(conf.distance_band_km(), set(req.preferred_positions.values_list("pk", flat=True)))
    keys = [key(pid, haversine_km(lat0, lng0, *centroids[region][:2]), facts[pid][1], seen.get(pid, []))
            for pid, region in ok.items()]
    return [k[-1] for k in sorted(keys)[:limit]]


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
        by_kind: dict[str, list[float]] = {}
        for run in range(args.runs):
            req = reqs[run % len(reqs)]
            filtered = (run + run // len(reqs)) % 3 == 2  # each request with and without, over the cycles
            filters = Filters(max_km=250.0) if filtered else Filters()
            t0 = time.perf_counter()
            result = match_request(req, filters=filters, limit=50)
            timings.append((time.perf_counter() - t0) * 1000)
            found.append(len(result.candidates))
            kind = ("two-competencies" if req.competencies.count() > 1 else
                    "preferred" if req.preferred_positions.exists() else "ldp") + ("+250km" if filtered else "")
            by_kind.setdefault(kind, []).append(timings[-1])
        for kind, values in sorted(by_kind.items()):
            print(f"  {kind}: n={len(values)} p50={statistics.median(values):.0f} ms max={max(values):.0f} ms")
        base: list[float] = []
        for req in reqs[: max(3, min(10, args.runs // 6))]:
            t0 = time.perf_counter()
            naive(req)
            base.append((time.perf_counter() - t0) * 1000)
        # Exactness at scale: the walk's roster equals the brute-force ranking (plain, preferred, two competencies).
        same, scans = 0, []
        checks = [reqs[0], reqs[len(POINTS)], reqs[-1]]
        for req in checks:
            t0 = time.perf_counter()
            expected = full_scan(req, limit=50)
            scans.append((time.perf_counter() - t0) * 1000)
            same += [c.person.pk for c in match_request(req, limit=50).candidates] == expected
        print(f"RESULT roster backend={backend} people={count} competency_rows={rows} runs={len(timings)} "
              f"p50_ms={statistics.median(timings):.1f} p95_ms={percentile(timings, 0.95):.1f} "
              f"max_ms={max(timings):.1f} candidates_min={min(found)} "
              f"baseline_naive_p50_ms={statistics.median(base):.1f} "
              f"baseline_naive_p95_ms={percentile(base, 0.95):.1f} "
              f"full_scan_p50_ms={statistics.median(scans):.1f} same_as_full_scan={same}/{len(checks)}")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
