"""The module workflow: every transition, and the ones refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from accounts.roles import Role
from curriculum.models import InstitutionMember, ModuleVersion, ReviewRound
from curriculum.services import (
    review_decide,
    session_add,
    version_approve,
    version_new_draft,
    version_retire,
    version_submit_for_review,
    version_update,
)
from curriculum.tests.factories import approve_all, make_member, make_team, submit
from siaga.testing import make_user

S = ModuleVersion.Status


@pytest.fixture
def team(db):
    return make_team()


def test_a_new_module_starts_with_a_draft_whose_jp_is_the_sum_of_its_sessions(team):
    module = team.module()
    version = module.versions.get()
    assert version.status == S.DRAFT and version.number == 1
    assert version.total_minutes == 5 * 45 and version.jp == 5
    assert module.current_version is None


def test_the_full_journey_draft_review_changes_review_approved_retired(team):
    module = team.module()
    version = module.versions.get()
    first = submit(team, version)
    version.refresh_from_db()
    assert version.status == S.IN_REVIEW
    review_decide(assignment=first.assignments.get(), decision="changes_requested", comment="Tambah praktik.",
                  by=team.reviewer)
    version.refresh_from_db()
    first.refresh_from_db()
    assert version.status == S.CHANGES_REQUESTED and first.outcome == ReviewRound.Outcome.CHANGES_REQUESTED
    session_add(version=version, topic="Simulasi", method="practice", jp=1, by=team.author)
    second = submit(team, version)
    assert second.number == 2
    review_decide(assignment=second.assignments.get(), decision="approved", comment="", by=team.reviewer)
    version_approve(version=version, by=team.approver, note="Sah.")
    version.refresh_from_db()
    assert version.status == S.APPROVED and version.approved_at and version.is_approved
    assert module.current_version == version
    version_retire(version=version, by=team.approver, reason="Diganti kurikulum baru.")
    version.refresh_from_db()
    assert version.status == S.RETIRED and module.current_version is None
    actions = list(AuditLog.objects.filter(target_type="curriculum.moduleversion", target_id=str(version.pk))
                   .values_list("action", flat=True))
    for action in ("curriculum.version.submit", "curriculum.review.decide", "curriculum.version.approve",
                   "curriculum.version.retire"):
        assert action in actions


def test_the_approver_waits_until_every_reviewer_agrees(team):
    second_reviewer = make_user(Role.REVIEWER)
    make_member(second_reviewer, team.other, InstitutionMember.Role.REVIEWER)
    version = team.module().versions.get()
    rnd = version_submit_for_review(version=version, reviewers=[team.reviewer, second_reviewer], by=team.author)
    review_decide(assignment=rnd.assignments.get(reviewer=team.reviewer), decision="approved", comment="",
                  by=team.reviewer)
    with pytest.raises(ValidationError):
        version_approve(version=version, by=team.approver)
    review_decide(assignment=rnd.assignments.get(reviewer=second_reviewer), decision="changes_requested",
                  comment="Rujukan kurang.", by=second_reviewer)
    version.refresh_from_db()
    assert version.status == S.CHANGES_REQUESTED


def test_it_refuses_approving_your_own_module(team):
    centre_admin = make_user(Role.CENTRE_ADMIN)
    make_member(centre_admin, team.owner, InstitutionMember.Role.AUTHOR)
    version = team.module().versions.get()
    rnd = submit(team, version)
    review_decide(assignment=rnd.assignments.get(), decision="approved", comment="", by=team.reviewer)
    with pytest.raises(PermissionDenied):
        version_approve(version=version, by=centre_admin)
    version.refresh_from_db()
    assert version.status == S.IN_REVIEW


def test_it_refuses_approval_by_an_author_or_reviewer_role(team):
    version = team.module().versions.get()
    rnd = submit(team, version)
    review_decide(assignment=rnd.assignments.get(), decision="approved", comment="", by=team.reviewer)
    for user in (team.author, team.reviewer):
        with pytest.raises(PermissionDenied):
            version_approve(version=version, by=user)


def test_it_refuses_a_reviewer_from_the_authors_institution(team):
    insider = make_user(Role.REVIEWER)
    make_member(insider, team.owner, InstitutionMember.Role.REVIEWER)
    make_member(insider, team.other, InstitutionMember.Role.REVIEWER)  # even if they also review elsewhere
    version = team.module().versions.get()
    with pytest.raises(ValidationError) as exc:
        version_submit_for_review(version=version, reviewers=[insider], by=team.author)
    assert "reviewers" in exc.value.message_dict
    version.refresh_from_db()
    assert version.status == S.DRAFT and not version.review_rounds.exists()


def test_it_refuses_a_reviewer_without_a_partner_institution(team):
    loner = make_user(Role.REVIEWER)
    version = team.module().versions.get()
    with pytest.raises(ValidationError):
        version_submit_for_review(version=version, reviewers=[loner], by=team.author)


def test_only_the_assigned_reviewer_decides(team):
    other = make_user(Role.REVIEWER)
    make_member(other, team.other, InstitutionMember.Role.REVIEWER)
    version = team.module().versions.get()
    rnd = submit(team, version)
    with pytest.raises(PermissionDenied):
        review_decide(assignment=rnd.assignments.get(), decision="approved", comment="", by=other)


def test_a_change_request_needs_a_comment(team):
    rnd = submit(team, team.module().versions.get())
    with pytest.raises(ValidationError):
        review_decide(assignment=rnd.assignments.get(), decision="changes_requested", comment=" ", by=team.reviewer)


def test_it_refuses_editing_an_approved_version(team):
    module = team.module()
    version = approve_all(team, module.versions.get())
    with pytest.raises(ValidationError):
        version_update(version=version, objectives="Diubah diam-diam", change_note="", pass_mark=60, by=team.author)
    with pytest.raises(ValidationError):
        session_add(version=version, topic="Sesi tambahan", method="classroom", jp=1, by=team.author)
    version.refresh_from_db()
    assert version.objectives == "Peserta memahami konsep dasar." and version.total_minutes == 5 * 45


def test_it_refuses_editing_a_version_under_review(team):
    version = team.module().versions.get()
    submit(team, version)
    with pytest.raises(ValidationError):
        session_add(version=version, topic="Sesi tambahan", method="classroom", jp=1, by=team.author)


def test_editing_an_approved_module_makes_a_new_draft_copying_its_content(team):
    module = team.module()
    v1 = approve_all(team, module.versions.get())
    v2 = version_new_draft(module=module, by=team.author, change_note="Pembaruan 2027")
    assert (v2.number, v2.status) == (2, S.DRAFT)
    assert v2.objectives == v1.objectives and v2.total_minutes == v1.total_minutes
    assert [s.topic for s in v2.sessions.all()] == [s.topic for s in v1.sessions.all()]
    with pytest.raises(ValidationError):
        version_new_draft(module=module, by=team.author)  # one open version at a time
    approve_all(team, v2)
    v1.refresh_from_db()
    assert v1.status == S.RETIRED and module.current_version == v2


@pytest.mark.parametrize("step", ["approve_draft", "retire_draft", "decide_draft", "submit_in_review",
                                  "submit_approved", "approve_changes_requested", "retire_in_review"])
def test_it_refuses_skipping_states(team, step):
    version = team.module().versions.get()
    if step == "approve_draft":
        call = lambda: version_approve(version=version, by=team.approver)  # noqa: E731
    elif step == "retire_draft":
        call = lambda: version_retire(version=version, by=team.approver)  # noqa: E731
    elif step == "decide_draft":
        rnd = submit(team, version)
        review_decide(assignment=rnd.assignments.get(), decision="changes_requested", comment="x",
                      by=team.reviewer)
        call = lambda: review_decide(assignment=rnd.assignments.get(), decision="approved",  # noqa: E731
                                     comment="", by=team.reviewer)
    elif step == "submit_in_review":
        submit(team, version)
        call = lambda: submit(team, version)  # noqa: E731
    elif step == "submit_approved":
        approve_all(team, version)
        call = lambda: submit(team, version)  # noqa: E731
    elif step == "approve_changes_requested":
        rnd = submit(team, version)
        review_decide(assignment=rnd.assignments.get(), decision="changes_requested", comment="x",
                      by=team.reviewer)
        call = lambda: version_approve(version=version, by=team.approver)  # noqa: E731
    else:
        submit(team, version)
        call = lambda: version_retire(version=version, by=team.approver)  # noqa: E731
    before = ModuleVersion.objects.get(pk=version.pk).status
    with pytest.raises(ValidationError):
        call()
    assert ModuleVersion.objects.get(pk=version.pk).status == before


def test_submitting_needs_objectives_and_an_outline(team):
    module = team.module(sessions=(), objectives="")
    with pytest.raises(ValidationError) as exc:
        submit(team, module.versions.get())
    assert {"objectives", "sessions"} <= set(exc.value.message_dict)


def test_an_author_of_another_institution_cannot_edit(team):
    stranger = make_user(Role.AUTHOR)
    version = team.module().versions.get()
    with pytest.raises(PermissionDenied):
        session_add(version=version, topic="Sisipan", method="classroom", jp=1, by=stranger)


def test_the_due_date_defaults_to_the_modules_review_days(team):
    today = dt.date(2026, 3, 2)
    rnd = submit(team, team.module().versions.get(), today=today)
    assert rnd.due_date == dt.date(2026, 3, 16)
    quick = team.module(review_days=5)
    assert submit(team, quick.versions.get(), today=today).due_date == dt.date(2026, 3, 7)


def test_an_explicit_due_date_wins_but_not_in_the_past(team):
    today = dt.date(2026, 3, 2)
    rnd = submit(team, team.module().versions.get(), today=today, due_date=dt.date(2026, 3, 9))
    assert rnd.due_date == dt.date(2026, 3, 9)
    with pytest.raises(ValidationError):
        submit(team, team.module().versions.get(), today=today, due_date=dt.date(2026, 3, 1))


def test_a_round_is_overdue_only_after_its_due_date_and_while_open(team):
    rnd = submit(team, team.module().versions.get(), today=dt.date(2026, 3, 2))
    assert not rnd.is_overdue(dt.date(2026, 3, 16))
    assert rnd.is_overdue(dt.date(2026, 3, 17))
    assert rnd.days_left(dt.date(2026, 3, 10)) == 6
    review_decide(assignment=rnd.assignments.get(), decision="approved", comment="", by=team.reviewer)
    rnd.refresh_from_db()
    assert not rnd.is_overdue(dt.date(2026, 4, 1))
