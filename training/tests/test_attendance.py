import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from siaga.testing import SYSTEM, make_person
from training import qr
from training.models import Attendance, Enrolment
from training.services_attendance import attendance_check_in, attendance_mark, scores_record
from training.services_enrolment import enrolment_nominate, enrolment_register
from training.services_event import event_start
from training.tests.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(cast):
    event = make_event(sessions=3, days=3)
    enrolment = enrolment_register(event_id=event.pk, by=cast.participant)
    event = event_start(event=event, by=SYSTEM)
    return event, enrolment


def test_ticking_the_list_marks_attendance_and_counts_jp(running):
    event, enrolment = running
    other = Enrolment.objects.create(event=event, person=make_person(), agency_id=enrolment.agency_id,
                                     status="confirmed")
    first, second, _third = event.sessions.all()
    attendance_mark(session=first, marks={enrolment.pk: "present", other.pk: "absent"}, by=SYSTEM)
    attendance_mark(session=second, marks={enrolment.pk: "late"}, by=SYSTEM)
    enrolment.refresh_from_db()
    other.refresh_from_db()
    assert enrolment.status == "attended" and enrolment.attended_minutes == 4 * 45
    assert other.status == "confirmed" and other.attended_minutes == 0


def test_changing_a_mark_recomputes_the_minutes(running):
    event, enrolment = running
    session = event.sessions.first()
    attendance_mark(session=session, marks={enrolment.pk: "present"}, by=SYSTEM)
    attendance_mark(session=session, marks={enrolment.pk: "excused"}, by=SYSTEM)
    enrolment.refresh_from_db()
    assert enrolment.attended_minutes == 0
    assert Attendance.objects.get().status == "excused"


def test_it_refuses_an_unknown_status(running):
    event, enrolment = running
    with pytest.raises(ValidationError):
        attendance_mark(session=event.sessions.first(), marks={enrolment.pk: "asleep"}, by=SYSTEM)


def test_participants_may_not_tick_the_list(running, cast):
    event, enrolment = running
    with pytest.raises(PermissionDenied):
        attendance_mark(session=event.sessions.first(), marks={enrolment.pk: "present"}, by=cast.participant)


def test_the_current_session_code_checks_the_participant_in(running, cast):
    event, enrolment = running
    session = event.sessions.first()
    result = attendance_check_in(session=session, code=qr.current_code(session.pk), by=cast.participant)
    assert result.attendance.method == "qr" and result.attendance.status in {"present", "late"}
    again = attendance_check_in(session=session, code=qr.current_code(session.pk), by=cast.participant)
    assert again.already


def test_the_previous_window_code_is_still_accepted(running, cast):
    event, _ = running
    session = event.sessions.first()
    now = time.time()
    code = qr.current_code(session.pk, now - qr.WINDOW_SECONDS)
    assert qr.code_is_valid(session.pk, code, now)
    assert not attendance_check_in(session=session, code=code, by=cast.participant, timestamp=now).already


def test_an_expired_code_is_refused(running, cast):
    event, _ = running
    session = event.sessions.first()
    now = time.time()
    old = qr.current_code(session.pk, now - 2 * qr.WINDOW_SECONDS)
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        attendance_check_in(session=session, code=old, by=cast.participant, timestamp=now)


def test_another_sessions_code_is_refused(running, cast):
    event, _ = running
    first, second, _ = event.sessions.all()
    with pytest.raises(ValidationError):
        attendance_check_in(session=first, code=qr.current_code(second.pk), by=cast.participant)


def test_someone_not_enrolled_cannot_check_in(running, cast):
    event, _ = running
    session = event.sessions.first()
    with pytest.raises(PermissionDenied):
        attendance_check_in(session=session, code=qr.current_code(session.pk), by=cast.agency_admin)


def test_the_qr_is_an_svg_of_the_check_in_address(running):
    event, _ = running
    session = event.sessions.first()
    url = qr.checkin_url(session.pk)
    assert f"/pelatihan/sesi/{session.pk}/hadir/?k=" in url
    assert qr.qr_svg(url).startswith("<svg")


def test_scores_are_recorded_and_checked(running):
    event, enrolment = running
    scores_record(event=event, scores={enrolment.pk: (55, 80)}, by=SYSTEM)
    scores_record(event=event, scores={enrolment.pk: (None, 85)}, by=SYSTEM)
    enrolment.refresh_from_db()
    assert (enrolment.pre_test_score, enrolment.post_test_score) == (55, 85)
    with pytest.raises(ValidationError):
        scores_record(event=event, scores={enrolment.pk: (None, 101)}, by=SYSTEM)


def test_scores_of_another_event_are_refused(running):
    event, _ = running
    other = make_event(city="34.71")
    stranger = enrolment_nominate(event=other, person=make_person(), by=SYSTEM, confirm=True)
    with pytest.raises(ValidationError):
        scores_record(event=event, scores={stranger.pk: (1, 2)}, by=SYSTEM)
