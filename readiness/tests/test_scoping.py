"""Agency admins see only their agency's people in rosters, boards and deployments; coordinators all."""

import pytest
from django.test import Client

from readiness import services
from readiness.matching import Filters, match_request
from readiness.testing import complete, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(cast):
    w = world(cast)  # person_a (Kemensos) qualified
    complete(cast.person_b, w.event)  # person_b (BNPB) qualified too
    return w


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_roster_of_an_agency_admin_holds_only_their_people(cast, both):
    page = _client(cast.agency_admin).get(f"/siaga-bencana/permintaan/{both.request.pk}/").content.decode()
    assert cast.person_a.full_name in page and cast.person_b.full_name not in page
    api = _client(cast.other_agency_admin).get(f"/api/v1/readiness/requests/{both.request.pk}/matches").json()
    assert [item["person_id"] for item in api["items"]] == [cast.person_b.pk]


def test_a_coordinator_sees_everyone(cast, both):
    result = match_request(both.request, filters=Filters())
    assert {c.person.pk for c in result.candidates} == {cast.person_a.pk, cast.person_b.pk}
    page = _client(both.coordinator).get(f"/siaga-bencana/permintaan/{both.request.pk}/").content.decode()
    assert cast.person_a.full_name in page and cast.person_b.full_name in page


def test_deployments_and_replies_are_scoped_by_agency(cast, both):
    services.callup_send(request=both.request, person_ids=[cast.person_a.pk, cast.person_b.pk], by=both.coordinator)
    for callup in both.request.callups.all():
        accepted = services.callup_reply(token=services.make_reply_token(callup), accept=True)
        services.callup_confirm(callup=accepted, by=both.coordinator, team="Tim A")
    kemensos = _client(cast.agency_admin)
    page = kemensos.get("/siaga-bencana/penugasan/").content.decode()
    assert cast.person_a.full_name in page and cast.person_b.full_name not in page
    replies = kemensos.get(f"/api/v1/readiness/requests/{both.request.pk}/replies").json()
    assert [r["person_id"] for r in replies] == [cast.person_a.pk]
    mine = _client(cast.participant).get("/api/v1/readiness/deployments").json()
    assert [d["person_id"] for d in mine] == [cast.person_a.pk]
    everyone = _client(both.coordinator).get("/api/v1/readiness/deployments").json()
    assert {d["person_id"] for d in everyone} == {cast.person_a.pk, cast.person_b.pk}


def test_an_agency_admin_cannot_consent_for_another_agency(cast, both):
    from readiness.services import agency_policy_set
    from siaga.testing import SYSTEM

    agency_policy_set(agency=cast.bnpb, consent_required=True, by=SYSTEM)
    [callup] = services.callup_send(request=both.request, person_ids=[cast.person_b.pk], by=both.coordinator)
    response = _client(cast.agency_admin).post(f"/siaga-bencana/panggilan/{callup.pk}/persetujuan/",
                                               {"decision": "approve"})
    assert response.status_code == 404
    assert _client(cast.other_agency_admin).post(f"/siaga-bencana/panggilan/{callup.pk}/persetujuan/",
                                                 {"decision": "approve"}).status_code == 302


def test_an_agency_admin_records_unavailability_only_for_their_people(cast):
    client = _client(cast.agency_admin)
    data = {"start_date": "2026-12-01", "end_date": "2026-12-05", "reason": "Dinas luar"}
    assert client.post("/siaga-bencana/tidak-bersedia/", {**data, "person": cast.person_b.pk}).status_code == 200
    assert client.post("/siaga-bencana/tidak-bersedia/", {**data, "person": cast.person_a.pk}).status_code == 302
    own = _client(cast.participant)
    assert own.post("/siaga-bencana/tidak-bersedia/", {**data, "person": cast.person_a.pk}).status_code == 302
