"""Who may see, add and decide on professional credentials, and whose record they may read.

- Seeing a credential or a record follows the people registry (``people_visible_to``): centre staff
  see everyone, an agency admin their agency's people, a participant only themself; others get 404.
- Adding a credential: the person themself, their agency admin, and centre staff who manage data.
- Verifying or rejecting: the centre admin only (an agency admin uploads for their people but never
  verifies them: the checker is independent of the agency that benefits)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.access import scoped_get, sees_all_agencies, user_has_role
from accounts.roles import PEOPLE_READERS, Role
from certification.models import Credential, RequirementSet
from people.access import person_for_user
from people.models import Person

#: Roles that may add a credential (each only within what they can see).
CREDENTIAL_WRITERS = frozenset({Role.CENTRE_ADMIN, Role.ORGANISER, Role.AGENCY_ADMIN, Role.PARTICIPANT})
#: Roles that decide on claimed credentials.
CREDENTIAL_VERIFIERS = frozenset({Role.CENTRE_ADMIN})
#: Roles that read lists and reports of credentials and gaps (agency admins only their agency).
REPORT_READERS = PEOPLE_READERS
#: Roles that edit qualification rules.
RULE_EDITORS = frozenset({Role.CENTRE_ADMIN})
#: Roles that read qualification rules.
RULE_READERS = PEOPLE_READERS


def credentials_visible_to(user) -> QuerySet[Credential]:
    qs = Credential.objects.select_related("person", "person__agency", "person__region", "person__province",
                                           "region")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_all_agencies(user):
        return qs
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return qs.filter(person__agency_id=user.agency_id)
    if user.person_id:
        return qs.filter(person_id=user.person_id)
    return qs.none()


def credential_for_user(user, credential_id) -> Credential:
    return scoped_get(credentials_visible_to(user), pk=credential_id)


def record_person_for_user(user, person_id) -> Person:
    """The person whose record ("riwayat") ``user`` may read, else 404."""
    return person_for_user(user, person_id)


def can_add_credential(user, person: Person) -> bool:
    if not user_has_role(user, CREDENTIAL_WRITERS):
        return False
    if user.is_superuser or user.role in {Role.CENTRE_ADMIN, Role.ORGANISER}:
        return True
    if user.role == Role.AGENCY_ADMIN:
        return user.agency_id == person.agency_id
    return user.person_id == person.pk


def require_add_credential(user, person: Person) -> None:
    if not can_add_credential(user, person):
        raise PermissionDenied


def can_verify(user) -> bool:
    return user_has_role(user, CREDENTIAL_VERIFIERS)


def require_verify(user) -> None:
    if not can_verify(user):
        raise PermissionDenied


def require_rule_edit(user) -> None:
    if not user_has_role(user, RULE_EDITORS):
        raise PermissionDenied


def requirement_set_for_user(user, set_id) -> RequirementSet:
    if not user_has_role(user, RULE_READERS):
        raise PermissionDenied
    return scoped_get(RequirementSet.objects.select_related("position", "level"), pk=set_id)
