"""API authentication: a personal bearer token (hashed at rest) or the browser session."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from accounts import token_uses
from accounts.models import ApiToken, User
from siaga.db.rows import columns, instance_from

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


# The user and the token's state in one query (every API request runs it). ``stale`` says whether
# last_used_at is older than its resolution, so a use is noted at most once a minute per token.
_USER_BY_TOKEN = """
    SELECT {user}, t.id, t.scope,
           CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END
      FROM accounts_user u JOIN accounts_apitoken t ON t.user_id = u.id
     WHERE t.digest = %s AND t.revoked_at IS NULL
"""


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def __call__(self, request):
        """As ninja's ``HttpBearer``, reading the header from ``META``: ``request.headers`` builds a
        mapping of every header on first use, for the one header every API request needs."""
        scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request, token: str):
        now = timezone.now()
        adapt = connection.ops.adapt_datetimefield_value
        select, n = columns(User, alias="u")
        with connection.cursor() as cursor:
            cursor.execute(_USER_BY_TOKEN.format(user=select), [adapt(now - _LAST_USED_RESOLUTION),
                                                                 ApiToken.hash_secret(token)])
            row = cursor.fetchone()
        if row is None:
            return None
        user = instance_from(User, row)
        token_id, scope, stale = row[n:]
        if not user.is_active:
            return None
        if request.method not in SAFE_METHODS and scope != ApiToken.Scope.WRITE:
            raise PermissionDenied(_("Token ini hanya untuk membaca; buat token dengan cakupan tulis."))
        if stale:  # written in batches, not in a transaction of its own (token_uses)
            token_uses.note_use(token_id, now)
        request.user = user
        return user


class SiagaSessionAuth(SessionAuth):
    """The logged-in browser session. Unsafe methods need the CSRF token (``X-CSRFToken``);
    a request without a session is simply not authenticated (401), not a CSRF failure."""

    def _get_key(self, request):
        if not (request.user.is_authenticated and request.user.is_active):
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


api_auth = [TokenAuth(), SiagaSessionAuth()]
