"""Compliance dashboard benchmark: people and a five-year JP ledger generated inside the
database (INSERT ... SELECT over a number series with deterministic pseudo-random values, the
same rows on PostgreSQL and SQLite), PersonYearTotal summed from the ledger by one grouped
INSERT, ComplianceCell rebuilt from the totals by hours.cells, a sample checked as
``siaga hours verify`` checks it; then the dashboard queries, as the dashboard runs
them (hours.selectors, reading rollups, cells and totals), against DuckDB computing the same
compliance figures by a full group-by over the same ledger exported once to Parquet. The queries run
after ``hours.cells.compact()`` (timed), and again with a backlog of 5,000 pending deltas written through
the ledger's total path (``p95_backlog_ms``; decision 0013).

    /tmp/venv/bin/python bench/compliance.py                  # 20,000 people, SQLite
    /tmp/venv/bin/python bench/compliance.py --postgres       # same on a fresh PostgreSQL database
    /tmp/venv/bin/python bench/compliance.py --full --postgres  # 1,000,000 people, 20,000,000 entries
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATUSES = ("approved",) * 17 + ("pending",) * 2 + ("rejected",)
TYPES = [("classroom", 5), ("elearning", 4), ("distance", 2), ("coaching", 1), ("mentoring", 1), ("seminar", 2),
         ("course", 1), ("self_study", 1)]
TITLES = {"classroom": "Bimtek Pendampingan Sosial", "elearning": "E-learning Etika Pekerjaan Sosial",
          "distance": "PJJ Asesmen Lansia", "coaching": "Coaching Rencana Intervensi",
          "mentoring": "Mentoring Supervisi Kasus", "seminar": "Seminar Kesejahteraan Sosial",
          "course": "Kursus Pertolongan Pertama Psikologis", "self_study": "Belajar Mandiri Rehabilitasi Sosial"}


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="1,000,000 people, 20,000,000 entries")
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database (created, dropped)")
    parser.add_argument("--people", type=int)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-year", type=float, default=4.0, help="mean entries per person per year")
    parser.add_argument("--repeat", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", metavar="DATABASE_URL",
                        help="time the queries on a database an earlier --keep run built (no build, migrated)")
    parser.add_argument("--verify-every", type=int, default=0,
                        help="verify every n-th block of 50,000 people (default: all; 4 with --full)")
    return parser.parse_args()


def setup(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    tmp = Path(tempfile.mkdtemp(prefix="bench-compliance-"))
    os.environ["SIAGA_DATA_DIR"] = str(tmp)
    dbname = None
    if args.reuse:
        os.environ["DATABASE_URL"] = args.reuse
    elif args.postgres:
        import psycopg

        base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        dbname = f"siaga_bench_compliance_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {dbname}")
        os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/{dbname}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return tmp, dbname


def drop_database(dbname):
    import psycopg
    from django.db import connections

    connections.close_all()
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


M31 = 2147483648  # 2**31: every step below stays under 2**63 on both databases


def u(expr: str, salt: int) -> str:
    """A deterministic pseudo-random integer in [0, 2**23) of an integer SQL expression, portable
    between PostgreSQL and SQLite (only +, *, / and % on 64-bit integers): three LCG rounds
    with a shift folded in, so low bits of consecutive ids are not correlated."""
    x = f"((CAST({expr} AS BIGINT) * 40503 + {salt * 2654435 + 977}) % {M31})"
    h = f"(({x} * 1103515245 + 12345) % {M31})"
    h = f"((({h} + {h} / 65536) * 1664525 + 1013904223) % {M31})"
    h = f"((({h} + {h} / 32768) * 22695477 + 1) % {M31})"
    return f"({h} / 256)"


U_RANGE = 8388608  # 2**23


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of indexes not backing a constraint, to drop during the load."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN
                              (SELECT conname FROM pg_constraint)""", [table])
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL", [table])
        return list(cursor.fetchall())


