"""Benchmark: issue and render the certificates of a whole programme through the app's own bulk job,
and compare with a bare one-line ReportLab page drawn by the same process pool in the same run.

    /work/main/.venv/bin/python bench/certificates.py            # 200 certificates
    /work/main/.venv/bin/python bench/certificates.py --full     # 1,665 (one programme), the issue's scale
    ... --workers 1                                               # without worker processes
    ... --postgres                                                # a throwaway PostgreSQL database

Uses its own throwaway SQLite database (or PostgreSQL): people, a programme of 8 modules with a
template (logo, colours, signatory), events of 40 and completed enrolments. Then it times

1. the bulk job exactly as the "Terbitkan dan cetak semua" button runs it (``certificate_job_start``
   → the ``run_certificate_job`` task): issue every certificate (serial, code, signature, audit row),
   render every PDF in the worker pool, store it through the storage and record it — ``seconds``;
2. ``siaga certificates render``, which re-renders and stores every PDF through the same bulk
   renderer — ``render_seconds``, ``per_s``;
3. the baseline: a bare page (a canvas, one drawString, saved to bytes) — ``bare_per_s`` — drawn in
   chunks by the same pool (same worker count, the bytes sent back to this process), before and after
   the certificates (the machine's load changes during a run), and ``bare_1p_per_s`` in one process.

``ratio`` = ``per_s`` / ``bare_per_s``; ``ratio_job`` does the same for the whole job (issuing
included). Ends with one ``RESULT certificates ...`` line."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3  # drawing and bare-page runs, alternated
sys.path.insert(0, str(ROOT))


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
    os.environ["SIAGA_CERTIFICATE_WORKERS"] = str(args.workers)
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


def _logo() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (512, 512), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((16, 16, 496, 496), fill=(11, 83, 148, 255))
    draw.rectangle((176, 120, 336, 392), fill=(201, 162, 39, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _build(count: int):
    """People, a programme of 8 modules with its template, events of 40 and completed enrolments."""
    import datetime as dt
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.roles import Role
    from credentials.services import certificate_template_update
    from curriculum.models import Institution, Module, ModuleVersion
    from people.demo import load
    from people.models import Person, Region
    from siaga.testing import make_user
    from training.models import Enrolment, Event, Programme, ProgrammeModule

    load(count=count, rng=random.Random(1665))
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
    organiser = make_user(Role.ORGANISER)
    certificate_template_update(
        programme=programme, by=organiser,
        logo=SimpleUploadedFile("logo.png", _logo(), content_type="image/png"),
        data={"primary_colour": "#0B5394", "accent_colour": "#C9A227", "signatory_name": "Dr. Budi Santoso, M.Si.",
              "signatory_nip": "197001011995031001"})
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
    return programme, organiser


class _JobLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _bare_pool_rate(count: int, workers: int) -> float:
    """Bare pages per second, drawn in chunks by the bulk renderer's pool, bytes sent back here."""
    from credentials import bulk, render_worker

    chunks = [bulk.CHUNK] * (count // bulk.CHUNK) + ([count % bulk.CHUNK] if count % bulk.CHUNK else [])
    if workers <= 1:
        t0 = time.perf_counter()
        for n in chunks:
            render_worker.bare_pages(n)
        return count / (time.perf_counter() - t0)
    t0 = time.perf_counter()  # the pool's start is timed too, as it is in the certificates' run
    with bulk.process_pool(workers, {}) as pool:
        pages = pool.map(render_worker.bare_pages, chunks, chunksize=1)
    assert sum(len(p) for p in pages) == count
    return count / (time.perf_counter() - t0)


def _draw_rate(certs, workers: int) -> float:
    """Certificates per second drawn to bytes by the bulk renderer's own drawing step (the workers'
    ``render_worker.draw``, items prepared here from the rows as the renderer does), same pool."""
    from credentials import bulk, render_worker

    chunks = [certs[i:i + bulk.CHUNK] for i in range(0, len(certs), bulk.CHUNK)]
    looks = {pk: bulk.look_for_programme(pk) for pk in {c.programme_id for c in certs}}
    t0 = time.perf_counter()
    if workers <= 1:
        pdfs = [render_worker.draw(bulk.items_for(chunk), looks) for chunk in chunks]
    else:
        with bulk.process_pool(workers, looks) as pool:
            pdfs = list(pool.imap(render_worker.draw, (bulk.items_for(chunk) for chunk in chunks)))
    rate = len(certs) / (time.perf_counter() - t0)
    assert sum(len(p) for p in pdfs) == len(certs)
    return rate


def run(count: int, workers: int, tmp: str, setup_s: float) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from pypdf import PdfReader

    from credentials import render, signing
    from credentials.models import Certificate, CertificateJob
    from credentials.services import certificate_job_start, signing_key_generate
    from siaga.testing import SYSTEM

    t0 = time.perf_counter()
    programme, organiser = _build(count)
    signing_key_generate(by=SYSTEM)
    build_s = time.perf_counter() - t0

    render.bare_page()
    t0 = time.perf_counter()
    for _ in range(min(count, 600)):
        render.bare_page()
    bare_1p = min(count, 600) / (time.perf_counter() - t0)
    bare_before = _bare_pool_rate(count, workers)

    # 1. The bulk job, as the page starts it (the immediate task backend runs it on commit).
    handler = _JobLog()
    logging.getLogger("credentials.tasks").addHandler(handler)
    logging.getLogger("credentials.tasks").setLevel(logging.INFO)
    t0 = time.perf_counter()
    with transaction.atomic():
        job = certificate_job_start(action=CertificateJob.Action.ISSUE, programme=programme, by=organiser)
    job_s = time.perf_counter() - t0
    job.refresh_from_db()
    assert job.status == CertificateJob.Status.DONE, (job.status, job.error)
    assert (job.done, job.total) == (count, count), (job.done, job.total)
    certs = list(Certificate.objects.filter(programme=programme).order_by("id"))
    assert len(certs) == count and all(c.pdf for c in certs)
    issued = re.search(r"(\d+) issued in ([\d.]+) s", " ".join(handler.messages))
    issue_s = float(issued.group(2)) if issued else float("nan")

    # 2. Re-render every PDF with the operator's command (the same bulk renderer, files replaced).
    t0 = time.perf_counter()
    call_command("certificates", "render", stdout=open(os.devnull, "w"))  # noqa: SIM115
    render_s = time.perf_counter() - t0

    # 3. Drawing against the bare page, same pool, alternated (the machine's load drifts during a run).
    bares, draws = [bare_before], []
    for _ in range(ROUNDS):
        draws.append(_draw_rate(certs, workers))
        bares.append(_bare_pool_rate(count, workers))
    bare_rate = sum(bares) / len(bares)
    draw_rate = sum(draws) / len(draws)

    # Check one result end to end: the PDF's text and the stored QR text.
    sample = Certificate.objects.filter(programme=programme).order_by("id").first()
    with sample.pdf.open("rb") as handle:
        data = handle.read()
    text = PdfReader(__import__("io").BytesIO(data)).pages[0].extract_text()
    for needle in (sample.person_name, sample.programme_title, "40 JP", sample.code, "Dr. Budi Santoso, M.Si.",
                   "Certificate of Training Completion", "Asesmen Psikososial"):
        assert needle in text, f"PDF text check failed: {needle!r}"
    qr = signing.qr_text(code=sample.code, key_id=sample.key_id, claims=sample.claims, signature=sample.signature)
    assert signing.verify_qr_text(qr, signing.database_public_keys()).is_valid
    sizes = [c.pdf.size for c in certs[:50]]
    stored_rate = count / render_s
    job_rate = count / job_s
    print(f"setup (migrate) {setup_s:.1f} s, data {build_s:.1f} s; {' / '.join(handler.messages)}")
    print(f"bulk job (issue + render + store) {count} in {job_s:.2f} s: {job_rate:.0f}/s, of which issuing "
          f"{issue_s:.2f} s ({count / issue_s:.0f}/s)")
    print(f"re-render and store (siaga certificates render) {count} in {render_s:.2f} s: {stored_rate:.0f}/s; "
          f"mean PDF {sum(sizes) / len(sizes) / 1024:.1f} KiB")
    print(f"drawn {draw_rate:.0f}/s ({', '.join(f'{r:.0f}' for r in draws)}) against a bare page {bare_rate:.0f}/s "
          f"({', '.join(f'{r:.0f}' for r in bares)}), {workers} process(es); bare page {bare_1p:.0f}/s in one process")
    print(f"RESULT certificates count={count} workers={workers} seconds={job_s:.2f} issue_seconds={issue_s:.2f} "
          f"per_s={draw_rate:.0f} bare_per_s={bare_rate:.0f} ratio={draw_rate / bare_rate:.2f} "
          f"stored_per_s={stored_rate:.0f} ratio_stored={stored_rate / bare_rate:.2f} "
          f"job_per_s={job_rate:.0f} ratio_job={job_rate / bare_rate:.2f} bare_1p_per_s={bare_1p:.0f} "
          f"issue_per_s={count / issue_s:.0f} target_seconds_ok={'yes' if job_s <= 15 else 'no'} "
          f"target_ratio_ok={'yes' if draw_rate >= 0.5 * bare_rate else 'no'}")


if __name__ == "__main__":
    main()
