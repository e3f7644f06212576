"""Pages of two-factor sign-in: the code step of a login, enrolment (at login when required, or from
the account page), recovery codes and turning it off. Wrong codes are throttled like logins
(``accounts.throttle``, scope "2fa": 5 wrong codes per account or address lock it for 15 minutes)."""

from __future__ import annotations

import math

from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import throttle, totp
from accounts.audit import audit_record
from accounts.services_two_factor import (
    recovery_codes_regenerate,
    two_factor_disable,
    two_factor_enable,
    two_factor_verify,
)
from accounts.two_factor import (
    SETUP_KEY,
    begin_pending,
    clear_pending,
    has_two_factor,
    mark_verified,
    offers_two_factor,
    pending_user,
    requires_two_factor,
)


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode"), max_length=20, strip=True,
                           help_text=gettext_lazy("Kode 6 angka dari aplikasi autentikator, atau satu kode "
                                                  "pemulihan."),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                                         "spellcheck": "false", "autocapitalize": "off"}))


class NewCodeForm(CodeForm):
    code = forms.CharField(label=gettext_lazy("Kode dari aplikasi"), max_length=20, strip=True,
                           help_text=gettext_lazy("Kode 6 angka yang tampil setelah memindai QR."),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _locked(request, user) -> float | None:
    return throttle.locked_until(username=user.username, ip=_ip(request), scope="2fa")


def _lock_message(until: float) -> str:
    minutes = max(1, math.ceil((until - throttle._now()) / 60))
    return _("Terlalu banyak kode yang salah. Coba lagi dalam %(minutes)d menit.") % {"minutes": minutes}


def _count_failure(request, user) -> None:
    if throttle.record_failure(username=user.username, ip=_ip(request), scope="2fa"):
        audit_record(actor=user, action="login.2fa_locked", target=user,
                     note=_("Dikunci %(minutes)d menit setelah %(count)d kode salah.")
                     % {"minutes": throttle.LOCK_SECONDS // 60, "count": throttle.MAX_FAILURES})


def _guarded(request, user, form, attempt):
    """Run ``attempt()`` unless the user or address is locked; count a wrong code. Return the
    attempt's result, or None with the form carrying the error (and ``form.locked`` set)."""
    form.locked = False
    until = _locked(request, user)
    if until is not None:
        form.locked = True
        form.add_error(None, _lock_message(until))
        return None
    try:
        result = attempt()
    except ValidationError as exc:
        result = None
        for message in exc.messages:
            form.add_error("code", message)
    if result is None:
        if not form.errors:
            form.add_error("code", _("Kode salah atau sudah dipakai. Masukkan kode 6 angka yang sedang tampil "
                                     "di aplikasi autentikator."))
        _count_failure(request, user)
        until = _locked(request, user)
        if until is not None:
            form.locked = True
        return None
    throttle.record_success(username=user.username, scope="2fa")
    return result


def _status(form) -> int:
    return 429 if getattr(form, "locked", False) else 200


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return "/"


def _finish_login(request, user, state) -> None:
    clear_pending(request)
    auth_login(request, user, backend=state.get("backend") or None)
    mark_verified(request, user)


def _setup_secret(request) -> str:
    secret = request.session.get(SETUP_KEY)
    if not secret:
        secret = totp.new_secret()
        request.session[SETUP_KEY] = secret
    return secret


def _setup_context(request, user, form, *, forced: bool) -> dict:
    secret = _setup_secret(request)
    uri = totp.provisioning_uri(secret, account=user.get_username())
    return {"form": form, "forced": forced, "qr": totp.qr_svg(uri, title=_("Kode QR verifikasi dua langkah")),
            "secret": totp.secret_for_display(secret)}


# --- the login's second step -------------------------------------------------------------------------

def start_second_step(request, user, *, next_url: str):
    """Called by the login page after a right password: ask for a code (or for enrolment when
    two-factor is required and not set up yet); the session stays logged out until then."""
    enrol = not has_two_factor(user)
    begin_pending(request, user, next_url=next_url, enrol=enrol)
    return redirect("accounts:login_enrol" if enrol else "accounts:login_code")


@login_not_required
def login_code(request):
    user, state = pending_user(request)
    if user is None or state.get("enrol"):
        if request.user.is_authenticated:
            return redirect("web:home")
        messages.info(request, _("Masukkan nama pengguna dan kata sandi lebih dulu."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = _guarded(request, user, form, lambda: two_factor_verify(user=user, code=form.cleaned_data["code"]))
        if kind is not None:
            _finish_login(request, user, state)
            if kind == "recovery":
                messages.warning(request, _("Anda masuk dengan kode pemulihan; kode itu tidak berlaku lagi. "
                                            "Buat kode baru di halaman Akun bila tinggal sedikit."))
            return redirect(_safe_next(request, state.get("next", "")))
    return render(request, "accounts/login_code.html", {"form": form}, status=_status(form))


@login_not_required
def login_enrol(request):
    """Enrolment forced at login (``SIAGA_REQUIRE_2FA``): scan, confirm, then logged in."""
    user, state = pending_user(request)
    if user is None or not state.get("enrol"):
        if request.user.is_authenticated:
            return redirect("web:home")
        return redirect("accounts:login")
    form = NewCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = _setup_secret(request)
        codes = _guarded(request, user, form,
                         lambda: two_factor_enable(user=user, secret=secret, code=form.cleaned_data["code"]))
        if codes is not None:
            user.refresh_from_db()
            _finish_login(request, user, state)
            return render(request, "accounts/recovery_codes.html",
                          {"codes": codes, "next": _safe_next(request, state.get("next", "")), "first": True})
    return render(request, "accounts/two_factor_setup.html", _setup_context(request, user, form, forced=True),
                  status=_status(form))


# --- from the account page ----------------------------------------------------------------------------

def _require_offer(user) -> None:
    if not offers_two_factor(user):
        raise PermissionDenied


def two_factor_setup(request):
    user = request.user
    _require_offer(user)
    if has_two_factor(user):
        messages.info(request, _("Verifikasi dua langkah sudah aktif."))
        return redirect("accounts:account")
    form = NewCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = _setup_secret(request)
        codes = _guarded(request, user, form,
                         lambda: two_factor_enable(user=user, secret=secret, code=form.cleaned_data["code"]))
        if codes is not None:
            request.session.pop(SETUP_KEY, None)
            user.refresh_from_db()
            mark_verified(request, user)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": True})
    return render(request, "accounts/two_factor_setup.html", _setup_context(request, user, form, forced=False),
                  status=_status(form))


def _code_action(request, action):
    user = request.user
    _require_offer(user)
    if not has_two_factor(user):
        messages.info(request, _("Verifikasi dua langkah belum aktif."))
        return None
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Masukkan kode dari aplikasi autentikator."))
        return None
    result = _guarded(request, user, form, lambda: action(user, form.cleaned_data["code"]))
    if result is None:
        for message in form.non_field_errors() or form.errors.get("code", []):
            messages.error(request, message)
    return result


@require_POST
def two_factor_disable_view(request):
    if requires_two_factor(request.user):
        messages.error(request, _("Verifikasi dua langkah wajib untuk peran Anda dan tidak dapat dimatikan."))
        return redirect("accounts:account")
    user = _code_action(request, lambda user, code: two_factor_disable(user=user, code=code))
    if user is not None:
        messages.success(request, _("Verifikasi dua langkah dimatikan."))
    return redirect("accounts:account")


@require_POST
def recovery_codes_view(request):
    codes = _code_action(request, lambda user, code: recovery_codes_regenerate(user=user, code=code))
    if codes is None:
        return redirect("accounts:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": False})
