from __future__ import annotations

import json

import pytest

from accounts.models import AuditLog
from curriculum.models import InstitutionMember, ModuleVersion
from curriculum.tests.factories import approve_all, make_member, make_team
from siaga.testing import make_user


@pytest.fixture
def team(db):
    return make_team()


def _client(client, user):
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


API = "/api/v1/curriculum"


def test_the_whole_workflow_runs_through_the_api_with_audit_rows(team, client):
    c = _client(client, team.author)
    r = post(c, f"{API}/modules", {"code": "kaji-cepat", "title": "Kaji Cepat", "owner_code": team.owner.code,
                                  "competency_codes": ["kaji-cepat"], "position_codes": ["tagana"]})
    assert r.status_code == 201, r.content
    module_id = r.json()["id"]
    assert r.json()["competencies"] == ["kaji-cepat"] and r.json()["versions"][0]["status"] == "draft"
    r = c.put(f"{API}/modules/{module_id}/versions/1", data=json.dumps({"objectives": "Kaji cepat 72 jam",
                                                                       "pass_mark": 80}),
              content_type="application/json")
    assert r.status_code == 200 and r.json()["pass_mark"] == 80
    r = post(c, f"{API}/modules/{module_id}/versions/1/sessions", {"topic": "Formulir kaji cepat", "jp": 3})
    assert r.status_code == 201 and r.json()["total_minutes"] == 135
    r = post(c, f"{API}/modules/{module_id}/versions/1/submit", {"reviewers": [team.reviewer.username]})
    assert r.status_code == 200 and r.json()["status"] == "in_review"

    c = _client(client, team.reviewer)
    assert [x["module_id"] for x in c.get(f"{API}/reviews").json()] == [module_id]
    r = post(c, f"{API}/modules/{module_id}/versions/1/review", {"decision": "approved", "comment": "Siap."})
    assert r.status_code == 200 and r.json()["review_rounds"][0]["outcome"] == "approved"

    c = _client(client, team.approver)
    r = post(c, f"{API}/modules/{module_id}/versions/1/approve", {"note": "Sah"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert AuditLog.objects.filter(action__startswith="curriculum.").count() >= 6

    c = _client(client, make_user("participant"))
    r = c.get(f"{API}/modules", {"competency": "kaji-cepat"})
    assert [m["code"] for m in r.json()["items"]] == ["kaji-cepat"]
    assert r.json()["items"][0]["current_version"] == 1


def test_the_api_refuses_approving_your_own_module(team, client):
    approver_author = make_user("centre_admin")
    make_member(approver_author, team.owner, InstitutionMember.Role.AUTHOR)
    version = team.module().versions.get()
    from curriculum.services import review_decide
    from curriculum.tests.factories import submit

    rnd = submit(team, version)
    review_decide(assignment=rnd.assignments.get(), decision="approved", comment="", by=team.reviewer)
    r = post(_client(client, approver_author), f"{API}/modules/{version.module_id}/versions/1/approve", {})
    assert r.status_code == 403
    assert ModuleVersion.objects.get(pk=version.pk).status == "in_review"


def test_the_api_refuses_editing_an_approved_version(team, client):
    version = approve_all(team, team.module().versions.get())
    r = _client(client, team.author).put(f"{API}/modules/{version.module_id}/versions/1",
                                         data=json.dumps({"objectives": "x"}), content_type="application/json")
    assert r.status_code == 422


def test_the_api_refuses_a_reviewer_from_the_owner_institution(team, client):
    insider = make_user("reviewer")
    make_member(insider, team.owner, InstitutionMember.Role.REVIEWER)
    version = team.module().versions.get()
    r = post(_client(client, team.author), f"{API}/modules/{version.module_id}/versions/1/submit",
             {"reviewers": [insider.username]})
    assert r.status_code == 422 and "reviewers" in r.json()["errors"]


def test_the_api_diff_and_board(team, client):
    module = team.module()
    approve_all(team, module.versions.get())
    c = _client(client, team.author)
    post(c, f"{API}/modules/{module.pk}/versions", {"note": "v2"})
    post(c, f"{API}/modules/{module.pk}/versions/2/sessions", {"topic": "Sesi baru", "jp": 1})
    r = c.get(f"{API}/modules/{module.pk}/diff", {"a": 1, "b": 2})
    assert r.status_code == 200 and r.json()["has_changes"]
    assert r.json()["outline"][-1] == {"tag": "added", "left": "", "right": "Sesi baru · Kelas · 1 JP"}
    board = c.get(f"{API}/board").json()
    assert [(b["module_code"], b["version"], b["waiting"]) for b in board] == [(module.code, 2, "authors_draft")]


def test_competencies_are_listed_for_everyone_and_added_by_the_centre_admin(db, client, cast):
    c = _client(client, cast.participant)
    codes = {x["code"] for x in c.get(f"{API}/competencies").json()}
    assert {"ldp", "dapur-umum", "shelter", "kaji-cepat", "data-korban", "perlindungan-rentan"} <= codes
    assert post(c, f"{API}/competencies", {"area_code": "manajemen-kasus", "code": "x", "name": "X"}).status_code == 403
    c = _client(client, cast.user("centre_admin"))
    r = post(c, f"{API}/competencies", {"area_code": "manajemen-kasus", "code": "konseling", "name": "Konseling"})
    assert r.status_code == 201 and r.json()["area_code"] == "manajemen-kasus"
