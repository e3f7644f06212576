"""Who may do what with programmes, events and enrolments (pages and API use these)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.access import require_role, scoped_get, sees_all_agencies, user_has_role
from accounts.roles import ALL_ROLES, CENTRE_ROLES, Role
from training.models import Enrolment, Event, EventSession, Programme

#: Organise programmes and events: create, schedule, move through states, finish.
MANAGERS = frozenset({Role.CENTRE_ADMIN, Role.ORGANISER})
#: Tick attendance lists and show the session QR.
ATTENDANCE_TAKERS = MANAGERS | {Role.TRAINER}
#: Read programmes and events (the catalogue is visible to every login).
READERS = ALL_ROLES
#: See participant lists (agency admins: only their own agency's people).
PARTICIPANT_READERS = CENTRE_ROLES | {Role.AGENCY_ADMIN, Role.TRAINER}
#: Nominate people (agency admins: only their own agency's people).
NOMINATORS = MANAGERS | {Role.AGENCY_ADMIN}


def is_manager(user) -> bool:
    return user_has_role(user, MANAGERS)


def require_manager(user) -> None:
    require_role(user, MANAGERS)


def programme_for_user(user, programme_id) -> Programme:
    require_role(user, READERS)
    return scoped_get(Programme.objects.all(), pk=programme_id)


def event_for_user(user, event_id) -> Event:
    require_role(user, READERS)
    return scoped_get(Event.objects.select_related("programme", "city"), pk=event_id)


def session_for_user(user, session_id) -> EventSession:
    require_role(user, READERS)
    return scoped_get(EventSession.objects.select_related("event", "event__city", "module_version__module"),
                      pk=session_id)


def enrolments_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Enrolment.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_all_agencies(user) or user.role == Role.TRAINER:
        return qs
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(agency_id=user.agency_id)
    if user.person_id:
        return qs.filter(person_id=user.person_id)
    return qs.none()


def enrolment_for_user(user, enrolment_id) -> Enrolment:
    return scoped_get(enrolments_visible_to(user).select_related("event", "person", "agency"), pk=enrolment_id)


def require_nominator_for(user, agency_id: int) -> None:
    """Agency admins nominate only people of their own agency; managers anyone."""
    if is_manager(user):
        return
    if getattr(user, "role", None) == Role.AGENCY_ADMIN and user.agency_id == agency_id:
        return
    raise PermissionDenied


def can_manage_enrolment(user, enrolment: Enrolment) -> bool:
    if is_manager(user):
        return True
    if getattr(user, "role", None) == Role.AGENCY_ADMIN and user.agency_id == enrolment.agency_id:
        return True
    return bool(getattr(user, "person_id", None) and user.person_id == enrolment.person_id)
