"""Programmes, events and completed enrolments built with the ORM (the training services are being
written elsewhere), then completed through ``training.hooks.run_completion_handlers`` like the real
completion service does."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import transaction
from django.utils import timezone

from curriculum.models import Institution, Module, ModuleVersion
from people.models import Person, Region
from siaga.testing import SYSTEM, make_person
from training.hooks import run_completion_handlers
from training.models import Enrolment, Event, Programme, ProgrammeModule

_n = itertools.count(1)


def make_programme(*, code: str | None = None, title: str = "Pelatihan Dasar Pekerja Sosial",
                   modules: tuple[tuple[str, int], ...] = (("Asesmen Psikososial", 16), ("Manajemen Kasus", 24))
                   ) -> Programme:
    n = next(_n)
    institution, _ = Institution.objects.get_or_create(code="pusbangprof", defaults={
        "name": "Pusbangprof Pekerja Sosial dan Penyuluh Sosial", "kind": Institution.Kind.CENTRE})
    programme = Programme.objects.create(code=code or f"psd-{n}", title=title)
    total = 0
    for order, (module_title, jp) in enumerate(modules):
        module = Module.objects.create(code=f"m{n}-{order}", title=module_title, owner=institution)
        version = ModuleVersion.objects.create(module=module, number=1, status=ModuleVersion.Status.APPROVED,
                                               total_minutes=jp * 45, approved_at=timezone.now())
        ProgrammeModule.objects.create(programme=programme, module_version=version, order=order)
        total += jp * 45
    programme.total_minutes = total
    programme.save(update_fields=["total_minutes"])
    return programme


def make_event(*, programme: Programme | None = None, code: str | None = None, city: str = "32.73",
               seats: int = 40) -> Event:
    programme = programme or make_programme()
    n = next(_n)
    return Event.objects.create(
        programme=programme, code=code or f"{programme.code}-bdg-{n:02d}", name=f"{programme.title} Angkatan {n}",
        city=Region.objects.get(code=city), venue="Balai Besar Diklat Kesos Bandung",
        start_date=dt.date(2026, 11, 16), end_date=dt.date(2026, 11, 20), venue_capacity=seats, seats=seats,
        status=Event.Status.FINISHED,
    )


def make_enrolment(*, event: Event | None = None, person: Person | None = None,
                   status: str = Enrolment.Status.ATTENDED) -> Enrolment:
    event = event or make_event()
    person = person or make_person()
    return Enrolment.objects.create(event=event, person=person, agency=person.agency, status=status,
                                    attended_minutes=event.programme.total_minutes, post_test_score=85)


def complete(enrolment: Enrolment, *, by=SYSTEM) -> Enrolment:
    """What the completion service does: mark completed and run the hooks in the same transaction."""
    with transaction.atomic():
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["status", "completed_at"])
        run_completion_handlers(enrolment=enrolment, by=by)
    return enrolment


def make_certificate(*, person: Person | None = None, event: Event | None = None, by=SYSTEM):
    """A person with a completed enrolment and the certificate issued by the completion hook."""
    from credentials.models import Certificate

    enrolment = complete(make_enrolment(event=event, person=person), by=by)
    return Certificate.objects.live().get(enrolment=enrolment)


def certificate_for_cast(cast):
    """One certificate of ``cast.person_a`` (Kemensos, linked to ``cast.participant``), built once per cast."""
    if not hasattr(cast, "_certificate"):
        cast._certificate = make_certificate(person=cast.person_a)
    return cast._certificate
