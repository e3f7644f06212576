"""siaga.db.rows: plain-SQL inserts and reads must give exactly what the ORM gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditLog, User
from siaga.db.rows import columns, insert_row, instance_from, row_by_id
from training.models import Event

FIELDS_COMPARED = [f.attname for f in Event._meta.concrete_fields]


def _event(cast) -> Event:
    from training.tests.factories import make_event  # the training tests' own world

    return make_event()


@pytest.mark.django_db
def test_row_by_id_reads_every_field_as_the_orm_does(cast):
    event = _event(cast)
    Event.objects.filter(pk=event.pk).update(registration_opens=timezone.now() - dt.timedelta(days=1),
                                             self_registration=True)
    plain, orm = row_by_id(Event, event.pk), Event.objects.get(pk=event.pk)
    for name in FIELDS_COMPARED:
        assert getattr(plain, name) == getattr(orm, name), name
        assert type(getattr(plain, name)) is type(getattr(orm, name)), name
    assert plain._state.adding is False and plain._state.db == "default"


@pytest.mark.django_db
def test_row_by_id_is_none_for_a_missing_or_impossible_id(cast):
    assert row_by_id(Event, None) is None
    assert row_by_id(Event, 10**12) is None
    assert row_by_id(Event, 2**70) is None  # outside the integer range: not found, no database error
    assert row_by_id(Event, 0) is None


@pytest.mark.django_db
def test_instance_from_takes_the_model_columns_of_a_joined_row(cast):
    select, n = columns(User, alias="u")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}, 42 FROM accounts_user u WHERE u.id = %s", [cast.agency_admin.pk])
        row = cursor.fetchone()
    user = instance_from(User, row)
    assert row[n] == 42
    assert user == cast.agency_admin and user.username == cast.agency_admin.username
    assert user.date_joined == User.objects.get(pk=user.pk).date_joined


@pytest.mark.django_db
def test_insert_row_writes_what_save_writes_and_sets_the_id(cast):
    actor = cast.agency_admin
    with CaptureQueriesContext(connection) as queries:
        row = audit_record(actor=actor, action="test.plain", target_type="x", target_id=7,
                           after={"when": dt.date(2026, 1, 2), "n": 3})
    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT")
    stored = AuditLog.objects.get(pk=row.pk)
    assert stored.after == {"when": "2026-01-02", "n": 3}
    assert stored.actor_id == cast.agency_admin.pk and stored.target_id == "7"
    assert stored.at == row.at and stored.at is not None  # the field default was applied


@pytest.mark.django_db
def test_insert_row_sends_the_save_signals_to_listening_receivers(cast):
    from django.db.models.signals import post_save, pre_save

    seen = []

    def before(sender, instance, **kwargs):
        instance.note = "set by pre_save"
        seen.append(("pre", instance.pk))

    def after(sender, instance, created, **kwargs):
        seen.append(("post", created, instance.pk))

    pre_save.connect(before, sender=AuditLog)
    post_save.connect(after, sender=AuditLog)
    try:
        row = insert_row(AuditLog(action="test.signals", actor_label="x"))
    finally:
        pre_save.disconnect(before, sender=AuditLog)
        post_save.disconnect(after, sender=AuditLog)
    assert seen == [("pre", None), ("post", True, row.pk)]
    assert AuditLog.objects.get(pk=row.pk).note == "set by pre_save"


@pytest.mark.django_db
def test_the_database_task_queue_writes_the_same_row_as_the_stock_backend(settings):
    from django_tasks_db.models import DBTaskResult, get_date_max

    from ops.task_backend import DatabaseBackend
    from training.tasks import enrolment_status_mail_task

    settings.TASKS = {"default": {"BACKEND": "ops.task_backend.DatabaseBackend"}}
    assert isinstance(enrolment_status_mail_task.get_backend(), DatabaseBackend)
    result = enrolment_status_mail_task.enqueue(41)
    later = enrolment_status_mail_task.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue(42)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.args_kwargs == {"args": [41], "kwargs": {}} and row.status == "READY"
    assert row.task_path.endswith("enrolment_status_mail_task") and row.enqueued_at is not None
    assert row.run_after == get_date_max()  # "as soon as possible": set by django-tasks-db's pre_save receiver
    assert DBTaskResult.objects.ready().filter(pk=result.id).exists()
    assert not DBTaskResult.objects.ready().filter(pk=later.id).exists()


@pytest.mark.django_db
def test_the_remembered_qmark_rewrite_keeps_literal_percent_signs():
    with connection.cursor() as cursor:
        for _ in range(2):  # the second time from the cache
            cursor.execute("SELECT %s, '100%%'", ["x"])
            assert cursor.fetchone() == ("x", "100%")
