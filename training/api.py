"""Training API: the same access helpers and services as the pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from accounts.access import require_role
from accounts.roles import ALL_ROLES, Role
from curriculum.models import ModuleVersion
from people.access import person_for_user
from people.models import Agency, Position, PositionLevel, Region
from training import selectors
from training.access import (
    ATTENDANCE_TAKERS,
    MANAGERS,
    NOMINATORS,
    PARTICIPANT_READERS,
    enrolment_for_user,
    event_for_user,
    programme_for_user,
    session_for_user,
)
from training.models import Enrolment, Event, Programme
from training.services_attendance import attendance_check_in, attendance_mark, scores_record
from training.services_completion import event_finish
from training.services_enrolment import (
    EnrolmentRefused,
    enrolment_cancel,
    enrolment_confirm,
    enrolment_nominate,
    enrolment_register,
)
from training.services_event import (
    CityPlan,
    EventInput,
    SessionInput,
    event_cancel,
    event_open,
    event_set_quota,
    event_start,
    events_create_for_cities,
    session_add,
)
from training.services_programme import ProgrammeInput, programme_create

router = Router(tags=["training"])


class ProgrammeOut(Schema):
    id: int
    code: str
    title: str
    delivery: str
    total_minutes: int
    jp: float
    module_version_ids: list[int]
    min_attendance_percent: int
    require_post_test: bool
    pass_mark: int | None


class ProgrammeIn(Schema):
    code: str
    title: str
    description: str = ""
    delivery: str = Programme.Delivery.CLASSROOM
    module_version_ids: list[int]
    target_position_codes: list[str] = []
    target_level_ids: list[int] = []
    target_employment_types: list[str] = []
    min_attendance_percent: int = 90
    require_post_test: bool = True
    pass_mark: int | None = None


class EventOut(Schema):
    id: int
    code: str
    name: str
    programme_id: int
    city_code: str
    city: str
    time_zone: str
    venue: str
    start_date: dt.date
    end_date: dt.date
    mode: str
    status: str
    venue_capacity: int
    cap_percent: int
    seats: int
    seats_taken: int
    self_registration: bool
    warnings: list[str] = []


class CityIn(Schema):
    city_code: str
    venue: str = ""
    venue_capacity: int


class EventsIn(Schema):
    start_date: dt.date
    end_date: dt.date
    cap_percent: int = 100
    mode: str = Event.Mode.IN_PERSON
    registration_opens: dt.datetime | None = None
    registration_closes: dt.datetime | None = None
    self_registration: bool = False
    cities: list[CityIn]


class TransitionIn(Schema):
    action: str
    reason: str = ""


class SessionIn(Schema):
    module_version_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    jp: int
    trainer_id: int | None = None
    title: str = ""


class SessionOut(Schema):
    id: int
    event_id: int
    module_version_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    jp: int


class QuotaIn(Schema):
    agency_id: int
    seats: int


class QuotaOut(Schema):
    agency_id: int
    seats: int
    seats_taken: int


class EnrolmentOut(Schema):
    id: int
    event_id: int
    person_id: int
    agency_id: int
    status: str
    waitlist_position: int | None
    attended_minutes: int
    pre_test_score: int | None
    post_test_score: int | None
    not_completed_reason: str
    completed_at: dt.datetime | None


class RefusalOut(Schema):
    detail: str
    code: str


class NominateIn(Schema):
    person_id: int
    confirm: bool = False


class CancelIn(Schema):
    reason: str = ""


class MarksIn(Schema):
    marks: dict[int, str]


class CheckInIn(Schema):
    code: str


class CheckInOut(Schema):
    status: str
    already: bool


class ScoreIn(Schema):
    enrolment_id: int
    pre_test_score: int | None = None
    post_test_score: int | None = None


class ScoresIn(Schema):
    scores: list[ScoreIn]


class CountOut(Schema):
    count: int


class FinishOut(Schema):
    status: str
    completed: int
    not_completed: int


class EnrolmentQuery(Schema):
    status: str = ""
    offset: int = 0
    limit: int = 100


def programme_out(p: Programme) -> ProgrammeOut:
    return ProgrammeOut(id=p.pk, code=p.code, title=p.title, delivery=p.delivery, total_minutes=p.total_minutes,
                        jp=p.jp, module_version_ids=[i.module_version_id for i in p.items.all()],
                        min_attendance_percent=p.min_attendance_percent, require_post_test=p.require_post_test,
                        pass_mark=p.pass_mark)


def event_out(e: Event, warnings: list[str] | None = None) -> EventOut:
    return EventOut(id=e.pk, code=e.code, name=e.name, programme_id=e.programme_id, city_code=e.city_id,
                    city=e.city.name, time_zone=e.time_zone, venue=e.venue, start_date=e.start_date,
                    end_date=e.end_date, mode=e.mode, status=e.status, venue_capacity=e.venue_capacity,
                    cap_percent=e.cap_percent, seats=e.seats, seats_taken=e.seats_taken,
                    self_registration=e.self_registration, warnings=warnings or [])


def _enrolment_fields(e: Enrolment) -> dict:
    return {"id": e.pk, "event_id": e.event_id, "person_id": e.person_id, "agency_id": e.agency_id,
            "status": e.status, "waitlist_position": e.waitlist_position, "attended_minutes": e.attended_minutes,
            "pre_test_score": e.pre_test_score, "post_test_score": e.post_test_score,
            "not_completed_reason": e.not_completed_reason, "completed_at": e.completed_at}


def enrolment_out(e: Enrolment) -> EnrolmentOut:
    return EnrolmentOut(**_enrolment_fields(e))


def enrolment_response(request, e: Enrolment, *, status: int) -> HttpResponse:
    """``EnrolmentOut`` of ``e`` rendered by the API's renderer without the schema's validation round
    (twice per response: building the schema and ninja's check of it), for the registration rush's hot
    path. The fields are the model's own, of the schema's types; ``tests/test_api_register.py`` checks that
    the body is byte for byte what ninja renders from ``enrolment_out``."""
    from siaga.api import api  # the API that mounts this router (it imports this module)

    return api.create_response(request, _enrolment_fields(e), status=status)


@router.get("/programmes", response=list[ProgrammeOut], summary="Daftar program pelatihan")
def training_list_programmes(request, offset: int = 0, limit: int = 50):
    require_role(request.auth, ALL_ROLES)
    qs = Programme.objects.prefetch_related("items")[max(0, offset): max(0, offset) + max(1, min(limit, 200))]
    return [programme_out(p) for p in qs]


@router.post("/programmes", response={201: ProgrammeOut}, summary="Buat program dari versi modul yang disahkan")
def training_create_programme(request, payload: ProgrammeIn):
    require_role(request.auth, MANAGERS)
    found = {v.pk: v for v in ModuleVersion.objects.filter(pk__in=payload.module_version_ids)}
    missing = [i for i in payload.module_version_ids if i not in found]
    if missing:
        raise ValidationError({"module_version_ids": [f"{missing}"]})
    data = ProgrammeInput(
        code=payload.code, title=payload.title, description=payload.description, delivery=payload.delivery,
        module_versions=[found[i] for i in payload.module_version_ids],
        target_positions=list(Position.objects.filter(code__in=payload.target_position_codes)),
        target_levels=list(PositionLevel.objects.filter(pk__in=payload.target_level_ids)),
        target_employment_types=payload.target_employment_types, organiser=request.auth,
        min_attendance_percent=payload.min_attendance_percent, require_post_test=payload.require_post_test,
        pass_mark=payload.pass_mark)
    return Status(201, programme_out(programme_create(data=data, by=request.auth)))


@router.get("/programmes/{programme_id}", response=ProgrammeOut, summary="Satu program")
def training_get_programme(request, programme_id: int):
    return programme_out(programme_for_user(request.auth, programme_id))


@router.post("/programmes/{programme_id}/events", response={201: list[EventOut]},
             summary="Buat angkatan program di beberapa kota sekaligus")
def training_create_events(request, programme_id: int, payload: EventsIn):
    require_role(request.auth, MANAGERS)
    programme = programme_for_user(request.auth, programme_id)
    cities = {r.code: r for r in Region.objects.filter(code__in=[c.city_code for c in payload.cities], level=2)}
    unknown = [c.city_code for c in payload.cities if c.city_code not in cities]
    if unknown:
        raise ValidationError({"cities": [f"{', '.join(unknown)}"]})
    plans = [CityPlan(city=cities[c.city_code], venue=c.venue, venue_capacity=c.venue_capacity)
             for c in payload.cities]
    data = EventInput(start_date=payload.start_date, end_date=payload.end_date, cap_percent=payload.cap_percent,
                      mode=payload.mode, registration_opens=payload.registration_opens,
                      registration_closes=payload.registration_closes, self_registration=payload.self_registration)
    created = events_create_for_cities(programme=programme, plans=plans, data=data, by=request.auth)
    return Status(201, [event_out(c.event, c.warnings) for c in created])


@router.get("/events", response=list[EventOut], summary="Daftar angkatan")
def training_list_events(request, status: str = "", programme: int | None = None, offset: int = 0,
                         limit: int = 50):
    require_role(request.auth, ALL_ROLES)
    qs = selectors.event_list(selectors.EventFilters(status=status, programme=programme))
    return [event_out(e) for e in qs[max(0, offset): max(0, offset) + max(1, min(limit, 200))]]


@router.get("/events/{event_id}", response=EventOut, summary="Satu angkatan (dengan kursi)")
def training_get_event(request, event_id: int):
    return event_out(event_for_user(request.auth, event_id))


@router.post("/events/{event_id}/transition", response=EventOut, summary="Buka, mulai atau batalkan angkatan")
def training_event_transition(request, event_id: int, payload: TransitionIn):
    require_role(request.auth, MANAGERS)
    event = event_for_user(request.auth, event_id)
    actions = {"open": lambda: event_open(event=event, by=request.auth),
               "start": lambda: event_start(event=event, by=request.auth),
               "cancel": lambda: event_cancel(event=event, reason=payload.reason, by=request.auth)}
    if payload.action not in actions:
        raise ValidationError({"action": ["open, start, cancel"]})
    actions[payload.action]()
    return event_out(event_for_user(request.auth, event_id))


@router.post("/events/{event_id}/finish", response=FinishOut, summary="Selesaikan angkatan dan nilai kelulusan")
def training_finish_event(request, event_id: int):
    require_role(request.auth, MANAGERS)
    result = event_finish(event=event_for_user(request.auth, event_id), by=request.auth)
    return FinishOut(status=result.event.status, completed=result.completed, not_completed=result.not_completed)


@router.post("/events/{event_id}/sessions", response={201: SessionOut}, summary="Tambah sesi ke jadwal")
def training_add_session(request, event_id: int, payload: SessionIn):
    require_role(request.auth, MANAGERS)
    event = event_for_user(request.auth, event_id)
    version = get_object_or_404(ModuleVersion, pk=payload.module_version_id)
    trainer = None
    if payload.trainer_id:
        from accounts.models import User

        trainer = get_object_or_404(User, pk=payload.trainer_id)
    session = session_add(event=event, data=SessionInput(module_version=version, starts_at=payload.starts_at,
                                                         ends_at=payload.ends_at, jp=payload.jp, trainer=trainer,
                                                         title=payload.title), by=request.auth)
    return Status(201, SessionOut(id=session.pk, event_id=event.pk, module_version_id=version.pk,
                                  starts_at=session.starts_at, ends_at=session.ends_at, jp=session.jp))


@router.post("/events/{event_id}/quotas", response=QuotaOut, summary="Tetapkan kuota kursi satu instansi")
def training_set_quota(request, event_id: int, payload: QuotaIn):
    require_role(request.auth, MANAGERS)
    event = event_for_user(request.auth, event_id)
    quota = event_set_quota(event=event, agency=get_object_or_404(Agency, pk=payload.agency_id), seats=payload.seats,
                            by=request.auth)
    return QuotaOut(agency_id=quota.agency_id, seats=quota.seats, seats_taken=quota.seats_taken)


@router.get("/events/{event_id}/enrolments", response=list[EnrolmentOut], summary="Peserta angkatan")
def training_list_enrolments(request, event_id: int, query: Query[EnrolmentQuery]):
    require_role(request.auth, PARTICIPANT_READERS)
    event = event_for_user(request.auth, event_id)
    status = query.status if query.status in Enrolment.Status.values else ""
    qs = selectors.participants(event=event, user=request.auth, status=status)
    offset, limit = max(0, query.offset), max(1, min(query.limit, 500))
    return [enrolment_out(e) for e in qs[offset: offset + limit]]


@router.post("/events/{event_id}/enrolments", response={201: EnrolmentOut, 409: RefusalOut},
             summary="Usulkan peserta (admin instansi: pegawai instansinya)")
def training_nominate(request, event_id: int, payload: NominateIn):
    require_role(request.auth, NOMINATORS)
    event = event_for_user(request.auth, event_id)
    person = person_for_user(request.auth, payload.person_id)
    try:
        enrolment = enrolment_nominate(event=event, person=person, by=request.auth, confirm=payload.confirm)
    except EnrolmentRefused as exc:
        return Status(409, RefusalOut(detail=exc.messages[0], code=exc.reason_code))
    return Status(201, enrolment_out(enrolment))


@router.post("/events/{event_id}/register", response={201: EnrolmentOut, 409: RefusalOut},
             summary="Daftar sendiri sebagai peserta (kursi atau daftar tunggu)")
def training_register(request, event_id: int):
    require_role(request.auth, {Role.PARTICIPANT})
    try:
        enrolment = enrolment_register(event_id=event_id, by=request.auth)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    except EnrolmentRefused as exc:
        return Status(409, RefusalOut(detail=exc.messages[0], code=exc.reason_code))
    return enrolment_response(request, enrolment, status=201)


@router.post("/enrolments/{enrolment_id}/confirm", response={200: EnrolmentOut, 409: RefusalOut},
             summary="Konfirmasi usulan (kursi atau daftar tunggu)")
def training_confirm_enrolment(request, enrolment_id: int):
    require_role(request.auth, MANAGERS)
    enrolment = enrolment_for_user(request.auth, enrolment_id)
    try:
        return Status(200, enrolment_out(enrolment_confirm(enrolment=enrolment, by=request.auth)))
    except EnrolmentRefused as exc:
        return Status(409, RefusalOut(detail=exc.messages[0], code=exc.reason_code))


@router.post("/enrolments/{enrolment_id}/cancel", response=EnrolmentOut, summary="Batalkan keikutsertaan")
def training_cancel_enrolment(request, enrolment_id: int, payload: CancelIn):
    enrolment = enrolment_for_user(request.auth, enrolment_id)
    return enrolment_out(enrolment_cancel(enrolment=enrolment, by=request.auth, reason=payload.reason))


@router.post("/sessions/{session_id}/attendance", response=CountOut, summary="Catat kehadiran satu sesi")
def training_mark_attendance(request, session_id: int, payload: MarksIn):
    require_role(request.auth, ATTENDANCE_TAKERS)
    session = session_for_user(request.auth, session_id)
    return CountOut(count=attendance_mark(session=session, marks=payload.marks, by=request.auth))


@router.post("/sessions/{session_id}/check-in", response=CheckInOut, summary="Isi kehadiran dengan kode QR sesi")
def training_check_in(request, session_id: int, payload: CheckInIn):
    require_role(request.auth, {Role.PARTICIPANT})
    result = attendance_check_in(session=session_for_user(request.auth, session_id), code=payload.code,
                                 by=request.auth)
    return CheckInOut(status=result.attendance.status, already=result.already)


@router.post("/events/{event_id}/scores", response=CountOut, summary="Catat nilai pre-test dan post-test")
def training_record_scores(request, event_id: int, payload: ScoresIn):
    require_role(request.auth, MANAGERS)
    event = event_for_user(request.auth, event_id)
    scores = {s.enrolment_id: (s.pre_test_score, s.post_test_score) for s in payload.scores}
    return CountOut(count=scores_record(event=event, scores=scores, by=request.auth))


@router.get("/me/enrolments", response=list[EnrolmentOut], summary="Pelatihan saya")
def training_my_enrolments(request):
    return [enrolment_out(e) for e in selectors.my_enrolments(request.auth.person_id)]
