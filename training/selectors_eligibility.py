"""The facts an enrolment decision needs, read in one query.

Registration is the hottest write path (a rush of thousands of participants at once), so the
eligibility reads — target positions and levels, the person's own enrolment in the event, a live
enrolment in an overlapping event, the agency's quota — are one SELECT of scalar subqueries
instead of four ORM queries. The SQL is plain SQL-92 and runs unchanged on SQLite and
PostgreSQL; the decision itself stays in Python, in ``services_enrolment._check``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection

from siaga.db.rows import row_by_id
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


# Table names are written out (checked against the models by test_selectors_eligibility).
_SQL = """
    SELECT
      (SELECT COUNT(*) FROM training_programme_target_positions WHERE programme_id = %s),
      (SELECT COUNT(*) FROM training_programme_target_positions WHERE programme_id = %s AND position_id = %s),
      (SELECT COUNT(*) FROM training_programme_target_levels WHERE programme_id = %s),
      (SELECT COUNT(*) FROM training_programme_target_levels WHERE programme_id = %s AND positionlevel_id = %s),
      (SELECT id FROM training_enrolment WHERE event_id = %s AND person_id = %s),
      (SELECT status FROM training_enrolment WHERE event_id = %s AND person_id = %s),
      (SELECT ev.name FROM training_enrolment en JOIN training_event ev ON ev.id = en.event_id
        WHERE en.person_id = %s AND en.event_id <> %s
          AND en.status IN (%s, %s, %s, %s)
          AND ev.start_date <= %s AND ev.end_date >= %s ORDER BY ev.start_date, ev.id LIMIT 1),
      (SELECT seats FROM training_agencyquota WHERE event_id = %s AND agency_id = %s),
      (SELECT seats_taken FROM training_agencyquota WHERE event_id = %s AND agency_id = %s),
      (SELECT target_employment_types FROM training_programme WHERE id = %s)
"""


def event_for_registration(event_id: int) -> Event | None:
    return row_by_id(Event, event_id)


def enrolment_facts(*, event: Event, person) -> EnrolmentFacts:
    programme, position, level = event.programme_id, person.position_id, person.level_id
    params = [programme, programme, position, programme, programme, level, event.pk, person.pk, event.pk,
              person.pk, person.pk, event.pk, *LIVE, event.end_date, event.start_date, event.pk, person.agency_id,
              event.pk, person.agency_id, programme]
    with connection.cursor() as cursor:
        cursor.execute(_SQL, params)
        row = cursor.fetchone()
    return EnrolmentFacts(target_positions=row[0], position_is_target=bool(row[1]), target_levels=row[2],
                          level_is_target=bool(row[3]), own_enrolment_id=row[4], own_enrolment_status=row[5],
                          clash_event_name=row[6], quota_seats=row[7], quota_taken=row[8],
                          target_employment_types=_json_list(row[9]))


def _json_list(value) -> list[str]:
    """A JSON column read by plain SQL: text on SQLite (and with Django's psycopg loaders), a list otherwise."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str | bytes) else list(value)
