import datetime as dt
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import ApiToken, AuditLog, RecoveryCode
from accounts.services import token_create
from certification.models import Credential
from certification.services import credential_reject
from certification.testing import make_credential
from credentials.models import Certificate, CertificateJob
from credentials.tests.factories import make_certificate, make_event
from hours.models import LedgerEntry, PersonYearTotal
from hours.services import entry_reject
from hours.tests.factories import make_entry
from imports.models import ImportIssue, ImportRun
from imports.services import stage_name
from people.models import Person, PersonSearchToken, PositionHistory
from people.services import person_set_active
from privacy.retention import RULES, retention_run
from readiness.models import CallUp, DeploymentRequest, Unavailability
from readiness.services import unavailability_create
from readiness.testing import world
from siaga.testing import SYSTEM, make_person, make_user
from training.models import Enrolment

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=20 * 365)
RECENTLY = NOW - dt.timedelta(days=1)


def run(**kwargs):
    return retention_run(by=SYSTEM, **kwargs)


def counts(report) -> dict[str, int]:
    return {r.rule.name: r.count for r in report.results if not r.skipped}


# ---- sessions ----

def test_expired_sessions_go_and_live_ones_stay():
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=NOW - dt.timedelta(hours=1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=NOW + dt.timedelta(hours=1))
    assert counts(run(only=["sessions"]))["sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_login_throttle_counters_are_not_in_the_database_so_the_rule_removes_nothing():
    assert counts(run(only=["login_throttle"]))["login_throttle"] == 0


# ---- signed reply links and call-ups ----

def test_an_expired_reply_link_loses_its_nonce_and_a_live_one_keeps_it(cast):
    ready = world(cast)
    callup = ready.sent_callup()
    assert callup.nonce
    assert counts(run(only=["reply_links"]))["reply_links"] == 0
    CallUp.objects.filter(pk=callup.pk).update(sent_at=NOW - dt.timedelta(days=30))
    assert counts(run(only=["reply_links"]))["reply_links"] == 1
    assert CallUp.objects.get(pk=callup.pk).nonce == ""


def test_call_ups_of_a_closed_request_that_led_nowhere_go_after_the_period(cast):
    ready = world(cast)
    deployed = ready.accepted_callup()
    from readiness.services import callup_confirm

    callup_confirm(callup=deployed, by=ready.coordinator)
    declined = CallUp.objects.create(request=ready.request, person=cast.person_b, status=CallUp.Status.DECLINED)
    CallUp.objects.update(created_at=LONG_AGO)
    assert counts(run(only=["callups"]))["callups"] == 0  # the request is still open
    DeploymentRequest.objects.filter(pk=ready.request.pk).update(status=DeploymentRequest.Status.CLOSED)
    recent = CallUp.objects.create(request=ready.request, person=make_person(), status=CallUp.Status.DECLINED)
    assert counts(run(only=["callups"]))["callups"] == 1
    assert set(CallUp.objects.values_list("pk", flat=True)) == {deployed.pk, recent.pk}
    assert not CallUp.objects.filter(pk=declined.pk).exists()


# ---- tokens and recovery codes ----

def test_revoked_tokens_and_used_recovery_codes_go_after_the_period(cast):
    user = cast.participant
    old, _ = token_create(by=user, name="lama")
    fresh, _ = token_create(by=user, name="baru")
    live, _ = token_create(by=user, name="aktif")
    ApiToken.objects.filter(pk=old.pk).update(revoked_at=LONG_AGO)
    ApiToken.objects.filter(pk=fresh.pk).update(revoked_at=RECENTLY)
    RecoveryCode.objects.create(user=user, digest="1" * 64, used_at=LONG_AGO)
    RecoveryCode.objects.create(user=user, digest="2" * 64, used_at=None)
    assert counts(run(only=["tokens"]))["tokens"] == 2
    assert set(ApiToken.objects.values_list("name", flat=True)) == {"baru", "aktif"}
    assert list(RecoveryCode.objects.values_list("digest", flat=True)) == ["2" * 64]
    assert ApiToken.objects.get(pk=live.pk).revoked_at is None


# ---- import staging files and rejected rows ----

def _import_run(*, finished_at) -> ImportRun:
    name = default_storage.save("imports/2020/01/pegawai.csv", ContentFile(b"nik,nama\n3273010101900001,Ani\n"))
    run_ = ImportRun.objects.create(file=name, original_name="pegawai.csv", file_kind="csv",
                                    status=ImportRun.Status.DONE, finished_at=finished_at,
                                    sample=[["3273010101900001", "Ani"]])
    default_storage.save(stage_name(run_), ContentFile(b'{"nik": "3273010101900001"}\n'))
    ImportIssue.objects.create(run=run_, row=3, level="error", messages=["NIK salah"], raw=["32730", "Budi"])
    return run_


def test_import_files_staging_and_error_rows_go_after_the_period_and_the_run_stays():
    old = _import_run(finished_at=LONG_AGO)
    recent = _import_run(finished_at=RECENTLY)
    old_names = [old.file.name, stage_name(old)]
    report = run(only=["import_files"])
    result = next(r for r in report.results if r.rule.name == "import_files")
    assert (result.count, result.files) == (1, 1)
    old.refresh_from_db()
    assert old.file.name == "" and old.sample == [] and not ImportIssue.objects.filter(run=old).exists()
    assert not any(default_storage.exists(n) for n in old_names)
    assert old.rows_total == 0 and ImportRun.objects.filter(pk=old.pk).exists()  # the history of the run stays
    recent.refresh_from_db()
    assert default_storage.exists(recent.file.name) and default_storage.exists(stage_name(recent))
    assert ImportIssue.objects.filter(run=recent).count() == 1


# ---- rejected evidence ----

def test_rejected_evidence_and_scans_lose_their_files_after_the_period(cast):
    centre = cast.user("centre_admin")
    old_entry = entry_reject(entry=make_entry(person=cast.person_a), reason="Tidak terbaca", by=centre)
    new_entry = entry_reject(entry=make_entry(person=cast.person_a), reason="Tidak terbaca", by=centre)
    pending = make_entry(person=cast.person_a)
    old_scan = credential_reject(credential=make_credential(cast.person_a), reason="Buram", by=centre)
    LedgerEntry.objects.filter(pk=old_entry.pk).update(decided_at=LONG_AGO)
    LedgerEntry.objects.filter(pk=pending.pk).update(created_at=LONG_AGO)
    Credential.objects.filter(pk=old_scan.pk).update(decided_at=LONG_AGO)
    evidence_name, scan_name = old_entry.evidence.name, old_scan.document.name
    assert default_storage.exists(evidence_name) and default_storage.exists(scan_name)
    report = run(only=["rejected_evidence"])
    result = next(r for r in report.results if r.rule.name == "rejected_evidence")
    assert (result.count, result.files) == (2, 2)
    assert not default_storage.exists(evidence_name) and not default_storage.exists(scan_name)
    old_entry.refresh_from_db()
    assert old_entry.evidence.name == "" and old_entry.rejection_reason == "Tidak terbaca"  # the row stays
    assert Credential.objects.get(pk=old_scan.pk).document.name == ""
    assert LedgerEntry.objects.get(pk=new_entry.pk).evidence.name
    assert LedgerEntry.objects.get(pk=pending.pk).evidence.name


# ---- bulk certificate job outputs ----

def test_finished_certificate_job_outputs_go_after_the_period():
    event = make_event()
    jobs = []
    for finished in (LONG_AGO, RECENTLY):
        name = default_storage.save("credentials/jobs/semua.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
        jobs.append(CertificateJob.objects.create(action=CertificateJob.Action.ZIP, event=event, output=name,
                                                  status=CertificateJob.Status.DONE, finished_at=finished))
    old_name = jobs[0].output.name
    assert counts(run(only=["certificate_jobs"]))["certificate_jobs"] == 1
    assert not default_storage.exists(old_name)
    assert CertificateJob.objects.get(pk=jobs[0].pk).output.name == ""
    assert default_storage.exists(CertificateJob.objects.get(pk=jobs[1].pk).output.name)


# ---- audit details ----

def test_old_audit_rows_keep_who_what_when_but_lose_their_details(cast):
    old = audit_record(actor=SYSTEM, action="person.update", target=cast.person_a,
                       before={"phone": "0812"}, after={"phone": "0813"}, note="ganti HP")
    AuditLog.objects.filter(pk=old.pk).update(at=LONG_AGO, ip="10.0.0.1")
    recent = audit_record(actor=SYSTEM, action="person.update", target=cast.person_a, before={"phone": "0813"},
                          after={"phone": "0814"})
    assert counts(run(only=["audit_details"]))["audit_details"] == 1
    old.refresh_from_db()
    assert (old.before, old.after, old.ip, old.note, old.target_label) == (None, None, None, "", "")
    assert (old.action, old.target_type, old.target_id, old.actor_label) == (
        "person.update", "people.person", str(cast.person_a.pk), "factory")
    recent.refresh_from_db()
    assert recent.after == {"phone": "0814"}


# ---- inactive people ----

def _leaver(cast, *, years_ago: float = 20, **extra) -> Person:
    person = make_person(phone="081234567890", email="ani@example.go.id", title_suffix="S.Sos", **extra)
    person_set_active(by=SYSTEM, person=person, active=False, reason="Pensiun")
    Person.objects.filter(pk=person.pk).update(updated_at=NOW - dt.timedelta(days=365 * years_ago))
    return person


def test_a_person_inactive_for_years_is_anonymised_and_their_counts_stay(cast):
    person = _leaver(cast)
    certificate = make_certificate(person=person)
    entry = make_entry(person=person)
    Enrolment.objects.filter(person=person).update(created_at=LONG_AGO)
    LedgerEntry.objects.filter(person=person).update(created_at=LONG_AGO)
    unavailability_create(person=person, start_date=dt.date(2005, 1, 1), end_date=dt.date(2005, 1, 9),
                          reason="Sakit", by=SYSTEM)
    user = make_user("participant", username="ani", person=person)
    token_create(by=user, name="lama")
    Person.objects.filter(pk=person.pk).update(updated_at=LONG_AGO)
    evidence = entry.evidence.name
    before = {"enrolments": Enrolment.objects.filter(person=person).count(),
              "ledger": LedgerEntry.objects.filter(person=person).count(),
              "totals": list(PersonYearTotal.objects.filter(person=person).values_list("year", "approved_minutes")),
              "history": PositionHistory.objects.filter(person=person).count()}
    assert before["enrolments"] == 1 and before["ledger"] == 2

    report = run(only=["inactive_people"])

    assert counts(report)["inactive_people"] == 1
    person.refresh_from_db()
    assert person.full_name == f"Anonim {person.pk}" and person.anonymised_at is not None
    assert (person.nip, person.nik, person.birth_date, person.phone, person.email, person.title_suffix) == (
        None, None, None, "", "", "")
    assert person.sex and person.agency_id and person.employment_type == "PNS"  # dimensions for statistics
    assert not PersonSearchToken.objects.filter(person=person).exists()
    assert not Unavailability.objects.filter(person=person).exists()
    assert not default_storage.exists(evidence)
    after = {"enrolments": Enrolment.objects.filter(person=person).count(),
             "ledger": LedgerEntry.objects.filter(person=person).count(),
             "totals": list(PersonYearTotal.objects.filter(person=person).values_list("year", "approved_minutes")),
             "history": PositionHistory.objects.filter(person=person).count()}
    assert after == before
    assert Certificate.objects.get(pk=certificate.pk).person_name == certificate.person_name  # signed document
    user.refresh_from_db()
    assert (user.username, user.is_active, user.email, user.has_usable_password()) == (
        f"anonim-{user.pk}", False, "", False)
    assert not ApiToken.objects.filter(user=user).exists()
    about = AuditLog.objects.filter(target_type="people.person", target_id=str(person.pk)).exclude(
        action="retention.run")
    assert about.exists() and not about.filter(after__isnull=False).exists()


def test_recently_inactive_active_and_recently_trained_people_are_kept(cast):
    recent = _leaver(cast, years_ago=1)
    active = make_person()
    Person.objects.filter(pk=active.pk).update(updated_at=LONG_AGO)
    trained = _leaver(cast)
    make_certificate(person=trained)  # an enrolment created now: activity after the cut-off
    Person.objects.filter(pk=trained.pk).update(updated_at=LONG_AGO)
    assert counts(run(only=["inactive_people"]))["inactive_people"] == 0
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 0
    assert {recent.pk, active.pk, trained.pk} <= set(Person.objects.values_list("pk", flat=True))


def test_non_asn_people_can_be_anonymised_too(cast):
    person = _leaver(cast, employment_type="NON_ASN")
    assert counts(run(only=["inactive_people"]))["inactive_people"] == 1
    assert Person.objects.get(pk=person.pk).nik is None


# ---- the run as a whole ----

def _something_of_everything(cast):
    Session.objects.create(session_key="c" * 32, session_data="x", expire_date=NOW - dt.timedelta(hours=1))
    _import_run(finished_at=LONG_AGO)
    _leaver(cast)
    row = audit_record(actor=SYSTEM, action="x.y", target=cast.person_b, after={"a": 1})
    AuditLog.objects.filter(pk=row.pk).update(at=LONG_AGO)


def test_a_dry_run_counts_what_would_go_and_changes_nothing(cast):
    _something_of_everything(cast)
    audit_rows = AuditLog.objects.count()
    snapshot = (Session.objects.count(), ImportIssue.objects.count(),
                list(Person.objects.values_list("full_name", "nip")),
                list(AuditLog.objects.values_list("after", flat=True)))
    dry = run(dry_run=True)
    assert dry.audit is None and AuditLog.objects.count() == audit_rows
    assert snapshot == (Session.objects.count(), ImportIssue.objects.count(),
                        list(Person.objects.values_list("full_name", "nip")),
                        list(AuditLog.objects.values_list("after", flat=True)))
    real = run()
    assert counts(dry) == counts(real)
    assert counts(real)["sessions"] == 1 and counts(real)["inactive_people"] == 1


def test_a_run_writes_one_audit_row_with_the_count_of_every_rule_and_a_second_run_removes_nothing(cast):
    _something_of_everything(cast)
    before = AuditLog.objects.filter(action="retention.run").count()
    first = run()
    assert AuditLog.objects.filter(action="retention.run").count() == before + 1
    row = first.audit
    assert set(row.after["counts"]) == {r.name for r in RULES}
    assert row.after["counts"]["import_files"] == {"count": 1, "files": 1}
    assert row.after["periods"]["inactive_people"] == 5
    second = run()
    assert second.total == 0
    assert AuditLog.objects.filter(action="retention.run").count() == before + 2


@override_settings(RETENTION_BATCH=2)
def test_it_works_through_many_rows_in_small_batches():
    for n in range(5):
        Session.objects.create(session_key=f"{n:032d}", session_data="x", expire_date=NOW - dt.timedelta(hours=1))
    assert counts(run(only=["sessions"]))["sessions"] == 5
    assert not Session.objects.exists()


def test_a_period_of_zero_turns_its_rule_off(settings, cast):
    settings.RETENTION = {**settings.RETENTION, "inactive_person_years": 0}
    _leaver(cast)
    report = run()
    assert "inactive_people" not in counts(report)
    assert report.audit.after["skipped"] == ["inactive_people"]
    assert not Person.objects.filter(anonymised_at__isnull=False).exists()


def test_the_command_prints_counts_and_dry_run_says_so(cast):
    _something_of_everything(cast)
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "tidak ada yang diubah" in text and "sessions" in text and "inactive_people" in text
    assert "Catatan audit" not in text
    out = StringIO()
    call_command("retention", stdout=out)
    assert "Catatan audit #" in out.getvalue()


def test_an_abandoned_preview_loses_its_file_and_can_no_longer_be_committed_only_checked_again(cast):
    from imports.services import import_run_check

    abandoned = _import_run(finished_at=None)
    ImportRun.objects.filter(pk=abandoned.pk).update(status=ImportRun.Status.CHECKED, created_at=LONG_AGO)
    assert counts(run(only=["import_files"]))["import_files"] == 1
    abandoned.refresh_from_db()
    assert abandoned.status == ImportRun.Status.FAILED and "retensi" in abandoned.message
    ImportRun.objects.filter(pk=abandoned.pk).update(status=ImportRun.Status.CHECKING)
    checked = import_run_check(run_id=abandoned.pk, by=SYSTEM)
    assert checked.status == ImportRun.Status.FAILED and "unggah ulang" in checked.message


def test_an_anonymised_record_cannot_be_edited_or_reactivated(cast):
    from django.core.exceptions import ValidationError

    from people.services import PersonInput, person_update

    person = _leaver(cast)
    run(only=["inactive_people"])
    person.refresh_from_db()
    with pytest.raises(ValidationError):
        person_set_active(by=SYSTEM, person=person, active=True, reason="Kembali")
    data = PersonInput(full_name="Nama Lama", sex=person.sex, employment_type=person.employment_type,
                       agency=person.agency, nip=make_person().nip)
    with pytest.raises(ValidationError):
        person_update(by=SYSTEM, person=person, data=data)
    assert Person.objects.get(pk=person.pk).full_name == f"Anonim {person.pk}"


# ---- finished background task rows ----

def test_finished_task_rows_go_after_the_period_and_queued_or_running_ones_stay():
    from django_tasks_db.models import DBTaskResult

    def task_row(status, finished_at):
        return DBTaskResult.objects.create(status=status, args_kwargs={"args": [1], "kwargs": {}}, priority=0,
                                           task_path="hours.tasks.ensure_year_totals", queue_name="default",
                                           backend_name="default", run_after=NOW, finished_at=finished_at)

    old_done, old_failed = task_row("SUCCESSFUL", LONG_AGO), task_row("FAILED", LONG_AGO)
    recent, queued, running = task_row("SUCCESSFUL", RECENTLY), task_row("READY", None), task_row("RUNNING", None)
    assert counts(run(only=["task_results"], dry_run=True))["task_results"] == 2
    assert DBTaskResult.objects.count() == 5  # a dry run changes nothing
    assert counts(run(only=["task_results"]))["task_results"] == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, queued.pk, running.pk}
    assert not DBTaskResult.objects.filter(pk__in=[old_done.pk, old_failed.pk]).exists()
    assert counts(run(only=["task_results"]))["task_results"] == 0  # twice: nothing more
