"""Project-wide request handling that belongs to no single app."""

from __future__ import annotations

from django.conf import settings
from django.db import DataError
from django.http import Http404


class ForwardedForMiddleware:
    """Behind nginx every request comes from nginx's address: take the client's address from the
    ``X-Forwarded-For`` header, but only when the request came from a proxy listed in
    ``SIAGA_TRUSTED_PROXIES`` (nginx appends the address it saw, so the last entry not itself a trusted
    proxy is the client; earlier entries are whatever the client sent). Without this, login throttling
    counted every failed login in the country against one address (nginx's) and locked everyone out, and
    audit rows recorded 127.0.0.1."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        meta = request.META
        if self.trusted and meta.get("REMOTE_ADDR") in self.trusted:
            hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            while hops and hops[-1] in self.trusted:
                hops.pop()
            if hops:
                meta["REMOTE_ADDR"] = hops[-1]
        return self.get_response(request)


class OutOfRangeMiddleware:
    """An id or number too large for the database (``/sdm/99999999999999999999/``) is "not found",
    not a server error: SQLite raises OverflowError and PostgreSQL a DataError for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError) or (
            isinstance(exception, DataError) and "out of range" in str(exception)
        ):
            raise Http404 from exception
        return None
