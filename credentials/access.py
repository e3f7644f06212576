"""Who may see and change which certificates. Used by pages, the API and the services.

The PDF and the staff pages: the person themself, their agency's admin, and centre staff; anyone
else gets 404. Issuing, revoking, reissuing, templates and bulk jobs: organisers and centre admins."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.access import scoped_get, sees_all_agencies
from accounts.roles import CENTRE_ROLES, Role

#: Roles that may read certificate lists (agency admins only their agency's people).
CERT_READERS = CENTRE_ROLES | {Role.AGENCY_ADMIN}
#: Roles that may issue, revoke, reissue, edit templates and run bulk jobs.
CERT_MANAGERS = frozenset({Role.CENTRE_ADMIN, Role.ORGANISER})
#: Signing keys are managed by the centre admin only.
KEY_MANAGERS = frozenset({Role.CENTRE_ADMIN})


def certificates_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    from credentials.models import Certificate

    qs = Certificate.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_all_agencies(user):
        return qs
    own = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(own | Q(person__agency_id=user.agency_id))
    return qs.filter(own)


def certificate_for_user(user, certificate_id) -> object:
    return scoped_get(certificates_visible_to(user).select_related("person", "event", "programme",
                                                                    "superseded_by"), pk=certificate_id)


def can_manage(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.role in CERT_MANAGERS))
