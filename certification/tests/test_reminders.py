import datetime as dt

from django.core import mail
from django.core.management import call_command

from certification.models import CredentialReminder
from certification.reminders import due_threshold, send_expiry_reminders
from certification.testing import make_credential

NOON_UTC = dt.time(5, 0)  # 12:00 WIB


def _on(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, NOON_UTC, tzinfo=dt.UTC)


def test_due_threshold_is_the_smallest_reached():
    assert due_threshold(91) is None
    assert due_threshold(90) == 90
    assert due_threshold(61) == 90
    assert due_threshold(45) == 60
    assert due_threshold(20) == 30
    assert due_threshold(-1) is None


def test_each_threshold_fires_once_to_the_person_and_their_agency_admin(cast, django_capture_on_commit_callbacks):
    cast.agency_admin.email = "sari@kemensos.go.id"
    cast.agency_admin.save()
    cast.person_a.email = "siti@contoh.go.id"
    cast.person_a.save()
    expiry = dt.date(2026, 6, 30)
    credential = make_credential(cast.person_a, valid_until=expiry)
    mail.outbox.clear()
    for days_before, expected_total in [(95, 0), (90, 1), (89, 1), (60, 2), (59, 2), (30, 3), (10, 3), (0, 3)]:
        with django_capture_on_commit_callbacks(execute=True):
            send_expiry_reminders(now=_on(expiry - dt.timedelta(days=days_before)))
        # running twice on the same day sends nothing more
        with django_capture_on_commit_callbacks(execute=True):
            send_expiry_reminders(now=_on(expiry - dt.timedelta(days=days_before)))
        assert len(mail.outbox) == expected_total, days_before
    assert sorted(mail.outbox[0].to) == ["sari@kemensos.go.id", "siti@contoh.go.id"]
    assert "30 Juni 2026" in mail.outbox[0].subject
    assert set(CredentialReminder.objects.filter(credential=credential).values_list("threshold_days", flat=True)) == {
        90, 60, 30}


def test_a_credential_found_late_gets_one_reminder_and_skips_the_passed_thresholds(
        cast, django_capture_on_commit_callbacks):
    cast.person_a.email = "siti@contoh.go.id"
    cast.person_a.save()
    expiry = dt.date(2026, 6, 30)
    credential = make_credential(cast.person_a, valid_until=expiry)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run = send_expiry_reminders(now=_on(expiry - dt.timedelta(days=20)))
    assert run.sent == 1 and len(mail.outbox) == 1
    rows = {r.threshold_days: r.skipped for r in CredentialReminder.objects.filter(credential=credential)}
    assert rows == {30: False, 60: True, 90: True}


def test_the_command_runs_the_task_and_rejected_credentials_are_not_reminded(cast, capsys):
    from certification.services import credential_reject
    from siaga.testing import SYSTEM

    today = dt.date.today()
    reminded = make_credential(cast.person_a, valid_until=today + dt.timedelta(days=25))
    rejected = make_credential(cast.person_a, valid_until=today + dt.timedelta(days=25))
    credential_reject(credential=rejected, reason="Pindaian buram", by=SYSTEM)
    call_command("credentials", "remind")
    assert CredentialReminder.objects.filter(credential=reminded, threshold_days=30).exists()
    assert not CredentialReminder.objects.filter(credential=rejected).exists()
    call_command("credentials", "remind")
    assert "0 terkirim" in capsys.readouterr().out.splitlines()[-1]
