"""Ed25519 signatures for certificates and the text held by their QR codes.

The QR text is a URL that opens the public verification page and carries the signed claims:

    {SITE_URL}/v/{CODE}/S1.{KEY_ID}.{BASE32(claims)}.{BASE32(signature)}

Everything after ``/v/`` uses only upper-case letters, digits, ``.`` and ``/``, so it is
encoded in the QR alphanumeric mode (5.5 bits a character) and the code stays small.
The signed message is ``b"SIAGA-STTPP-1\\n" + code + b"\\n" + claims`` where ``claims`` is
``serial|name|masked id|programme code|JP|end date (YYYYMMDD)`` in UTF-8. Anyone holding the
public key (``siaga certificates export-keys``) can check it offline (``siaga verify``).
Private keys are encrypted at rest; see docs/decisions/0003-certificate-signing.md."""

from __future__ import annotations

import base64
import enum
import json
import os
import secrets
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "S1"
DOMAIN = b"SIAGA-STTPP-1\n"
#: Upper-case letters and digits without the look-alikes I, L, O, 0 and 1.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
CLAIM_FIELDS = ("serial", "name", "identity", "programme", "jp", "end_date")


def new_code() -> str:
    """A random verification code: 10 characters of a 31-letter alphabet (about 49 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_key_id() -> str:
    return "K" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def unb32(text: str) -> bytes:
    text = text.upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- Private keys at rest -------------------------------------------------------------------------

def _wrapping_key(secret: str | None = None) -> bytes:
    secret = settings.SECRET_KEY if secret is None else secret
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"siaga-certificate-signing-keys",
                info=b"aes-256-gcm v1").derive(secret.encode("utf-8"))


def encrypt_private_key(private_key: Ed25519PrivateKey, *, key_id: str) -> str:
    raw = private_key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
    nonce = os.urandom(12)
    sealed = AESGCM(_wrapping_key()).encrypt(nonce, raw, key_id.encode("ascii"))
    return "v1." + b64url(nonce + sealed)


def decrypt_private_key(token: str, *, key_id: str) -> Ed25519PrivateKey:
    version, _, body = token.partition(".")
    if version != "v1":
        raise ValueError("unknown private key format")
    data = unb64url(body)
    raw = AESGCM(_wrapping_key()).decrypt(data[:12], data[12:], key_id.encode("ascii"))
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_text(private_key: Ed25519PrivateKey) -> str:
    return b64url(private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def load_public_key(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(unb64url(text))


# --- Claims and QR text ---------------------------------------------------------------------------

def _clean(value: str) -> str:
    return " ".join(str(value).replace("|", "/").split())


def claims_text(*, serial: str, name: str, identity: str, programme: str, jp: str, end_date: str) -> str:
    return "|".join(_clean(v) for v in (serial, name, identity, programme, jp, end_date))


def parse_claims(text: str) -> dict[str, str]:
    parts = text.split("|")
    if len(parts) != len(CLAIM_FIELDS):
        raise ValueError("claims have the wrong number of fields")
    return dict(zip(CLAIM_FIELDS, parts, strict=True))


def message(code: str, claims: str) -> bytes:
    return DOMAIN + code.encode("ascii") + b"\n" + claims.encode("utf-8")


def sign(private_key: Ed25519PrivateKey, *, code: str, claims: str) -> str:
    return b32(private_key.sign(message(code, claims)))


def signed_part(*, key_id: str, claims: str, signature: str) -> str:
    return f"{PREFIX}.{key_id}.{b32(claims.encode('utf-8'))}.{signature}"


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}/v/{code}"


def qr_text(*, code: str, key_id: str, claims: str, signature: str, site_url: str | None = None) -> str:
    site = settings.SITE_URL if site_url is None else site_url
    return f"{site}/v/{code}/{signed_part(key_id=key_id, claims=claims, signature=signature)}"


class Verdict(enum.StrEnum):
    VALID = "valid"
    TAMPERED = "tampered"
    UNKNOWN_KEY = "unknown_key"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class QrCheck:
    verdict: Verdict
    code: str = ""
    key_id: str = ""
    claims: dict[str, str] | None = None

    @property
    def is_valid(self) -> bool:
        return self.verdict == Verdict.VALID


@dataclass(frozen=True)
class ParsedQr:
    code: str
    key_id: str
    claims: str
    signature: bytes


def parse_qr_text(text: str) -> ParsedQr | None:
    """Split a QR text (the whole URL, or just ``CODE/S1...``) into its parts; None if malformed."""
    text = (text or "").strip()
    marker = "/v/"
    if marker in text:
        text = text.split(marker, 1)[1]
    text = text.split("?", 1)[0].split("#", 1)[0].strip("/")
    code, _, signed = text.partition("/")
    parts = signed.split(".")
    if len(parts) != 4 or parts[0].upper() != PREFIX:
        return None
    code = code.upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    try:
        claims = unb32(parts[2]).decode("utf-8")
        signature = unb32(parts[3])
        parse_claims(claims)
    except (ValueError, UnicodeDecodeError):
        return None
    return ParsedQr(code=code, key_id=parts[1].upper(), claims=claims, signature=signature)


def verify_qr_text(text: str, public_keys: dict[str, Ed25519PublicKey]) -> QrCheck:
    """Check a QR text offline against ``public_keys`` (key id → public key)."""
    parsed = parse_qr_text(text)
    if parsed is None:
        return QrCheck(Verdict.MALFORMED)
    claims = parse_claims(parsed.claims)
    key = public_keys.get(parsed.key_id)
    if key is None:
        return QrCheck(Verdict.UNKNOWN_KEY, code=parsed.code, key_id=parsed.key_id, claims=claims)
    try:
        key.verify(parsed.signature, message(parsed.code, parsed.claims))
    except InvalidSignature:
        return QrCheck(Verdict.TAMPERED, code=parsed.code, key_id=parsed.key_id, claims=claims)
    return QrCheck(Verdict.VALID, code=parsed.code, key_id=parsed.key_id, claims=claims)


# --- Keys from the database or an exported file -----------------------------------------------------

@cache
def _private_key(key_id: str, token: str) -> Ed25519PrivateKey:
    return decrypt_private_key(token, key_id=key_id)


@cache
def _public_key(text: str) -> Ed25519PublicKey:
    return load_public_key(text)


def private_key_for(signing_key) -> Ed25519PrivateKey:
    return _private_key(signing_key.key_id, signing_key.private_key_encrypted)


def database_public_keys() -> dict[str, Ed25519PublicKey]:
    from credentials.models import SigningKey

    return {key_id: _public_key(text) for key_id, text in SigningKey.objects.values_list("key_id", "public_key")}


def public_keys_from_file(path) -> dict[str, Ed25519PublicKey]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return {entry["id"].upper(): load_public_key(entry["publicKey"]) for entry in data["keys"]}


_MULTICODEC_ED25519_PUB = b"\xed\x01"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def unbase58btc(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number * 58 + _B58.index(ch)
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * pad + body


def public_key_multibase(public_key_b64url: str) -> str:
    """The key as a W3C Multikey ``publicKeyMultibase`` (``z`` + base58btc of 0xed01 + key)."""
    return "z" + base58btc(_MULTICODEC_ED25519_PUB + unb64url(public_key_b64url))
