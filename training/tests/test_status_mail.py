"""The status-mail outbox (decision 0014): flagged in the change's own write, mailed by a sweep."""

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from ops.worker_hooks import run_worker_start_hooks
from siaga.testing import SYSTEM, make_person
from training import notifications, status_mail
from training.models import Enrolment
from training.services_enrolment import enrolment_cancel, enrolment_nominate, enrolment_register
from training.tasks import enrolment_status_mail_task
from training.tests.factories import make_event

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _mailed_person(**kwargs):
    return make_person(email="peserta@example.go.id", **kwargs)


def test_a_registration_flags_its_mail_and_the_sweep_after_commit_sends_it(cast, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    cast.person_a.email = "peserta@example.go.id"
    cast.person_a.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrolment = enrolment_register(event_id=event.pk, by=cast.participant)
    assert Enrolment.objects.get(pk=enrolment.pk).mail_pending  # in the same INSERT, before any mail
    assert mail.outbox == []
    for callback in callbacks:
        callback()  # the commit: the immediate backend of the tests runs the sweep now
    assert [m.subject for m in mail.outbox] == [f"Kursi Anda di {event.name} terkonfirmasi"]
    assert mail.outbox[0].to == ["peserta@example.go.id"]
    assert not Enrolment.objects.get(pk=enrolment.pk).mail_pending


def test_the_sweep_mails_each_pending_status_once_and_skips_people_without_address():
    event = make_event(capacity=1)
    first = enrolment_nominate(event=event, person=_mailed_person(), by=SYSTEM, confirm=True)
    second = enrolment_nominate(event=event, person=_mailed_person(), by=SYSTEM, confirm=True)  # full: waitlisted
    silent = enrolment_nominate(event=event, person=make_person(email=""), by=SYSTEM)
    mail.outbox.clear()
    assert status_mail.send_pending(batch=2) == 3  # two batches
    assert sorted(m.subject.split(" ")[0] for m in mail.outbox) == ["Anda", "Kursi"]
    assert not Enrolment.objects.filter(pk__in=[first.pk, second.pk, silent.pk], mail_pending=True).exists()
    mail.outbox.clear()
    assert status_mail.send_pending() == 0 and mail.outbox == []


def test_a_status_changed_during_the_sweep_stays_pending_for_the_next_one(monkeypatch):
    event = make_event()
    enrolment = enrolment_nominate(event=event, person=_mailed_person(), by=SYSTEM)
    real = notifications.enrolment_statuses

    def change_while_mailing(*, enrolment_ids):
        handled = real(enrolment_ids=enrolment_ids)  # mails "nominated"
        Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.CANCELLED, mail_pending=True)
        return handled

    mail.outbox.clear()
    monkeypatch.setattr(notifications, "enrolment_statuses", change_while_mailing)
    status_mail.send_pending()
    assert Enrolment.objects.get(pk=enrolment.pk).mail_pending  # the cancellation is not mailed yet
    monkeypatch.setattr(notifications, "enrolment_statuses", real)
    status_mail.send_pending()
    assert [m.subject.split(" ")[0] for m in mail.outbox] == ["Anda", "Keikutsertaan"]
    assert not Enrolment.objects.get(pk=enrolment.pk).mail_pending


def test_cancelling_flags_the_cancelled_and_the_promoted_person():
    event = make_event(capacity=1)
    seated = enrolment_nominate(event=event, person=_mailed_person(), by=SYSTEM, confirm=True)
    waiting = enrolment_nominate(event=event, person=_mailed_person(), by=SYSTEM, confirm=True)
    Enrolment.objects.update(mail_pending=False)
    enrolment_cancel(enrolment=seated, by=SYSTEM)
    pending = dict(Enrolment.objects.filter(mail_pending=True).values_list("pk", "status"))
    assert pending == {seated.pk: "cancelled", waiting.pk: "confirmed"}


@override_settings(TASKS=DUMMY)
def test_many_changes_queue_one_sweep_a_few_seconds_later(monkeypatch):
    from django_tasks import default_task_backend

    cache.delete(status_mail.SCHEDULED_KEY)
    monkeypatch.setattr(status_mail, "_last_enqueued", -float("inf"))
    default_task_backend.clear()
    for _ in range(3):
        status_mail.enqueue_sweep()
    queued = [r for r in default_task_backend.results if r.task.name == "enrolment_status_mails_task"]
    assert len(queued) == 1
    wait = queued[0].task.run_after - timezone.now()
    assert dt.timedelta(seconds=status_mail.MAIL_DELAY) < wait <= dt.timedelta(seconds=status_mail.MAIL_DELAY + 1)
    # another process (its own memory) finds the shared key and queues nothing either
    monkeypatch.setattr(status_mail, "_last_enqueued", -float("inf"))
    status_mail.enqueue_sweep()
    assert len([r for r in default_task_backend.results if r.task.name == "enrolment_status_mails_task"]) == 1
    cache.delete(status_mail.SCHEDULED_KEY)


@override_settings(TASKS=DUMMY)
def test_a_starting_worker_queues_a_sweep_only_when_mail_is_pending(monkeypatch):
    from django_tasks import default_task_backend

    def queued():
        return [r for r in default_task_backend.results if r.task.name == "enrolment_status_mails_task"]

    cache.delete(status_mail.SCHEDULED_KEY)
    monkeypatch.setattr(status_mail, "_last_enqueued", -float("inf"))
    default_task_backend.clear()
    run_worker_start_hooks()
    assert queued() == []
    enrolment_nominate(event=make_event(), person=_mailed_person(), by=SYSTEM)  # flagged; its commit never runs here
    run_worker_start_hooks()
    assert len(queued()) == 1
    cache.delete(status_mail.SCHEDULED_KEY)


def test_the_one_mail_task_of_earlier_releases_still_sends_and_clears():
    enrolment = enrolment_nominate(event=make_event(), person=_mailed_person(), by=SYSTEM)
    mail.outbox.clear()
    enrolment_status_mail_task.call(enrolment.pk)
    assert len(mail.outbox) == 1 and not Enrolment.objects.get(pk=enrolment.pk).mail_pending
