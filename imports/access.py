"""Who may import and see which imports: the people writers (centre admin, organiser, agency admin);
an agency admin only the imports into their own agency."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access import require_role, scoped_get, sees_all_agencies
from accounts.roles import PEOPLE_WRITERS, Role
from imports.models import ImportRun

IMPORT_ROLES = PEOPLE_WRITERS


def runs_visible_to(user) -> QuerySet:
    qs = ImportRun.objects.select_related("agency", "created_by")
    if not getattr(user, "is_authenticated", False) or not (user.is_superuser or user.role in IMPORT_ROLES):
        return qs.none()
    if sees_all_agencies(user):
        return qs
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def run_for_user(user, run_id) -> ImportRun:
    """The run with ``run_id`` if ``user`` may see it: 403 for a role that never imports, else 404."""
    require_role(user, IMPORT_ROLES)
    return scoped_get(runs_visible_to(user), pk=run_id)
