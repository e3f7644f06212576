"""Professional credentials of a person and the qualification rules they are measured against.

``credentials`` holds training certificates (STTPP); this app holds what a profession
requires beyond training: the competency certificate (sertifikat kompetensi), the STR,
the SIPPS and other licences, plus the rules ("Pekerja Sosial may practise") as data.
See docs/decisions/0005-qualification-rules.md."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Person, Position, PositionLevel, Region


class CredentialKind(models.TextChoices):
    COMPETENCY = "competency", _("Sertifikat kompetensi")
    STR = "str", _("STR (Surat Tanda Registrasi)")
    SIPPS = "sipps", _("SIPPS (Surat Izin Praktik Pekerja Sosial)")
    OTHER = "other", _("Lisensi lain")


class CertifyingBody(models.TextChoices):
    LSPS = "lsps", _("LSPS (Lembaga Sertifikasi Pekerjaan Sosial)")
    LSP_KEMENSOS = "lsp_kemensos", _("LSP Kemensos")
    OTHER = "other", _("Lembaga lain")


def document_path(instance: Credential, filename: str) -> str:
    """Scans live under MEDIA_ROOT/credentials/<person>/ with a random name (never the uploaded one)."""
    extension = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}.get(instance.document_kind, "bin")
    return f"credentials/{instance.person_id}/{uuid.uuid4().hex}.{extension}"


class Credential(models.Model):
    """One professional credential of a person, with its scan and its verification.

    ``status`` moves only through ``certification.services``: claimed → verified, claimed → rejected."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Diajukan")
        VERIFIED = "verified", _("Terverifikasi")
        REJECTED = "rejected", _("Ditolak")

    person = models.ForeignKey(Person, verbose_name=_("SDM Kesos"), on_delete=models.PROTECT,
                               related_name="professional_credentials")
    kind = models.CharField(_("jenis"), max_length=20, choices=CredentialKind.choices)
    title = models.CharField(_("nama lisensi"), max_length=200, blank=True,
                             help_text=_("Untuk lisensi lain, misalnya 'Sertifikat Konselor Adiksi'."))
    scheme = models.CharField(_("skema sertifikasi"), max_length=200, blank=True)
    level = models.CharField(_("jenjang/kualifikasi"), max_length=100, blank=True)
    certifying_body = models.CharField(_("lembaga sertifikasi"), max_length=20, choices=CertifyingBody.choices,
                                       blank=True)
    number = models.CharField(_("nomor"), max_length=100)
    issuer = models.CharField(_("penerbit"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("daerah penerbit"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("tanggal terbit"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True,
                                   help_text=_("Kosongkan bila berlaku seumur hidup."))
    document = models.FileField(_("pindaian dokumen"), upload_to=document_path, blank=True, max_length=255)
    document_kind = models.CharField(max_length=10, blank=True)
    document_size = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status verifikasi"), max_length=10, choices=Status.choices,
                              default=Status.CLAIMED)
    rejection_reason = models.CharField(_("alasan penolakan"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "kind", "-valid_until", "-id"]
        verbose_name = _("kredensial profesi")
        verbose_name_plural = _("kredensial profesi")
        constraints = [
            models.CheckConstraint(name="credential_kind_known",
                                   condition=Q(kind__in=["competency", "str", "sipps", "other"])),
            models.CheckConstraint(name="credential_status_known",
                                   condition=Q(status__in=["claimed", "verified", "rejected"])),
            models.CheckConstraint(name="credential_dates_ordered",
                                   condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("issued_on"))),
            models.CheckConstraint(name="credential_rejected_has_reason",
                                   condition=~Q(status="rejected") | ~Q(rejection_reason="")),
            models.CheckConstraint(name="credential_sipps_has_region",
                                   condition=~Q(kind="sipps") | Q(region__isnull=False)),
            models.CheckConstraint(name="credential_other_has_title", condition=~Q(kind="other") | ~Q(title="")),
            models.UniqueConstraint(fields=["kind", "number", "person"], name="unique_credential_number"),
        ]
        indexes = [
            models.Index(fields=["valid_until", "status"], name="credential_expiry"),
            models.Index(fields=["status", "created_at"], name="credential_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.number}"

    @property
    def label(self) -> str:
        if self.kind == CredentialKind.OTHER and self.title:
            return self.title
        return {"competency": _("Sertifikat kompetensi"), "str": _("STR"), "sipps": _("SIPPS")}.get(
            self.kind, self.get_kind_display())

    def is_valid_on(self, day: dt.date) -> bool:
        """In force on ``day`` (a calendar date in the person's zone): until the expiry day inclusive."""
        return self.issued_on <= day and (self.valid_until is None or day <= self.valid_until)

    def is_expired_on(self, day: dt.date) -> bool:
        return self.valid_until is not None and day > self.valid_until


class CredentialReminder(models.Model):
    """One expiry reminder threshold (90, 60 or 30 days) that has fired for a credential.

    The unique constraint makes the reminder task safe to run any number of times."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="reminders")
    threshold_days = models.PositiveSmallIntegerField()
    valid_until = models.DateField(help_text="the expiry date the reminder was about")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)
    #: A larger threshold passed before the credential was known (e.g. added 20 days before expiry):
    #: recorded so it never fires, but no mail was sent for it.
    skipped = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("pengingat masa berlaku")
        verbose_name_plural = _("pengingat masa berlaku")
        constraints = [
            models.UniqueConstraint(fields=["credential", "threshold_days", "valid_until"],
                                    name="unique_reminder_per_threshold"),
        ]


class RequirementSet(models.Model):
    """A named set of requirements, e.g. "Pekerja Sosial boleh berpraktik" (UU 14/2019 Pasal 28–29).

    Applies to people of ``position`` (any position when empty), at ``level`` (any level when empty)."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    source = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    description = models.TextField(_("uraian"), blank=True)
    position = models.ForeignKey(Position, verbose_name=_("jabatan"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(PositionLevel, verbose_name=_("jenjang"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    met_label = models.CharField(_("label bila terpenuhi"), max_length=80, blank=True,
                                 help_text=_("Misalnya 'boleh berpraktik'."))
    unmet_label = models.CharField(_("label bila belum terpenuhi"), max_length=80, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("perangkat persyaratan")
        verbose_name_plural = _("perangkat persyaratan")

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    """One requirement of a set: a valid credential of a kind, or a completed training."""

    class Kind(models.TextChoices):
        CREDENTIAL = "credential", _("Kredensial berlaku")
        PROGRAMME = "programme", _("Lulus program pelatihan")
        MODULE = "module", _("Lulus pelatihan yang memuat modul")

    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    credential_kind = models.CharField(_("jenis kredensial"), max_length=20, choices=CredentialKind.choices,
                                       blank=True)
    code = models.SlugField(_("kode program/modul"), max_length=60, blank=True)
    label = models.CharField(_("nama yang ditampilkan"), max_length=200,
                             help_text=_("Misalnya 'Pelatihan Dasar Pekerja Sosial'."))
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["requirement_set", "order", "id"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")
        constraints = [
            models.CheckConstraint(
                name="requirement_target",
                condition=(Q(kind="credential") & ~Q(credential_kind=""))
                | (Q(kind__in=["programme", "module"]) & ~Q(code="")),
            ),
        ]

    def __str__(self) -> str:
        return self.label