def _lookup_tables(cursor, tables: dict[str, tuple[str, list[tuple]]]) -> None:
    """Small TEMP tables (name → (columns DDL, rows)) the generating statements join on."""
    for name, (ddl, rows) in tables.items():
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMP TABLE {name} ({ddl})")
        if rows:
            marks = ", ".join(["%s"] * len(rows[0]))
            cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
        cursor.execute(f"ANALYZE {name}")


def build(args, n_people: int) -> dict:
    """People, ledger and totals generated inside the database (INSERT ... SELECT over a number
    series, values from ``u``), so PostgreSQL and SQLite get the same rows; then the cells
    rebuilt from the totals by ``hours.cells.rebuild_year`` as after any bulk change."""
    from django.db import connection, transaction

    from hours import cells, rules
    from hours.models import PersonYearTotal
    from people.models import Agency, Person, Position, Region

    pg = connection.vendor == "postgresql"
    this_year = rules.today_in("Asia/Jakarta").year
    years = list(range(this_year - args.years + 1, this_year + 1))
    today = rules.today_in("Asia/Jakarta")
    agencies = list(Agency.objects.order_by("pk").values_list("pk", "type"))
    weighted_agencies = [a for a, t in agencies for _ in range({"ministry": 8, "ministry_unit": 3,
                                                                 "agency": 3}.get(t, 1))]
    regencies: dict[str, list[str]] = {}
    for code, province in Region.objects.filter(level=2).order_by("code").values_list("code", "province_id"):
        regencies.setdefault(province, []).append(code)
    provinces = sorted(regencies)
    asn = [(p.pk, sorted(lv.pk for lv in p.levels.all()) or [None])
           for p in Position.objects.exclude(kind="non_asn").order_by("pk").prefetch_related("levels")]
    non_asn = [(pk, [None]) for pk in Position.objects.filter(kind="non_asn").order_by("pk")
               .values_list("pk", flat=True)]
    etypes = [t for t, w in TYPES for _ in range(w)]
    max_per_year = int(2 * args.per_year)  # entries of a person in a year: floor(diligence * 2 * mean + u)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = (f"'{now:%Y-%m-%d %H:%M:%S}+00:00'" if pg else f"'{now:%Y-%m-%d %H:%M:%S}.000000'")
    true = "TRUE" if pg else "1"
    start_id = (Person.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    end_id = start_id + n_people - 1

    tables = [Person._meta.db_table, "hours_ledgerentry", PersonYearTotal._meta.db_table]
    dropped = {t: secondary_indexes(t) for t in tables}
    steps: dict[str, float] = {}
    t0 = time.perf_counter()

    def step(name: str, since: float) -> float:
        now_t = time.perf_counter()
        steps[name] = now_t - since
        say(f"  {name}: {steps[name]:.1f} s")
        return now_t

    with connection.cursor() as cursor:
        if pg:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("SET work_mem = '256MB'")
            # bench database only: no WAL for the two big tables (nothing references them)
            cursor.execute("ALTER TABLE hours_ledgerentry SET UNLOGGED")
            cursor.execute("ALTER TABLE hours_personyeartotal SET UNLOGGED")
        else:
            cursor.execute("PRAGMA journal_mode=OFF")  # bench database only
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-2000000")
            cursor.execute("PRAGMA temp_store=MEMORY")
    with transaction.atomic(), connection.cursor() as cursor:
        for _table, indexes in dropped.items():
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        if pg:
            cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers during the load
        _lookup_tables(cursor, {
            "bench_agency": ("i INTEGER PRIMARY KEY, agency_id BIGINT", list(enumerate(weighted_agencies))),
            "bench_province": ("i INTEGER PRIMARY KEY, province_id VARCHAR(5), n INTEGER",
                               [(i, p, len(regencies[p])) for i, p in enumerate(provinces)]),
            "bench_regency": ("province_id VARCHAR(5), j INTEGER, region_id VARCHAR(5), PRIMARY KEY (province_id, j)",
                              [(p, j, r) for p in provinces for j, r in enumerate(regencies[p])]),
            "bench_position": ("grp INTEGER, i INTEGER, position_id BIGINT, n INTEGER, PRIMARY KEY (grp, i)",
                               [(g, i, pk, len(levels)) for g, group in enumerate((asn, non_asn))
                                for i, (pk, levels) in enumerate(group)]),
            "bench_level": ("position_id BIGINT, j INTEGER, level_id BIGINT, PRIMARY KEY (position_id, j)",
                            [(pk, j, lv) for pk, levels in asn + non_asn for j, lv in enumerate(levels)]),
            "bench_etype": ("i INTEGER PRIMARY KEY, entry_type VARCHAR(20)", list(enumerate(etypes))),
            "bench_year": ("yi INTEGER PRIMARY KEY, year INTEGER, jan1 DATE, span INTEGER",
                           [(i, y, dt.date(y, 1, 1).isoformat(),
                             ((dt.date(y, 12, 31) if y < this_year else today) - dt.date(y, 1, 1)).days + 1)
                            for i, y in enumerate(years)]),
            "bench_k": ("k INTEGER PRIMARY KEY", [(k,) for k in range(max_per_year + 1)]),
            "bench_share": ("year INTEGER, entry_type VARCHAR(20), pct INTEGER, PRIMARY KEY (year, entry_type)",
                            [(y, t, rules.share_percent(y, t)) for y in years for t, _w in TYPES]),
            "bench_required": ("year INTEGER, emp VARCHAR(8), need INTEGER, PRIMARY KEY (year, emp)",
                               [(y, et, rules.required_minutes(y, et)) for y in years
                                for et in ("PNS", "PPPK", "NON_ASN")]),
            "bench_minutes": ("i INTEGER PRIMARY KEY, minutes INTEGER",
                              list(enumerate((90, 180, 270, 360, 450, 720)))),
        })
        t = time.perf_counter()
        # people: employment type 60/20/20, position then level uniform, agency weighted by type,
        # province then regency uniform
        series = (f"generate_series({start_id}::bigint, {end_id}::bigint) AS s(g)" if pg else
                  f"(WITH RECURSIVE s(g) AS (SELECT {start_id} UNION ALL SELECT g + 1 FROM s WHERE g < {end_id}) "
                  f"SELECT g FROM s) AS s")
        pad16, pad14 = (("lpad(p.g::text, 16, '0')", "lpad(p.g::text, 14, '0')") if pg else
                        ("printf('%016d', p.g)", "printf('%014d', p.g)"))
        n_asn, n_non = len(asn), len(non_asn)
        # SQLite: CROSS JOIN keeps the series (or people) the outer loop, the lookups by primary key
        join = "JOIN" if pg else "CROSS JOIN"
        cursor.execute(f"""
            INSERT INTO {Person._meta.db_table} (id, full_name, title_prefix, title_suffix, sex, birth_place,
                employment_type, nip, nik, position_id, level_id, rank_grade, agency_id, work_unit, region_id,
                province_id, phone, email, is_active, sort_name, created_at, updated_at)
            SELECT p.g, 'Pegawai Uji ' || p.g, '', '', CASE WHEN p.g % 2 = 0 THEN 'L' ELSE 'P' END, '',
                p.emp, CASE WHEN p.emp <> 'NON_ASN' THEN '19' || {pad16} END,
                CASE WHEN p.emp = 'NON_ASN' THEN '32' || {pad14} END,
                bp.position_id, bl.level_id, '', ba.agency_id, '', br.region_id, bv.province_id, '', '', {true},
                'pegawai uji ' || p.g, {stamp}, {stamp}
            FROM (SELECT s.g AS g,
                         CASE WHEN {u('s.g', 1)} % 10 < 6 THEN 'PNS' WHEN {u('s.g', 1)} % 10 < 8 THEN 'PPPK'
                              ELSE 'NON_ASN' END AS emp,
                         {u('s.g', 2)} AS r_pos, {u('s.g', 3)} AS r_lvl, {u('s.g', 4)} AS r_agency,
                         {u('s.g', 5)} AS r_prov, {u('s.g', 6)} AS r_reg
                  FROM {series}) AS p
            {join} bench_position bp ON bp.grp = CASE WHEN p.emp = 'NON_ASN' THEN 1 ELSE 0 END
                 AND bp.i = p.r_pos % CASE WHEN p.emp = 'NON_ASN' THEN {n_non} ELSE {n_asn} END
            {join} bench_level bl ON bl.position_id = bp.position_id AND bl.j = p.r_lvl % bp.n
            {join} bench_agency ba ON ba.i = p.r_agency % {len(weighted_agencies)}
            {join} bench_province bv ON bv.i = p.r_prov % {len(provinces)}
            {join} bench_regency br ON br.province_id = bv.province_id AND br.j = p.r_reg % bv.n""")
        people_n = cursor.rowcount
        t = step("people", t)
        # ledger: per person a diligence d in [0, 1); per year floor(d * 2 * mean + u) entries
        entry_key = f"((p.id * {len(years)} + y.yi) * {max_per_year + 1} + k.k)"
        span = float(2 * args.per_year)
        day = ("CAST(y.jan1 AS DATE) + CAST(e.r_day % y.span AS INTEGER)" if pg else
               "date(y.jan1, '+' || (e.r_day % y.span) || ' days')")
        chunk = 100_000
        entries = 0
        for lo in range(start_id, end_id + 1, chunk):
            hi = min(end_id, lo + chunk - 1)
            cursor.execute(f"""
                INSERT INTO hours_ledgerentry (person_id, year, date, start_date, end_date, minutes,
                    credited_minutes, entry_type, source, title, organiser, location, certificate_number,
                    evidence, status, rejection_reason, void_reason, created_at)
                SELECT e.pid, e.year, e.day, e.day, e.day, bm.minutes, bm.minutes * sh.pct / 100, bt.entry_type,
                    CASE WHEN bt.entry_type = 'elearning' THEN 'platform' ELSE 'external' END,
                    CASE bt.entry_type {' '.join(f"WHEN '{k}' THEN '{v}'" for k, v in TITLES.items())} END,
                    'Pusbangprof', 'Daring', '', '', e.status,
                    CASE WHEN e.status = 'rejected' THEN 'Bukti kurang' ELSE '' END, '', {stamp}
                FROM (SELECT p.id AS pid, y.year AS year, {day.replace('e.r_day', u(entry_key, 11))} AS day,
                             {u(entry_key, 12)} % {len(etypes)} AS r_type, {u(entry_key, 13)} % 6 AS r_min,
                             CASE WHEN {u(entry_key, 14)} % 20 < 17 THEN 'approved'
                                  WHEN {u(entry_key, 14)} % 20 < 19 THEN 'pending' ELSE 'rejected' END AS status,
                             k.k AS k
                      FROM {Person._meta.db_table} p CROSS JOIN bench_year y CROSS JOIN bench_k k
                      WHERE p.id BETWEEN {lo} AND {hi}
                        AND k.k + 1 <= {u('p.id', 7)} * {span} / {U_RANGE}
                                       + {u(f'p.id * {len(years)} + y.yi', 8)} * 1.0 / {U_RANGE}
                     ) AS e
                {join} bench_etype bt ON bt.i = e.r_type
                {join} bench_minutes bm ON bm.i = e.r_min
                {join} bench_share sh ON sh.year = e.year AND sh.entry_type = bt.entry_type
                """)
            entries += cursor.rowcount
            if (lo - start_id) // chunk % 5 == 4 or hi == end_id:
                say(f"  ledger: {hi - start_id + 1:,} people, {entries:,} entries, "
                    f"{time.perf_counter() - t:.1f} s")
        t = step("ledger", t)
        # totals: the ledger summed per person and year by one grouped statement, then one row per
        # person and year (zero for a year without entries), as totals_ensure_year leaves them
        cursor.execute("CREATE TEMP TABLE bench_sums (person_id BIGINT, year INTEGER, a BIGINT, pe BIGINT, "
                       "PRIMARY KEY (person_id, year))")
        cursor.execute(f"""
            INSERT INTO bench_sums (person_id, year, a, pe)
            SELECT person_id, year, SUM(CASE WHEN status = 'approved' THEN credited_minutes ELSE 0 END),
                   SUM(CASE WHEN status = 'pending' THEN credited_minutes ELSE 0 END)
            FROM hours_ledgerentry WHERE voided_at IS NULL AND person_id BETWEEN {start_id} AND {end_id}
            GROUP BY person_id, year""")
        cursor.execute("ANALYZE bench_sums")
        cursor.execute(f"ANALYZE {Person._meta.db_table}")
        t = step("sums", t)
        cursor.execute(f"""
            INSERT INTO {PersonYearTotal._meta.db_table} (person_id, year, approved_minutes, pending_minutes,
                required_minutes, compliant, agency_id, province_id, position_id, level_id, employment_type)
            SELECT p.id, y.year, COALESCE(s.a, 0), COALESCE(s.pe, 0), r.need, COALESCE(s.a, 0) >= r.need,
                   p.agency_id, p.province_id, p.position_id, p.level_id, p.employment_type
            FROM {Person._meta.db_table} p CROSS JOIN bench_year y
            {join} bench_required r ON r.year = y.year AND r.emp = p.employment_type
            LEFT JOIN bench_sums s ON s.person_id = p.id AND s.year = y.year
            WHERE p.id BETWEEN {start_id} AND {end_id}""")
        totals_n = cursor.rowcount
        t = step("totals", t)
        t_load = time.perf_counter() - t0
        for _table, indexes in dropped.items():
            for _name, sql in indexes:
                cursor.execute(sql)
        if pg:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Person._meta.db_table}', 'id'), {end_id})")
        for name in ("agency", "province", "regency", "position", "level", "etype", "year", "k", "share",
                     "required", "minutes", "sums"):
            cursor.execute(f"DROP TABLE bench_{name}")
        t = step("indexes", t)
    t_index = steps["indexes"]
    if not pg:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    n_cells = sum(cells.rebuild_year(year) for year in years)
    t = step("cells", t)
    with connection.cursor() as cursor:
        if pg:
            connection.ensure_connection()
            old = connection.connection.autocommit
            connection.connection.autocommit = True
            cursor.execute("VACUUM ANALYZE")
            connection.connection.autocommit = old
        else:
            cursor.execute("ANALYZE")
    step("analyze", t)
    return {"years": years, "people": people_n, "entries": entries, "totals": totals_n, "cells": n_cells,
            "load_s": t_load, "index_s": t_index, "build_s": time.perf_counter() - t0, "start_id": start_id,
            "end_id": end_id}


