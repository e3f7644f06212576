"""Row locks of issuing and completion take only the rows they change (PostgreSQL).

``select_for_update()`` with ``select_related`` locks every joined row: the event's city
(``people_region``), the person's agency, the programme. Two workers then deadlocked in the
multi-process proof (ops/tests/test_multiprocess.py): a big event's completion held the city row
FOR UPDATE while an import's foreign-key checks on new people waited for it (FOR KEY SHARE), and the
import held what the completion needed next. Locks now name their own table (``of=("self",)``)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credentials.models import Certificate
from credentials.services import certificate_issue, certificate_reissue
from credentials.tests.factories import make_certificate, make_enrolment, make_event
from siaga.testing import SYSTEM
from training.models import Enrolment, Event
from training.services_completion import enrolment_complete, event_finish

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks (FOR UPDATE)")

SHARED = ("people_region", "people_agency", "people_person", "training_programme", "curriculum_")


def _locks(queries) -> list[str]:
    return [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] or "FOR NO KEY UPDATE" in q["sql"]]


def _assert_only_own_rows(locks: list[str], *own: str) -> None:
    assert locks, "expected row locks"
    for sql in locks:
        query, clause = sql[:sql.index(" FOR ")], sql[sql.index(" FOR "):]
        tables = re.findall(r'"(\w+)"', clause)
        if " JOIN " in query:
            assert tables, f"FOR UPDATE without OF locks every joined table: {sql}"
        else:
            tables = re.findall(r'FROM "(\w+)"', query)
        assert not [t for t in tables if t.startswith(SHARED)], sql
        assert set(tables) <= {*own, "credentials_signingkey"}, sql  # the first key is made on first use


@pytest.mark.django_db
def test_issuing_a_certificate_locks_the_enrolment_not_its_event_city_or_agency():
    enrolment = make_enrolment(status=Enrolment.Status.COMPLETED)
    with CaptureQueriesContext(connection) as queries:
        certificate_issue(enrolment=enrolment, by=SYSTEM)
    _assert_only_own_rows(_locks(queries), "training_enrolment", "credentials_serialcounter")


@pytest.mark.django_db
def test_reissuing_locks_the_certificate_and_enrolment_only():
    cert = make_certificate()
    with CaptureQueriesContext(connection) as queries:
        certificate_reissue(certificate=cert, reason="Nama salah ketik", by=SYSTEM)
    _assert_only_own_rows(_locks(queries), "credentials_certificate", "training_enrolment",
                          "credentials_serialcounter")
    assert Certificate.objects.filter(enrolment=cert.enrolment).count() == 2


@pytest.mark.django_db
def test_finishing_an_event_locks_the_event_and_enrolments_not_the_city_or_programme():
    event = make_event()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.RUNNING)
    enrolments = [make_enrolment(event=event) for _ in range(3)]
    with CaptureQueriesContext(connection) as queries:
        enrolment_complete(enrolment=enrolments[0], by=SYSTEM)
        event_finish(event=event, by=SYSTEM)
    _assert_only_own_rows(_locks(queries), "training_event", "training_enrolment", "credentials_serialcounter",
                          "hours_personyeartotal", "hours_ledgerentry")
    assert Certificate.objects.filter(event=event).count() == 3
