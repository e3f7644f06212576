"""Who may see and change which ledger entries and totals."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.access import scoped_get, sees_all_agencies
from accounts.roles import CENTRE_ROLES, Role
from hours.models import LedgerEntry, PersonYearTotal

#: Roles that see the compliance dashboard (agency admins only their agency).
DASHBOARD_ROLES = CENTRE_ROLES | {Role.AGENCY_ADMIN}
#: Roles that approve, reject or void entries (agency admins only their agency's people).
LEDGER_MANAGERS = frozenset({Role.CENTRE_ADMIN, Role.AGENCY_ADMIN})
#: Roles that edit the JP rules.
RULE_EDITORS = frozenset({Role.CENTRE_ADMIN})
#: Roles that nominate people from the at-risk list.
NOMINATORS = frozenset({Role.CENTRE_ADMIN, Role.AGENCY_ADMIN})


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def totals_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = PersonYearTotal.objects.all() if queryset is None else queryset
    if not _authenticated(user):
        return qs.none()
    if sees_all_agencies(user):
        return qs
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def cells_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    from hours.models import ComplianceCell

    qs = ComplianceCell.objects.all() if queryset is None else queryset
    if not _authenticated(user):
        return qs.none()
    if sees_all_agencies(user):
        return qs
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(agency_key=user.agency_id)
    return qs.none()


def entries_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = LedgerEntry.objects.all() if queryset is None else queryset
    if not _authenticated(user):
        return qs.none()
    if sees_all_agencies(user):
        return qs
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(person__agency_id=user.agency_id)
    if user.person_id:
        return qs.filter(person_id=user.person_id)
    return qs.none()


def entry_for_user(user, entry_id) -> LedgerEntry:
    return scoped_get(entries_visible_to(user).select_related("person", "person__agency", "platform"),
                      pk=entry_id)


def can_manage(user, person) -> bool:
    """Approve, reject and void: the person's agency admin, or a centre admin."""
    if not _authenticated(user):
        return False
    if user.is_superuser or user.role == Role.CENTRE_ADMIN:
        return True
    return user.role == Role.AGENCY_ADMIN and user.agency_id == person.agency_id


def can_add_for(user, person) -> bool:
    """Add external learning: the person themself, their agency admin or a centre admin."""
    if not _authenticated(user):
        return False
    if getattr(user, "person_id", None) == person.pk:
        return True
    return can_manage(user, person)


def require_manage(user, person) -> None:
    if not can_manage(user, person):
        raise PermissionDenied


def require_add_for(user, person) -> None:
    if not can_add_for(user, person):
        raise PermissionDenied


def require_rule_editor(user) -> None:
    if not (_authenticated(user) and (user.is_superuser or user.role in RULE_EDITORS)):
        raise PermissionDenied
