"""The facts an enrolment decision needs, read in one query.

Registration is the hottest write path (a rush of thousands of participants at once), so the
eligibility reads — target positions and levels, the person's own enrolment in the event, a live
enrolment in an overlapping event, the agency's quota — are one SELECT of scalar subqueries
instead of four ORM queries; a self-registration reads the event and the person in the same
SELECT (``registration_read``). The SQL is plain SQL-92 and runs unchanged on SQLite and
PostgreSQL; the decision itself stays in Python, in ``services_enrolment._check``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection

from people.models import Person
from siaga.db.rows import columns, instance_from, storable_id
from training.models import Enrolment, Event

#: Enrolments that still hold (or wait for) a place: they block overlapping events.
LIVE = (Enrolment.Status.NOMINATED, Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED,
        Enrolment.Status.ATTENDED)


@dataclass(frozen=True)
class EnrolmentFacts:
    target_positions: int  # how many target positions the programme has (0: any position)
    position_is_target: bool
    target_levels: int
    level_is_target: bool
    own_enrolment_id: int | None  # the person's enrolment in this event, any status
    own_enrolment_status: str | None
    clash_event_name: str | None  # a live enrolment of the person in an overlapping event
    quota_seats: int | None  # the agency's quota in this event, if one is set
    quota_taken: int | None
    target_employment_types: list[str]  # empty: any employment type


# Table names are written out (checked against the models by test_selectors_eligibility). Every fact
# is a scalar subquery on the event ``ev`` and the person ``p`` of the FROM clause.
_FACTS = """
      (SELECT COUNT(*) FROM training_programme_target_positions tp WHERE tp.programme_id = ev.programme_id),
      (SELECT COUNT(*) FROM training_programme_target_positions tp
        WHERE tp.programme_id = ev.programme_id AND tp.position_id = p.position_id),
      (SELECT COUNT(*) FROM training_programme_target_levels tl WHERE tl.programme_id = ev.programme_id),
      (SELECT COUNT(*) FROM training_programme_target_levels tl
        WHERE tl.programme_id = ev.programme_id AND tl.positionlevel_id = p.level_id),
      (SELECT en.id FROM training_enrolment en WHERE en.event_id = ev.id AND en.person_id = p.id),
      (SELECT en.status FROM training_enrolment en WHERE en.event_id = ev.id AND en.person_id = p.id),
      (SELECT other.name FROM training_enrolment en JOIN training_event other ON other.id = en.event_id
        WHERE en.person_id = p.id AND en.event_id <> ev.id
          AND en.status IN (%s, %s, %s, %s)
          AND other.start_date <= ev.end_date AND other.end_date >= ev.start_date
        ORDER BY other.start_date, other.id LIMIT 1),
      (SELECT q.seats FROM training_agencyquota q WHERE q.event_id = ev.id AND q.agency_id = p.agency_id),
      (SELECT q.seats_taken FROM training_agencyquota q WHERE q.event_id = ev.id AND q.agency_id = p.agency_id),
      (SELECT pr.target_employment_types FROM training_programme pr WHERE pr.id = ev.programme_id)
"""
_FROM = " FROM training_event ev, people_person p WHERE ev.id = %s AND p.id = %s"


@dataclass(frozen=True)
class Registration:
    """What one registration decides on, read in one query: the event, the person and the facts."""

    event: Event
    person: Person
    facts: EnrolmentFacts


def _facts(row) -> EnrolmentFacts:
    return EnrolmentFacts(target_positions=row[0], position_is_target=bool(row[1]), target_levels=row[2],
                          level_is_target=bool(row[3]), own_enrolment_id=row[4], own_enrolment_status=row[5],
                          clash_event_name=row[6], quota_seats=row[7], quota_taken=row[8],
                          target_employment_types=_json_list(row[9]))


def enrolment_facts(*, event: Event, person) -> EnrolmentFacts:
    with connection.cursor() as cursor:
        cursor.execute("SELECT" + _FACTS + _FROM, [*LIVE, event.pk, person.pk])
        return _facts(cursor.fetchone())


def registration_read(*, event_id: int, person_id: int | None) -> Registration | None:
    """The event, the person and every eligibility fact in one query; None when either is missing
    (ids outside the database's integer range are simply not found)."""
    if not (storable_id(event_id) and storable_id(person_id)):
        return None
    event_select, n_event = columns(Event, alias="ev")
    person_select, n_person = columns(Person, alias="p")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {event_select}, {person_select}," + _FACTS + _FROM, [*LIVE, event_id, person_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return Registration(event=instance_from(Event, row, alias="ev"),
                        person=instance_from(Person, row[n_event:], alias="p"),
                        facts=_facts(row[n_event + n_person:]))


def _json_list(value) -> list[str]:
    """A JSON column read by plain SQL: text on SQLite (and with Django's psycopg loaders), a list otherwise."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str | bytes) else list(value)
