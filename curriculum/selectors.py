"""Reads of curriculum: the catalogue, the board of modules in progress, diffs and refresher lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from curriculum import hooks
from curriculum.access import PUBLISHED, modules_visible_to
from curriculum.models import (
    OPEN_STATUSES,
    Module,
    ModuleVersion,
    ReviewAssignment,
    ReviewRound,
)

Status = ModuleVersion.Status


@dataclass
class CatalogueFilters:
    q: str = ""
    competency: int | None = None
    position: int | None = None
    level: int | None = None
    include_unpublished: bool = False


def catalogue(*, user, filters: CatalogueFilters) -> QuerySet:
    """Modules by title/code words, competency and audience (target position and level).

    Without ``include_unpublished`` only modules with an approved version are listed."""
    qs = modules_visible_to(user).select_related("owner")
    if not filters.include_unpublished:
        qs = qs.filter(Exists(ModuleVersion.objects.filter(module=OuterRef("pk"), status=Status.APPROVED)))
    for word in filters.q.split()[:6]:
        qs = qs.filter(Q(title__icontains=word) | Q(code__icontains=word) | Q(summary__icontains=word))
    if filters.competency:
        qs = qs.filter(competencies__pk=filters.competency)
    if filters.position:
        qs = qs.filter(target_positions__pk=filters.position)
    if filters.level:
        qs = qs.filter(target_levels__pk=filters.level)
    approved = ModuleVersion.objects.filter(status=Status.APPROVED).order_by("-number")
    return (qs.distinct().order_by("title")
            .prefetch_related("competencies", "target_positions",
                              Prefetch("versions", queryset=approved, to_attr="approved_versions")))


def module_history(module: Module, *, user) -> list[ModuleVersion]:
    from curriculum.access import versions_visible_to

    return list(versions_visible_to(user, module).order_by("-number")
                .select_related("created_by", "approved_by"))


def version_detail(version: ModuleVersion) -> ModuleVersion:
    """The version with its outline, materials and review rounds loaded."""
    return (ModuleVersion.objects.select_related("module", "module__owner", "approved_by", "created_by")
            .prefetch_related("sessions", "materials",
                              Prefetch("review_rounds", queryset=ReviewRound.objects.order_by("-number")
                                       .prefetch_related(Prefetch("assignments",
                                                                  queryset=ReviewAssignment.objects.select_related(
                                                                      "reviewer", "institution")))))
            .get(pk=version.pk))


# --- the board of modules in progress -----------------------------------------------------------------------

@dataclass
class BoardRow:
    version: ModuleVersion
    round: ReviewRound | None
    waiting: str  # "reviewers", "authors", "approver", "authors_draft"
    waiting_for: list[str] = field(default_factory=list)  # names of who is awaited
    overdue: bool = False
    days_left: int | None = None

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue and self.days_left is not None else 0


def _name(user) -> str:
    return user.get_full_name() or user.username


def board(*, today: dt.date | None = None) -> list[BoardRow]:
    """Every version being worked on, with who waits on whom and whether its review is overdue."""
    today = today or timezone.localdate()
    rounds = ReviewRound.objects.order_by("-number").prefetch_related(
        Prefetch("assignments", queryset=ReviewAssignment.objects.select_related("reviewer", "institution")))
    versions = (ModuleVersion.objects.filter(status__in=OPEN_STATUSES)
                .select_related("module", "module__owner", "created_by")
                .prefetch_related(Prefetch("review_rounds", queryset=rounds, to_attr="rounds_desc"))
                .order_by("module__code"))
    rows: list[BoardRow] = []
    for version in versions:
        latest = version.rounds_desc[0] if version.rounds_desc else None
        row = BoardRow(version=version, round=latest, waiting="authors_draft")
        if version.status == Status.IN_REVIEW and latest is not None:
            pending = [a for a in latest.assignments.all() if a.decision == ReviewAssignment.Decision.PENDING]
            if latest.is_open and pending:
                row.waiting = "reviewers"
                row.waiting_for = [f"{_name(a.reviewer)} ({a.institution.name})" for a in pending]
                row.overdue = latest.is_overdue(today)
                row.days_left = latest.days_left(today)
            else:
                row.waiting = "approver"
        elif version.status == Status.CHANGES_REQUESTED:
            row.waiting = "authors"
            row.waiting_for = [version.module.owner.name]
        rows.append(row)
    order = {"reviewers": 0, "approver": 1, "authors": 2, "authors_draft": 3}
    rows.sort(key=lambda r: (not r.overdue, order[r.waiting], r.days_left if r.days_left is not None else 9999))
    return rows


def pending_reviews_for(user) -> QuerySet:
    return (ReviewAssignment.objects.filter(reviewer=user, decision=ReviewAssignment.Decision.PENDING,
                                            round__closed_at__isnull=True)
            .select_related("round", "round__version", "round__version__module", "institution")
            .order_by("round__due_date"))


# --- refresher candidates -----------------------------------------------------------------------------------

def refresher_candidates(version: ModuleVersion) -> list[hooks.TrainedPerson]:
    """People trained on older published versions of the module and not yet on ``version``.

    The people come from providers registered by higher apps (``curriculum.hooks``); one row per person,
    their latest completion kept."""
    older = list(version.module.versions.filter(number__lt=version.number, status__in=PUBLISHED))
    if not older:
        return []
    already = {p.person_id for p in hooks.trained_on(versions=[version])}
    latest: dict[int, hooks.TrainedPerson] = {}
    minimum = dt.datetime.min.replace(tzinfo=dt.UTC)
    for person in hooks.trained_on(versions=older):
        if person.person_id in already:
            continue
        kept = latest.get(person.person_id)
        if kept is None or (person.completed_at or minimum) > (kept.completed_at or minimum):
            latest[person.person_id] = person
    return sorted(latest.values(), key=lambda p: (p.agency, p.name))


def eligible_reviewers(module: Module) -> tuple[QuerySet, dict[int, str]]:
    """Reviewers of partner institutions other than the module's owner, and a label for each."""
    from accounts.models import User
    from accounts.roles import Role
    from curriculum.models import InstitutionMember

    insiders = InstitutionMember.objects.filter(institution_id=module.owner_id).values("user_id")
    members = (InstitutionMember.objects.filter(role=InstitutionMember.Role.REVIEWER, user__role=Role.REVIEWER,
                                                user__is_active=True)
               .exclude(institution_id=module.owner_id).exclude(user_id__in=insiders)
               .exclude(user_id=module.created_by_id or 0).select_related("user", "institution"))
    labels: dict[int, list[str]] = {}
    for member in members:
        labels.setdefault(member.user_id, []).append(member.institution.name)
    users = User.objects.filter(pk__in=labels).order_by("first_name", "username")
    names = {u.pk: f"{u.display_name()} · {', '.join(labels[u.pk])}" for u in users}
    return users, names
