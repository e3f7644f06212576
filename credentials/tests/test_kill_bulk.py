"""kill -9 of the worker during a bulk certificate run (issue 10, point 8; decision 0008).

A real ``siaga worker`` process runs "issue and print all" over a programme of three events and is
killed with SIGKILL right after the second event's certificates are committed, before their PDFs are
drawn. Nothing is half-written: every certificate is whole (serial, signature, audit row), none
without its PDF is counted as done. The worker started again with the same ``--worker-id`` finishes
the job: every certificate once, with its PDF, no duplicate serials, no leftover files."""

from django.core import mail

from accounts.roles import Role
from credentials.models import CertificateJob
from credentials.services import certificate_job_start
from credentials.tasks import run_certificate_job
from credentials.tests.factories import make_enrolment, make_event
from ops.testing import kill_at, live_database, run_step
from siaga.testing import make_person, make_user
from training.models import Enrolment

EVENTS, PER_EVENT = 3, 3

SCRIPT = """
from pathlib import Path
from django.conf import settings
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult
from accounts.models import AuditLog
from accounts.roles import Role
from credentials.models import Certificate, CertificateJob
from credentials.services import certificate_job_start
from credentials.tests.factories import make_enrolment, make_event, make_programme
from siaga.testing import make_person, make_user
from training.models import Enrolment

if step == "setup":
    programme = make_programme()
    for _ in range(int(sys.argv[2])):
        event = make_event(programme=programme)
        for _ in range(int(sys.argv[3])):
            make_enrolment(event=event, person=make_person(), status=Enrolment.Status.COMPLETED)
    job = certificate_job_start(action=CertificateJob.Action.ISSUE, by=make_user(Role.CENTRE_ADMIN),
                                programme=programme)
    state(job=job.pk, status=job.status, tasks=DBTaskResult.objects.count())
elif step == "worker":
    worker(sys.argv[2])
else:
    job = CertificateJob.objects.get()
    certs = list(Certificate.objects.order_by("event_id", "sequence"))
    with_pdf = [c for c in certs if c.pdf and default_storage.exists(c.pdf.name)]
    files = sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    state(status=job.status, done=job.done, total=job.total, certs=len(certs),
          serials=len({c.serial for c in certs}), live_enrolments=len({c.enrolment_id for c in certs
                                                                      if c.status == "issued"}),
          with_pdf=len(with_pdf), files=files, recorded=sorted(c.pdf.name for c in with_pdf),
          sequences=sorted({tuple(c.sequence for c in certs if c.event_id == e)
                            for e in {c.event_id for c in certs}}),
          audits=AuditLog.objects.filter(action="certificate.issue").count(),
          signed=sum(1 for c in certs if c.signature and c.claims),
          tasks=sorted((t.status, len(t.worker_ids)) for t in DBTaskResult.objects.all()))
"""


def test_a_killed_bulk_run_counts_no_certificate_without_its_pdf_and_a_restart_finishes_it(
        transactional_db, tmp_path):
    db = live_database(tmp_path)
    started = run_step(db, SCRIPT, "setup", str(EVENTS), str(PER_EVENT))
    assert started["status"] == "queued" and started["tasks"] == 1  # the task row came with the job

    kill_at(db, SCRIPT, "worker", "w1", point="credentials.job.issued@2")
    after_kill = run_step(db, SCRIPT, "state")
    assert after_kill["status"] == "running"
    assert [tuple(t) for t in after_kill["tasks"]] == [("RUNNING", 1)]
    # Two events issued (whole rows: serial, signature, one audit row each); only the first printed.
    assert after_kill["certs"] == after_kill["serials"] == after_kill["signed"] == after_kill["audits"] == 2 * PER_EVENT
    assert after_kill["with_pdf"] == PER_EVENT and after_kill["done"] <= after_kill["with_pdf"]
    assert after_kill["files"] == after_kill["recorded"]

    run_step(db, SCRIPT, "worker", "w1")  # the same worker id: it re-queues and resumes the killed task
    done = run_step(db, SCRIPT, "state")
    everyone = EVENTS * PER_EVENT
    assert done["status"] == "done" and done["done"] == done["total"] == everyone
    assert done["certs"] == done["serials"] == done["live_enrolments"] == done["signed"] == everyone
    assert done["audits"] == everyone  # no certificate issued twice
    assert done["sequences"] == [list(range(1, PER_EVENT + 1))]
    assert done["with_pdf"] == everyone and done["files"] == done["recorded"]  # every PDF, no leftovers
    assert [tuple(t) for t in done["tasks"]] == [("SUCCESSFUL", 2)]


def test_an_email_job_run_again_after_a_crash_does_not_mail_anyone_twice(db, django_capture_on_commit_callbacks):
    event = make_event()
    for i in range(3):
        make_enrolment(event=event, person=make_person(email=f"peserta{i}@contoh.go.id"),
                       status=Enrolment.Status.COMPLETED)
    organiser = make_user(Role.ORGANISER)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_job_start(action=CertificateJob.Action.ISSUE, event=event, by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        job = certificate_job_start(action=CertificateJob.Action.EMAIL, event=event, by=organiser)
    assert len(mail.outbox) == 3
    CertificateJob.objects.filter(pk=job.pk).update(status=CertificateJob.Status.RUNNING)  # as a killed run leaves it
    run_certificate_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == CertificateJob.Status.DONE and job.done == 3 and len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):  # a new email job mails them again, as asked
        certificate_job_start(action=CertificateJob.Action.EMAIL, event=event, by=organiser)
    assert len(mail.outbox) == 6
