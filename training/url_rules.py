import datetime as dt
import zoneinfo

from django.utils import timezone

from accounts.roles import ALL_ROLES, Role
from siaga.testing import SYSTEM, Rule
from training import qr
from training.access import ATTENDANCE_TAKERS, MANAGERS, NOMINATORS, PARTICIPANT_READERS

START_OPEN = dt.date(2027, 5, 3)
START_RUNNING = dt.date(2027, 6, 7)


def _world(cast):
    """An open event (self-registration) and a running one where person_a holds a seat."""
    if hasattr(cast, "_training_world"):
        return cast._training_world
    from curriculum.models import Institution, Module, ModuleVersion
    from people.models import Region
    from training.services_enrolment import enrolment_nominate
    from training.services_event import (
        CityPlan,
        EventInput,
        SessionInput,
        event_create,
        event_open,
        event_start,
        session_add,
    )
    from training.services_programme import ProgrammeInput, programme_create

    owner = Institution.objects.create(code="walk", name="Lembaga uji", kind=Institution.Kind.CENTRE)
    module = Module.objects.create(code="walk-mod", title="Modul uji", owner=owner)
    version = ModuleVersion.objects.create(module=module, number=1, status="approved", total_minutes=180,
                                           approved_at=timezone.now())
    programme = programme_create(data=ProgrammeInput(code="walk-prog", title="Program uji",
                                                     module_versions=[version]), by=SYSTEM)
    city = Region.objects.get(code="32.73")

    def new_event(start):
        return event_open(event=event_create(programme=programme, plan=CityPlan(city=city, venue="Aula",
                                                                                venue_capacity=20),
                                             data=EventInput(start_date=start, end_date=start + dt.timedelta(days=2),
                                                             self_registration=True), by=SYSTEM).event, by=SYSTEM)

    open_event, running = new_event(START_OPEN), new_event(START_RUNNING)
    zone = zoneinfo.ZoneInfo("Asia/Jakarta")
    begins = dt.datetime.combine(START_RUNNING, dt.time(8), tzinfo=zone)
    session = session_add(event=running, data=SessionInput(module_version=version, starts_at=begins,
                                                           ends_at=begins + dt.timedelta(hours=3), jp=4), by=SYSTEM)
    mine = enrolment_nominate(event=running, person=cast.person_a, by=SYSTEM, confirm=True)
    other = enrolment_nominate(event=open_event, person=cast.person_b, by=SYSTEM)
    running = event_start(event=running, by=SYSTEM)
    cast._training_world = {"version": version, "programme": programme, "open": open_event, "running": running,
                            "session": session, "mine": mine, "other": other}
    return cast._training_world


def _w(key, arg):
    return lambda c: {arg: _world(c)[key].pk}


def _session_and_mine(c):
    w = _world(c)
    return {"session_id": w["session"].pk, "enrolment_id": w["mine"].pk}


def _new_programme(c):
    return {"code": "api-prog", "title": "Program API", "module_version_ids": [_world(c)["version"].pk]}


def _new_events(c):
    _world(c)
    return {"start_date": "2027-09-06", "end_date": "2027-09-08", "cap_percent": 50,
            "cities": [{"city_code": "32.73", "venue": "Aula", "venue_capacity": 100},
                       {"city_code": "73.71", "venue": "Aula", "venue_capacity": 60}]}


def _new_session(c):
    w = _world(c)
    return {"module_version_id": w["version"].pk, "starts_at": f"{START_RUNNING + dt.timedelta(days=1)}T09:00:00+07:00",
            "ends_at": f"{START_RUNNING + dt.timedelta(days=1)}T11:00:00+07:00", "jp": 2}


ANY = ALL_ROLES
CANCELLERS = MANAGERS | {Role.AGENCY_ADMIN, Role.PARTICIPANT}
PARTICIPANT = {Role.PARTICIPANT}

