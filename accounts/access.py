"""Access helpers: the one place where pages and the API check who may do what.

Objects outside a user's scope answer 404 (not 403) so ids cannot be probed;
a role that may never use a page answers 403."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import CENTRE_ROLES, Role


def user_has_role(user, roles: Iterable[str]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.role in set(roles))


def require_role(user, roles: Iterable[str]) -> None:
    if not user_has_role(user, roles):
        raise PermissionDenied


def role_required(*roles: str) -> Callable:
    """View decorator: the logged-in user must hold one of ``roles`` (403 otherwise)."""

    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require_role(request.user, allowed)
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


def sees_all_agencies(user) -> bool:
    return bool(user.is_superuser or user.role in CENTRE_ROLES)


def agency_filter(user, field: str = "agency") -> Q:
    """A filter restricting a queryset to what ``user`` may see by agency.

    Centre roles see everything; an agency admin sees rows of their agency; a
    participant sees rows of their own person (``field`` must then lead to an
    agency, and ``person_field`` rules live in each app's own helpers)."""
    if sees_all_agencies(user):
        return Q()
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return Q(**{f"{field}_id": user.agency_id})
    return Q(pk__in=[])


def scoped_get(queryset: QuerySet, **lookup):
    """``get`` within an already scoped queryset, 404 when outside it."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
