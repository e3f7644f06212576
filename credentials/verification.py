"""Public verification: look a certificate up by its code or by the text of its QR code, and the
minimal personal data a verifier may see. Also the per-client rate limit of these look-ups."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from credentials import signing
from credentials.models import Certificate
from people.identity import mask_identity

VALID, REVOKED, SUPERSEDED, NOT_FOUND = "valid", "revoked", "superseded", "not_found"


@dataclass(frozen=True)
class Lookup:
    status: str
    query: str
    certificate: Certificate | None = None
    replacement: Certificate | None = None
    qr: signing.QrCheck | None = None

    @property
    def found(self) -> bool:
        return self.certificate is not None


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def lookup(text: str) -> Lookup:
    """The status of the certificate that ``text`` (a code, a verification URL or a whole QR text) names."""
    query = (text or "").strip()[:600]
    qr = None
    if "/S1." in query.upper() or query.upper().startswith("S1."):
        qr = signing.verify_qr_text(query, signing.database_public_keys())
        code = qr.code
    else:
        code = normalise_code(query.split("/v/", 1)[1] if "/v/" in query else query)
    if not code or len(code) != signing.CODE_LENGTH:
        return Lookup(NOT_FOUND, query, qr=qr)
    cert = Certificate.objects.select_related("superseded_by").filter(code=code).first()
    if cert is None:
        return Lookup(NOT_FOUND, query, qr=qr)
    if qr is not None and qr.is_valid and qr.claims and qr.claims.get("serial") != cert.serial:
        qr = signing.QrCheck(signing.Verdict.TAMPERED, code=qr.code, key_id=qr.key_id, claims=qr.claims)
    if cert.status == Certificate.Status.REVOKED:
        return Lookup(REVOKED, query, cert, qr=qr)
    if cert.status == Certificate.Status.SUPERSEDED:
        replacement = cert.superseded_by
        for _ in range(10):  # follow a chain of reissues to the newest
            if replacement is None or replacement.superseded_by_id is None:
                break
            replacement = replacement.superseded_by
        return Lookup(SUPERSEDED, query, cert, replacement=replacement, qr=qr)
    return Lookup(VALID, query, cert, qr=qr)


def public_facts(cert: Certificate) -> dict:
    """Only what a verifier needs: name, masked NIP, programme, dates, JP."""
    return {
        "serial": cert.serial,
        "code": cert.code,
        "name": cert.person_name,
        "nip_masked": mask_identity(cert.person_nip),
        "programme": cert.programme_title,
        "start_date": cert.start_date,
        "end_date": cert.end_date,
        "issued_on": cert.issued_on,
        "city": cert.city_name,
        "jp": round(cert.total_minutes / 45, 2),
        "issuer": "Kementerian Sosial Republik Indonesia",
    }


def rate_limited(request, scope: str = "verify") -> bool:
    """True when this client went over its look-ups for the current minute.

    Anonymous visitors are counted per client address (``CERTIFICATE_VERIFY_PER_MINUTE``, 30 by
    default); a logged-in user per account with ten times that."""
    limit = int(getattr(settings, "CERTIFICATE_VERIFY_PER_MINUTE", 30))
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False):
        who, limit = f"u{user.pk}", limit * 10
    else:
        who = "a" + (request.META.get("REMOTE_ADDR") or "unknown")
    window = int(time.time() // 60)
    key = f"credentials:rate:{scope}:{who}:{window}"
    if cache.add(key, 1, timeout=70):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=70)
        return False
    return count > limit
