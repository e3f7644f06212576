"""Open Badges 3.0: each certificate as a W3C Verifiable Credential (``OpenBadgeCredential``) with a
Data Integrity proof in the style of the ``eddsa-jcs-2022`` cryptosuite, made with the certificate's
Ed25519 key (see docs/decisions/0003-certificate-signing.md).

Proof: ``proofConfig`` is the proof object without ``proofValue`` and with the document's
``@context``; the signed bytes are ``SHA-256(JCS(proofConfig)) || SHA-256(JCS(credential without
proof))``; ``proofValue`` is ``z`` + base58btc(signature). ``verificationMethod`` points to the key in
the public key document ``/v/kunci.json`` (``#<key id>``, a Multikey)."""

from __future__ import annotations

import copy
import hashlib
import json
import math

from cryptography.exceptions import InvalidSignature
from django.conf import settings

from credentials import signing
from credentials.models import Certificate, SigningKey

CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ISSUER_NAME = "Kementerian Sosial Republik Indonesia"


def jcs(value) -> bytes:
    """JSON Canonicalization Scheme (RFC 8785) for the values a badge holds: sorted keys, no spaces,
    UTF-8, integral floats written as integers."""

    def norm(v):
        if isinstance(v, float):
            if not math.isfinite(v):
                raise ValueError("JCS cannot encode NaN or infinity")
            return int(v) if v.is_integer() else v
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [norm(x) for x in v]
        return v

    return json.dumps(norm(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def issuer_id() -> str:
    return f"{settings.SITE_URL}/v/penerbit"


def key_document_url() -> str:
    return f"{settings.SITE_URL}/v/kunci.json"


def _iso(dt_value) -> str:
    return dt_value.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def credential_for(cert: Certificate) -> dict:
    """The unsigned credential."""
    site = settings.SITE_URL
    jp = round(cert.total_minutes / 45, 2)
    return {
        "@context": CONTEXTS,
        "id": f"{site}/v/{cert.code}/badge.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"STTPP {cert.programme_title}",
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": ISSUER_NAME, "url": site},
        "validFrom": _iso(cert.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": cert.person_name}],
            "creditsEarned": jp,
            "achievement": {
                "id": f"{site}/v/program/{cert.programme_code}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": cert.programme_title,
                "description": (f"Pelatihan {cert.programme_title}, {jp:g} JP, "
                                f"{cert.city_name} {cert.start_date:%d-%m-%Y} s.d. {cert.end_date:%d-%m-%Y}."),
                "criteria": {"narrative": "Memenuhi kehadiran minimal dan lulus evaluasi akhir pelatihan."},
                "creditsAvailable": jp,
                "fieldOfStudy": "Kesejahteraan sosial",
            },
        },
        "evidence": [{"id": f"{site}/v/{cert.code}", "type": ["Evidence"], "name": cert.serial}],
    }


def _hash_data(credential: dict, proof_config: dict) -> bytes:
    return hashlib.sha256(jcs(proof_config)).digest() + hashlib.sha256(jcs(credential)).digest()


def signed_badge(cert: Certificate) -> dict:
    key = SigningKey.objects.get(key_id=cert.key_id)
    if not key.private_key_encrypted:
        raise ValueError("the certificate's key has no private part here")
    credential = credential_for(cert)
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": _iso(cert.issued_at),
        "verificationMethod": f"{key_document_url()}#{key.key_id}",
        "proofPurpose": "assertionMethod",
    }
    config = {"@context": credential["@context"], **proof}
    signature = signing.private_key_for(key).sign(_hash_data(credential, config))
    return {**credential, "proof": {**proof, "proofValue": "z" + signing.base58btc(signature)}}


def verify_badge(document: dict, public_keys: dict) -> bool:
    """Check a badge's proof with ``public_keys`` (key id → Ed25519 public key)."""
    document = copy.deepcopy(document)
    proof = document.pop("proof", None)
    if not isinstance(proof, dict) or proof.get("cryptosuite") != "eddsa-jcs-2022":
        return False
    value = proof.pop("proofValue", "")
    key_id = str(proof.get("verificationMethod", "")).rsplit("#", 1)[-1].upper()
    key = public_keys.get(key_id)
    if key is None or not value.startswith("z"):
        return False
    config = {"@context": document.get("@context"), **proof}
    try:
        key.verify(signing.unbase58btc(value[1:]), _hash_data(document, config))
    except (InvalidSignature, ValueError):
        return False
    return True


def key_document() -> dict:
    """The public keys, for verifiers: each as a Multikey and as raw base64url."""
    keys = []
    for key in SigningKey.objects.order_by("created_at", "id"):
        keys.append({
            "id": key.key_id,
            "type": "Multikey",
            "controller": issuer_id(),
            "publicKeyMultibase": signing.public_key_multibase(key.public_key),
            "algorithm": "Ed25519",
            "publicKey": key.public_key,
            "active": key.is_active,
            "created": _iso(key.created_at),
            "retired": _iso(key.retired_at) if key.retired_at else None,
        })
    return {"issuer": ISSUER_NAME, "site": settings.SITE_URL, "format": "siaga-sttpp-keys/1", "keys": keys}
