"""Factories for readiness tests and URL rules: competencies held through real completed enrolments
(the completion hook writes ``PersonCompetency``), incidents and requests through the services.

Curriculum and training have no services on this branch yet, so their rows are made with the ORM."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from accounts.roles import Role
from curriculum.models import Competency, CompetencyArea, Institution, Module, ModuleVersion
from people.models import Person, Region
from readiness import services
from readiness.models import CallUp, DeploymentRequest, Incident
from siaga.testing import SYSTEM
from training.models import Enrolment, Event, Programme, ProgrammeModule

_serial = itertools.count(1)
LDP = "ldp"


def make_competency(code: str = LDP, name: str = "Dukungan psikososial") -> Competency:
    area, _ = CompetencyArea.objects.get_or_create(code="kebencanaan", defaults={"name": "Kebencanaan"})
    competency, _ = Competency.objects.get_or_create(code=code, defaults={"name": name, "area": area})
    return competency


def make_module(competency: Competency, *, code: str | None = None, title: str = "Layanan Dukungan Psikososial",
                versions: list[tuple[int, str, dt.datetime | None]] | None = None) -> Module:
    """A module with the given versions ``(number, status, approved_at)``; default one approved v1."""
    owner, _ = Institution.objects.get_or_create(code="pusbangprof", defaults={"name": "Pusbangprof",
                                                                                  "kind": "centre"})
    module = Module.objects.create(code=code or f"mod-{next(_serial)}", title=title, owner=owner)
    module.competencies.add(competency)
    for number, status, approved_at in versions or [(1, ModuleVersion.Status.APPROVED, timezone.now())]:
        ModuleVersion.objects.create(module=module, number=number, status=status, approved_at=approved_at,
                                     total_minutes=16 * 45)
    return module


def make_event(version: ModuleVersion, *, city: str = "32.73", status: str = Event.Status.FINISHED,
               start: dt.date | None = None, name: str | None = None) -> Event:
    n = next(_serial)
    programme = Programme.objects.create(code=f"prog-{n}", title=f"Pelatihan {version.module.title}")
    ProgrammeModule.objects.create(programme=programme, module_version=version)
    start = start or dt.date(2025, 3, 3)
    return Event.objects.create(programme=programme, code=f"angkatan-{n}", name=name or f"Angkatan {n}",
                                city=Region.objects.get(code=city), start_date=start,
                                end_date=start + dt.timedelta(days=3), status=status, venue_capacity=40, seats=40)


def complete(person: Person, event: Event, *, at: dt.datetime | None = None) -> Enrolment:
    """A completed enrolment and readiness's completion handler (other apps' handlers are theirs to test)."""
    enrolment = Enrolment.objects.create(event=event, person=person, agency=person.agency, status="completed",
                                         completed_at=at or timezone.now())
    services.record_completion(enrolment=enrolment, by=SYSTEM)
    return enrolment


def coordinator(cast):
    return cast.user(Role.COORDINATOR)


def make_incident(by, *, regencies: tuple[str, ...] = ("32.04",), title: str = "Banjir Bandung Selatan") -> Incident:
    return services.incident_create(by=by, title=title, type="flood", regency_codes=list(regencies),
                                    start_date=dt.date(2026, 12, 1), services=["psychosocial_support"])


def make_request(by, incident: Incident, *, competencies: tuple[str, ...] = (LDP,), credentials: tuple[str, ...] = (),
                 people: int = 10, start: dt.date = dt.date(2026, 12, 10), days: int = 14,
                 point: str = "32.04", max_age: int = 24) -> DeploymentRequest:
    return services.request_create(by=by, incident=incident, service="psychosocial_support",
                                   role="Petugas LDP", people_needed=people, competency_codes=list(competencies),
                                   credential_kinds=list(credentials), start_date=start,
                                   end_date=start + dt.timedelta(days=days), assembly_point_code=point,
                                   max_version_age_months=max_age)


class ReadyWorld:
    """One LDP module, a flood incident with a request, and ``person_a`` qualified (for URL rules)."""

    def __init__(self, cast):
        self.cast = cast
        self.competency = make_competency()
        self.module = make_module(self.competency)
        self.event = make_event(self.module.versions.get())
        complete(cast.person_a, self.event)
        self.coordinator = coordinator(cast)
        self.incident = make_incident(self.coordinator)
        self.request = make_request(self.coordinator, self.incident)

    def sent_callup(self) -> CallUp:
        [callup] = services.callup_send(request=self.request, person_ids=[self.cast.person_a.pk], by=self.coordinator)
        return callup

    def accepted_callup(self) -> CallUp:
        callup = self.sent_callup()
        return services.callup_reply(token=services.make_reply_token(callup), accept=True)


def world(cast) -> ReadyWorld:
    if not hasattr(cast, "_ready_world"):
        cast._ready_world = ReadyWorld(cast)
    return cast._ready_world
