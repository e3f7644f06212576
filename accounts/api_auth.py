"""API authentication: a personal bearer token (hashed at rest) or the browser session."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from accounts.models import ApiToken, User

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


# The user and the token's state in one query (every API request runs it). ``stale`` says whether
# last_used_at is older than its resolution, so the UPDATE runs at most once a minute per token.
_USER_BY_TOKEN = """
    SELECT u.*, t.id AS api_token_id, t.scope AS api_token_scope,
           CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END AS api_token_stale
      FROM accounts_user u JOIN accounts_apitoken t ON t.user_id = u.id
     WHERE t.digest = %s AND t.revoked_at IS NULL
"""


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        now = timezone.now()
        adapt = connection.ops.adapt_datetimefield_value
        user = next(iter(User.objects.raw(_USER_BY_TOKEN, [adapt(now - _LAST_USED_RESOLUTION),
                                                            ApiToken.hash_secret(token)])), None)
        if user is None or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and user.api_token_scope != ApiToken.Scope.WRITE:
            raise PermissionDenied(_("Token ini hanya untuk membaca; buat token dengan cakupan tulis."))
        if user.api_token_stale:  # a transaction, so SQLite's write lock is queued for fairly (decision 0012)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("UPDATE accounts_apitoken SET last_used_at = %s WHERE id = %s",
                               [adapt(now), user.api_token_id])
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
