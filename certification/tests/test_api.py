import base64
import json

from django.urls import reverse

from accounts.roles import Role
from certification.models import CredentialKind
from certification.testing import TINY_PDF, make_credential
from siaga.testing import make_user


def test_an_agency_admin_records_a_credential_with_its_scan_through_the_api(client, cast):
    client.force_login(cast.agency_admin)
    payload = {"person_id": cast.person_a.pk, "kind": "str", "number": "STR-2025-000123", "issued_on": "2025-01-10",
               "valid_until": "2030-01-09", "issuer": "IPSPI",
               "document_base64": base64.b64encode(TINY_PDF).decode(), "document_name": "str.pdf"}
    response = client.post(reverse("api:certification_create_credential"), data=json.dumps(payload),
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "claimed" and body["has_document"] is True
    payload["person_id"] = cast.person_b.pk
    response = client.post(reverse("api:certification_create_credential"), data=json.dumps(payload),
                           content_type="application/json")
    assert response.status_code == 404


def test_the_api_refuses_a_scan_of_the_wrong_kind(client, cast):
    client.force_login(cast.participant)
    payload = {"person_id": cast.person_a.pk, "kind": "str", "number": "X-1", "issued_on": "2025-01-10",
               "valid_until": "2030-01-09", "issuer": "IPSPI",
               "document_base64": base64.b64encode(b"<html>not a scan</html>").decode()}
    response = client.post(reverse("api:certification_create_credential"), data=json.dumps(payload),
                           content_type="application/json")
    assert response.status_code == 422 and "document" in response.json()["errors"]


def test_a_centre_admin_verifies_and_the_requirements_say_what_is_left(client, cast):
    for kind in (CredentialKind.COMPETENCY, CredentialKind.SIPPS):
        make_credential(cast.person_a, kind, verified=True)
    credential = make_credential(cast.person_a, CredentialKind.STR)
    client.force_login(make_user(Role.CENTRE_ADMIN))
    response = client.post(reverse("api:certification_verify_credential", kwargs={"credential_id": credential.pk}))
    assert response.status_code == 200 and response.json()["status"] == "verified"
    client.force_login(cast.participant)
    body = client.get(reverse("api:certification_person_requirements",
                              kwargs={"person_id": cast.person_a.pk})).json()
    practice = next(s for s in body["sets"] if s["code"] == "pekerja-sosial-berpraktik")
    assert practice["met"] is True and practice["label"] == "boleh berpraktik"
    level = next(s for s in body["sets"] if s["code"] == "pekerja-sosial-ahli-pertama")
    assert level["requirements"][0]["explanation"] == "belum mengikuti Pelatihan Dasar Pekerja Sosial"


def test_the_api_list_is_scoped(client, cast):
    make_credential(cast.person_a)
    make_credential(cast.person_b)
    client.force_login(cast.other_agency_admin)
    body = client.get(reverse("api:certification_list_credentials")).json()
    assert {item["person_id"] for item in body["items"]} == {cast.person_b.pk}


def test_a_missing_scan_can_be_attached_until_the_credential_is_decided(client, cast):
    from certification.services import credential_reject
    from siaga.testing import SYSTEM

    credential = make_credential(cast.person_a, document=False)
    client.force_login(cast.participant)
    url = reverse("api:certification_attach_document", kwargs={"credential_id": credential.pk})
    payload = json.dumps({"document_base64": base64.b64encode(TINY_PDF).decode(), "document_name": "str.pdf"})
    response = client.post(url, data=payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["has_document"] is True
    credential_reject(credential=credential, reason="Nomor tidak cocok", by=SYSTEM)
    assert client.post(url, data=payload, content_type="application/json").status_code == 422
