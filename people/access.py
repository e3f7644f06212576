"""Who may see and change which people. Used by pages, API and other apps."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.access import scoped_get, sees_all_agencies
from accounts.roles import PEOPLE_WRITERS, Role
from people.models import Agency, Person


def people_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Person.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_all_agencies(user):
        return qs
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(agency_id=user.agency_id)
    if user.person_id:
        return qs.filter(pk=user.person_id)
    return qs.none()


def person_for_user(user, person_id) -> Person:
    """The person with ``person_id`` if ``user`` may see them, else 404."""
    return scoped_get(people_visible_to(user).select_related("agency", "position", "level", "region",
                                                               "province"), pk=person_id)


def agencies_writable_by(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False) or not (user.is_superuser or user.role in PEOPLE_WRITERS):
        return Agency.objects.none()
    if user.role == Role.AGENCY_ADMIN and not user.is_superuser:
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.all()


def require_person_write(user, agency: Agency) -> None:
    """Raise PermissionDenied unless ``user`` may create or change people of ``agency``."""
    if not agencies_writable_by(user).filter(pk=agency.pk).exists():
        raise PermissionDenied


def can_see_full_identity(user) -> bool:
    """Full NIP/NIK for roles that work with them; others see them masked."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.role in {Role.CENTRE_ADMIN, Role.ORGANISER, Role.AGENCY_ADMIN})
    )
