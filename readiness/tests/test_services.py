"""Incidents, requests, call-ups and deployments move through named transitions and are audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from readiness import services
from readiness.models import CallUp, Deployment, Incident, PersonCompetency
from readiness.services import record_completion
from readiness.testing import world
from siaga.testing import make_person
from training.hooks import completion_handlers

pytestmark = pytest.mark.django_db


def test_the_completion_hook_is_registered_and_fills_the_readiness_table(cast):
    assert record_completion in completion_handlers()
    w = world(cast)
    row = PersonCompetency.objects.get(person=cast.person_a)
    assert row.competency == w.competency and row.module_version == w.module.versions.get()


def test_an_incident_moves_active_recovery_closed(cast):
    w = world(cast)
    incident = services.incident_start_recovery(incident=w.incident, by=w.coordinator)
    assert incident.status == Incident.Status.RECOVERY
    with pytest.raises(ValidationError):
        services.incident_start_recovery(incident=incident, by=w.coordinator)
    assert services.incident_close(incident=incident, by=w.coordinator).status == Incident.Status.CLOSED
    actions = list(AuditLog.objects.filter(target_type="readiness.incident").values_list("action", flat=True))
    assert {"incident.create", "incident.start_recovery", "incident.close"} <= set(actions)


def test_only_coordinators_and_centre_admins_create_incidents(cast):
    with pytest.raises(PermissionDenied):
        services.incident_create(by=cast.agency_admin, title="Banjir", type="flood", regency_codes=["32.04"],
                                 start_date=dt.date(2026, 12, 1), services=[])


def test_an_incident_needs_known_regencies(cast):
    w = world(cast)
    with pytest.raises(ValidationError):
        services.incident_create(by=w.coordinator, title="Banjir", type="flood", regency_codes=["32"],
                                 start_date=dt.date(2026, 12, 1), services=[])


def test_confirming_an_accepted_call_records_the_deployment(cast):
    w = world(cast)
    callup = w.accepted_callup()
    deployment = services.callup_confirm(callup=callup, by=w.coordinator, team="Tim LDP Baleendah")
    assert (deployment.role, deployment.team, deployment.start_date, deployment.end_date) == (
        "Petugas LDP", "Tim LDP Baleendah", w.request.start_date, w.request.end_date)
    callup.refresh_from_db()
    assert callup.status == CallUp.Status.CONFIRMED
    released = services.deployment_release(deployment=deployment, by=w.coordinator,
                                           released_on=w.request.start_date + dt.timedelta(days=3))
    assert released.status == Deployment.Status.RELEASED and released.until == w.request.start_date + dt.timedelta(3)
    from readiness.selectors import deployments_for_person

    assert list(deployments_for_person(cast.person_a)) == [released]


def test_a_declined_call_cannot_be_confirmed(cast):
    w = world(cast)
    callup = services.callup_reply(token=services.make_reply_token(w.sent_callup()), accept=False)
    with pytest.raises(ValidationError):
        services.callup_confirm(callup=callup, by=w.coordinator)


def test_an_ineligible_person_is_refused_unless_overridden_with_a_reason(cast):
    w = world(cast)
    untrained = make_person(region="32.04", full_name="Yohana Mote")
    with pytest.raises(ValidationError) as exc:
        services.callup_send(request=w.request, person_ids=[untrained.pk], by=w.coordinator)
    assert "belum memenuhi kompetensi wajib" in str(exc.value)
    with pytest.raises(ValidationError):
        services.callup_add_override(request=w.request, person=untrained, reason="", by=w.coordinator)
    callup = services.callup_add_override(request=w.request, person=untrained,
                                          reason="Psikolog setempat, menguasai bahasa daerah", by=w.coordinator)
    assert callup.status == CallUp.Status.SENT and "Ditambahkan manual" in callup.explanation
    log = AuditLog.objects.get(action="callup.override")
    assert log.note == "Psikolog setempat, menguasai bahasa daerah" and log.actor == w.coordinator


def test_the_person_records_their_own_unavailability(cast):
    from django.test import Client

    client = Client()
    client.force_login(cast.participant)
    response = client.post("/siaga-bencana/tidak-bersedia/", {"person": cast.person_a.pk, "start_date": "2026-12-01",
                                                             "end_date": "2026-11-01", "reason": "Cuti"})
    assert response.status_code == 200 and "sebelum tanggal mulai" in response.content.decode()
