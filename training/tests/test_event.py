import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditLog
from people.models import Region
from siaga.testing import SYSTEM
from training.models import Event
from training.services_event import (
    CityPlan,
    EventInput,
    event_cancel,
    event_open,
    event_start,
    events_create_for_cities,
)
from training.tests.factories import make_event, make_programme

pytestmark = pytest.mark.django_db


def _plans():
    return [CityPlan(city=Region.objects.get(code=c), venue=f"Aula {c}", venue_capacity=cap)
            for c, cap in [("32.73", 200), ("34.71", 150), ("73.71", 101), ("31.71", 80)]]


def test_it_creates_the_events_of_a_programme_in_four_cities_with_capped_seats():
    programme = make_programme()
    created = events_create_for_cities(programme=programme, plans=_plans(),
                                       data=EventInput(start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 3, 3),
                                                       cap_percent=50), by=SYSTEM)
    assert [c.event.seats for c in created] == [100, 75, 50, 40]
    assert created[2].event.time_zone == "Asia/Makassar"
    assert {c.event.status for c in created} == {Event.Status.PLANNED}
    assert AuditLog.objects.filter(action="event.create").count() == 4


def test_it_warns_about_a_public_holiday_but_creates_the_event():
    created = events_create_for_cities(programme=make_programme(), plans=_plans()[:1],
                                       data=EventInput(start_date=dt.date(2026, 8, 16), end_date=dt.date(2026, 8, 18)),
                                       by=SYSTEM)
    assert any("Proklamasi" in w for w in created[0].warnings)
    assert Event.objects.count() == 1


def test_it_warns_when_a_year_has_no_holiday_data():
    created = events_create_for_cities(programme=make_programme(), plans=_plans()[:1],
                                       data=EventInput(start_date=dt.date(2020, 8, 3), end_date=dt.date(2020, 8, 5)),
                                       by=SYSTEM)
    assert any("2020" in w for w in created[0].warnings)


def test_it_refuses_the_same_city_twice_and_creates_none():
    plans = _plans()[:1] * 2
    with pytest.raises(ValidationError):
        events_create_for_cities(programme=make_programme(), plans=plans,
                                 data=EventInput(start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 3, 1)),
                                 by=SYSTEM)
    assert Event.objects.count() == 0


def test_it_refuses_a_province_as_the_city():
    with pytest.raises(ValidationError):
        events_create_for_cities(programme=make_programme(),
                                 plans=[CityPlan(city=Region.objects.get(code="32"), venue="X", venue_capacity=10)],
                                 data=EventInput(start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 3, 1)),
                                 by=SYSTEM)


def test_status_moves_planned_open_running_and_not_backwards():
    event = make_event(open_=False)
    event = event_open(event=event, by=SYSTEM)
    assert event.status == Event.Status.OPEN
    event = event_start(event=event, by=SYSTEM)
    assert event.status == Event.Status.RUNNING
    with pytest.raises(ValidationError):
        event_open(event=event, by=SYSTEM)


def test_cancelling_an_event_cancels_its_enrolments(cast):
    from training.services_enrolment import enrolment_nominate

    event = make_event()
    enrolment = enrolment_nominate(event=event, person=cast.person_a, by=SYSTEM, confirm=True)
    event_cancel(event=event, reason="Banjir", by=SYSTEM)
    enrolment.refresh_from_db()
    event.refresh_from_db()
    assert enrolment.status == "cancelled"
    assert (event.status, event.seats_taken) == ("cancelled", 0)
