from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import CENTRE_ROLES, Role


class User(AbstractUser):
    """A login. ``role`` decides what the user may do; ``agency`` scopes an agency
    admin; ``person`` links a participant (or any staff member) to their own record."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    agency = models.ForeignKey(
        "people.Agency", verbose_name=_("instansi"), null=True, blank=True, on_delete=models.PROTECT
    )
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("data pegawai"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    institution_name = models.CharField(_("lembaga mitra"), max_length=200, blank=True)
    #: TOTP two-factor (accounts.two_factor): the secret encrypted with a key derived from SECRET_KEY,
    #: when it was confirmed, and the last time step a code was accepted for (a code is never accepted twice).
    totp_secret = models.CharField(max_length=200, blank=True, editable=False)
    totp_enabled_at = models.DateTimeField(_("verifikasi dua langkah sejak"), null=True, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                name="agency_admin_has_agency",
                condition=~Q(role="agency_admin") | Q(agency__isnull=False),
            ),
            models.CheckConstraint(
                name="totp_enabled_has_secret",
                condition=Q(totp_enabled_at__isnull=True) | ~Q(totp_secret=""),
            ),
        ]

    @property
    def is_centre(self) -> bool:
        return self.role in CENTRE_ROLES or self.is_superuser

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.role in roles

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the secret is shown once."""

    class Scope(models.TextChoices):
        READ = "read", _("baca")
        WRITE = "write", _("baca dan tulis")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("cakupan"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "sga_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RecoveryCode(models.Model):
    """A one-time code that stands in for a TOTP code (lost phone). Only its SHA-256 digest is
    stored (the code is random, 50 bits); it is shown once, when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")

    @staticmethod
    def hash_code(code: str) -> str:
        return hashlib.sha256(code.encode()).hexdigest()


class AuditLog(models.Model):
    """One row per change made through a service: who, when, what, before and after."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type}#{self.target_id}"