def existing(args) -> dict:
    """What ``build`` returns, read from a database an earlier run built (``--reuse``)."""
    from django.db.models import Max, Min

    from hours.models import ComplianceCell, LedgerEntry, PersonYearTotal
    from people.models import Person

    years = sorted(PersonYearTotal.objects.values_list("year", flat=True).distinct().order_by())
    bounds = Person.objects.aggregate(lo=Min("id"), hi=Max("id"))
    return {"years": years, "people": Person.objects.count(), "entries": LedgerEntry.objects.count(),
            "totals": PersonYearTotal.objects.count(), "cells": ComplianceCell.objects.count(), "load_s": 0.0,
            "index_s": 0.0, "build_s": 0.0, "start_id": bounds["lo"], "end_id": bounds["hi"]}


def verify_sample(info: dict, every: int) -> tuple[int, int]:
    """``siaga hours verify``'s comparison (``hours.verify.chunk_differences``: totals recomputed
    from the ledger against the stored ones, field by field) on every ``every``-th block of
    people. Returns (differences, people checked)."""
    from hours import verify

    lo, hi, block = info["start_id"], info["end_id"], verify.CHUNK
    starts = list(range(lo, hi + 1, block))[::max(1, every)]
    found = sum(1 for start in starts for year in info["years"]
                for _d in verify.chunk_differences(year=year, lo=start, hi=min(hi + 1, start + block)))
    return found, sum(min(hi + 1, s + block) - s for s in starts)


