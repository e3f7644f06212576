"""People API: validation errors answer 422 with a message per field."""

from __future__ import annotations

from django.test import Client


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_bad_nip_answers_422_with_the_field_message(cast):
    payload = {"full_name": "Dewi", "sex": "P", "employment_type": "PNS", "agency_id": cast.kemensos.pk,
               "nip": "1985031420100120", "email": "bukan"}
    response = _client(cast.agency_admin).post("/api/v1/people/", payload, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"]["nip"] == ["NIP harus 18 digit; yang diisi 16 digit."]
    assert body["errors"]["email"] == ["Alamat email bukan tidak sah."]


def test_unknown_reference_codes_answer_422_per_field(cast):
    payload = {"full_name": "Dewi", "sex": "P", "employment_type": "PNS", "agency_id": 999999,
               "position_code": "astronot", "region_code": "99.99"}
    body = _client(cast.user("organiser")).post("/api/v1/people/", payload, content_type="application/json").json()
    assert set(body["errors"]) == {"agency_id", "position_code", "region_code"}


def test_a_missing_field_is_a_schema_error(cast):
    response = _client(cast.agency_admin).post("/api/v1/people/", {"full_name": "Dewi"},
                                               content_type="application/json")
    assert response.status_code == 422
    assert {tuple(e["loc"])[-1] for e in response.json()["detail"]} >= {"sex", "employment_type", "agency_id"}


def test_messages_follow_the_accept_language_header(cast):
    payload = {"full_name": "Dewi", "sex": "P", "employment_type": "PNS", "agency_id": cast.kemensos.pk,
               "nip": "1985031420100120"}
    response = _client(cast.agency_admin).post("/api/v1/people/", payload, content_type="application/json",
                                               headers={"Accept-Language": "en"})
    assert response.json()["errors"]["nip"] == ["An NIP has 18 digits; 16 were given."]


def test_list_filters_are_the_same_as_the_page(cast):
    a, b = cast.person_a, cast.person_b
    client = _client(cast.user("organiser"))
    assert [p["id"] for p in client.get(f"/api/v1/people/?agency={cast.bnpb.pk}").json()["items"]] == [b.pk]
    assert [p["id"] for p in client.get("/api/v1/people/?q=siti").json()["items"]] == [a.pk]
    masked = _client(cast.user("leadership")).get("/api/v1/people/?q=siti").json()["items"][0]
    assert masked["nip"] != a.nip and "•" in masked["nip"]
