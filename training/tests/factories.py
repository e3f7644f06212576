"""Factories for training tests: approved module versions are made directly with the ORM
(curriculum's workflow is built elsewhere); everything else goes through the services."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

from django.utils import timezone

from curriculum.models import Institution, Module, ModuleSession, ModuleVersion
from people.models import Region
from siaga.testing import SYSTEM
from training.models import Event, Programme
from training.services_event import CityPlan, EventInput, SessionInput, event_create, event_open, session_add
from training.services_programme import ProgrammeInput, programme_create

_n = itertools.count(1)


def make_version(*, jp: int = 4, sessions: int = 2, pass_mark: int = 70,
                 status: str = ModuleVersion.Status.APPROVED) -> ModuleVersion:
    n = next(_n)
    owner, _ = Institution.objects.get_or_create(code="pusbangprof-uji", defaults={
        "name": "Pusbangprof (uji)", "kind": Institution.Kind.CENTRE})
    module = Module.objects.create(code=f"mod-uji-{n}", title=f"Modul uji {n}", owner=owner)
    version = ModuleVersion.objects.create(module=module, number=1, status=status, pass_mark=pass_mark,
                                           total_minutes=jp * sessions * 45,
                                           approved_at=timezone.now() if status == "approved" else None)
    for i in range(sessions):
        ModuleSession.objects.create(version=version, order=i, topic=f"Topik {i + 1}", jp=jp)
    return version


def make_programme(*, versions: list[ModuleVersion] | None = None, **extra) -> Programme:
    versions = versions or [make_version()]
    data = ProgrammeInput(code=extra.pop("code", f"prog-uji-{next(_n)}"), title=extra.pop("title", "Program uji"),
                          module_versions=versions, **extra)
    return programme_create(data=data, by=SYSTEM)


def make_event(*, programme: Programme | None = None, city: str = "32.73", capacity: int = 10, cap: int = 100,
               start: dt.date = dt.date(2027, 3, 1), days: int = 3, open_: bool = True, sessions: int = 0,
               self_registration: bool = True, **extra) -> Event:
    programme = programme or make_programme()
    data = EventInput(start_date=start, end_date=start + dt.timedelta(days=days - 1), cap_percent=cap,
                      self_registration=self_registration, **extra)
    event = event_create(programme=programme, plan=CityPlan(city=Region.objects.get(code=city), venue="Aula uji",
                                                            venue_capacity=capacity), data=data, by=SYSTEM).event
    if open_:
        event = event_open(event=event, by=SYSTEM)
    version = programme.items.first().module_version
    zone = zoneinfo.ZoneInfo(event.time_zone)
    for i in range(sessions):
        day = start + dt.timedelta(days=min(i, days - 1))
        begins = dt.datetime.combine(day, dt.time(8 + 2 * (i // days), 0), tzinfo=zone)
        session_add(event=event, data=SessionInput(module_version=version, starts_at=begins,
                                                   ends_at=begins + dt.timedelta(hours=2), jp=2), by=SYSTEM)
    return Event.objects.get(pk=event.pk)
