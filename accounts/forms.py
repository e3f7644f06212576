from __future__ import annotations

import math

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing attempts while the username or the client address is locked."""

    locked = False

    def _client_ip(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR") if self.request is not None else None

    def _refuse(self, until: float) -> ValidationError:
        self.locked = True
        minutes = max(1, math.ceil((until - throttle._now()) / 60))
        return ValidationError(
            _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit, atau hubungi "
              "admin Pusbangprof bila Anda lupa kata sandi.") % {"minutes": minutes},
            code="locked",
        )

    def clean(self):
        username = self.cleaned_data.get("username")
        ip = self._client_ip()
        until = throttle.locked_until(username=username, ip=ip)
        if until is not None:
            raise self._refuse(until)
        try:
            cleaned = super().clean()
        except ValidationError:
            if throttle.record_failure(username=username, ip=ip):
                from accounts.audit import audit_record

                audit_record(actor=None, action="login.locked", target_type="accounts.user",
                             target_label=(username or "")[:255],
                             note=_("Dikunci %(minutes)d menit setelah %(count)d kali gagal masuk.")
                             % {"minutes": throttle.LOCK_SECONDS // 60, "count": throttle.MAX_FAILURES})
            raise
        throttle.record_success(username=username)
        return cleaned
