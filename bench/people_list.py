"""How fast is the people list at national scale?

Builds a throwaway database (a temp SQLite file, or with ``--postgres`` a fresh PostgreSQL
database on 127.0.0.1 that is dropped afterwards), loads N demo people with
``people.demo.load`` (the ``siaga demo --people N`` loader; its time is printed), then times the
people-list page's queries exactly as the page runs them: ``people.views.filters_from`` on the
query string, ``people.selectors.person_search`` and ``web.pagination.paginate_by_ids`` (capped
count + first page, in two steps: ids first, then the page's rows), also timed in one step with
``web.pagination.paginate`` for comparison. Baseline, measured in the same run: a naive
``sort_name LIKE '%siti%'`` scan with a full COUNT.

    /tmp/venv/bin/python bench/people_list.py              # 50,000 people on SQLite
    /tmp/venv/bin/python bench/people_list.py --full       # 1,000,000 people
    /tmp/venv/bin/python bench/people_list.py --full --postgres
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50_000, help="people to load (default 50,000)")
    parser.add_argument("--full", action="store_true", help="1,000,000 people (the issue's scale)")
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database on 127.0.0.1")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query (after one warm-up)")
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its location)")
    parser.add_argument("--reuse", metavar="DATABASE_URL", default="",
                        help="time the queries on a database kept by --keep (no load; load_s=0 in RESULT)")
    return parser.parse_args()


def setup_database(args) -> tuple[str, callable]:
    """Point Django at a new database; return its label and a function that removes it."""
    workdir = Path(tempfile.mkdtemp(prefix="siaga-bench-"))
    os.environ["SIAGA_DATA_DIR"] = str(workdir)
    os.environ.setdefault("SIAGA_LOG_LEVEL", "WARNING")
    if not args.postgres:
        path = workdir / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"

        def drop() -> None:
            for file in workdir.glob("*"):
                if file.is_file():
                    file.unlink()

        return "sqlite", drop
    import psycopg

    name = f"siaga_bench_{os.getpid()}_{int(time.time())}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return "postgresql", drop


def timed(func, runs: int) -> tuple[float, float, object]:
    func()  # warm-up
    samples = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, result


def main() -> None:
    args = parse_args()
    count = 1_000_000 if args.full else args.people
    if args.reuse:
        os.environ["DATABASE_URL"] = args.reuse
        os.environ.setdefault("SIAGA_DATA_DIR", tempfile.mkdtemp(prefix="siaga-bench-"))
        label, drop = ("postgresql" if args.reuse.startswith("postgres") else "sqlite"), (lambda: None)
    else:
        label, drop = setup_database(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import RequestFactory

    try:
        if not args.reuse:
            started = time.perf_counter()
            call_command("migrate", interactive=False, verbosity=0)
            print(f"migrate: {time.perf_counter() - started:.1f} s", flush=True)

        from accounts.models import User
        from accounts.roles import Role
        from people import demo
        from people.models import Agency, Person, PersonSearchToken
        from people.selectors import person_search
        from people.views import filters_from
        from web.pagination import paginate, paginate_by_ids

        if args.reuse:
            count, load_s = Person.objects.count(), 0.0
            print(f"reusing {count:,} people", flush=True)
        else:
            started, cpu = time.perf_counter(), time.process_time()
            demo.load(count=count, rng=random.Random(2020), stdout=sys.stdout)
            load_s = time.perf_counter() - started
            print(f"load {count:,} people: {load_s:.1f} s ({count / load_s:,.0f} people/s; "
                  f"{time.process_time() - cpu:.1f} s CPU in this process)", flush=True)

        organiser = (User.objects.filter(username="bench-organiser").first()
                     or User.objects.create_user(username="bench-organiser", password=None, role=Role.ORGANISER))
        kemensos = Agency.objects.get(code="kemensos")
        # Demo names come from short lists, so every demo word is common at scale; a rare name is
        # a family name three people carry (added through the real service).
        from siaga.testing import make_person

        if not PersonSearchToken.objects.filter(token="tuhuteru").exists():
            for given in ("Yohana", "Markus", "Elisabeth"):
                make_person(agency="kemensos", full_name=f"{given} Tuhuteru")
        rare = {"token": "tuhuteru", "n": PersonSearchToken.objects.filter(token="tuhuteru").count()}
        sample = Person.objects.exclude(nip=None).order_by("id")[count // 2]
        spaced_nip = f"{sample.nip[:8]} {sample.nip[8:14]} {sample.nip[14]} {sample.nip[15:]}"
        cases = {
            "common": {"q": "siti"},
            "rare": {"q": "tuhut"},
            "absent": {"q": "sitx"},
            "two_words": {"q": "siti rahayu"},
            "nip": {"q": spaced_nip},
            "agency": {"agency": str(kemensos.pk)},
            "province": {"province": "32"},
            "agency_name": {"agency": str(kemensos.pk), "q": "siti"},
            "all": {},
            "sort_agency": {"sort": "agency", "q": "siti"},
            "sort_province": {"sort": "province"},
        }
        factory = RequestFactory()

        def page_for(params: dict, pager=paginate_by_ids):
            def run():
                request = factory.get("/sdm/", params)
                request.user = organiser
                page = pager(request, person_search(user=organiser, filters=filters_from(request.GET)))
                return page.count, len(page.items), page.count_is_capped
            return run

        results: dict[str, float] = {}
        print(f"\n{'query':<14} {'p50 ms':>9} {'p95 ms':>9}  count (capped at 10,000), rows on page 1")
        for key, params in cases.items():
            p50, p95, (total, rows, capped) = timed(page_for(params), args.runs)
            results[f"{key}_p50_ms"], results[f"{key}_p95_ms"] = p50, p95
            print(f"{key:<14} {p50:9.1f} {p95:9.1f}  {total:,}{'+' if capped else ''}, {rows}   {params}", flush=True)
        # The same searches paged in one step (web.pagination.paginate: joins inside the sorted query).
        for key in ("common", "rare", "all"):
            p50, p95, (total, rows, capped) = timed(page_for(cases[key], paginate), args.runs)
            results[f"{key}_one_step_p50_ms"] = p50
            print(f"{key + ' 1-step':<14} {p50:9.1f} {p95:9.1f}  {total:,}{'+' if capped else ''}, {rows}", flush=True)

        def naive():
            qs = Person.objects.filter(sort_name__contains="siti").select_related("agency").order_by("sort_name")
            return qs.count(), len(list(qs[:50]))

        p50, p95, (total, rows) = timed(naive, max(3, args.runs // 3))
        results["baseline_like_p50_ms"], results["baseline_like_p95_ms"] = p50, p95
        print(f"{'baseline LIKE':<14} {p50:9.1f} {p95:9.1f}  {total:,}, {rows}   sort_name LIKE '%siti%' + COUNT(*)")
        print(f"rare token: {rare['token']!r} ({rare['n']:,} people)")
        figures = " ".join(f"{key}={value:.1f}" for key, value in results.items())
        reused = " reused_db=1" if args.reuse else ""
        print(f"\nRESULT people_list db={label} people={count} load_s={load_s:.1f}{reused} {figures}")
    finally:
        if args.keep or args.reuse:
            print(f"kept: {os.environ['DATABASE_URL']}")
        else:
            drop()


if __name__ == "__main__":
    main()
