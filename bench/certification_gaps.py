"""Gap view evaluation: a page of people evaluated in bulk vs. one evaluation per person (baseline).

    /tmp/venv/bin/python bench/certification_gaps.py            # 2,000 people
    /tmp/venv/bin/python bench/certification_gaps.py --full     # 100,000 people
    ... --postgres                                               # a throwaway PostgreSQL database

Ends with one line: RESULT certification_gaps ..."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    people_count = 100_000 if args.full else 2_000
    tmp = tempfile.mkdtemp(prefix="siaga-bench-cert-")
    os.environ["SIAGA_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    pg_name = None
    if args.postgres:
        import psycopg

        pg_name = f"siaga_bench_cert_{os.getpid()}"
        base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {pg_name}")
        os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        run(people_count)
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE {pg_name}")


def run(people_count: int) -> None:
    import datetime as dt
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", interactive=False, verbosity=0)
    from certification.evaluation import evaluate_people, evaluate_person
    from certification.models import Credential
    from people import demo as people_demo
    from people.models import Person

    rng = random.Random(7)
    people_demo.insert_people(people_demo.build_people(people_count, rng=rng))
    workers = list(Person.objects.filter(position__code="pekerja-sosial").values_list("pk", flat=True))
    today = dt.date.today()
    rows = []
    for pk in workers:
        for kind in ("competency", "str", "sipps"):
            if rng.random() < 0.8:
                rows.append(Credential(person_id=pk, kind=kind, number=f"{kind}-{pk}", issued_on=today - dt.timedelta(
                    days=900), valid_until=today + dt.timedelta(days=rng.randint(-200, 900)),
                    region_id="32.73" if kind == "sipps" else None, status="verified",
                    scheme="Generalis" if kind == "competency" else "", certifying_body="lsps" if kind == "competency"
                    else "", issuer="IPSPI"))
    Credential.objects.bulk_create(rows, batch_size=2000)

    pages = 20
    qs = Person.objects.filter(position__code="pekerja-sosial").select_related("region", "province").order_by(
        "sort_name", "id")
    page_items = [list(qs[i * 25:(i + 1) * 25]) for i in range(pages)]
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as bulk_q:
        for items in page_items:
            evaluate_people(items)
    bulk_ms = (time.perf_counter() - t0) * 1000 / pages
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as naive_q:
        for items in page_items:
            for person in items:
                evaluate_person(person)
    naive_ms = (time.perf_counter() - t0) * 1000 / pages
    print(f"RESULT certification_gaps people={people_count} credentials={len(rows)} page=25 "
          f"bulk_ms_per_page={bulk_ms:.1f} bulk_queries_per_page={len(bulk_q) / pages:.0f} "
          f"baseline_per_person_ms_per_page={naive_ms:.1f} baseline_queries_per_page={len(naive_q) / pages:.0f} "
          f"db={connection.vendor}")


if __name__ == "__main__":
    main()
