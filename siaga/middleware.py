"""Project-wide request handling that belongs to no single app."""

from __future__ import annotations

from django.db import DataError
from django.http import Http404


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
