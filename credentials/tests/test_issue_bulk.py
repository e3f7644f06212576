import io

from django.core.files.storage import default_storage
from pypdf import PdfReader

from accounts.models import AuditLog
from accounts.roles import Role
from credentials import bulk, signing
from credentials.models import Certificate, SerialCounter
from credentials.services import certificate_issue, certificate_issue_bulk
from credentials.tests.factories import make_certificate, make_enrolment, make_event
from siaga.testing import SYSTEM, make_person, make_user
from training.models import Enrolment


def _completed(event, n: int) -> list[Enrolment]:
    return [make_enrolment(event=event, person=make_person(), status=Enrolment.Status.COMPLETED) for _ in range(n)]


def test_it_issues_what_one_by_one_issue_gives_with_one_audit_row_each(db):
    event = make_event()
    first = make_certificate(event=event)  # sequence 1, issued on completion
    enrolments = _completed(event, 3)
    make_enrolment(event=event, status=Enrolment.Status.ATTENDED)  # not completed: no certificate
    organiser = make_user(Role.ORGANISER)
    certs = certificate_issue_bulk(event=event, by=organiser)
    assert [c.enrolment_id for c in certs] == [e.pk for e in enrolments]
    assert [c.sequence for c in certs] == [2, 3, 4]
    assert [c.serial.rsplit("/", 1)[1] for c in certs] == ["0002", "0003", "0004"]
    assert SerialCounter.objects.get(event=event).last == 4
    stored = Certificate.objects.get(pk=certs[0].pk)
    assert stored.modules == first.modules and stored.total_minutes == first.total_minutes
    assert stored.city_name == first.city_name and stored.kind == Certificate.Kind.AUTO
    assert stored.issued_by == organiser
    qr = signing.qr_text(code=stored.code, key_id=stored.key_id, claims=stored.claims, signature=stored.signature)
    assert signing.verify_qr_text(qr, signing.database_public_keys()).is_valid
    rows = AuditLog.objects.filter(action="certificate.issue", target_id__in=[str(c.pk) for c in certs])
    assert rows.count() == 3 and {r.actor_id for r in rows} == {organiser.pk}
    assert rows.get(target_id=str(certs[0].pk)).after["serial"] == stored.serial


def test_a_second_run_issues_nothing_and_the_counter_goes_on(db):
    event = make_event()
    _completed(event, 2)
    assert len(certificate_issue_bulk(event=event, by=SYSTEM)) == 2
    assert certificate_issue_bulk(event=event, by=SYSTEM) == []
    later = make_enrolment(event=event, person=make_person(), status=Enrolment.Status.COMPLETED)
    assert certificate_issue(enrolment=later, by=SYSTEM).sequence == 3


def test_a_stale_counter_does_not_reuse_a_sequence(db):
    event = make_event()
    make_certificate(event=event)
    SerialCounter.objects.filter(event=event).update(last=0)  # e.g. restored from an older backup
    _completed(event, 1)
    assert [c.sequence for c in certificate_issue_bulk(event=event, by=SYSTEM)] == [2]


def test_worker_processes_draw_and_store_every_pdf(db, monkeypatch):
    """The pool path (forked workers write through the storage; this process records the files)."""
    monkeypatch.setattr(bulk, "POOL_MIN", 1)
    monkeypatch.setattr(bulk, "CHUNK", 2)
    event = make_event()
    _completed(event, 5)
    certs = certificate_issue_bulk(event=event, by=SYSTEM)
    assert bulk.render_and_store(certs, workers=2) == 5
    for cert in Certificate.objects.filter(pk__in=[c.pk for c in certs]):
        assert cert.pdf_rendered_at and default_storage.exists(cert.pdf.name)
        with cert.pdf.open("rb") as handle:
            text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
        assert cert.person_name in text and cert.serial in text and "40 JP" in text


def test_the_render_command_redraws_every_pdf(db):
    from django.core.management import call_command

    event = make_event()
    _completed(event, 2)
    certs = certificate_issue_bulk(event=event, by=SYSTEM)
    out = io.StringIO()
    call_command("certificates", "render", "--missing", stdout=out)
    assert "2 PDF" in out.getvalue()
    names = {c.pk: c.pdf.name for c in Certificate.objects.filter(pk__in=[c.pk for c in certs])}
    assert all(names.values())
    call_command("certificates", "render", stdout=io.StringIO())
    again = {c.pk: c.pdf.name for c in Certificate.objects.filter(pk__in=[c.pk for c in certs])}
    assert again == names  # replaced in place, not renamed


def test_running_the_job_again_redraws_only_a_missing_pdf(db, django_capture_on_commit_callbacks):
    from credentials.models import CertificateJob
    from credentials.services import certificate_job_start

    event = make_event()
    _completed(event, 3)
    organiser = make_user(Role.ORGANISER)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_job_start(action=CertificateJob.Action.ISSUE, event=event, by=organiser)
    certs = list(Certificate.objects.filter(event=event).order_by("sequence"))
    default_storage.delete(certs[1].pdf.name)
    stamps = {c.pk: c.pdf_rendered_at for c in certs}
    with django_capture_on_commit_callbacks(execute=True):
        job = certificate_job_start(action=CertificateJob.Action.ISSUE, event=event, by=organiser)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (CertificateJob.Status.DONE, 3, 3)
    after = {c.pk: c for c in Certificate.objects.filter(event=event)}
    assert default_storage.exists(after[certs[1].pk].pdf.name)
    assert after[certs[1].pk].pdf_rendered_at > stamps[certs[1].pk]
    assert after[certs[0].pk].pdf_rendered_at == stamps[certs[0].pk]
    assert Certificate.objects.filter(event=event).count() == 3
