"""The readiness dashboard: qualified and available people per province and service, and the gaps."""

import datetime as dt

import pytest
from django.test import Client

from readiness import services
from readiness.selectors import readiness_by_province, readiness_gaps
from readiness.testing import complete, make_event, world
from siaga.testing import SYSTEM, make_person
from training.models import Event

pytestmark = pytest.mark.django_db


def test_it_counts_qualified_people_available_today_per_province(cast, settings):
    w = world(cast)  # person_a in Kota Bandung (32)
    other = make_person(region="32.04")
    complete(other, w.event)
    away = make_person(region="33.74")
    complete(away, w.event)
    today = dt.date(2026, 12, 2)
    services.unavailability_create(person=away, start_date=today, end_date=today + dt.timedelta(5), reason="Sakit",
                                   by=SYSTEM)
    counts = readiness_by_province(today=today)
    assert counts["psychosocial_support"] == {"32": 2}
    assert counts["public_kitchen"] == {}


def test_gaps_link_to_upcoming_events_in_or_near_the_province(cast, settings):
    settings.READINESS_GAP_MIN_QUALIFIED = 2
    w = world(cast)
    version = w.module.versions.get()
    soon = make_event(version, city="33.74", status=Event.Status.OPEN, start=dt.date(2027, 1, 10),
                      name="LDP Semarang")
    make_event(version, city="33.74", status=Event.Status.CANCELLED, start=dt.date(2027, 1, 10), name="Batal")
    today = dt.date(2026, 12, 2)
    gaps = {g.province.code: g for g in readiness_gaps(readiness_by_province(today=today), today=today)}
    assert gaps["32"].qualified == 1 and [e.name for e in gaps["33"].events] == ["LDP Semarang"]
    assert soon in gaps["32"].events  # Semarang is within 500 km of West Java
    assert gaps["91"].events == []   # nothing near Papua


def test_the_dashboard_page_draws_the_map_and_gaps(cast):
    world(cast)
    client = Client()
    client.force_login(cast.user("coordinator"))
    page = client.get("/siaga-bencana/").content.decode()
    assert "<svg" in page and "Kesenjangan" in page and "/siaga-bencana/kesenjangan/32/" in page
