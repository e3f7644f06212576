import json

from credentials import signing
from credentials.models import SigningKey
from credentials.services import signing_key_generate
from credentials.tests.factories import make_certificate
from siaga.testing import SYSTEM


def _qr(cert):
    return signing.qr_text(code=cert.code, key_id=cert.key_id, claims=cert.claims, signature=cert.signature)


def test_the_qr_text_verifies_offline_with_the_public_keys(cast):
    cert = make_certificate(person=cast.person_a)
    check = signing.verify_qr_text(_qr(cert), signing.database_public_keys())
    assert check.verdict == signing.Verdict.VALID
    assert check.code == cert.code
    assert check.claims["name"] == "Siti Aminah"
    assert check.claims["serial"] == cert.serial
    assert check.claims["jp"] == "40"
    assert cast.person_a.nip not in _qr(cert)  # only the masked number travels in the QR


def test_a_changed_name_in_the_payload_is_reported_as_tampered(cast):
    cert = make_certificate(person=cast.person_a)
    forged_claims = cert.claims.replace("Siti Aminah", "Siti Aminah Palsu")
    forged = signing.qr_text(code=cert.code, key_id=cert.key_id, claims=forged_claims, signature=cert.signature)
    assert signing.verify_qr_text(forged, signing.database_public_keys()).verdict == signing.Verdict.TAMPERED


def test_a_signature_copied_onto_another_code_is_tampered(cast):
    cert = make_certificate(person=cast.person_a)
    other = "ABCDEFGHJK" if cert.code != "ABCDEFGHJK" else "BCDEFGHJKM"
    forged = _qr(cert).replace(f"/v/{cert.code}/", f"/v/{other}/")
    assert signing.verify_qr_text(forged, signing.database_public_keys()).verdict == signing.Verdict.TAMPERED


def test_a_key_the_verifier_does_not_know_is_reported(cast):
    cert = make_certificate(person=cast.person_a)
    keys = signing.database_public_keys()
    keys.pop(cert.key_id)
    assert signing.verify_qr_text(_qr(cert), keys).verdict == signing.Verdict.UNKNOWN_KEY
    assert signing.verify_qr_text("not a certificate", keys).verdict == signing.Verdict.MALFORMED


def test_after_rotation_old_certificates_still_verify_and_new_ones_use_the_new_key(cast):
    old = make_certificate(person=cast.person_a)
    new_key = signing_key_generate(by=SYSTEM)
    new = make_certificate()
    assert new.key_id == new_key.key_id != old.key_id
    assert SigningKey.objects.filter(is_active=True).count() == 1
    keys = signing.database_public_keys()
    assert signing.verify_qr_text(_qr(old), keys).is_valid
    assert signing.verify_qr_text(_qr(new), keys).is_valid


def test_private_keys_are_stored_encrypted(cast):
    cert = make_certificate(person=cast.person_a)
    key = SigningKey.objects.get(key_id=cert.key_id)
    assert key.private_key_encrypted.startswith("v1.")
    private = signing.decrypt_private_key(key.private_key_encrypted, key_id=key.key_id)
    assert signing.public_key_text(private) == key.public_key


def test_the_verify_command_checks_with_an_exported_key_file(cast, tmp_path, capsys):
    from django.core.management import call_command

    cert = make_certificate(person=cast.person_a)
    keyfile = tmp_path / "keys.json"
    call_command("certificates", "export-keys", str(keyfile))
    assert json.loads(keyfile.read_text())["keys"][0]["id"] == cert.key_id
    call_command("verify", _qr(cert), "--keys", str(keyfile))
    out = capsys.readouterr().out
    assert "SAH" in out and "Siti Aminah" in out
    forged = _qr(cert).replace(cert.code, "ABCDEFGHJK" if cert.code != "ABCDEFGHJK" else "BCDEFGHJKM", 1)
    try:
        call_command("verify", forged, "--keys", str(keyfile))
    except SystemExit as exc:
        assert exc.code == 1
    assert "DIUBAH" in capsys.readouterr().out
