from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.context import current_ip
from accounts.two_factor import session_satisfied


class RequestContextMiddleware:
    """Remembers the client address for audit rows written during this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login unless its view is marked ``@login_not_required``.

    The JSON API (``/api/``) authenticates itself (token or session) and answers
    401 in JSON instead of redirecting to the login page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class TwoFactorMiddleware:
    """Logs out a session that does not meet the two-factor policy (``accounts.two_factor``): one
    opened before its user turned two-factor on, or before ``SIAGA_REQUIRE_2FA`` required it. Pages
    then send the visitor to the login (which asks for the code or the enrolment); the API answers
    401. Bearer tokens are not sessions and are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not session_satisfied(request):
            logout(request)
            if not request.path_info.startswith("/api/"):
                messages.info(request, _("Masuk lagi dengan verifikasi dua langkah untuk melanjutkan."))
                return redirect(f"{reverse('accounts:login')}?next={quote(request.get_full_path())}")
        return self.get_response(request)
