"""Compaction racing ledger writes (PostgreSQL, READ COMMITTED): writers in threads append deltas
while a compactor moves them into the rollups again and again; afterwards rollups plus pending
deltas equal the cells exactly, so no delta was lost or counted twice (decision 0013)."""

import random
import threading

import pytest
from django.db import connection
from django.utils import timezone

from hours import cells
from hours.models import ComplianceDelta
from hours.services import entry_approve, entry_void
from hours.tests.factories import make_entry
from siaga.testing import SYSTEM, make_person

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")

WRITERS, WRITES = 4, 12


def _in_thread(target, errors):
    def run():
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()
    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_compaction_running_during_ledger_writes_loses_and_doubles_nothing():
    people = [make_person(employment_type=kind, level="ahli-pertama" if n % 2 else None)
              for n, kind in enumerate(["PNS", "PPPK"] * 4)]
    errors: list[BaseException] = []
    done = threading.Event()
    moved = []

    def writer(seed):
        rng = random.Random(seed)
        for _ in range(WRITES):
            entry = make_entry(person=rng.choice(people), minutes=rng.randint(1, 12) * 45)
            if rng.random() < 0.7:
                entry_approve(entry=entry, by=SYSTEM)
            if rng.random() < 0.2:
                entry_void(entry=entry, reason="Tercatat dua kali", by=SYSTEM)

    def compactor():
        while not done.is_set():
            moved.append(cells.compact(limit=3))
        moved.append(cells.compact(limit=3))

    writers = [_in_thread(lambda s=seed: writer(s), errors) for seed in range(WRITERS)]
    compactors = [_in_thread(compactor, errors) for _ in range(2)]  # two compactors: the advisory lock
    for thread in writers + compactors:
        thread.start()
    for thread in writers:
        thread.join(timeout=120)
    done.set()
    for thread in compactors:
        thread.join(timeout=120)
    assert not errors
    assert sum(moved) > 0
    year = timezone.localdate().year
    assert not cells.differences(year)  # cells = totals, rollups + pending deltas = cells
    cells.compact()
    assert not ComplianceDelta.objects.exists() and not cells.differences(year)
