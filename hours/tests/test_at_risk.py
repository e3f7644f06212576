import pytest
from django.urls import reverse
from django.utils import timezone

from hours.selectors import DashboardFilters, at_risk, open_events, suggestions_for
from hours.services import entry_approve
from hours.tests.factories import make_entry, make_event, make_programme
from people.models import Position
from siaga.testing import SYSTEM, make_person
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def _year():
    return timezone.localdate().year


def test_people_below_the_minimum_are_listed_with_fitting_open_events(cast):
    person = cast.person_a  # Pekerja Sosial in Kota Bandung
    entry_approve(entry=make_entry(person=person, minutes=4 * 45), by=SYSTEM)
    pekerja = Position.objects.get(code="pekerja-sosial")
    penyuluh = Position.objects.get(code="penyuluh-sosial")
    near = make_event(programme=make_programme(total_minutes=16 * 45, positions=[pekerja]), city="32.04")
    far = make_event(programme=make_programme(total_minutes=24 * 45, positions=[pekerja]), city="91.71")
    wrong_position = make_event(programme=make_programme(positions=[penyuluh]), city="32.73")
    full = make_event(programme=make_programme(positions=[pekerja]), city="32.73", seats=10, seats_taken=10)
    closed = make_event(programme=make_programme(positions=[pekerja]), city="32.73", status="planned")
    short = make_event(programme=make_programme(total_minutes=4 * 45), city="32.73")
    online = make_event(programme=make_programme(total_minutes=20 * 45), city="91.71", mode="online")

    totals = list(at_risk(user=cast.agency_admin, filters=DashboardFilters(year=_year())))
    assert [t.person_id for t in totals] == [person.pk]
    suggestions = suggestions_for(totals[0], open_events(timezone.localdate()), limit=5)
    ids = [s.event.pk for s in suggestions]
    assert far.pk not in ids and wrong_position.pk not in ids and full.pk not in ids and closed.pk not in ids
    assert ids[:2] == [online.pk, near.pk]  # both close the 16 JP gap; online counts as near
    assert short.pk in ids and ids.index(short.pk) > ids.index(near.pk)
    assert suggestions[1].closes_gap and 0 < suggestions[1].distance_km < 50


def test_people_who_meet_the_minimum_or_have_none_are_not_at_risk(cast):
    entry_approve(entry=make_entry(person=cast.person_a, minutes=20 * 45), by=SYSTEM)
    non_asn = make_person(employment_type="NON_ASN", position="tksk")
    make_entry(person=non_asn, minutes=45)
    assert not at_risk(user=cast.agency_admin, filters=DashboardFilters(year=_year())).exists()


def test_an_agency_admin_nominates_from_the_list_in_one_click(client, cast):
    make_entry(person=cast.person_a, minutes=45)
    event = make_event()
    client.force_login(cast.agency_admin)
    page = client.get(reverse("hours:at_risk"))
    assert page.status_code == 200 and event.name.encode() in page.content
    response = client.post(reverse("hours:nominate"), {"person_id": cast.person_a.pk, "event_id": event.pk})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(event=event, person=cast.person_a)
    assert enrolment.status == "nominated" and enrolment.nominated_by == cast.agency_admin
    again = client.post(reverse("hours:nominate"), {"person_id": cast.person_a.pk, "event_id": event.pk})
    assert again.status_code == 302 and Enrolment.objects.filter(event=event).count() == 1


def test_an_agency_admin_cannot_nominate_another_agencys_person(client, cast):
    event = make_event()
    client.force_login(cast.agency_admin)
    response = client.post(reverse("hours:nominate"), {"person_id": cast.person_b.pk, "event_id": event.pk})
    assert response.status_code == 404
    assert not Enrolment.objects.exists()