def dashboard_queries(year: int) -> list[tuple[str, object]]:
    from hours.selectors import (
        DashboardFilters,
        at_risk,
        dashboard_breakdown,
        dashboard_people,
        dashboard_summary,
        dashboard_trend,
    )
    from people.models import Agency
    from siaga.testing import SYSTEM
    from web.pagination import capped_count

    user = SYSTEM
    everyone = DashboardFilters(year=year)
    kemensos = DashboardFilters(year=year, agency=Agency.objects.get(code="kemensos").pk)

    def page(qs, n=50):
        capped_count(qs)
        return list(qs[:n])

    queries = [("summary", lambda: dashboard_summary(user=user, filters=everyone)),
               ("trend", lambda: dashboard_trend(user=user, filters=everyone)),
               ("agency_scoped_summary", lambda: dashboard_summary(user=user, filters=kemensos)),
               ("people_page", lambda: page(dashboard_people(user=user, filters=kemensos))),
               ("at_risk_page", lambda: page(at_risk(user=user, filters=everyone), 25))]
    for dim in ("agency", "province", "position", "level", "employment_type"):
        queries.append((f"by_{dim}", lambda d=dim: dashboard_breakdown(user=user, filters=everyone, dimension=d)))
    return queries


def measure(queries, repeat: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {name: [] for name, _q in queries}
    for _name, query in queries:
        query()  # warm
    for _ in range(repeat):
        for name, query in queries:
            t = time.perf_counter()
            query()
            timings[name].append((time.perf_counter() - t) * 1000)
    return timings


BACKLOG = 5_000


def make_backlog(year: int, n: int) -> tuple[float, int, list[int]]:
    """``n`` pending deltas as ledger writes make them: ``n`` people's totals of ``year`` each credited
    45 more minutes through ``hours.services._apply`` (the total and cell update every entry change
    runs), 500 per transaction, not compacted. Returns (seconds, deltas pending, the people's ids)."""
    from django.db import transaction

    from hours.models import ComplianceDelta, PersonYearTotal
    from hours.services import _apply
    from people.models import Person

    t = time.perf_counter()
    ids = list(PersonYearTotal.objects.filter(year=year, required_minutes__gt=0).order_by("person_id")
               .values_list("person_id", flat=True)[:n])
    people = Person.objects.in_bulk(ids)
    for start in range(0, len(ids), 500):
        with transaction.atomic():
            for person_id in ids[start:start + 500]:
                _apply(people[person_id], year, 45, 0)
    return time.perf_counter() - t, ComplianceDelta.objects.count(), ids


def undo_backlog(year: int, ids: list[int]) -> None:
    """Take the backlog's 45 minutes back (and compact), so the totals match the ledger again and a
    ``--reuse`` run verifies and compares as the first did."""
    from django.db import transaction

    from hours import cells
    from hours.services import _apply
    from people.models import Person

    people = Person.objects.in_bulk(ids)
    for start in range(0, len(ids), 500):
        with transaction.atomic():
            for person_id in ids[start:start + 500]:
                _apply(people[person_id], year, -45, 0)
    cells.compact()


def export_for_duckdb(tmp: Path) -> tuple[Path, Path, float]:
    """Export the ledger and people once (CSV from the database, then Parquet)."""
    import duckdb
    from django.db import connection

    t0 = time.perf_counter()
    ledger_csv, people_csv = tmp / "ledger.csv", tmp / "people.csv"
    ledger_sql = ("SELECT person_id, year, credited_minutes, status, CASE WHEN voided_at IS NULL THEN 1 ELSE 0 END "
                  "FROM hours_ledgerentry")
    people_sql = ("SELECT id, agency_id, province_id, COALESCE(position_id, 0), COALESCE(level_id, 0), "
                  "employment_type FROM people_person WHERE is_active")
    for sql, path, header in ((ledger_sql, ledger_csv, "person_id,year,credited,status,live"),
                              (people_sql, people_csv, "id,agency_id,province_id,position_id,level_id,emp")):
        if connection.vendor == "postgresql":
            with open(path, "wb") as handle:
                handle.write((header + "\n").encode())
                with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV") as copy:
                    for chunk in copy:
                        handle.write(chunk)
        else:
            with open(path, "w", newline="") as handle, connection.cursor() as cursor:
                handle.write(header + "\n")
                writer = csv.writer(handle, lineterminator="\n")
                cursor.execute(sql)
                while rows := cursor.fetchmany(50_000):
                    writer.writerows(rows)
    con = duckdb.connect()
    ledger_pq, people_pq = tmp / "ledger.parquet", tmp / "people.parquet"
    ledger_cols = "{'person_id': 'BIGINT', 'year': 'INTEGER', 'credited': 'BIGINT', 'status': 'VARCHAR', 'live': 'INTEGER'}"
    people_cols = ("{'id': 'BIGINT', 'agency_id': 'BIGINT', 'province_id': 'VARCHAR', 'position_id': 'BIGINT', "
                   "'level_id': 'BIGINT', 'emp': 'VARCHAR'}")
    con.execute(f"COPY (SELECT * FROM read_csv('{ledger_csv}', header=true, delim=',', columns={ledger_cols})) "
                f"TO '{ledger_pq}' (FORMAT parquet)")
    con.execute(f"COPY (SELECT * FROM read_csv('{people_csv}', header=true, delim=',', columns={people_cols})) "
                f"TO '{people_pq}' (FORMAT parquet)")
    con.close()
    ledger_csv.unlink()
    people_csv.unlink()
    return ledger_pq, people_pq, time.perf_counter() - t0


def duckdb_figures(ledger_pq: Path, people_pq: Path, year: int, years: list[int], repeat: int):
    """The same compliance figures, each by a full group-by over the ledger."""
    import duckdb

    from hours import rules

    con = duckdb.connect()
    req = " UNION ALL ".join(f"SELECT {y} AS year, '{et}' AS emp, {rules.required_minutes(y, et)} AS need"
                             for y in years for et in ("PNS", "PPPK", "NON_ASN"))
    per_person = f"""
        WITH sums AS (SELECT person_id, year, SUM(credited) FILTER (WHERE status = 'approved') AS approved
                      FROM '{ledger_pq}' WHERE live = 1 {{where}} GROUP BY person_id, year),
             req AS ({req}),
             years AS (SELECT DISTINCT year FROM req {{year_filter}}),
             t AS (SELECT p.*, y.year, COALESCE(s.approved, 0) AS approved, r.need
                   FROM '{people_pq}' p CROSS JOIN years y
                   JOIN req r ON r.year = y.year AND r.emp = p.emp
                   LEFT JOIN sums s ON s.person_id = p.id AND s.year = y.year
                   WHERE r.need > 0)"""
    agg = ("COUNT(*) AS people, COUNT(*) FILTER (WHERE approved >= need) AS compliant, SUM(approved) AS minutes, "
           "COUNT(*) FILTER (WHERE approved = 0) AS b0, COUNT(*) FILTER (WHERE approved >= 900) AS b5")
    one_year = per_person.format(where=f"AND year = {year}", year_filter=f"WHERE year = {year}")
    all_years = per_person.format(where="", year_filter="")
    queries = {"summary": f"{one_year} SELECT {agg} FROM t",
               "trend": f"{all_years} SELECT year, {agg} FROM t GROUP BY year"}
    for dim, column in (("agency", "agency_id"), ("province", "province_id"), ("position", "position_id"),
                        ("level", "level_id"), ("employment_type", "emp")):
        queries[f"by_{dim}"] = f"{one_year} SELECT {column}, {agg} FROM t GROUP BY {column}"
    timings: dict[str, list[float]] = {}
    results = {}
    for name, sql in queries.items():
        results[name] = con.execute(sql).fetchall()  # warm (file metadata)
        timings[name] = []
        for _ in range(repeat):
            t = time.perf_counter()
            con.execute(sql).fetchall()
            timings[name].append((time.perf_counter() - t) * 1000)
    con.close()
    return timings, results


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def say(*parts) -> None:
    print(*parts, flush=True)


def main() -> None:
    args = parse_args()
    n_people = args.people or (1_000_000 if args.full else 20_000)
    repeat = args.repeat or (10 if args.full else 30)
    tmp, dbname = setup(args)
    try:
        from django.db import connection

        vendor = connection.vendor
        info = existing(args) if args.reuse else build(args, n_people)
        say(f"built {info['people']:,} people, {info['entries']:,} entries, {info['totals']:,} totals, "
            f"{info['cells']:,} cells on {vendor} in {info['build_s']:.1f} s (load {info['load_s']:.1f} s, "
            f"indexes {info['index_s']:.1f} s)")
        t = time.perf_counter()
        every = args.verify_every or (4 if args.full else 1)
        differences, checked = verify_sample(info, every)
        say(f"hours verify on {checked:,} people x {len(info['years'])} years: {differences} differences "
            f"({time.perf_counter() - t:.1f} s)")
        year = info["years"][-2]  # the last complete year
        from hours import cells

        t = time.perf_counter()
        compacted = cells.compact()
        compact_ms = (time.perf_counter() - t) * 1000
        say(f"compaction after the build: {compacted:,} deltas in {compact_ms:.1f} ms")
        timings = measure(dashboard_queries(year), repeat)
        from hours.selectors import DashboardFilters, dashboard_summary
        from siaga.testing import SYSTEM

        ours = dashboard_summary(user=SYSTEM, filters=DashboardFilters(year=year))  # before the backlog
        backlog_s, backlog_n, backlog_ids = make_backlog(year, BACKLOG)
        say(f"backlog: {backlog_n:,} pending deltas written through the ledger's total path in {backlog_s:.1f} s")
        backlog = measure(dashboard_queries(year), repeat)
        t = time.perf_counter()
        compacted_backlog = cells.compact()
        backlog_compact_ms = (time.perf_counter() - t) * 1000
        say(f"compaction of the backlog: {compacted_backlog:,} deltas in {backlog_compact_ms:.1f} ms")
        undo_backlog(year, backlog_ids)
        ledger_pq, people_pq, export_s = export_for_duckdb(tmp)
        say(f"exported the ledger once to Parquet in {export_s:.1f} s")
        duck, duck_results = duckdb_figures(ledger_pq, people_pq, year, info["years"], max(3, repeat // 5))
        theirs = duck_results["summary"][0]
        same = (ours.people, ours.compliant, ours.minutes) == (theirs[0], theirs[1], theirs[2])
        say(f"{'query':<24}{'p50 ms':>10}{'p95 ms':>10}{'backlog p50':>13}{'backlog p95':>13}"
            f"{'duckdb p50 ms':>16}")
        for name, values in timings.items():
            d = f"{statistics.median(duck[name]):.1f}" if name in duck else "-"
            say(f"{name:<24}{statistics.median(values):>10.2f}{pct(values, 95):>10.2f}"
                f"{statistics.median(backlog[name]):>13.2f}{pct(backlog[name], 95):>13.2f}{d:>16}")
        every = [v for values in timings.values() for v in values]
        p50, p95 = statistics.median(every), pct(every, 95)
        every_backlog = [v for values in backlog.values() for v in values]
        p50_backlog, p95_backlog = statistics.median(every_backlog), pct(every_backlog, 95)
        duck_all = [v for values in duck.values() for v in values]
        duck_p50 = statistics.median(duck_all)
        say(f"figures identical to DuckDB: {same} (people={ours.people} compliant={ours.compliant})")
        say(f"RESULT compliance db={vendor} people={info['people']} entries={info['entries']} "
            f"totals={info['totals']} cells={info['cells']} build_s={info['build_s']:.1f} "
            f"{'reused_db=1 ' if args.reuse else ''}"
            f"verified_people={checked} verify_differences={differences} p50_ms={p50:.2f} p95_ms={p95:.2f} "
            f"duckdb_p50_ms={duck_p50:.1f} speedup_vs_duckdb={duck_p50 / p95:.1f}x same_figures={same} "
            f"target_p95_200ms={'met' if p95 <= 200 else 'missed'} "
            f"target_10x={'met' if duck_p50 / p95 >= 10 else 'missed'} "
            f"compact_ms={compact_ms:.1f} backlog_deltas={backlog_n} p50_backlog_ms={p50_backlog:.2f} "
            f"p95_backlog_ms={p95_backlog:.2f} backlog_compact_ms={backlog_compact_ms:.1f} "
            f"target_10x_backlog={'met' if duck_p50 / p95_backlog >= 10 else 'missed'}")
    finally:
        if dbname and not args.keep:
            drop_database(dbname)
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
