"""Personal API tokens: hashed at rest, scoped, revocable; the session needs CSRF for writes."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from accounts import token_uses
from accounts.models import ApiToken, AuditLog
from accounts.services import token_create, token_revoke


def _person_payload(cast, **changes) -> dict:
    payload = {"full_name": "Orang Baru", "sex": "L", "employment_type": "NON_ASN", "agency_id": cast.kemensos.pk,
               "nik": "3273011503850001"}
    payload.update(changes)
    return payload


def test_only_the_sha256_of_the_secret_is_stored(cast):
    token, secret = token_create(by=cast.agency_admin, name="SIMPEG", scope="read")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {str(value) for value in stored.values()}
    assert stored["prefix"] == secret[:12]
    row = AuditLog.objects.get(action="token.create", target_id=str(token.pk))
    assert secret not in str(row.after) and row.after == {"name": "SIMPEG", "scope": "read"}


def test_a_token_authenticates_and_records_when_it_was_last_used(cast):
    token, secret = token_create(by=cast.agency_admin, name="SIMPEG")
    assert token.last_used_at is None
    response = Client().get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json()["username"] == "admin-kemensos"
    token.refresh_from_db()
    assert token.last_used_at is None and token_uses.pending() == 1  # noted, written with the next batch
    assert token_uses.flush() == 1
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_uses_are_written_in_one_batch_when_due(cast, monkeypatch):
    tokens = [token_create(by=cast.agency_admin, name=f"T{i}") for i in range(3)]
    monkeypatch.setattr(token_uses, "FLUSH_AT", 3)
    client = Client()
    for number, (_token, secret) in enumerate(tokens, start=1):
        assert client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
        # the third finished request makes the batch due and writes it
        assert token_uses.pending() == (number if number < 3 else 0)
    assert all(t.last_used_at is not None for t in ApiToken.objects.filter(pk__in=[t.pk for t, _s in tokens]))
    # a token used again within the minute is not noted again
    client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {tokens[0][1]}"})
    assert token_uses.pending() == 0


def test_a_wrong_or_revoked_token_answers_401(cast):
    token, secret = token_create(by=cast.agency_admin, name="SIMPEG")
    client = Client()
    assert client.get("/api/v1/people/", headers={"Authorization": "Bearer sga_wrong"}).status_code == 401
    assert client.get("/api/v1/people/", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    token_revoke(by=cast.agency_admin, token=token)
    assert client.get("/api/v1/people/", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert AuditLog.objects.filter(action="token.revoke", target_id=str(token.pk)).count() == 1


def test_a_read_token_cannot_post_or_put(cast):
    _token, secret = token_create(by=cast.agency_admin, name="laporan", scope="read")
    headers = {"Authorization": f"Bearer {secret}"}
    client = Client(enforce_csrf_checks=True)
    created = client.post("/api/v1/people/", _person_payload(cast), content_type="application/json", headers=headers)
    assert created.status_code == 403 and "hanya untuk membaca" in created.json()["detail"]
    person = cast.person_a
    changed = client.put(f"/api/v1/people/{person.pk}", _person_payload(cast, full_name="Diubah"),
                         content_type="application/json", headers=headers)
    assert changed.status_code == 403
    person.refresh_from_db()
    assert person.full_name == "Siti Aminah"


def test_a_write_token_may_post_without_csrf(cast):
    _token, secret = token_create(by=cast.agency_admin, name="SIMPEG", scope="write")
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/people/", _person_payload(cast), content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 201


def test_a_user_may_revoke_only_their_own_token(cast):
    from django.core.exceptions import PermissionDenied

    token, _secret = token_create(by=cast.agency_admin, name="SIMPEG")
    with pytest.raises(PermissionDenied):
        token_revoke(by=cast.other_agency_admin, token=token)
    client = Client()
    client.force_login(cast.other_agency_admin)
    assert client.post(f"/akun/token/{token.pk}/cabut/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_the_token_page_shows_the_secret_once(cast):
    client = Client()
    client.force_login(cast.agency_admin)
    page = client.post("/akun/token/", {"name": "SIMPEG", "scope": "write"}).content.decode()
    token = ApiToken.objects.get(user=cast.agency_admin)
    secret = next(word for word in page.replace('"', " ").replace("<", " ").replace(">", " ").split()
                  if word.startswith("sga_"))
    assert ApiToken.hash_secret(secret) == token.digest
    assert secret not in client.get("/akun/token/").content.decode()


def test_session_writes_need_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.agency_admin)
    assert client.get("/api/v1/people/").status_code == 200  # reads need no token
    refused = client.post("/api/v1/people/", _person_payload(cast), content_type="application/json")
    assert refused.status_code == 403
    client.get("/sdm/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/people/", _person_payload(cast), content_type="application/json",
                           headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201, accepted.content


def test_an_anonymous_write_is_401_not_a_csrf_failure(db):
    response = Client(enforce_csrf_checks=True).post("/api/v1/people/", {}, content_type="application/json")
    assert response.status_code == 401
