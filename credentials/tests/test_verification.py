import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from accounts.models import AuditLog
from accounts.roles import Role
from credentials import signing
from credentials.models import Certificate
from credentials.services import certificate_reissue, certificate_revoke
from credentials.tests.factories import make_certificate
from siaga.testing import make_user


@pytest.fixture
def organiser(db):
    return make_user(Role.ORGANISER)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()


def test_a_valid_certificate_shows_minimal_data_to_anyone(cast):
    cert = make_certificate(person=cast.person_a)
    page = Client().get(f"/v/{cert.code}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "SAH" in text and "Siti Aminah" in text and cert.programme_title in text
    assert cast.person_a.nip not in text and cast.person_a.nip[:4] in text  # masked
    api = Client().get("/api/v1/certificates/verify", {"q": cert.code}).json()
    assert api["status"] == "valid" and api["certificate"]["jp"] == 40
    assert api["certificate"]["nip_masked"] != cast.person_a.nip


def test_the_whole_qr_text_is_accepted_and_its_signature_checked(cast):
    cert = make_certificate(person=cast.person_a)
    qr = signing.qr_text(code=cert.code, key_id=cert.key_id, claims=cert.claims, signature=cert.signature)
    api = Client().get("/api/v1/certificates/verify", {"q": qr}).json()
    assert api["status"] == "valid" and api["signature"] == "valid"
    page = Client().get(qr.split("127.0.0.1:8000", 1)[-1]).content.decode()
    assert "tanda tangan digital cocok" in page


def test_a_revoked_certificate_shows_the_date_and_reason(cast, organiser):
    cert = make_certificate(person=cast.person_a)
    certificate_revoke(certificate=cert, reason="Peserta tidak memenuhi kehadiran", by=organiser)
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.REVOKED and Certificate.objects.filter(pk=cert.pk).exists()
    text = Client().get(f"/v/{cert.code}").content.decode()
    assert "DICABUT" in text and "Peserta tidak memenuhi kehadiran" in text
    api = Client().get("/api/v1/certificates/verify", {"q": cert.code}).json()
    assert api["status"] == "revoked" and api["revoked_reason"] == "Peserta tidak memenuhi kehadiran"
    assert AuditLog.objects.filter(action="certificate.revoke", target_id=str(cert.pk)).count() == 1
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=cert, reason="lagi dan lagi", by=organiser)


def test_a_reissued_certificate_points_to_its_replacement(cast, organiser):
    old = make_certificate(person=cast.person_a)
    new = certificate_reissue(certificate=old, reason="Gelar belum tercantum", by=organiser,
                              person_name="Siti Aminah, S.Sos.")
    old.refresh_from_db()
    assert old.status == Certificate.Status.SUPERSEDED and old.superseded_by == new
    assert new.is_valid and new.person_name == "Siti Aminah, S.Sos." and new.serial != old.serial
    assert new.enrolment_id == old.enrolment_id
    assert Certificate.objects.live().filter(enrolment=old.enrolment).get() == new
    text = Client().get(f"/v/{old.code}").content.decode()
    assert "DIGANTI" in text and new.serial in text and f"/v/{new.code}" in text
    api = Client().get("/api/v1/certificates/verify", {"q": old.code}).json()
    assert api["status"] == "superseded" and api["replacement_code"] == new.code
    assert AuditLog.objects.filter(action="certificate.reissue").count() == 1


def test_an_unknown_code_is_not_found(db):
    text = Client().get("/v/ABCDEFGHJK").content.decode()
    assert "TIDAK DITEMUKAN" in text
    assert Client().get("/api/v1/certificates/verify", {"q": "zzz"}).json()["status"] == "not_found"


@override_settings(CERTIFICATE_VERIFY_PER_MINUTE=3)
def test_lookups_are_rate_limited_per_client_address(db):
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [client.get("/v/ABCDEFGHJK").status_code for _ in range(3)]
    limited = client.get("/v/ABCDEFGHJK")
    assert codes == [200, 200, 200]
    assert limited.status_code == 429 and "Terlalu banyak pemeriksaan" in limited.content.decode()
    api = client.get("/api/v1/certificates/verify", {"q": "ABCDEFGHJK"})
    assert api.status_code == 429 and "satu menit" in api.json()["detail"]
    assert Client(REMOTE_ADDR="203.0.113.8").get("/v/ABCDEFGHJK").status_code == 200


def test_the_open_badge_is_a_signed_verifiable_credential(cast):
    from credentials.badge import verify_badge

    cert = make_certificate(person=cast.person_a)
    doc = Client().get(f"/v/{cert.code}/badge.json").json()
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["credentialSubject"]["achievement"]["name"] == cert.programme_title
    assert doc["proof"]["cryptosuite"] == "eddsa-jcs-2022" and doc["proof"]["proofValue"].startswith("z")
    keys = signing.database_public_keys()
    assert verify_badge(doc, keys)
    doc["credentialSubject"]["creditsEarned"] = 400
    assert not verify_badge(doc, keys)
    key_doc = Client().get("/v/kunci.json").json()
    assert key_doc["keys"][0]["publicKeyMultibase"].startswith("z6Mk")
