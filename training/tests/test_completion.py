import pytest
from django.core.exceptions import ValidationError

from siaga.testing import SYSTEM, make_person
from training import hooks
from training.models import Enrolment, Event
from training.services_attendance import attendance_mark, scores_record
from training.services_completion import enrolment_complete, event_finish
from training.services_enrolment import enrolment_nominate
from training.services_event import event_start
from training.tasks import finish_event_task
from training.tests.factories import make_event, make_programme, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    seen = []

    def handler(*, enrolment, by):
        seen.append((enrolment.pk, enrolment.status))

    hooks.on_completion(handler)
    yield seen
    hooks._completion_handlers.pop(f"{handler.__module__}.{handler.__qualname__}", None)


def _event_with(people: int = 3):
    # 10 sessions × 2 JP = 20 JP; 90 % needs 18 JP = 9 sessions.
    programme = make_programme(versions=[make_version(jp=10, sessions=2, pass_mark=70)])
    event = make_event(programme=programme, sessions=10, days=5, capacity=people)
    enrolments = [enrolment_nominate(event=event, person=make_person(), by=SYSTEM, confirm=True)
                  for _ in range(people)]
    return event_start(event=event, by=SYSTEM), enrolments


def _attend(event, enrolment, sessions: int):
    for session in list(event.sessions.all())[:sessions]:
        attendance_mark(session=session, marks={enrolment.pk: "present"}, by=SYSTEM)


def test_finishing_evaluates_everyone_and_records_why(calls):
    event, (good, absent, failed) = _event_with(3)
    _attend(event, good, 9)
    _attend(event, absent, 5)
    _attend(event, failed, 10)
    scores_record(event=event, scores={good.pk: (50, 70), absent.pk: (50, 90), failed.pk: (40, 69)}, by=SYSTEM)
    result = event_finish(event=event, by=SYSTEM)
    assert (result.completed, result.not_completed, result.finished) == (2 - 1, 2, True)
    good.refresh_from_db()
    absent.refresh_from_db()
    failed.refresh_from_db()
    assert good.status == "completed" and good.completed_at is not None
    assert absent.status == "not_completed" and "Kehadiran 50 % JP" in absent.not_completed_reason
    assert failed.status == "not_completed" and "69" in failed.not_completed_reason
    assert calls == [(good.pk, "completed")]
    assert Event.objects.get(pk=event.pk).status == "finished"


def test_a_missing_post_test_means_not_completed():
    event, (only,) = _event_with(1)
    _attend(event, only, 10)
    event_finish(event=event, by=SYSTEM)
    only.refresh_from_db()
    assert only.status == "not_completed" and "post-test" in only.not_completed_reason


def test_the_post_test_can_be_switched_off_per_programme():
    event, (only,) = _event_with(1)
    event.programme.require_post_test = False
    event.programme.save()
    _attend(event, only, 9)
    event_finish(event=event, by=SYSTEM)
    only.refresh_from_db()
    assert only.status == "completed"


def test_a_failing_hook_rolls_the_completion_back():
    event, (only,) = _event_with(1)
    _attend(event, only, 10)
    scores_record(event=event, scores={only.pk: (None, 100)}, by=SYSTEM)

    def broken(*, enrolment, by):
        raise RuntimeError("ledger down")

    hooks.on_completion(broken)
    try:
        with pytest.raises(RuntimeError):
            event_finish(event=event, by=SYSTEM)
    finally:
        hooks._completion_handlers.pop(f"{broken.__module__}.{broken.__qualname__}", None)
    only.refresh_from_db()
    assert only.status == "attended"
    assert Event.objects.get(pk=event.pk).status == "running"


def test_one_enrolment_can_be_completed_alone(calls):
    event, (one, _other) = _event_with(2)
    _attend(event, one, 10)
    scores_record(event=event, scores={one.pk: (None, 80)}, by=SYSTEM)
    assert enrolment_complete(enrolment=one, by=SYSTEM).status == "completed"
    assert calls == [(one.pk, "completed")]
    with pytest.raises(ValidationError):
        enrolment_complete(enrolment=one, by=SYSTEM)


def test_only_a_running_event_can_be_finished():
    event = make_event()
    with pytest.raises(ValidationError):
        event_finish(event=event, by=SYSTEM)


def test_the_background_task_finishes_in_batches(calls, cast):
    event, enrolments = _event_with(3)
    for e in enrolments:
        _attend(event, e, 10)
    scores_record(event=event, scores={e.pk: (None, 90) for e in enrolments}, by=SYSTEM)
    from siaga.testing import make_user

    organiser = make_user("organiser")
    batch = event_finish(event=event, by=organiser, limit=2)
    assert (batch.evaluated, batch.remaining, batch.finished) == (2, 1, False)
    result = finish_event_task.enqueue(event.pk, organiser.pk)
    assert result.return_value["status"] == "finished"
    assert Enrolment.objects.filter(event=event, status="completed").count() == 3
    assert len(calls) == 3
