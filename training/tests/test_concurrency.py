"""Many threads, each with its own database connection, race for the last seats.

On PostgreSQL and on a SQLite file the database makes racing writers wait (row locks; the
write lock with a busy timeout). The suite's default SQLite database is in memory with a shared
cache, where a locked table answers "database table is locked" at once instead of waiting: there
each thread retries its whole transaction after a short pause, as the busy timeout would."""

import random
import threading
import time

import pytest
from django.db import OperationalError, connection

from siaga.testing import SYSTEM, make_person
from training.models import Enrolment, Event
from training.services_enrolment import EnrolmentRefused, enrolment_nominate
from training.tests.factories import make_event

THREADS = 16
SEATS_LEFT = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_threads_never_overbook_the_last_seats():
    event = make_event(capacity=SEATS_LEFT + 3)
    for _ in range(3):
        enrolment_nominate(event=event, person=make_person(), by=SYSTEM, confirm=True)
    people = [make_person() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def race(person):
        try:
            barrier.wait()
            status = "gave up"
            deadline = time.monotonic() + 90
            retried = False
            while time.monotonic() < deadline:
                try:
                    status = enrolment_nominate(event=event, person=person, by=SYSTEM, confirm=True).status
                    break
                except EnrolmentRefused as exc:
                    # A lock error can be reported at COMMIT after the write went through: read the outcome.
                    if not (retried and exc.reason_code == "already_enrolled"):
                        raise
                    status = Enrolment.objects.get(event=event, person=person).status
                    break
                except OperationalError as exc:  # only SQLite's shared in-memory test database locks tables
                    if "locked" not in str(exc):
                        raise
                    retried = True
                    time.sleep(random.uniform(0.002, 0.02))  # noqa: S311 - jitter, not security
            with lock:
                outcomes.append(status)
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    event.refresh_from_db()
    confirmed = Enrolment.objects.filter(event=event, status="confirmed").count()
    assert outcomes.count("confirmed") == SEATS_LEFT
    assert outcomes.count("waitlisted") == THREADS - SEATS_LEFT
    assert confirmed == event.seats_taken == event.seats
    assert Event.objects.filter(pk=event.pk, seats_taken__gt=event.seats).count() == 0
