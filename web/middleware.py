from __future__ import annotations

import zoneinfo

from django.utils import timezone

ZONES = {7: ("Asia/Jakarta", "WIB"), 8: ("Asia/Makassar", "WITA"), 9: ("Asia/Jayapura", "WIT")}


def zone_for_user(user) -> tuple[str, str]:
    """The user's time zone from their own region, else their agency's, else WIB."""
    if getattr(user, "is_authenticated", False):
        person = getattr(user, "person", None)
        for place in (
            getattr(person, "region", None),
            getattr(person, "province", None),
            getattr(getattr(user, "agency", None), "region", None),
        ):
            if place is not None:
                return ZONES[place.utc_offset]
    return ZONES[7]


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name, label = zone_for_user(request.user)
        request.zone_label = label
        timezone.activate(zoneinfo.ZoneInfo(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline script or style) and related headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
        return response
