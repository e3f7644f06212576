"""TOTP primitives (RFC 6238 through pyotp): secrets at rest, matching a code to its time step,
the provisioning QR code (inline SVG by segno, no external service) and recovery codes.

A code is accepted for the current 30-second step or one step either side (clock drift); the
matched step is returned so the caller can refuse a step that was already used (replay)."""

from __future__ import annotations

import base64
import os
import secrets
import time

import pyotp
import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

ISSUER = "Siaga Kemensos"
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
#: Crockford-like alphabet without 0/o, 1/l/i: easy to read from paper.
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def _now() -> float:
    return time.time()


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, the RFC 4226 recommendation


def _key() -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"siaga-totp-secrets",
                info=b"aes-256-gcm v1").derive(settings.SECRET_KEY.encode("utf-8"))


def encrypt_secret(secret: str, *, user_id: int) -> str:
    """The secret sealed with AES-GCM; the user id is bound in, so a sealed secret cannot be moved
    to another account."""
    nonce = os.urandom(12)
    sealed = AESGCM(_key()).encrypt(nonce, secret.encode("ascii"), str(user_id).encode("ascii"))
    return "v1." + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt_secret(token: str, *, user_id: int) -> str:
    version, _, body = token.partition(".")
    if version != "v1":
        raise ValueError("unknown TOTP secret format")
    data = base64.urlsafe_b64decode(body)
    return AESGCM(_key()).decrypt(data[:12], data[12:], str(user_id).encode("ascii")).decode("ascii")


def clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace() and ch != "-").lower()


def is_totp_shaped(code: str) -> bool:
    cleaned = clean_code(code)
    return len(cleaned) == 6 and cleaned.isdigit()


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step ``code`` belongs to (now or one step either side), or None."""
    cleaned = clean_code(code)
    if not is_totp_shaped(cleaned):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int((_now() if at is None else at) // totp.interval)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(step), cleaned):
            return step
    return None


def code_at(secret: str, at: float) -> str:
    """The code for the moment ``at`` (epoch seconds); tests use it as the authenticator app would."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(at // totp.interval))


def provisioning_uri(secret: str, *, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str, *, title: str) -> str:
    """The provisioning URI as an inline SVG QR code (no script, no style attribute: CSP-safe)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff", title=title)


def secret_for_display(secret: str) -> str:
    """The secret in groups of four, for typing into an app that cannot scan."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"
