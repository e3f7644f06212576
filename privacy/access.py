"""Who may export a person's data (everything Siaga holds on them).

- the person themself (their login is linked to the record), whatever their role;
- the centre admin, for anyone; an agency admin, for the people of their agency;
- a person outside the user's scope answers 404 (ids cannot be probed); a role that sees the person
  but may not export (organiser, auditor, leadership, coordinator) answers 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from people.access import person_for_user
from people.models import Person

#: Roles that may export the data of the people in their scope (besides the person themself).
DATA_EXPORTERS = frozenset({Role.CENTRE_ADMIN, Role.AGENCY_ADMIN})


def can_export_person_data(user, person: Person) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.person_id == person.pk or user.is_superuser:
        return True
    if user.role == Role.CENTRE_ADMIN:
        return True
    return user.role == Role.AGENCY_ADMIN and bool(user.agency_id) and user.agency_id == person.agency_id


def person_for_data_export(user, person_id) -> Person:
    """The person whose data ``user`` may export: 404 outside their scope, 403 for a role that may not."""
    person = person_for_user(user, person_id)
    if not can_export_person_data(user, person):
        raise PermissionDenied
    return person
