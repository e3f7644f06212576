"""Benchmark: render N certificates (QR + Ed25519 signature + PDF) and compare with a bare one-line
ReportLab page measured in the same run.

    /tmp/venv/bin/python bench/certificates.py            # 200 certificates
    /tmp/venv/bin/python bench/certificates.py --full     # 1,665 (one programme), the issue's scale
    ... --workers 1                                        # without the process pool

Uses its own throwaway SQLite database (or a fresh PostgreSQL database with --postgres): people,
a programme with 8 modules, events of 40, completed enrolments, certificates issued through the
service; then times rendering only. Ends with one ``RESULT certificates ...`` line."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_KEY = None
_OUT = None


def _init_worker(private_raw: bytes, out_dir: str) -> None:
    global _KEY, _OUT
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _KEY = Ed25519PrivateKey.from_private_bytes(private_raw)
    _OUT = out_dir


def _render_one(item) -> int:
    """Sign the claims, build the QR text, render and write the PDF (what the render task does)."""
    from credentials import render, signing

    data, claims, key_id, look = item
    signature = signing.sign(_KEY, code=data.code, claims=claims)
    qr = signing.qr_text(code=data.code, key_id=key_id, claims=claims, signature=signature,
                         site_url="https://siaga.kemensos.go.id")
    pdf = render.render_pdf(data.__class__(**{**data.__dict__, "qr_text": qr}), render.assets_for(look))
    with open(os.path.join(_OUT, f"{data.code}.pdf"), "wb") as handle:
        handle.write(pdf)
    return len(pdf)


def _bare_one(_i) -> int:
    from credentials import render

    return len(render.bare_page())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="1,665 certificates")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    count = args.count or (1665 if args.full else 200)

    tmp = tempfile.mkdtemp(prefix="siaga-bench-certs-")
    os.environ["SIAGA_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    os.environ["SIAGA_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    pg_name = None
    if args.postgres:
        import psycopg

        pg_name = f"siaga_bench_certs_{os.getpid()}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {pg_name}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
    import django

    django.setup()
    from django.core.management import call_command

    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        setup_s = time.perf_counter() - t0
        run(count, args.workers, tmp, setup_s)
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_name}")


def _build(count: int):
    """People, a programme of 8 modules, events of 40 and completed enrolments (bulk inserts)."""
    import datetime as dt
    import random

    from django.utils import timezone

    from curriculum.models import Institution, Module, ModuleVersion
    from people.demo import build_people, insert_people
    from people.models import Region
    from training.models import Enrolment, Event, Programme, ProgrammeModule

    rng = random.Random(1665)
    insert_people(build_people(count, rng=rng))
    from people.models import Person

    people = list(Person.objects.order_by("id")[:count])
    inst = Institution.objects.create(code="pusbangprof", name="Pusbangprof", kind=Institution.Kind.CENTRE)
    programme = Programme.objects.create(code="psd-dasar", title="Pelatihan Dasar Pekerja Sosial Profesional")
    titles = ["Etika Pekerjaan Sosial", "Asesmen Psikososial", "Manajemen Kasus", "Dukungan Psikososial Awal",
              "Perlindungan Anak", "Rehabilitasi Sosial", "Pendampingan Lansia", "Kebijakan Kesejahteraan Sosial"]
    total = 0
    for order, title in enumerate(titles):
        module = Module.objects.create(code=f"m{order}", title=title, owner=inst)
        version = ModuleVersion.objects.create(module=module, number=1, status=ModuleVersion.Status.APPROVED,
                                               total_minutes=5 * 45, approved_at=timezone.now())
        ProgrammeModule.objects.create(programme=programme, module_version=version, order=order)
        total += 5 * 45
    programme.total_minutes = total
    programme.save()
    cities = list(Region.objects.filter(level=2).order_by("code")[:50])
    enrolments = []
    for start in range(0, count, 40):
        n = start // 40
        event = Event.objects.create(
            programme=programme, code=f"psd-dasar-{n + 1:03d}", name=f"Angkatan {n + 1}", city=cities[n % 50],
            start_date=dt.date(2026, 10, 5), end_date=dt.date(2026, 10, 9), venue_capacity=40, seats=40,
            status=Event.Status.FINISHED)
        for person in people[start:start + 40]:
            enrolments.append(Enrolment(event=event, person=person, agency_id=person.agency_id,
                                        status=Enrolment.Status.COMPLETED, completed_at=timezone.now(),
                                        attended_minutes=total, post_test_score=88))
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    return programme


def run(count: int, workers: int, tmp: str, setup_s: float) -> None:
    from cryptography.hazmat.primitives import serialization
    from django.db import transaction

    from credentials import pdf as pdfmod
    from credentials import render, signing
    from credentials.models import Certificate
    from credentials.services import certificate_issue, signing_key_generate
    from siaga.testing import SYSTEM
    from training.models import Enrolment

    t0 = time.perf_counter()
    programme = _build(count)
    build_s = time.perf_counter() - t0
    key = signing_key_generate(by=SYSTEM)
    import credentials.services as services

    services._queue_render = lambda cert: None  # issue only; rendering is timed below
    t0 = time.perf_counter()
    for enrolment in Enrolment.objects.filter(event__programme=programme).select_related(
            "event__programme", "event__city", "person__agency").order_by("id"):
        with transaction.atomic():
            certificate_issue(enrolment=enrolment, by=SYSTEM)
    issue_s = time.perf_counter() - t0
    certs = list(Certificate.objects.filter(programme=programme).order_by("id"))
    assert len(certs) == count, len(certs)
    look = pdfmod.look_for_programme(programme.pk)
    items = [(pdfmod.certificate_data(c), c.claims, c.key_id, look) for c in certs]
    raw = signing.private_key_for(key).private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                                     serialization.NoEncryption())
    out_dir = os.path.join(tmp, "pdf")
    os.makedirs(out_dir, exist_ok=True)

    # Baseline: a bare one-line ReportLab page, one process, same run.
    bare_n = min(count, 600)
    render.bare_page()
    t0 = time.perf_counter()
    for i in range(bare_n):
        _bare_one(i)
    bare_rate = bare_n / (time.perf_counter() - t0)

    t0 = time.perf_counter()
    if workers > 1:
        ctx = mp.get_context("fork")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(raw, out_dir)) as pool:
            sizes = pool.map(_render_one, items, chunksize=16)
            render_s = time.perf_counter() - t0
            t1 = time.perf_counter()
            pool.map(_bare_one, range(bare_n), chunksize=16)
            bare_pool_rate = bare_n / (time.perf_counter() - t1)
    else:
        _init_worker(raw, out_dir)
        sizes = [_render_one(item) for item in items]
        render_s = time.perf_counter() - t0
        bare_pool_rate = bare_rate
    t1 = time.perf_counter()
    for i in range(bare_n):  # again after: the machine's load changes during a run
        _bare_one(i)
    bare_after = bare_n / (time.perf_counter() - t1)
    bare_rate = (bare_rate + bare_after) / 2
    rate = count / render_s
    # Check one result end to end: the stored QR text verifies and the PDF text holds the name.
    from pypdf import PdfReader

    sample = certs[0]
    text = PdfReader(os.path.join(out_dir, f"{sample.code}.pdf")).pages[0].extract_text()
    assert sample.person_name.split()[0] in text, "PDF text check failed"
    qr = signing.qr_text(code=sample.code, key_id=sample.key_id, claims=sample.claims, signature=sample.signature)
    assert signing.verify_qr_text(qr, signing.database_public_keys()).is_valid
    print(f"setup (migrate) {setup_s:.1f} s, data {build_s:.1f} s, issue {count} in {issue_s:.1f} s "
          f"({count / issue_s:.0f}/s)")
    print(f"rendered {count} certificates in {render_s:.2f} s with {workers} process(es): {rate:.0f}/s; "
          f"bare page {bare_rate:.0f}/s (1 process, mean of before and after), {bare_pool_rate:.0f}/s ({workers} processes); "
          f"mean PDF {sum(sizes) / len(sizes) / 1024:.1f} KiB")
    print(f"RESULT certificates count={count} workers={workers} seconds={render_s:.2f} per_s={rate:.0f} "
          f"bare_per_s={bare_rate:.0f} ratio={rate / bare_rate:.2f} bare_pool_per_s={bare_pool_rate:.0f} "
          f"ratio_pool={rate / bare_pool_rate:.2f} issue_per_s={count / issue_s:.0f} "
          f"target_seconds_ok={'yes' if render_s <= 15 else 'no'} target_ratio_ok={'yes' if rate >= 0.5 * bare_rate else 'no'}")


if __name__ == "__main__":
    main()
