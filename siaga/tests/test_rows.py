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


@pytest.mark.django_db
def test_insert_row_binds_the_values_the_orm_binds(cast):
    """The plain-value shortcut gives each field the same database value, of the same type, as
    ``get_db_prep_save`` (psycopg's Int4/Int8 wrappers on PostgreSQL included)."""
    from django_tasks_db.models import DBTaskResult

    from siaga.db.rows import _db_value, _statement
    from training.models import Enrolment

    event = _event(cast)
    samples = [
        Enrolment(event=event, person=cast.person_a, agency_id=cast.person_a.agency_id, status="confirmed",
                  nominated_by=cast.agency_admin, waitlist_position=None, attended_minutes=30, mail_pending=True,
                  not_completed_reason="—"),
        Enrolment(event=event, person=cast.person_a, agency_id=cast.person_a.agency_id, status="waitlisted",
                  waitlist_position=2**40, pre_test_score=7),
        AuditLog(actor=cast.agency_admin, actor_label="a", action="x.y", target_type="t", target_id="1",
                 after={"n": 1}, ip="10.0.0.1"),
        AuditLog(actor=None, action="x.z", target_type="t", target_id="2"),
        DBTaskResult(task_path="a.b", args_kwargs={"args": [], "kwargs": {}}, priority=0, queue_name="default",
                     backend_name="default", run_after=timezone.now()),
    ]
    for instance in samples:
        _sql, fields = _statement(type(instance), "default", False)
        for field, attname, plain, adapt in fields:
            ours = _db_value(field, attname, plain, adapt, instance, connection)
            orm = field.get_db_prep_save(field.pre_save(instance, True), connection)
            assert type(ours) is type(orm), (type(instance).__name__, attname)
            if not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):  # "now", twice
                assert str(ours) == str(orm), (type(instance).__name__, attname)
    assert any(plain for _f, _a, plain, _adapt in _statement(Enrolment, "default", False)[1])


@pytest.mark.django_db
def test_a_read_row_behaves_like_an_orm_instance(cast):
    """``instance_from`` skips ``Model.__init__``: the instance must still save, refresh, follow its
    foreign keys and compare as the ORM's does."""
    event = _event(cast)
    plain = row_by_id(Event, event.pk)
    assert plain == Event.objects.get(pk=event.pk) and hash(plain) == hash(event)
    assert plain.programme == event.programme and plain.city_id == event.city_id
    plain.venue = "Aula baru"
    plain.save(update_fields=["venue"])
    assert Event.objects.get(pk=event.pk).venue == "Aula baru"
    plain.refresh_from_db()
    assert plain.venue == "Aula baru" and plain.get_deferred_fields() == set()


def test_only_djangos_own_field_classes_take_the_plain_value_path():
    from django.db import models

    from siaga.db.rows import _plain_types

    class Lowered(models.CharField):
        def get_prep_value(self, value):
            return super().get_prep_value(value).lower()

    assert _plain_types(models.CharField(max_length=5)) == frozenset({str, type(None)})
    assert _plain_types(Lowered(max_length=5)) == frozenset()  # its own conversion: the ORM's path
    assert _plain_types(models.EmailField()) == frozenset()
    assert _plain_types(models.DateTimeField()) == frozenset()
    assert int in _plain_types(models.PositiveSmallIntegerField())
