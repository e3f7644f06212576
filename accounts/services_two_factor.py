"""State changes of two-factor sign-in: enrol, verify a code, recovery codes, disable, reset.

A TOTP code is accepted once: the matched time step is stored with one conditional UPDATE
(``... SET totp_last_step = step WHERE id = %s AND totp_last_step < step``), so a code replayed in
the same step (or an older one) is refused even by two requests racing. A recovery code is spent the
same way (``... SET used_at = now WHERE digest = %s AND used_at IS NULL``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import totp
from accounts.audit import audit_record
from accounts.models import RecoveryCode, User
from accounts.two_factor import has_two_factor, offers_two_factor, requires_two_factor

TOTP = "totp"
RECOVERY = "recovery"


def _wrong_code() -> ValidationError:
    return ValidationError({"code": [_("Kode salah atau sudah dipakai. Masukkan kode 6 angka yang sedang tampil "
                                       "di aplikasi autentikator.")]}, code="wrong_code")


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [totp.new_recovery_code() for _ in range(totp.RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=RecoveryCode.hash_code(totp.clean_code(c)))
                                     for c in codes)
    return codes


def _accept_step(user: User, step: int) -> bool:
    updated = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
    if updated:
        user.totp_last_step = step
    return bool(updated)


@transaction.atomic
def two_factor_enable(*, user: User, secret: str, code: str) -> list[str]:
    """Turn on two-factor for ``user`` with the ``secret`` their app scanned, once ``code`` proves the
    app holds it; return the recovery codes (shown once, stored only hashed)."""
    if not offers_two_factor(user):
        raise PermissionDenied(_("Verifikasi dua langkah tersedia untuk peran admin."))
    if has_two_factor(user):
        raise ValidationError(_("Verifikasi dua langkah sudah aktif."))
    step = totp.matching_step(secret, code)
    if step is None:
        raise _wrong_code()
    user.totp_secret = totp.encrypt_secret(secret, user_id=user.pk)
    user.totp_enabled_at = timezone.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_enabled_at", "totp_last_step"])
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="2fa.enable", target=user, after={"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> str | None:
    """Check a login code: a TOTP code not used before, or an unused recovery code (then spent).
    Return which kind matched, or None."""
    if not has_two_factor(user):
        return None
    if totp.is_totp_shaped(code):
        secret = totp.decrypt_secret(user.totp_secret, user_id=user.pk)
        step = totp.matching_step(secret, code)
        return TOTP if step is not None and _accept_step(user, step) else None
    cleaned = totp.clean_code(code)
    if not cleaned:
        return None
    spent = RecoveryCode.objects.filter(user=user, digest=RecoveryCode.hash_code(cleaned),
                                        used_at__isnull=True).update(used_at=timezone.now())
    if not spent:
        return None
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    audit_record(actor=user, action="2fa.recovery_used", target=user, after={"recovery_codes_left": left})
    return RECOVERY


def _require_code(user: User, code: str) -> str:
    kind = two_factor_verify(user=user, code=code)
    if kind is None:
        raise _wrong_code()
    return kind


@transaction.atomic
def recovery_codes_regenerate(*, user: User, code: str) -> list[str]:
    """New recovery codes for ``user`` (the old ones stop working), after a current code."""
    if not has_two_factor(user):
        raise ValidationError(_("Verifikasi dua langkah belum aktif."))
    _require_code(user, code)
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="2fa.recovery_regenerate", target=user, after={"recovery_codes": len(codes)})
    return codes


def _turn_off(user: User) -> None:
    user.totp_secret = ""
    user.totp_enabled_at = None
    user.totp_last_step = 0
    user.save(update_fields=["totp_secret", "totp_enabled_at", "totp_last_step"])
    RecoveryCode.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_disable(*, user: User, code: str) -> User:
    """The user turns two-factor off, proving it with a current code (or a recovery code)."""
    if not has_two_factor(user):
        return user
    if requires_two_factor(user):
        raise ValidationError(_("Verifikasi dua langkah wajib untuk peran Anda dan tidak dapat dimatikan."))
    kind = _require_code(user, code)
    _turn_off(user)
    audit_record(actor=user, action="2fa.disable", target=user, before={"enabled": True}, after={"enabled": False},
                 note=kind)
    return user


@transaction.atomic
def two_factor_reset(*, user: User, by, reason: str) -> User:
    """A centre admin (or superuser) turns off someone's two-factor who lost both phone and recovery
    codes; they enrol again at their next login when it is required."""
    if not (getattr(by, "is_superuser", False) or getattr(by, "role", None) == "centre_admin"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": [_("Tulis alasan pengaturan ulang, misalnya nomor tiket layanan.")]})
    if not has_two_factor(user):
        return user
    _turn_off(user)
    audit_record(actor=by, action="2fa.reset", target=user, before={"enabled": True}, after={"enabled": False},
                 note=reason.strip())
    return user
