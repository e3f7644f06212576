import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from pypdf import PdfReader

from accounts.roles import Role
from credentials.models import Certificate, CertificateJob
from credentials.services import certificate_job_start
from credentials.tests.factories import make_enrolment, make_event
from siaga.testing import make_person, make_user
from training.models import Enrolment


def _event_with(n: int, *, with_email: bool = True):
    event = make_event()
    for i in range(n):
        person = make_person(email=f"peserta{i}@contoh.go.id" if with_email and i else "")
        make_enrolment(event=event, person=person, status=Enrolment.Status.COMPLETED)
    return event


def test_bulk_issue_renders_every_completed_enrolment_and_shows_progress(db, django_capture_on_commit_callbacks):
    event = _event_with(3)
    organiser = make_user(Role.ORGANISER)
    with django_capture_on_commit_callbacks(execute=True):
        job = certificate_job_start(action=CertificateJob.Action.ISSUE, event=event, by=organiser)
    job.refresh_from_db()
    assert job.status == CertificateJob.Status.DONE and (job.done, job.total, job.percent) == (3, 3, 100)
    certs = Certificate.objects.filter(event=event)
    assert certs.count() == 3 and all(c.pdf for c in certs)
    # Running it again issues nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        certificate_job_start(action=CertificateJob.Action.ISSUE, event=event, by=organiser)
    assert Certificate.objects.filter(event=event).count() == 3


def test_merged_pdf_zip_and_email(db, django_capture_on_commit_callbacks):
    event = _event_with(3)
    organiser = make_user(Role.ORGANISER)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_job_start(action=CertificateJob.Action.ISSUE, event=event, by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        merged = certificate_job_start(action=CertificateJob.Action.MERGED_PDF, event=event, by=organiser)
        zipped = certificate_job_start(action=CertificateJob.Action.ZIP, programme=event.programme, by=organiser)
        emailed = certificate_job_start(action=CertificateJob.Action.EMAIL, event=event, by=organiser)
    merged.refresh_from_db()
    zipped.refresh_from_db()
    emailed.refresh_from_db()
    with default_storage.open(merged.output.name, "rb") as handle:
        assert len(PdfReader(io.BytesIO(handle.read())).pages) == 3
    with default_storage.open(zipped.output.name, "rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert len(names) == 3 and all(n.endswith(".pdf") for n in names)
    assert emailed.skipped == 1 and len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.attachments[0][2] == "application/pdf" and message.attachments[0][1].startswith(b"%PDF")


def test_the_job_page_polls_its_progress_and_offers_the_download(db, django_capture_on_commit_callbacks):
    from django.test import Client

    event = _event_with(2)
    organiser = make_user(Role.ORGANISER)
    client = Client()
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sertifikat/massal/", {"action": "issue", "event": event.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sertifikat/massal/", {"action": "zip", "event": event.pk})
    job = CertificateJob.objects.get(action="zip")
    assert response["Location"] == f"/sertifikat/massal/{job.pk}/"
    partial = client.get(f"/sertifikat/massal/{job.pk}/progres/").content.decode()
    assert "hx-trigger" not in partial and f"/sertifikat/massal/{job.pk}/unduh/" in partial
    queued = CertificateJob.objects.create(action="zip", event=event)
    assert 'hx-trigger="every 2s"' in client.get(f"/sertifikat/massal/{queued.pk}/progres/").content.decode()
    download = client.get(f"/sertifikat/massal/{job.pk}/unduh/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def test_a_merge_zip_or_mailing_waits_until_the_issue_job_of_its_scope_is_done(db):
    event = _event_with(2)
    organiser = make_user(Role.ORGANISER)
    issuing = certificate_job_start(action=CertificateJob.Action.ISSUE, programme=event.programme, by=organiser)
    for action, scope in ((CertificateJob.Action.MERGED_PDF, {"event": event}),
                          (CertificateJob.Action.ZIP, {"programme": event.programme}),
                          (CertificateJob.Action.EMAIL, {"event": event})):
        with pytest.raises(ValidationError, match="masih berjalan"):
            certificate_job_start(action=action, by=organiser, **scope)
    CertificateJob.objects.filter(pk=issuing.pk).update(status=CertificateJob.Status.DONE)
    assert certificate_job_start(action=CertificateJob.Action.ZIP, event=event, by=organiser).status == "queued"
