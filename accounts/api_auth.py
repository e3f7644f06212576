"""API authentication: a personal bearer token (hashed at rest) or the browser session."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from accounts.models import ApiToken

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        digest = ApiToken.hash_secret(token)
        api_token = (
            ApiToken.objects.select_related("user", "user__agency").filter(digest=digest, revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        if request.method not in SAFE_METHODS and api_token.scope != ApiToken.Scope.WRITE:
            raise PermissionDenied(_("Token ini hanya untuk membaca; buat token dengan cakupan tulis."))
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > _LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


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
