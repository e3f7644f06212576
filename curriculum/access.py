"""Who may see and change modules, reviews, competencies and institutions.

Pages and the API check here before calling a service; services check again (defence in depth)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet

from accounts.access import scoped_get, user_has_role
from accounts.roles import Role
from curriculum.models import InstitutionMember, Module, ModuleVersion

#: Roles that work on modules.
CURRICULUM_STAFF = frozenset({Role.AUTHOR, Role.REVIEWER, Role.APPROVER, Role.CENTRE_ADMIN})
#: Roles that may read modules in progress (drafts, reviews, board); auditors and leadership read only.
CURRICULUM_READERS = CURRICULUM_STAFF | {Role.ORGANISER, Role.AUDITOR, Role.LEADERSHIP}
AUTHOR_ROLES = frozenset({Role.AUTHOR, Role.CENTRE_ADMIN})
APPROVER_ROLES = frozenset({Role.APPROVER, Role.CENTRE_ADMIN})
MANAGER_ROLES = frozenset({Role.CENTRE_ADMIN})
PUBLISHED = (ModuleVersion.Status.APPROVED, ModuleVersion.Status.RETIRED)


def is_manager(user) -> bool:
    return user_has_role(user, MANAGER_ROLES)


def reads_work_in_progress(user) -> bool:
    return user_has_role(user, CURRICULUM_READERS)


def author_institution_ids(user) -> set[int]:
    if not getattr(user, "pk", None):
        return set()
    return set(InstitutionMember.objects.filter(user=user, role=InstitutionMember.Role.AUTHOR)
               .values_list("institution_id", flat=True))


def is_module_author(user, module: Module) -> bool:
    """The user wrote (part of) the module: its creator, a version's creator, or an author of its owner."""
    if not getattr(user, "pk", None):
        return False
    if module.created_by_id == user.pk:
        return True
    if InstitutionMember.objects.filter(user=user, institution_id=module.owner_id).exists():
        return True
    return module.versions.filter(created_by=user).exists()


def can_edit_module(user, module: Module) -> bool:
    if is_manager(user):
        return True
    return (user_has_role(user, {Role.AUTHOR})
            and module.owner_id in author_institution_ids(user))


def require_module_edit(user, module: Module) -> None:
    if not can_edit_module(user, module):
        raise PermissionDenied


def can_approve(user, module: Module) -> bool:
    return user_has_role(user, APPROVER_ROLES) and not is_module_author(user, module)


def modules_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Staff see every module; everyone else sees modules with an approved (or retired) version."""
    qs = Module.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if reads_work_in_progress(user):
        return qs
    published = ModuleVersion.objects.filter(module=OuterRef("pk"), status__in=PUBLISHED)
    return qs.filter(Exists(published))


def module_for_user(user, module_id) -> Module:
    return scoped_get(modules_visible_to(user).select_related("owner", "created_by"), pk=module_id)


def versions_visible_to(user, module: Module) -> QuerySet:
    qs = module.versions.all()
    if reads_work_in_progress(user):
        return qs
    return qs.filter(status__in=PUBLISHED)


def version_for_user(user, module_id, number) -> ModuleVersion:
    module = module_for_user(user, module_id)
    version = scoped_get(versions_visible_to(user, module).select_related("module", "module__owner"), number=number)
    version.module = module
    return version
