"""The readiness API: incidents, requests, matches, replies and deployments."""

import pytest
from django.test import Client

from readiness import services
from readiness.testing import make_competency, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast):
    client = Client()
    client.force_login(cast.user("coordinator"))
    return client


def test_a_coordinator_creates_an_incident_and_a_request_and_reads_the_matches(cast, api):
    w = world(cast)
    make_competency()
    created = api.post("/api/v1/readiness/incidents", {
        "title": "Banjir Dayeuhkolot", "type": "flood", "regencies": ["32.04"], "start_date": "2026-12-01",
        "services": ["psychosocial_support", "public_kitchen"]}, content_type="application/json")
    assert created.status_code == 201 and created.json()["regencies"] == ["32.04"]
    incident_id = created.json()["id"]
    req = api.post(f"/api/v1/readiness/incidents/{incident_id}/requests", {
        "service": "psychosocial_support", "role": "Petugas LDP", "people_needed": 10,
        "competencies": ["ldp"], "start_date": "2026-12-10", "end_date": "2026-12-24",
        "assembly_point": "32.04"}, content_type="application/json")
    assert req.status_code == 201
    matches = api.get(f"/api/v1/readiness/requests/{req.json()['id']}/matches?max_km=100").json()
    assert [m["person_id"] for m in matches["items"]] == [cast.person_a.pk]
    assert matches["items"][0]["explanation"].startswith("Peringkat 1: Memenuhi kompetensi")
    listed = api.get(f"/api/v1/readiness/incidents/{incident_id}/requests").json()
    assert listed[0]["competencies"] == ["ldp"]
    assert w.incident.pk in [i["id"] for i in api.get("/api/v1/readiness/incidents").json()]


def test_invalid_input_answers_422(api, cast):
    world(cast)
    response = api.post("/api/v1/readiness/incidents", {
        "title": "X", "type": "meteor", "regencies": ["32.04"], "start_date": "2026-12-01"},
        content_type="application/json")
    assert response.status_code == 422


def test_replies_and_deployments_appear_in_the_api(api, cast):
    w = world(cast)
    deployment = services.callup_confirm(callup=w.accepted_callup(), by=w.coordinator, team="Tim 1")
    replies = api.get(f"/api/v1/readiness/requests/{w.request.pk}/replies").json()
    assert replies[0]["status"] == "confirmed"
    deployments = api.get("/api/v1/readiness/deployments").json()
    assert deployments[0]["id"] == deployment.pk and deployments[0]["team"] == "Tim 1"


def test_a_participant_may_not_read_incidents(cast):
    client = Client()
    client.force_login(cast.participant)
    assert client.get("/api/v1/readiness/incidents").status_code == 403
