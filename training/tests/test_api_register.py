"""The self-registration endpoint renders its 201 body without ninja's schema round (the rush's hot
path): the body must be exactly what ninja renders from ``EnrolmentOut``."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import token_create
from siaga.api import api
from training.api import EnrolmentOut, enrolment_out, enrolment_response
from training.models import Enrolment
from training.tests.factories import make_event

pytestmark = pytest.mark.django_db


def _ninja_body(enrolment: Enrolment) -> bytes:
    """What ninja renders for a ``{201: EnrolmentOut}`` response: validate, dump, render."""
    data = EnrolmentOut.model_validate(enrolment_out(enrolment)).model_dump()
    return api.create_response(RequestFactory().get("/"), data, status=201).content


def test_a_registration_answers_201_with_the_enrolment_as_ninja_renders_it(cast, client):
    event = make_event(capacity=1)
    _token, secret = token_create(by=cast.participant, name="hp", scope=ApiToken.Scope.WRITE)
    r = client.post(f"/api/v1/training/events/{event.pk}/register", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert r.status_code == 201 and r["Content-Type"] == api.get_content_type()
    enrolment = Enrolment.objects.get(pk=r.json()["id"])
    assert r.json()["status"] == "confirmed" and enrolment.person_id == cast.participant.person_id
    assert r.content == _ninja_body(enrolment)


def test_the_body_equals_ninjas_own_rendering_of_the_same_enrolment(cast, client):
    """The nomination endpoint still returns ``Status(201, enrolment_out(...))`` through ninja."""
    import json

    event = make_event()
    _token, secret = token_create(by=cast.agency_admin, name="hr", scope=ApiToken.Scope.WRITE)
    r = client.post(f"/api/v1/training/events/{event.pk}/enrolments", json.dumps({"person_id": cast.person_a.pk}),
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert r.status_code == 201, r.content
    enrolment = Enrolment.objects.get(pk=r.json()["id"])
    assert enrolment_response(RequestFactory().post("/"), enrolment, status=201).content == r.content


def test_the_rendered_enrolment_matches_ninja_for_every_field_value(cast):
    event = make_event()
    enrolment = Enrolment(pk=7, event=event, person=cast.person_a, agency_id=cast.person_a.agency_id,
                          status="not_completed", waitlist_position=None, attended_minutes=90, pre_test_score=40,
                          post_test_score=55, not_completed_reason="Kehadiran 50 % (< 90 %)",
                          completed_at=timezone.now())
    response = enrolment_response(RequestFactory().post("/"), enrolment, status=201)
    assert response.status_code == 201 and response.content == _ninja_body(enrolment)
    enrolment.status, enrolment.waitlist_position, enrolment.completed_at = "waitlisted", 3, None
    assert enrolment_response(RequestFactory().post("/"), enrolment, status=201).content == _ninja_body(enrolment)
