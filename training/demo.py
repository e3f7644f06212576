"""Demo data: the 2020 programme "Bimbingan dan Pemantapan Jabatan Fungsional Pekerja Sosial dan
Penyuluh Sosial" in four cities with 50 % seat caps, nominations, and one finished event.

Uses the curriculum demo's approved module versions when there are any; otherwise creates the
approved versions it needs. Idempotent: does nothing when the programme exists."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from curriculum.models import Institution, Module, ModuleSession, ModuleVersion
from people.models import Person, Region
from training.models import Enrolment, Event, Programme
from training.services_attendance import attendance_mark, scores_record
from training.services_completion import event_finish
from training.services_enrolment import EnrolmentRefused, enrolment_nominate
from training.services_event import (
    CityPlan,
    EventInput,
    SessionInput,
    event_open,
    event_start,
    events_create_for_cities,
    session_add,
)
from training.services_programme import ProgrammeInput, programme_create

CODE = "bimtek-jf-peksos-pensos-2020"
TITLE = "Bimbingan dan Pemantapan Jabatan Fungsional Pekerja Sosial dan Penyuluh Sosial"
#: city code, venue, capacity (× 50 % = 1,665 seats in all)
CITIES = [
    ("32.73", "BBPPKS Bandung, Jl. Dr. Otten No. 8", 1000),
    ("34.71", "BBPPKS Yogyakarta, Jl. Sutera No. 1 Sleman", 900),
    ("73.71", "BBPPKS Makassar, Jl. Arung Teko No. 1", 800),
    ("31.71", "Aula Kementerian Sosial, Jl. Salemba Raya No. 28 Jakarta Pusat", 630),
]
MODULES = [
    ("jf-peksos-dasar", "Kebijakan Jabatan Fungsional Pekerja Sosial dan Penyuluh Sosial", [3, 3]),
    ("jf-angka-kredit", "Penyusunan Daftar Usulan Penetapan Angka Kredit", [4, 4]),
    ("jf-praktik-peksos", "Praktik Pekerjaan Sosial dan Penyuluhan Sosial", [4, 4, 4]),
    ("jf-etika", "Kode Etik dan Standar Kompetensi Profesi", [3, 3]),
]


def _versions() -> list[ModuleVersion]:
    approved = list(ModuleVersion.objects.filter(status=ModuleVersion.Status.APPROVED, total_minutes__gt=0)
                    .select_related("module").order_by("module__code")[:4])
    if len(approved) >= 3:
        return approved
    owner, _ = Institution.objects.get_or_create(code="pusbangprof", defaults={
        "name": "Pusbangprof Pekerja Sosial dan Penyuluh Sosial", "kind": Institution.Kind.CENTRE})
    versions = []
    for code, title, sessions in MODULES:
        module, _ = Module.objects.get_or_create(code=code, defaults={"title": title, "owner": owner})
        version = module.versions.filter(status=ModuleVersion.Status.APPROVED).first()
        if version is None:
            number = (module.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            version = ModuleVersion.objects.create(
                module=module, number=number, status=ModuleVersion.Status.APPROVED, pass_mark=70,
                total_minutes=sum(sessions) * 45, approved_at=timezone.now(),
                objectives=f"Peserta memahami {title.lower()}.")
            for i, jp in enumerate(sessions, start=1):
                ModuleSession.objects.create(version=version, order=i, topic=f"{title} — bagian {i}", jp=jp)
        versions.append(version)
    return versions


def _actor():
    from siaga.testing import SYSTEM

    return User.objects.filter(role=Role.ORGANISER, is_active=True).order_by("id").first() or SYSTEM


def _nominate(event: Event, people: list[Person], by) -> int:
    done = 0
    for person in people:
        try:
            enrolment_nominate(event=event, person=person, by=by, confirm=True)
            done += 1
        except EnrolmentRefused:
            continue
    return done


def schedule_module_sessions(*, event: Event, versions: list[ModuleVersion], by) -> None:
    """Schedule every session of ``versions`` in ``event``: mornings and afternoons, day by day."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    day = event.start_date
    for version in versions:
        for session in version.sessions.all():
            begins = dt.datetime.combine(day, dt.time(8 if session.order % 2 else 13), tzinfo=zone)
            session_add(event=event, data=SessionInput(module_version=version, starts_at=begins,
                                                       ends_at=begins + dt.timedelta(minutes=session.jp * 45),
                                                       jp=session.jp, title=session.topic), by=by)
            if not session.order % 2:
                day = min(event.end_date, day + dt.timedelta(days=1))


def _run_finished_event(event: Event, versions: list[ModuleVersion], by, rng) -> None:
    schedule_module_sessions(event=event, versions=versions, by=by)
    event = event_start(event=event, by=by)
    enrolments = list(Enrolment.objects.filter(event=event, status="confirmed"))
    for session in event.sessions.all():
        marks = {e.pk: ("present" if rng.random() < 0.93 else rng.choice(["late", "excused", "absent"]))
                 for e in enrolments}
        attendance_mark(session=session, marks=marks, by=by)
    scores_record(event=event, scores={e.pk: (rng.randint(40, 75), rng.randint(55, 98)) for e in enrolments}, by=by)
    event_finish(event=event, by=by)


def load(*, rng, stdout=None, **_kwargs) -> None:
    if Programme.objects.filter(code=CODE).exists():
        return
    by = _actor()
    with transaction.atomic():
        versions = _versions()
        programme = programme_create(data=ProgrammeInput(
            code=CODE, title=TITLE, module_versions=versions, delivery=Programme.Delivery.CLASSROOM,
            description="Pemantapan bagi PNS pemangku Jabatan Fungsional Pekerja Sosial dan Penyuluh Sosial dari "
                        "Kemensos, Kemenkumham, BNPB dan rumah sakit, dengan protokol kesehatan (kursi 50 %).",
            target_employment_types=["PNS", "PPPK"], organiser=by if isinstance(by, User) else None), by=by)
        plans = [CityPlan(city=Region.objects.get(code=c), venue=v, venue_capacity=cap) for c, v, cap in CITIES]
        starts = [dt.date(2020, 9, 14), dt.date(2020, 9, 21), dt.date(2020, 9, 28), dt.date(2020, 8, 24)]
        created = []
        for plan, start in zip(plans, starts, strict=True):
            created += events_create_for_cities(programme=programme, plans=[plan], data=EventInput(
                start_date=start, end_date=start + dt.timedelta(days=4), cap_percent=50,
                self_registration=plan.city.code == "32.73"), by=by)
        events = [event_open(event=c.event, by=by) for c in created]
        pool = list(Person.objects.filter(employment_type__in=["PNS", "PPPK"], is_active=True,
                                          position__code__in=["pekerja-sosial", "penyuluh-sosial"])
                    .order_by("id")[:240])
        participant = User.objects.filter(username="peserta").select_related("person").first()
        if participant and participant.person:
            pool = [participant.person] + [p for p in pool if p.pk != participant.person_id]
        counts = [_nominate(event, pool[i * 60:(i + 1) * 60], by) for i, event in enumerate(events)]
        _run_finished_event(events[3], versions, by, rng)
    if stdout is not None:
        stdout.write(f"  {TITLE}: 4 angkatan, {sum(e.seats for e in events):,} kursi, {sum(counts)} peserta")
