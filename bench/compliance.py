"""Compliance dashboard benchmark: people and a five-year JP ledger built with bulk SQL
(COPY on PostgreSQL, executemany on SQLite), PersonYearTotal built in the same pass,
ComplianceCell rebuilt from the totals; then the dashboard queries, as the dashboard runs
them (hours.selectors, reading cells and totals), against DuckDB computing the same
compliance figures by a full group-by over the same ledger exported once to Parquet.

    /tmp/venv/bin/python bench/compliance.py                  # 20,000 people, SQLite
    /tmp/venv/bin/python bench/compliance.py --postgres       # same on a fresh PostgreSQL database
    /tmp/venv/bin/python bench/compliance.py --full --postgres  # 1,000,000 people, 20,000,000 entries
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
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
    return parser.parse_args()


def setup(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    tmp = Path(tempfile.mkdtemp(prefix="bench-compliance-"))
    os.environ["SIAGA_DATA_DIR"] = str(tmp)
    dbname = None
    if args.postgres:
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


class Writer:
    """Bulk rows into a table: COPY on PostgreSQL, executemany on SQLite, in chunks (one
    connection runs one COPY at a time, so each chunk is its own COPY statement)."""

    CHUNK = 50_000

    def __init__(self, table: str, columns: list[str], parents: list[Writer] | None = None):
        from django.db import connection

        #: writers whose rows these rows reference: flushed first, so no foreign key is ever
        #: pending (SQLite would otherwise re-scan the index-less child table per parent row)
        self.parents = parents or []
        self.connection = connection
        self.table, self.columns = table, columns
        self.buffer: list[tuple] = []
        self.pg = connection.vendor == "postgresql"
        self.count = 0
        marks = ", ".join("?" for _ in columns)
        self.sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"

    def write(self, row: tuple) -> None:
        self.count += 1
        self.buffer.append(row)
        if len(self.buffer) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        for parent in self.parents:
            parent.flush()
        if self.pg:
            with self.connection.cursor() as cursor, cursor.cursor.copy(
                    f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
                for row in self.buffer:
                    copy.write_row(row)
        else:
            self.connection.connection.executemany(self.sql, self.buffer)
        self.buffer = []

    def close(self) -> None:
        self.flush()


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


def build(args, n_people: int) -> dict:
    from django.db import connection, transaction

    from hours import cells, rules
    from hours.models import PersonYearTotal
    from people.models import Agency, Person, Position, Region

    rng = random.Random(7)
    this_year = rules.today_in("Asia/Jakarta").year
    years = list(range(this_year - args.years + 1, this_year + 1))
    agencies = list(Agency.objects.values_list("pk", "type"))
    agency_ids = [a for a, _t in agencies]
    agency_weights = [{"ministry": 8, "ministry_unit": 3, "agency": 3}.get(t, 1) for _a, t in agencies]
    regencies: dict[str, list[str]] = {}
    for code, province in Region.objects.filter(level=2).values_list("code", "province_id"):
        regencies.setdefault(province, []).append(code)
    provinces = sorted(regencies)
    asn_positions = []
    for position in Position.objects.exclude(kind="non_asn").prefetch_related("levels"):
        asn_positions.append((position.pk, [lv.pk for lv in position.levels.all()] or [None]))
    non_asn = list(Position.objects.filter(kind="non_asn").values_list("pk", flat=True))
    shares = {(y, t): rules.share_percent(y, t) for y in years for t, _w in TYPES}
    required = {(y, et): rules.required_minutes(y, et) for y in years for et in ("PNS", "PPPK", "NON_ASN")}
    type_names, type_weights = zip(*TYPES, strict=True)
    now = dt.datetime.now(dt.UTC)
    start_id = (Person.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

    tables = [Person._meta.db_table, "hours_ledgerentry", PersonYearTotal._meta.db_table]
    dropped = {t: secondary_indexes(t) for t in tables}
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for _table, indexes in dropped.items():
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers during the load
        people = Writer(Person._meta.db_table, [
            "id", "full_name", "title_prefix", "title_suffix", "sex", "birth_place", "employment_type", "nip",
            "nik", "position_id", "level_id", "rank_grade", "agency_id", "work_unit", "region_id", "province_id",
            "phone", "email", "is_active", "sort_name", "created_at", "updated_at"])
        ledger = Writer("hours_ledgerentry", [
            "person_id", "year", "date", "start_date", "end_date", "minutes", "credited_minutes", "entry_type",
            "source", "title", "organiser", "location", "certificate_number", "evidence", "status",
            "rejection_reason", "void_reason", "created_at"], parents=[people])
        totals = Writer(PersonYearTotal._meta.db_table, [
            "person_id", "year", "approved_minutes", "pending_minutes", "required_minutes", "compliant",
            "agency_id", "province_id", "position_id", "level_id", "employment_type"], parents=[people])
        day_span = {y: ((dt.date(y, 12, 31) if y < this_year else rules.today_in("Asia/Jakarta"))
                        - dt.date(y, 1, 1)).days for y in years}
        jan1 = {y: dt.date(y, 1, 1) for y in years}
        for i in range(n_people):
            pid = start_id + i
            roll = rng.random()
            emp = "PNS" if roll < 0.6 else "PPPK" if roll < 0.8 else "NON_ASN"
            if emp == "NON_ASN":
                position, level = rng.choice(non_asn), None
            else:
                position, levels = rng.choice(asn_positions)
                level = rng.choice(levels)
            agency = rng.choices(agency_ids, agency_weights)[0]
            province = rng.choice(provinces)
            region = rng.choice(regencies[province])
            name = f"Pegawai Uji {pid}"
            people.write((pid, name, "", "", "LP"[pid % 2], "", emp, f"19{pid:016d}" if emp != "NON_ASN" else None,
                          f"32{pid:014d}" if emp == "NON_ASN" else None, position, level, "", agency, "", region,
                          province, "", "", True, name.lower(), now, now))
            diligence = rng.random() * 2 * args.per_year
            for year in years:
                approved = pending = 0
                for _ in range(int(diligence + rng.random())):
                    etype = rng.choices(type_names, type_weights)[0]
                    day = jan1[year] + dt.timedelta(days=rng.randint(0, day_span[year]))
                    minutes = rng.choice((90, 180, 270, 360, 450, 720))
                    credited = minutes * shares[(year, etype)] // 100
                    status = rng.choice(STATUSES)
                    if status == "approved":
                        approved += credited
                    elif status == "pending":
                        pending += credited
                    ledger.write((pid, year, day, day, day, minutes, credited, etype,
                                  "platform" if etype == "elearning" else "external", TITLES[etype], "Pusbangprof",
                                  "Daring", "", "", status, "Bukti kurang" if status == "rejected" else "", "", now))
                need = required[(year, emp)]
                totals.write((pid, year, approved, pending, need, approved >= need, agency, province, position, level,
                              emp))
        for writer in (people, ledger, totals):
            writer.close()
        t_load = time.perf_counter() - t0
        for _table, indexes in dropped.items():
            for _name, sql in indexes:
                cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Person._meta.db_table}', 'id'), %s)",
                           [start_id + n_people])
    t_index = time.perf_counter() - t0 - t_load
    for year in years:
        cells.rebuild_year(year)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            old = connection.connection.autocommit
            connection.connection.autocommit = True
            cursor.execute("VACUUM ANALYZE")
            connection.connection.autocommit = old
        else:
            cursor.execute("ANALYZE")
    return {"years": years, "people": n_people, "entries": ledger.count, "totals": totals.count,
            "load_s": t_load, "index_s": t_index, "build_s": time.perf_counter() - t0}


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
        info = build(args, n_people)
        say(f"built {info['people']:,} people, {info['entries']:,} entries, {info['totals']:,} totals on {vendor} "
              f"in {info['build_s']:.1f} s (load {info['load_s']:.1f} s, indexes {info['index_s']:.1f} s)")
        year = info["years"][-2]  # the last complete year
        timings = measure(dashboard_queries(year), repeat)
        ledger_pq, people_pq, export_s = export_for_duckdb(tmp)
        say(f"exported the ledger once to Parquet in {export_s:.1f} s")
        duck, duck_results = duckdb_figures(ledger_pq, people_pq, year, info["years"], max(3, repeat // 5))

        from hours.selectors import DashboardFilters, dashboard_summary
        from siaga.testing import SYSTEM

        ours = dashboard_summary(user=SYSTEM, filters=DashboardFilters(year=year))
        theirs = duck_results["summary"][0]
        same = (ours.people, ours.compliant, ours.minutes) == (theirs[0], theirs[1], theirs[2])
        say(f"{'query':<24}{'p50 ms':>10}{'p95 ms':>10}{'duckdb p50 ms':>16}")
        for name, values in timings.items():
            d = f"{statistics.median(duck[name]):.1f}" if name in duck else "-"
            say(f"{name:<24}{statistics.median(values):>10.2f}{pct(values, 95):>10.2f}{d:>16}")
        every = [v for values in timings.values() for v in values]
        p50, p95 = statistics.median(every), pct(every, 95)
        duck_all = [v for values in duck.values() for v in values]
        duck_p50 = statistics.median(duck_all)
        say(f"figures identical to DuckDB: {same} (people={ours.people} compliant={ours.compliant})")
        say(f"RESULT compliance db={vendor} people={info['people']} entries={info['entries']} "
              f"totals={info['totals']} build_s={info['build_s']:.1f} p50_ms={p50:.2f} p95_ms={p95:.2f} "
              f"duckdb_p50_ms={duck_p50:.1f} speedup_vs_duckdb={duck_p50 / p95:.1f}x same_figures={same} "
              f"target_p95_200ms={'met' if p95 <= 200 else 'missed'} "
              f"target_10x={'met' if duck_p50 / p95 >= 10 else 'missed'}")
    finally:
        if dbname and not args.keep:
            drop_database(dbname)


if __name__ == "__main__":
    main()
