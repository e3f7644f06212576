"""The one-query eligibility facts (decision 0012) agree with the same facts read through the ORM."""

import datetime as dt

import pytest

from people.models import Agency, Position
from siaga.testing import SYSTEM, make_person
from training.models import AgencyQuota, Enrolment
from training.selectors_eligibility import EnrolmentFacts, enrolment_facts, registration_read
from training.services_enrolment import LIVE, enrolment_cancel, enrolment_nominate
from training.services_event import event_set_quota
from training.tests.factories import make_event, make_programme

pytestmark = pytest.mark.django_db


def _orm_facts(event, person) -> EnrolmentFacts:
    programme = event.programme
    positions = set(programme.target_positions.values_list("pk", flat=True))
    levels = set(programme.target_levels.values_list("pk", flat=True))
    own = Enrolment.objects.filter(event=event, person=person).first()
    clash = (Enrolment.objects.filter(person=person, status__in=LIVE, event__start_date__lte=event.end_date,
                                      event__end_date__gte=event.start_date).exclude(event=event)
             .order_by("event__start_date", "event_id").select_related("event").first())
    quota = AgencyQuota.objects.filter(event=event, agency_id=person.agency_id).first()
    return EnrolmentFacts(target_positions=len(positions), position_is_target=person.position_id in positions,
                          target_levels=len(levels), level_is_target=person.level_id in levels,
                          own_enrolment_id=own.pk if own else None, own_enrolment_status=own.status if own else None,
                          clash_event_name=clash.event.name if clash else None,
                          quota_seats=quota.seats if quota else None, quota_taken=quota.seats_taken if quota else None,
                          target_employment_types=list(programme.target_employment_types))


def test_the_facts_match_the_orm_in_every_situation(cast):
    penyuluh = Position.objects.get(code="penyuluh-sosial")
    targeted = make_programme(target_positions=[penyuluh], target_employment_types=["PNS", "PPPK"])
    event = make_event(programme=targeted, start=dt.date(2027, 5, 3), days=3)
    other = make_event(start=dt.date(2027, 5, 4), days=2, city="34.71")
    later = make_event(start=dt.date(2027, 6, 1), days=2)
    event_set_quota(event=event, agency=Agency.objects.get(code="bnpb"), seats=2, by=SYSTEM)
    people = [make_person(), make_person(position="penyuluh-sosial"), make_person(agency="bnpb", position="penyuluh-sosial"),
              make_person(position=None)]
    enrolment_nominate(event=other, person=people[0], by=SYSTEM)  # a clash
    enrolment_nominate(event=later, person=people[1], by=SYSTEM)  # no clash
    mine = enrolment_nominate(event=event, person=people[1], by=SYSTEM)
    cancelled = enrolment_nominate(event=other, person=people[2], by=SYSTEM)
    enrolment_cancel(enrolment=cancelled, by=SYSTEM)  # a cancelled enrolment does not clash
    enrolment_nominate(event=event, person=people[2], by=SYSTEM)
    for candidate in (event, other, later):
        for person in people:
            assert enrolment_facts(event=candidate, person=person) == _orm_facts(candidate, person), (
                candidate.pk, person.pk)
    facts = enrolment_facts(event=event, person=people[1])
    assert facts.own_enrolment_id == mine.pk and facts.position_is_target
    assert enrolment_facts(event=event, person=people[0]).clash_event_name == other.name
    assert enrolment_facts(event=event, person=people[2]).quota_seats == 2


def test_the_registration_read_holds_the_event_the_person_and_the_same_facts():
    event = make_event()
    person = make_person(position="penyuluh-sosial")
    enrolment_nominate(event=event, person=person, by=SYSTEM)
    read = registration_read(event_id=event.pk, person_id=person.pk)
    assert read.event == event and read.event.name == event.name and read.event.start_date == event.start_date
    assert read.event.registration_opens == event.registration_opens and read.event.created_at == event.created_at
    assert read.person == person and read.person.full_name == person.full_name
    assert read.person.birth_date == person.birth_date and read.person.agency_id == person.agency_id
    assert read.facts == enrolment_facts(event=event, person=person) == _orm_facts(event, person)


@pytest.mark.parametrize("event_id, person_id", [(10**30, 1), (1, 10**30), (0, 1), (1, None)])
def test_the_registration_read_of_unknown_or_out_of_range_ids_is_none(event_id, person_id):
    event = make_event()
    person = make_person()
    event_id = event.pk + 1000 if event_id == 1 and person_id == 1 else (event.pk if event_id == 1 else event_id)
    person_id = person.pk if person_id == 1 else person_id
    assert registration_read(event_id=event_id, person_id=person_id) is None
