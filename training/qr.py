"""The rotating session QR code shown on the projector.

The code is an HMAC of the session id and the current 30-second window; a check-in
accepts the current and the previous window only, so a photo sent to a friend stops
working within a minute."""

from __future__ import annotations

import hashlib
import hmac
import time

import segno
from django.conf import settings
from django.urls import reverse

WINDOW_SECONDS = 30


def window_at(timestamp: float | None = None) -> int:
    return int((time.time() if timestamp is None else timestamp) // WINDOW_SECONDS)


def session_code(session_id: int, window: int) -> str:
    key = hashlib.sha256(b"siaga.training.session-qr:" + settings.SECRET_KEY.encode()).digest()
    digest = hmac.new(key, f"{session_id}:{window}".encode(), hashlib.sha256).hexdigest()
    return digest[:16]


def current_code(session_id: int, timestamp: float | None = None) -> str:
    return session_code(session_id, window_at(timestamp))


def code_is_valid(session_id: int, code: str, timestamp: float | None = None) -> bool:
    now = window_at(timestamp)
    return any(hmac.compare_digest(session_code(session_id, w), code or "") for w in (now, now - 1))


def checkin_url(session_id: int, timestamp: float | None = None) -> str:
    path = reverse("training:session_checkin", kwargs={"session_id": session_id})
    return f"{settings.SITE_URL}{path}?k={current_code(session_id, timestamp)}"


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=8, dark="#10243e", border=2)
