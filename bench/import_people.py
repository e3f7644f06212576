"""Benchmark of the people import: preview and commit of an XLSX and a CSV file, next to a raw
``executemany`` insert of the same rows into the same table, measured in the same run.

    /tmp/venv/bin/python bench/import_people.py            # small: 2,000-row XLSX, 20,000-row CSV
    /tmp/venv/bin/python bench/import_people.py --full     # 100,000-row XLSX, 1,000,000-row CSV
    /tmp/venv/bin/python bench/import_people.py --full --postgres   # on a fresh PostgreSQL database

Each phase runs in its own process so its peak memory (``ru_maxrss``) is its own. The database is a
throwaway SQLite file (or a PostgreSQL database created and dropped here). Ends with one RESULT line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["No", "Nama Lengkap", "NIP", "Jenis Kelamin", "Tanggal Lahir", "Jabatan", "Unit Kerja", "Provinsi",
          "Kab/Kota", "No. HP", "Email"]
FIRST = ["Siti", "Budi", "Agus", "Dewi", "Rina", "Ahmad", "Nur", "Sri", "Eko", "Putri", "Dian", "Hendra", "Yuni",
         "Rudi", "Wahyu", "Indah", "Fajar", "Lestari", "Bambang", "Ratna"]
LAST = ["Aminah", "Santoso", "Wijaya", "Lestari", "Hidayat", "Saputra", "Rahmawati", "Pratama", "Kusuma",
        "Nugroho", "Susanti", "Setiawan", "Handayani", "Siregar", "Nasution", "Hutapea", "Simanjuntak", "Sari"]
PLACES = [("Jawa Barat", "Kota Bandung", "32", "32.73"), ("Jabar", "Kab. Bogor", "32", "32.01"),
          ("DKI Jakarta", "Kota Adm. Jakarta Selatan", "31", "31.74"), ("Jawa Tengah", "Kota Semarang", "33", "33.74"),
          ("DIY", "Kab. Sleman", "34", "34.04"), ("Jatim", "Kota Surabaya", "35", "35.78")]
LEVELS = [("Pekerja Sosial Ahli Pertama", "ahli-pertama"), ("Pekerja Sosial Ahli Muda", "ahli-muda"),
          ("Pekerja Sosial Terampil", "terampil")]


def person_rows(n: int, *, offset: int = 0):
    """(file row, raw values) for ``n`` distinct valid PNS records."""
    rng = random.Random(offset + 7)
    base = dt.date(1965, 1, 1)
    for i in range(offset, offset + n):
        born = base + dt.timedelta(days=i // 900 % 12000)
        serial = i % 900 + 1
        sex = "L" if i % 2 else "P"
        tmt = born.year + 25
        nip = f"{born:%Y%m%d}{tmt}{(i // 900 // 12000) % 12 + 1:02d}{'1' if sex == 'L' else '2'}{serial:03d}"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i:07d}"
        province, regency, province_code, regency_code = PLACES[i % len(PLACES)]
        position, level = LEVELS[i % len(LEVELS)]
        phone = f"08{rng.randrange(10**9, 10**10)}"
        yield [i - offset + 1, name, nip, sex, born.strftime("%d/%m/%Y"), position, "Bidang Rehabilitasi Sosial",
               province, regency, phone, f"pegawai{i}@contoh.go.id"], (name, nip, sex, born, province_code,
                                                                       regency_code, level, "+62" + phone[1:],
                                                                       f"pegawai{i}@contoh.go.id")


# --- phases (each in its own process) ---------------------------------------------------------------

def setup_django(db_env: dict) -> None:
    os.environ.update(db_env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def phase_generate(args) -> dict:
    import csv

    import xlsxwriter

    work = Path(args.work)
    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(work / "people.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("Peserta")
    sheet.write(0, 0, "DAFTAR SDM KESOS (BENCHMARK)")
    sheet.write_row(2, 0, HEADER)
    for r, (raw, _clean) in enumerate(person_rows(args.xlsx_rows, offset=5_000_000), start=3):
        sheet.write_row(r, 0, raw)
    book.close()
    with (work / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for raw, _clean in person_rows(args.csv_rows):
            writer.writerow(raw)
    return {"seconds": time.perf_counter() - started}


def _raw_values(clean, *, agency_id, levels, now, adapt_date, adapt_dt):
    from people.normalize import sort_key

    name, nip, sex, born, province, regency, level, phone, email = clean
    level_id, position_id = levels[level]
    return (name, "", "", sex, adapt_date(born), "", "PNS", nip, None, position_id, level_id, "",
            "Bidang Rehabilitasi Sosial", agency_id, regency, province, phone, email, True, sort_key(name),
            adapt_dt(now), adapt_dt(now))


def phase_raw(args) -> dict:
    """A raw executemany INSERT of the same rows (already clean) into people_person."""
    setup_django(json.loads(args.db_env))
    from django.db import connection, transaction
    from django.utils import timezone

    from people.models import Agency, PositionLevel

    count = args.csv_rows if args.file == "csv" else args.xlsx_rows
    offset = 0 if args.file == "csv" else 5_000_000
    agency_id = Agency.objects.get(code="kemensos").pk
    levels = {lv.code: (lv.pk, lv.position_id) for lv in PositionLevel.objects.filter(position__code="pekerja-sosial")}
    now = timezone.now()
    ops = connection.ops
    columns = ["full_name", "title_prefix", "title_suffix", "sex", "birth_date", "birth_place", "employment_type",
               "nip", "nik", "position_id", "level_id", "rank_grade", "work_unit", "agency_id", "region_id",
               "province_id", "phone", "email", "is_active", "sort_name", "created_at", "updated_at"]
    sql = (f"INSERT INTO people_person ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})")  # noqa: S608
    rows = [_raw_values(clean, agency_id=agency_id, levels=levels, now=now, adapt_date=ops.adapt_datefield_value,
                        adapt_dt=ops.adapt_datetimefield_value) for _raw, clean in person_rows(count, offset=offset)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM people_person")
        before = cursor.fetchone()[0]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_person WHERE id > %s", [before])
    return {"rows": count, "seconds": seconds}


def phase_import(args) -> dict:
    setup_django(json.loads(args.db_env))
    from django.core.files.base import File
    from django.db import connection

    from imports import services
    from imports.models import ImportRun
    from people.models import Agency

    by = services.SystemActor()
    path = Path(args.work) / f"people.{args.file}"
    if args.step == "preview":
        with path.open("rb") as handle:
            run = services.import_run_create(by=by, upload=File(handle, name=path.name),
                                             agency=Agency.objects.get(code="kemensos"))
        started = time.perf_counter()
        run = services._begin_check(run=run, by=by, mapping=None, header_row=None)
        run = services.import_run_check(run_id=run.pk, by=by)
    else:
        run = ImportRun.objects.filter(original_name=path.name, status="checked").latest("created_at")
        started = time.perf_counter()
        run = services._begin_commit(run=run, by=by, mode="all_or_nothing")
        run = services.import_run_commit(run_id=run.pk, by=by)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM people_person")
        people = cursor.fetchone()[0]
    return {"rows": run.rows_total, "seconds": seconds, "status": run.status, "errors": run.rows_error,
            "created": run.created_count, "people": people, "message": run.message}


def _child(phase: str, args, **extra) -> dict:
    cmd = [sys.executable, __file__, "--phase", phase, "--work", args.work, "--db-env", args.db_env,
           "--xlsx-rows", str(args.xlsx_rows), "--csv-rows", str(args.csv_rows)]
    for key, value in extra.items():
        cmd += [f"--{key}", value]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--phase", default="")
    parser.add_argument("--work", default="")
    parser.add_argument("--db-env", default="{}")
    parser.add_argument("--file", default="csv")
    parser.add_argument("--step", default="preview")
    parser.add_argument("--xlsx-rows", type=int, default=0)
    parser.add_argument("--csv-rows", type=int, default=0)
    args = parser.parse_args()
    if args.phase:
        result = {"generate": phase_generate, "raw": phase_raw, "import": phase_import}[args.phase](args)
        result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    args.xlsx_rows = args.xlsx_rows or (100_000 if args.full else 2_000)
    args.csv_rows = args.csv_rows or (1_000_000 if args.full else 20_000)
    with tempfile.TemporaryDirectory(prefix="siaga-bench-") as work:
        args.work = work
        db_env = {"SIAGA_DATA_DIR": work, "SIAGA_UPLOAD_MAX_MB": "2048", "SIAGA_LOG_LEVEL": "WARNING",
                  "SIAGA_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        pg_name = f"siaga_bench_imports_{os.getpid()}"
        if args.postgres:
            import psycopg

            base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{pg_name}"')
            db_env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + pg_name
        args.db_env = json.dumps(db_env)
        try:
            env = {**os.environ, **db_env, "DJANGO_SETTINGS_MODULE": "siaga.settings"}
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, cwd=ROOT, env=env)
            print(f"generating {args.xlsx_rows:,} XLSX rows and {args.csv_rows:,} CSV rows ...", flush=True)
            _child("generate", args)
            results = {}
            for file in ("csv", "xlsx"):
                raw = _child("raw", args, file=file)
                preview = _child("import", args, file=file, step="preview")
                commit = _child("import", args, file=file, step="commit")
                results[file] = (raw, preview, commit)
                for label, r in (("raw executemany", raw), ("preview", preview), ("commit", commit)):
                    extra = f" status={r['status']} errors={r['errors']} people={r['people']}" if "status" in r else ""
                    print(f"{file:4} {label:16} {r['rows']:>9,} rows {r['seconds']:8.1f} s "
                          f"{r['rows'] / r['seconds']:>10,.0f} rows/s  peak {r['maxrss_mb']:6.0f} MB{extra}",
                          flush=True)
        finally:
            if args.postgres:
                import psycopg

                with psycopg.connect(base, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    parts = [f"db={'postgresql' if args.postgres else 'sqlite'}"]
    for file, (raw, preview, commit) in results.items():
        raw_rate = raw["rows"] / raw["seconds"]
        commit_rate = commit["rows"] / commit["seconds"]
        parts += [f"{file}_rows={commit['rows']}", f"{file}_raw_rows_s={raw_rate:.0f}",
                  f"{file}_preview_rows_s={preview['rows'] / preview['seconds']:.0f}",
                  f"{file}_commit_rows_s={commit_rate:.0f}", f"{file}_commit_vs_raw={commit_rate / raw_rate:.2f}",
                  f"{file}_preview_peak_mb={preview['maxrss_mb']:.0f}", f"{file}_commit_peak_mb={commit['maxrss_mb']:.0f}"]
    print("RESULT import_people " + " ".join(parts))


if __name__ == "__main__":
    main()
