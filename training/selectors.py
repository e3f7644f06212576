"""Reads of training: lists, the calendar, participants and a person's own trainings."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from training.access import enrolments_visible_to
from training.models import Attendance, Enrolment, Event, EventSession, Programme


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.annotate(event_count=Count("events")).order_by("-created_at")


def programme_detail(programme_id: int) -> Programme:
    return (Programme.objects.prefetch_related("items__module_version__module", "target_positions",
                                               "target_levels").get(pk=programme_id))


@dataclass(frozen=True)
class EventFilters:
    status: str = ""
    programme: int | None = None
    city: str = ""
    q: str = ""


def event_list(filters: EventFilters) -> QuerySet[Event]:
    qs = Event.objects.select_related("programme", "city")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.programme:
        qs = qs.filter(programme_id=filters.programme)
    if filters.city:
        qs = qs.filter(city_id=filters.city)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q) | Q(venue__icontains=filters.q))
    return qs.order_by("start_date", "code")


def events_of_programme(programme: Programme) -> list[Event]:
    return list(programme.events.select_related("city").order_by("start_date", "city__name"))


@dataclass
class CalendarDay:
    date: dt.date | None
    events: list[Event]


def month_calendar(*, year: int, month: int, events: QuerySet[Event]) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of ``month`` with the events running on each day."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    running = list(events.filter(start_date__lte=last, end_date__gte=first))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([CalendarDay(date=d if d.month == month else None,
                                  events=[e for e in running if e.start_date <= d <= e.end_date] if d.month == month
                                  else []) for d in week])
    return weeks


def participants(*, event: Event, user, status: str = "", q: str = "") -> QuerySet[Enrolment]:
    qs = enrolments_visible_to(user, Enrolment.objects.filter(event=event)).select_related(
        "person", "person__position", "person__level", "agency")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(person__sort_name__contains=q.lower()) | Q(person__nip=q) | Q(person__nik=q))
    return qs.order_by("status", "waitlist_position", "person__sort_name", "id")


def status_counts(event: Event, user) -> dict[str, int]:
    rows = enrolments_visible_to(user, Enrolment.objects.filter(event=event)).values_list("status").annotate(
        n=Count("id")).order_by()
    counts = dict.fromkeys(Enrolment.Status.values, 0)
    counts.update(dict(rows))
    return counts


def attendance_sheet(session: EventSession) -> list[tuple[Enrolment, Attendance | None]]:
    enrolments = list(Enrolment.objects.filter(event=session.event, status__in=["confirmed", "attended",
                                                                                 "completed", "not_completed"])
                      .select_related("person", "agency").order_by("person__sort_name", "id"))
    marks = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    return [(e, marks.get(e.pk)) for e in enrolments]


def my_enrolments(person_id: int | None) -> QuerySet[Enrolment]:
    if not person_id:
        return Enrolment.objects.none()
    return (Enrolment.objects.filter(person_id=person_id).select_related("event", "event__programme", "event__city")
            .order_by("-event__start_date"))


def open_events_for_self_registration() -> QuerySet[Event]:
    return Event.objects.filter(status=Event.Status.OPEN, self_registration=True).select_related(
        "programme", "city").order_by("start_date")
