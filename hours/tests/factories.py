"""Factories for the JP ledger tests (through hours.services where a service exists;
training objects with the ORM, since training's services are built elsewhere)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hours.models import LearningPlatform
from hours.services import ExternalInput, entry_add_external
from siaga.testing import SYSTEM

_n = itertools.count(1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_upload(name: str = "sertifikat.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_entry(*, person, minutes: int = 8 * 45, entry_type: str = "classroom", date: dt.date | None = None,
               title: str | None = None, by=SYSTEM, with_evidence: bool = True, **extra):
    data = ExternalInput(date=date or timezone.localdate() - dt.timedelta(days=1), minutes=minutes,
                         entry_type=entry_type, title=title or f"Pelatihan Luar {next(_n)}", **extra)
    return entry_add_external(person=person, data=data, evidence=png_upload() if with_evidence else None, by=by)


def make_programme(*, total_minutes: int = 16 * 45, positions=(), delivery: str = "classroom"):
    from training.models import Programme

    programme = Programme.objects.create(code=f"prog-{next(_n)}", title=f"Bimtek Pendampingan Sosial {next(_n)}",
                                         total_minutes=total_minutes, delivery=delivery)
    if positions:
        programme.target_positions.set(positions)
    return programme


def make_event(*, programme=None, city: str = "32.73", status: str = "open", start: dt.date | None = None,
               seats: int = 30, seats_taken: int = 0, mode: str = "in_person"):
    from people.models import Region
    from training.models import Event

    programme = programme or make_programme()
    start = start or timezone.localdate() + dt.timedelta(days=1)
    if start.year != timezone.localdate().year:
        start = timezone.localdate()
    n = next(_n)
    return Event.objects.create(programme=programme, code=f"angkatan-{n}", name=f"Angkatan {n}",
                                city=Region.objects.get(code=city), start_date=start, end_date=start,
                                status=status, venue_capacity=seats, seats=seats, seats_taken=seats_taken,
                                mode=mode)


def make_completed_enrolment(*, person, event=None, attended_minutes: int = 0, completed_at=None):
    from training.models import Enrolment

    event = event or make_event(status="finished")
    return Enrolment.objects.create(event=event, person=person, agency=person.agency,
                                    status=Enrolment.Status.COMPLETED, attended_minutes=attended_minutes,
                                    completed_at=completed_at or timezone.now())


def make_platform(*, secret: str = "rahasia-platform", home_page: str = "https://belajar.contoh.go.id"):
    n = next(_n)
    return LearningPlatform.objects.create(code=f"lms-{n}", name=f"LMS Kemensos {n}", username=f"lms{n}",
                                           secret_digest=LearningPlatform.hash_secret(secret), home_page=home_page)
