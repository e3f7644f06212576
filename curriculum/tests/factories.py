"""Curriculum test data built through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from accounts.models import User
from accounts.roles import Role
from curriculum.models import Institution, InstitutionMember, Module, ModuleVersion, ReviewRound
from curriculum.services import (
    ModuleInput,
    institution_create,
    institution_member_add,
    module_create,
    review_decide,
    session_add,
    version_approve,
    version_submit_for_review,
    version_update,
)
from siaga.testing import SYSTEM, make_user

_n = itertools.count(1)


def make_institution(code: str | None = None, *, kind: str = Institution.Kind.UNIVERSITY,
                     name: str | None = None) -> Institution:
    code = code or f"lembaga-{next(_n)}"
    existing = Institution.objects.filter(code=code).first()
    return existing or institution_create(code=code, name=name or f"Lembaga {code}", kind=kind, by=SYSTEM)


def make_member(user: User, institution: Institution, role: str) -> InstitutionMember:
    return institution_member_add(institution=institution, user=user, role=role, by=SYSTEM)


def make_module(*, owner: Institution, by=SYSTEM, code: str | None = None, title: str = "Modul Uji",
                sessions=(("Konsep dasar", "classroom", 2), ("Praktik lapangan", "practice", 3)),
                objectives: str = "Peserta memahami konsep dasar.", **extra) -> Module:
    module = module_create(data=ModuleInput(code=code or f"mod-{next(_n)}", title=title, owner=owner, **extra), by=by)
    version = module.versions.get()
    version_update(version=version, objectives=objectives, change_note="", pass_mark=70, by=by)
    for topic, method, jp in sessions:
        session_add(version=version, topic=topic, method=method, jp=jp, by=by)
    return module


@dataclass
class Team:
    """An author of a university, a reviewer of the certification body and an approver."""

    owner: Institution
    other: Institution
    author: User
    reviewer: User
    approver: User

    def module(self, **kwargs) -> Module:
        return make_module(owner=self.owner, by=self.author, **kwargs)


def make_team(cast=None) -> Team:
    owner = make_institution(f"univ-{next(_n)}", kind=Institution.Kind.UNIVERSITY)
    other = make_institution(f"lsps-{next(_n)}", kind=Institution.Kind.CERTIFICATION_BODY)
    author = cast.user(Role.AUTHOR) if cast else make_user(Role.AUTHOR)
    reviewer = cast.user(Role.REVIEWER) if cast else make_user(Role.REVIEWER)
    approver = cast.user(Role.APPROVER) if cast else make_user(Role.APPROVER)
    make_member(author, owner, InstitutionMember.Role.AUTHOR)
    make_member(reviewer, other, InstitutionMember.Role.REVIEWER)
    return Team(owner=owner, other=other, author=author, reviewer=reviewer, approver=approver)


def submit(team: Team, version: ModuleVersion, *, due_date: dt.date | None = None,
           today: dt.date | None = None) -> ReviewRound:
    return version_submit_for_review(version=version, reviewers=[team.reviewer], by=team.author,
                                     due_date=due_date, today=today)


def approve_all(team: Team, version: ModuleVersion) -> ModuleVersion:
    """Submit, have the reviewer agree and the approver approve ``version``."""
    review_round = submit(team, version)
    review_decide(assignment=review_round.assignments.get(), decision="approved", comment="Baik.", by=team.reviewer)
    return version_approve(version=version, by=team.approver)