RULES = [
    Rule("training:programmes", allowed=ANY),
    Rule("training:programme_create", allowed=MANAGERS),
    Rule("training:programme", allowed=ANY, kwargs=_w("programme", "programme_id")),
    Rule("training:events_create", allowed=MANAGERS, kwargs=_w("programme", "programme_id")),
    Rule("training:events", allowed=ANY),
    Rule("training:event", allowed=ANY, kwargs=_w("running", "event_id")),
    Rule("training:event_transition", allowed=MANAGERS, method="post", kwargs=_w("open", "event_id"),
         data=lambda c: {"action": "start"}, ok=(302,)),
    Rule("training:event_finish", allowed=MANAGERS, method="post", kwargs=_w("running", "event_id"), ok=(302,)),
    Rule("training:session_add", allowed=MANAGERS, method="post", kwargs=_w("running", "event_id"), ok=(302,)),
    Rule("training:quota_set", allowed=MANAGERS, method="post", kwargs=_w("open", "event_id"),
         data=lambda c: {"agency": c.bnpb.pk, "seats": 5}, ok=(302,)),
    Rule("training:participants", allowed=PARTICIPANT_READERS, kwargs=_w("running", "event_id")),
    Rule("training:nominate", allowed=NOMINATORS, kwargs=_w("open", "event_id")),
    Rule("training:nominate_sheet", allowed=NOMINATORS, method="post", kwargs=_w("open", "event_id"), ok=(302,)),
    Rule("training:register", allowed=PARTICIPANT, method="post", kwargs=_w("open", "event_id"), ok=(302,)),
    Rule("training:scores", allowed=MANAGERS, kwargs=_w("running", "event_id")),
    # person_a's own enrolment: organisers, the Kemensos admin and the participant themself may cancel it.
    Rule("training:cancel", allowed=CANCELLERS, method="post", kwargs=_w("mine", "enrolment_id"), ok=(302,)),
    Rule("training:attendance", allowed=ATTENDANCE_TAKERS, kwargs=_w("session", "session_id")),
    Rule("training:attendance_mark", allowed=ATTENDANCE_TAKERS, method="post", kwargs=_session_and_mine,
         data=lambda c: {"status": "present"}),
    Rule("training:session_qr", allowed=ATTENDANCE_TAKERS, kwargs=_w("session", "session_id")),
    Rule("training:session_qr_svg", allowed=ATTENDANCE_TAKERS, kwargs=_w("session", "session_id")),
    Rule("training:session_checkin", allowed=PARTICIPANT, kwargs=_w("session", "session_id")),
    Rule("training:attendance_pdf", allowed=ATTENDANCE_TAKERS, kwargs=_w("session", "session_id")),
    Rule("training:mine", allowed=ANY),
    Rule("api:training_list_programmes", allowed=ANY),
    Rule("api:training_create_programme", allowed=MANAGERS, method="post", data=_new_programme, ok=(201,)),
    Rule("api:training_get_programme", allowed=ANY, kwargs=_w("programme", "programme_id")),
    Rule("api:training_create_events", allowed=MANAGERS, method="post", kwargs=_w("programme", "programme_id"),
         data=_new_events, ok=(201,)),
    Rule("api:training_list_events", allowed=ANY),
    Rule("api:training_get_event", allowed=ANY, kwargs=_w("open", "event_id")),
    Rule("api:training_event_transition", allowed=MANAGERS, method="post", kwargs=_w("open", "event_id"),
         data=lambda c: {"action": "start"}),
    Rule("api:training_finish_event", allowed=MANAGERS, method="post", kwargs=_w("running", "event_id")),
    Rule("api:training_add_session", allowed=MANAGERS, method="post", kwargs=_w("running", "event_id"),
         data=_new_session, ok=(201,)),
    Rule("api:training_set_quota", allowed=MANAGERS, method="post", kwargs=_w("open", "event_id"),
         data=lambda c: {"agency_id": c.bnpb.pk, "seats": 3}),
    Rule("api:training_list_enrolments", allowed=PARTICIPANT_READERS, kwargs=_w("running", "event_id")),
    Rule("api:training_nominate", allowed=NOMINATORS, method="post", kwargs=_w("open", "event_id"),
         data=lambda c: {"person_id": c.person_a.pk}, ok=(201,)),
    Rule("api:training_register", allowed=PARTICIPANT, method="post", kwargs=_w("open", "event_id"), ok=(201,)),
    Rule("api:training_confirm_enrolment", allowed=MANAGERS, method="post", kwargs=_w("other", "enrolment_id")),
    Rule("api:training_cancel_enrolment", allowed=CANCELLERS, method="post", kwargs=_w("mine", "enrolment_id")),
    Rule("api:training_mark_attendance", allowed=ATTENDANCE_TAKERS, method="post", kwargs=_w("session", "session_id"),
         data=lambda c: {"marks": {str(_world(c)["mine"].pk): "present"}}),
    Rule("api:training_check_in", allowed=PARTICIPANT, method="post", kwargs=_w("session", "session_id"),
         data=lambda c: {"code": qr.current_code(_world(c)["session"].pk)}),
    Rule("api:training_record_scores", allowed=MANAGERS, method="post", kwargs=_w("running", "event_id"),
         data=lambda c: {"scores": [{"enrolment_id": _world(c)["mine"].pk, "post_test_score": 80}]}),
    Rule("api:training_my_enrolments", allowed=ANY),
]
