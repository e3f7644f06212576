"""Training certificates (STTPP): signing keys, templates per programme, certificates and bulk jobs.

Contract relied on by other apps (keep these names and meanings):
``Certificate.serial``, ``.code``, ``.enrolment``, ``.person``, ``.event``, ``.programme``, ``.status``
(``Certificate.Status``: issued = valid, revoked, superseded), ``.issued_on``, ``.total_minutes``,
``.superseded_by``, ``.is_valid``; ``Certificate.objects.live()`` (status issued)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Person
from training.models import Enrolment, Event, Programme

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Tulis warna sebagai #RRGGBB, misalnya #0B5394."))


class SigningKey(models.Model):
    """An Ed25519 key pair. The private key is stored encrypted (AES-GCM with a key derived from
    ``SECRET_KEY``, see docs/decisions/0003); a key imported for verification only has no private part.
    Exactly one key is active: it signs new certificates; retired keys keep verifying old ones."""

    key_id = models.CharField(_("ID kunci"), max_length=16, unique=True)
    public_key = models.CharField(_("kunci publik (base64url)"), max_length=64)
    private_key_encrypted = models.TextField(blank=True)
    is_active = models.BooleanField(_("aktif"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kunci tanda tangan")
        verbose_name_plural = _("kunci tanda tangan")
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_signing_key"),
        ]

    def __str__(self) -> str:
        return self.key_id


class CertificateTemplate(models.Model):
    """How a programme's certificates look and who signs them."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="certificate_template")
    logo = models.FileField(_("logo (PNG/JPEG)"), upload_to="credentials/logos/", blank=True)
    primary_colour = models.CharField(_("warna utama"), max_length=7, default="#0B5394",
                                      validators=[colour_validator])
    accent_colour = models.CharField(_("warna aksen"), max_length=7, default="#C9A227", validators=[colour_validator])
    issuer_name = models.CharField(_("penerbit"), max_length=200, default="Kementerian Sosial Republik Indonesia")
    unit_name = models.CharField(
        _("unit penerbit"), max_length=200,
        default="Pusat Pengembangan Profesi Pekerja Sosial dan Penyuluh Sosial",
    )
    heading = models.CharField(_("judul"), max_length=120, default="SURAT TANDA TAMAT PELATIHAN")
    heading_en = models.CharField(_("judul (Inggris)"), max_length=120, default="Certificate of Training Completion")
    body = models.CharField(_("kalimat pengantar"), max_length=300,
                            default="telah mengikuti dan menyelesaikan dengan baik pelatihan")
    body_en = models.CharField(_("kalimat pengantar (Inggris)"), max_length=300,
                               default="has successfully completed the training")
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200,
                                       default="Kepala Pusat Pengembangan Profesi Pekerja Sosial dan Penyuluh Sosial")
    signatory_nip = models.CharField(_("NIP penanda tangan"), max_length=18, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("templat sertifikat")
        verbose_name_plural = _("templat sertifikat")

    def __str__(self) -> str:
        return f"{self.programme.code}"


class SerialCounter(models.Model):
    """The last sequence number used for an event's serials (locked with select_for_update)."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="+")
    last = models.PositiveIntegerField(default=0)


class CertificateQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=Certificate.Status.ISSUED)


class Certificate(models.Model):
    """One issued certificate: a snapshot of what was certified, signed. Never deleted; revoked or
    superseded instead."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Berlaku")
        REVOKED = "revoked", _("Dicabut")
        SUPERSEDED = "superseded", _("Diganti")

    class Kind(models.TextChoices):
        AUTO = "auto", _("Otomatis saat lulus")
        MANUAL = "manual", _("Manual oleh penyelenggara")
        REISSUE = "reissue", _("Terbit ulang")

    serial = models.CharField(_("nomor sertifikat"), max_length=160, unique=True)
    code = models.CharField(_("kode verifikasi"), max_length=16, unique=True)
    sequence = models.PositiveIntegerField(_("urutan"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="certificates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="certificates")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="certificates")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ISSUED)
    kind = models.CharField(_("cara terbit"), max_length=10, choices=Kind.choices, default=Kind.AUTO)
    issue_reason = models.CharField(_("alasan terbit manual"), max_length=300, blank=True)
    # Snapshot of what is certified.
    person_name = models.CharField(_("nama"), max_length=220)
    person_nip = models.CharField(_("NIP/NIK"), max_length=18, blank=True)
    agency_name = models.CharField(_("instansi"), max_length=200, blank=True)
    programme_code = models.CharField(_("kode program"), max_length=40)
    programme_title = models.CharField(_("program"), max_length=250)
    modules = models.JSONField(_("modul"), default=list, blank=True)
    total_minutes = models.PositiveIntegerField(_("total menit"))
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    city_name = models.CharField(_("kota"), max_length=100)
    issued_on = models.DateField(_("tanggal terbit"))
    issued_at = models.DateTimeField(default=timezone.now)
    signatory_name = models.CharField(max_length=150, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    signatory_nip = models.CharField(max_length=18, blank=True)
    # Signature over the claims (see credentials.signing).
    key_id = models.CharField(max_length=16)
    claims = models.TextField()
    signature = models.CharField(max_length=110)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    # Revocation and replacement.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    superseded_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="supersedes")
    superseded_reason = models.CharField(max_length=300, blank=True)
    # The rendered PDF (under MEDIA_ROOT, streamed only by an access-checked view).
    pdf = models.FileField(upload_to="credentials/pdf/%Y/", blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        constraints = [
            models.UniqueConstraint(fields=["enrolment"], condition=Q(status="issued"),
                                    name="one_live_certificate_per_enrolment"),
            models.UniqueConstraint(fields=["event", "sequence"], name="unique_certificate_sequence_per_event"),
            models.CheckConstraint(name="certificate_status_known",
                                   condition=Q(status__in=["issued", "revoked", "superseded"])),
            models.CheckConstraint(
                name="certificate_revoked_has_reason",
                condition=~Q(status="revoked") | (Q(revoked_at__isnull=False) & ~Q(revoked_reason="")),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="certificate_person_status"),
            models.Index(fields=["programme", "status"], name="certificate_programme_status"),
            models.Index(fields=["event", "status"], name="certificate_event_status"),
        ]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def jp(self) -> float:
        return self.total_minutes / 45


class CertificateJob(models.Model):
    """A bulk job over an event's or a programme's certificates, with progress for the page to poll."""

    class Action(models.TextChoices):
        ISSUE = "issue", _("Terbitkan dan cetak semua")
        MERGED_PDF = "merged_pdf", _("Gabung jadi satu PDF")
        ZIP = "zip", _("Kemas jadi ZIP")
        EMAIL = "email", _("Kirim email ke tiap peserta")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    action = models.CharField(_("tindakan"), max_length=12, choices=Action.choices)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    output = models.FileField(upload_to="credentials/jobs/", blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pekerjaan massal sertifikat")
        verbose_name_plural = _("pekerjaan massal sertifikat")
        constraints = [
            models.CheckConstraint(name="certificate_job_has_one_scope",
                                   condition=Q(event__isnull=False, programme__isnull=True)
                                   | Q(event__isnull=True, programme__isnull=False)),
            models.CheckConstraint(name="certificate_job_done_le_total", condition=Q(done__lte=models.F("total"))),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / self.total) if self.total else 0

    @property
    def scope_label(self) -> str:
        return str(self.event or self.programme)
