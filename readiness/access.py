"""Who may see and do what in readiness. Agency admins see only their agency's people
(rosters, call-ups, deployments, unavailability); coordinators and centre staff see all."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.access import scoped_get, sees_all_agencies, user_has_role
from accounts.roles import CENTRE_ROLES, Role
from people.access import people_visible_to
from people.models import Person
from readiness.models import CallUp, Deployment, DeploymentRequest, Incident, Unavailability

#: May read incidents, requests and rosters (agency admins: their agency's people only).
READERS = frozenset(CENTRE_ROLES | {Role.AGENCY_ADMIN})
#: May create incidents and requests, send calls, confirm and release deployments.
MANAGERS = frozenset({Role.COORDINATOR, Role.CENTRE_ADMIN})
#: May record unavailability periods (participants: their own; agency admins: their agency's people).
UNAVAILABILITY_WRITERS = frozenset(MANAGERS | {Role.AGENCY_ADMIN, Role.PARTICIPANT})
#: Sees the deployments page (participants: their own).
DEPLOYMENT_READERS = frozenset(READERS | {Role.PARTICIPANT})


def can_manage(user) -> bool:
    return user_has_role(user, MANAGERS)


def require_manager(user) -> None:
    if not can_manage(user):
        raise PermissionDenied


def roster_agency(user) -> int | None:
    """The agency a user's roster is limited to (None: all agencies)."""
    if sees_all_agencies(user):
        return None
    return user.agency_id or -1


def incidents_visible_to(user) -> QuerySet:
    if not user_has_role(user, READERS):
        return Incident.objects.none()
    return Incident.objects.all()


def incident_for_user(user, incident_id) -> Incident:
    if not user_has_role(user, READERS):
        raise PermissionDenied
    return scoped_get(incidents_visible_to(user).select_related("coordinator"), pk=incident_id)


def request_for_user(user, request_id) -> DeploymentRequest:
    if not user_has_role(user, READERS):
        raise PermissionDenied
    return scoped_get(DeploymentRequest.objects.select_related("incident", "assembly_point"), pk=request_id)


def callups_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = CallUp.objects.all() if queryset is None else queryset
    if sees_all_agencies(user):
        return qs
    if user_has_role(user, {Role.AGENCY_ADMIN}) and user.agency_id:
        return qs.filter(person__agency_id=user.agency_id)
    return qs.none()


def callup_for_manager(user, callup_id) -> CallUp:
    require_manager(user)
    return scoped_get(CallUp.objects.select_related("request__incident", "person"), pk=callup_id)


def callup_for_consent(user, callup_id) -> CallUp:
    """A call-up awaiting the consent of ``user``'s agency (agency admins only)."""
    if not (user.is_superuser or user_has_role(user, {Role.AGENCY_ADMIN})):
        raise PermissionDenied
    qs = CallUp.objects.select_related("request__incident", "person")
    if not user.is_superuser:
        qs = qs.filter(person__agency_id=user.agency_id)
    return scoped_get(qs, pk=callup_id)


def deployments_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Deployment.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_all_agencies(user):
        return qs
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(person__agency_id=user.agency_id)
    if user.person_id:
        return qs.filter(person_id=user.person_id)
    return qs.none()


def deployment_for_manager(user, deployment_id) -> Deployment:
    require_manager(user)
    return scoped_get(Deployment.objects.select_related("person", "request"), pk=deployment_id)


def unavailability_people(user) -> QuerySet:
    """People whose unavailability ``user`` may record."""
    if not user_has_role(user, UNAVAILABILITY_WRITERS):
        return Person.objects.none()
    if user.role == Role.PARTICIPANT and not user.is_superuser:
        return Person.objects.filter(pk=user.person_id) if user.person_id else Person.objects.none()
    return people_visible_to(user)


def unavailability_visible_to(user) -> QuerySet:
    people = unavailability_people(user)
    if sees_all_agencies(user):
        return Unavailability.objects.all()
    return Unavailability.objects.filter(person__in=people)


def unavailability_for_user(user, unavailability_id) -> Unavailability:
    return scoped_get(unavailability_visible_to(user), pk=unavailability_id)
