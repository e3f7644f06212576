"""The data set of the multi-process proof (``ops/tests/test_multiprocess.py``), built once in a
template database that each run copies.

    python -m ops.world build OUT.json     (DATABASE_URL, SIAGA_DATA_DIR set; tasks run inline)

It holds the demo data set (``siaga demo --people N``) plus, for the proof's jobs:

- a programme with ``FINISHED_EVENTS`` finished events of ``PER_EVENT`` completed enrolments and no
  certificates yet (the bulk certificate jobs issue and render them);
- one running event of ``RUNNING_ATTENDEES`` participants with attendance and scores recorded (the
  organiser's "finish" page evaluates it in a background task: JP ledger entries, certificates and
  one PDF render task per certificate);
- API tokens for the centre admin (the import) and the organiser (the certificate jobs);
- ``import.csv``: ``IMPORT_ROWS`` new people and ``IMPORT_BAD_ROWS`` rows with errors, for a
  "valid rows only" import into Kemensos (bigger than the inline-check limit, so checked by a worker).

Everything is deterministic (fixed seeds, ordered ids) so two runs from the template give identical
results, whatever the number of processes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

DEMO_PEOPLE = 900
FINISHED_EVENTS = 6
PER_EVENT = 40
RUNNING_ATTENDEES = 310  # over training.tasks.INLINE_FINISH_LIMIT: finished by a worker
IMPORT_ROWS = 1800  # about 320 kB: over the 256 kB inline-check limit
IMPORT_BAD_ROWS = 12
PROGRAMME_CODE = "uji-multiproses"

FIRST = ["Siti", "Budi", "Agus", "Dewi", "Rina", "Ahmad", "Nur", "Sri", "Eko", "Putri", "Dian", "Hendra"]
LAST = ["Aminah", "Santoso", "Wijaya", "Lestari", "Hidayat", "Saputra", "Rahmawati", "Pratama", "Kusuma"]
PLACES = [("Jawa Barat", "Kota Bandung"), ("DKI Jakarta", "Kota Adm. Jakarta Selatan"),
          ("Jawa Tengah", "Kota Semarang"), ("DIY", "Kab. Sleman"), ("Jatim", "Kota Surabaya")]
HEADER = ["No", "Nama Lengkap", "NIP", "Jenis Kelamin", "Tanggal Lahir", "Jabatan", "Unit Kerja", "Provinsi",
          "Kab/Kota", "No. HP", "Email"]


def import_rows(n: int, bad: int) -> list[list]:
    """``n`` valid new PNS rows (NIPs no demo person has: TMT year 1999, born 1970–1973) and ``bad``
    rows with an impossible NIP."""
    rng = random.Random(12)
    rows = []
    for i in range(n):
        born = dt.date(1970, 1, 1) + dt.timedelta(days=i // 900 * 30 + i % 28)
        sex = "L" if i % 2 else "P"
        nip = f"{born:%Y%m%d}1999{i // 900 % 12 + 1:02d}{'1' if sex == 'L' else '2'}{i % 900 + 1:03d}"
        province, city = PLACES[i % len(PLACES)]
        rows.append([i + 1, f"{rng.choice(FIRST)} {rng.choice(LAST)} Impor {i:05d}", nip, sex,
                     born.strftime("%d/%m/%Y"), "Pekerja Sosial Ahli Pertama", "Bidang Rehabilitasi Sosial",
                     province, city, f"0812{rng.randrange(10**7, 10**8)}", f"impor{i}@contoh.go.id"])
    for j in range(bad):
        rows.append([n + j + 1, f"Baris Salah {j}", f"1970010{j % 9}", "L", "01/01/1970", "Pekerja Sosial",
                     "", "Jawa Barat", "Kota Bandung", "", ""])
    return rows


def _programme(by):
    from training.demo import _versions
    from training.models import Programme
    from training.services_programme import ProgrammeInput, programme_create

    return programme_create(data=ProgrammeInput(
        code=PROGRAMME_CODE, title="Pelatihan Uji Multiproses Pekerja Sosial", module_versions=_versions(),
        delivery=Programme.Delivery.CLASSROOM, target_employment_types=["PNS", "PPPK"]), by=by), _versions()


def _finished_events(programme, people, by) -> list[int]:
    """Finished events whose participants completed (rows written directly: no certificates yet)."""
    from django.utils import timezone

    from people.models import Region
    from training.models import Enrolment, Event

    cities = list(Region.objects.filter(level=2).order_by("code")[:FINISHED_EVENTS])
    ids, rows = [], []
    for n in range(FINISHED_EVENTS):
        event = Event.objects.create(
            programme=programme, code=f"{PROGRAMME_CODE}-{n + 1:02d}", name=f"Angkatan {n + 1}", city=cities[n],
            start_date=dt.date(2026, 10, 5), end_date=dt.date(2026, 10, 9), venue_capacity=PER_EVENT,
            seats=PER_EVENT, status=Event.Status.FINISHED)
        ids.append(event.pk)
        for person in people[n * PER_EVENT:(n + 1) * PER_EVENT]:
            rows.append(Enrolment(event=event, person=person, agency_id=person.agency_id,
                                  status=Enrolment.Status.COMPLETED, completed_at=timezone.now(),
                                  attended_minutes=programme.total_minutes, post_test_score=80 + person.pk % 19))
    Enrolment.objects.bulk_create(rows, batch_size=1000)
    return ids


def _running_event(programme, versions, people, by) -> int:
    """A running event with its sessions; its participants' attended minutes and post-test scores are
    written directly (as the attendance lists would leave them; a few fall short and do not complete)."""
    from django.db.models import F

    from people.models import Region
    from training.demo import schedule_module_sessions
    from training.models import Enrolment, Event
    from training.services_event import (
        CityPlan,
        EventInput,
        event_minutes,
        event_open,
        event_start,
        events_create_for_cities,
    )

    plan = CityPlan(city=Region.objects.get(code="32.73"), venue="BBPPKS Bandung", venue_capacity=700)
    created = events_create_for_cities(programme=programme, plans=[plan], data=EventInput(
        start_date=dt.date(2026, 11, 2), end_date=dt.date(2026, 11, 6), cap_percent=50), by=by)
    event = event_open(event=created[0].event, by=by)
    Enrolment.objects.bulk_create([Enrolment(event=event, person=p, agency_id=p.agency_id,
                                             status=Enrolment.Status.CONFIRMED) for p in people])
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + len(people))
    schedule_module_sessions(event=event, versions=versions, by=by)
    event = event_start(event=Event.objects.get(pk=event.pk), by=by)
    minutes = event_minutes(event)
    enrolments = list(Enrolment.objects.filter(event=event).order_by("id"))
    for e in enrolments:
        e.status = Enrolment.Status.ATTENDED
        e.attended_minutes = minutes // 2 if e.pk % 29 == 0 else minutes
        e.pre_test_score, e.post_test_score = 50 + e.pk % 20, 60 + e.pk % 39
    Enrolment.objects.bulk_update(enrolments, ["status", "attended_minutes", "pre_test_score", "post_test_score"])
    return event.pk


def _token(username: str) -> str:
    from accounts.models import ApiToken, User

    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=User.objects.get(username=username), name="uji multiproses", prefix=secret[:8],
                            digest=ApiToken.hash_secret(secret), scope=ApiToken.Scope.WRITE)
    return secret


def build(out: Path) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from accounts.demo import DEMO_PASSWORD
    from accounts.models import User
    from people.models import Agency, Person

    call_command("demo", people=DEMO_PEOPLE, stdout=open("/dev/null", "w"))  # noqa: SIM115 - migrates first
    organiser = User.objects.get(username="penyelenggara")
    programme, versions = _programme(organiser)
    pool = list(Person.objects.filter(employment_type__in=["PNS", "PPPK"], is_active=True).order_by("id"))
    finished = _finished_events(programme, pool[:FINISHED_EVENTS * PER_EVENT], organiser)
    running = _running_event(programme, versions, pool[-RUNNING_ATTENDEES:], organiser)
    path = Path(settings.DATA_DIR) / "import.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(import_rows(IMPORT_ROWS, IMPORT_BAD_ROWS))
    world = {
        "password": DEMO_PASSWORD, "admin_token": _token("admin"), "organiser_token": _token("penyelenggara"),
        "programme": programme.pk, "finished_events": finished, "running_event": running,
        "kemensos": Agency.objects.get(code="kemensos").pk, "import_file": path.name,
        "import_rows": IMPORT_ROWS, "import_bad_rows": IMPORT_BAD_ROWS,
        "certificates_by_jobs": FINISHED_EVENTS * PER_EVENT,
    }
    out.write_text(json.dumps(world))
    return world


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "build":
        sys.exit(__doc__)
    build(Path(sys.argv[2]))
