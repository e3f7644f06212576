"""Background work: rendering certificate PDFs and bulk jobs (django_tasks; idempotent)."""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from credentials.models import Certificate, CertificateJob
from credentials.pdf import store_pdf
from ops import faults

log = logging.getLogger(__name__)
PROGRESS_EVERY = 25


@task()
def render_certificate(certificate_id: int) -> None:
    cert = Certificate.objects.filter(pk=certificate_id).first()
    if cert is not None:
        store_pdf(cert)


def _progress(job: CertificateJob, **fields) -> None:
    CertificateJob.objects.filter(pk=job.pk).update(**fields)
    for key, value in fields.items():
        setattr(job, key, value)


def _scope(job: CertificateJob):
    return {"event_id": job.event_id} if job.event_id else {"programme_id": job.programme_id}


def _safe_name(cert: Certificate) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", cert.serial) + ".pdf"


def _issue_all(job: CertificateJob) -> None:
    """Issue the certificates of every completed enrolment in scope that has none, event by event
    (one transaction each), and render and store every PDF that is missing; workers draw one event's
    PDFs while this process issues the next. Idempotent: a second run issues and renders nothing."""
    from credentials.bulk import Renderer
    from credentials.services import certificate_issue_bulk
    from training.models import Enrolment, Event

    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
    scope = {"event_id": job.event_id} if job.event_id else {"event__programme_id": job.programme_id}
    total = completed.filter(**scope).count()
    events = list(Event.objects.filter(pk__in=completed.filter(**scope).values("event_id")).order_by("id"))
    _progress(job, total=total)
    started = time.perf_counter()
    issued = issue_s = 0.0
    done = 0
    with Renderer(programme_ids={e.programme_id for e in events}, expected=total) as renderer:
        for event in events:
            earlier = list(Certificate.objects.live().filter(event=event, enrolment__status=Enrolment.Status.COMPLETED)
                           .order_by("sequence"))
            t0 = time.perf_counter()
            new = certificate_issue_bulk(event=event, by=job.created_by)
            faults.pause("credentials.job.issued")  # this event's certificates committed, PDFs not drawn
            issue_s += time.perf_counter() - t0
            issued += len(new)
            todo = [c for c in earlier if not c.pdf or not default_storage.exists(c.pdf.name)] + new
            done += len(earlier) + len(new) - len(todo)
            renderer.submit(todo)
            done += renderer.collect(keep=renderer.in_flight)
            _progress(job, done=done)
        done += renderer.collect(keep=0)
    _progress(job, done=done)
    log.info("certificate job %s: %d issued in %.2f s; %d certificates done in %.2f s with %d process(es)",
             job.pk, issued, issue_s, done, time.perf_counter() - started, renderer.workers)


def _each_live(job: CertificateJob):
    """The live certificates in scope, each with its stored PDF (missing ones rendered first, in bulk)."""
    from credentials.bulk import render_and_store

    certs = list(Certificate.objects.live().filter(**_scope(job)).select_related("person")
                 .order_by("event_id", "sequence"))
    _progress(job, total=len(certs))
    render_and_store([c for c in certs if not c.pdf or not default_storage.exists(c.pdf.name)])
    for index, cert in enumerate(certs, start=1):
        yield cert
        if index % PROGRESS_EVERY == 0:
            _progress(job, done=index)
    _progress(job, done=len(certs))


def _merged(job: CertificateJob) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for cert in _each_live(job):
        with cert.pdf.open("rb") as handle:
            writer.append(io.BytesIO(handle.read()))
    out = io.BytesIO()
    writer.write(out)
    job.output.save(f"sertifikat-{job.pk}.pdf", ContentFile(out.getvalue()), save=False)
    _progress(job, output=job.output.name)


def _zipped(job: CertificateJob) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for cert in _each_live(job):
            with cert.pdf.open("rb") as handle:
                archive.writestr(_safe_name(cert), handle.read())
    job.output.save(f"sertifikat-{job.pk}.zip", ContentFile(out.getvalue()), save=False)
    _progress(job, output=job.output.name)


def _emailed(job: CertificateJob) -> None:
    """Mail each participant their certificate. A re-run of the same job (after a crash) does not mail
    again those this job already mailed (``emailed_at`` since the job was created); at most the one
    being sent when the process died is sent twice."""
    skipped = 0
    for cert in _each_live(job):
        if cert.emailed_at and cert.emailed_at >= job.created_at:
            continue
        address = cert.person.email
        if not address:
            skipped += 1
            continue
        with cert.pdf.open("rb") as handle:
            content = handle.read()
        mail = EmailMessage(
            subject=f"Sertifikat pelatihan {cert.programme_title}",
            body=(f"Yth. {cert.person_name},\n\nTerlampir sertifikat (STTPP) pelatihan {cert.programme_title} "
                  f"nomor {cert.serial}.\nKeaslian sertifikat dapat diperiksa di "
                  f"{_verify_url(cert)}\n\nSalam,\nPusbangprof Pekerja Sosial dan Penyuluh Sosial"),
            to=[address],
        )
        mail.attach(_safe_name(cert), content, "application/pdf")
        mail.send(fail_silently=False)
        Certificate.objects.filter(pk=cert.pk).update(emailed_at=timezone.now())
    _progress(job, skipped=skipped)


def _verify_url(cert: Certificate) -> str:
    from credentials.signing import verification_url

    return verification_url(cert.code)


RUNNERS = {
    CertificateJob.Action.ISSUE: _issue_all,
    CertificateJob.Action.MERGED_PDF: _merged,
    CertificateJob.Action.ZIP: _zipped,
    CertificateJob.Action.EMAIL: _emailed,
}


@task()
def run_certificate_job(job_id: int) -> None:
    job = CertificateJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or job.status == CertificateJob.Status.DONE:
        return
    _progress(job, status=CertificateJob.Status.RUNNING, started_at=timezone.now(), done=0)
    from credentials.bulk import heap_frozen

    try:
        with heap_frozen():
            RUNNERS[job.action](job)
    except Exception as exc:  # noqa: BLE001 - recorded on the job for the page to show
        log.exception("certificate job %s failed", job.pk)
        _progress(job, status=CertificateJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        return
    _progress(job, status=CertificateJob.Status.DONE, finished_at=timezone.now())
