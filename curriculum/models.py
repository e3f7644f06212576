"""Training modules and their versions.

Contract relied on by other apps (keep these names and meanings):
``Module.code``, ``Module.title``, ``Module.current_version`` (latest approved version or None),
``ModuleVersion.module``, ``.number``, ``.status`` (``ModuleVersion.Status``), ``.total_minutes``
(sum of its sessions' JP × 45), ``.jp`` (property), ``.approved_at``, ``.pass_mark``, ``.is_approved``;
``Competency.code``/``.name``; ``ModuleVersion.competencies`` via ``Module.competencies``.

Added by the curriculum app (not part of the contract above): institution members, materials,
review rounds and reviewer assignments. State changes go through ``curriculum.services``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Position, PositionLevel


class Institution(models.Model):
    class Kind(models.TextChoices):
        TRAINING_SCHOOL = "training_school", _("Lembaga diklat")
        UNIVERSITY = "university", _("Perguruan tinggi")
        CERTIFICATION_BODY = "certification_body", _("Lembaga sertifikasi")
        ASSOCIATION = "association", _("Asosiasi profesi")
        PRACTITIONERS = "practitioners", _("Kelompok praktisi")
        CENTRE = "centre", _("Pusbangprof")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lembaga mitra")
        verbose_name_plural = _("lembaga mitra")

    def __str__(self) -> str:
        return self.name


class CompetencyArea(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("bidang kompetensi")
        verbose_name_plural = _("bidang kompetensi")

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    area = models.ForeignKey(CompetencyArea, on_delete=models.PROTECT, related_name="competencies")
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=160)
    description = models.TextField(_("uraian"), blank=True)

    class Meta:
        ordering = ["area__order", "name"]
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")

    def __str__(self) -> str:
        return self.name


class Module(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    summary = models.TextField(_("ringkasan"), blank=True)
    owner = models.ForeignKey(Institution, verbose_name=_("lembaga pemilik"), on_delete=models.PROTECT,
                              related_name="modules")
    competencies = models.ManyToManyField(Competency, verbose_name=_("kompetensi"), blank=True,
                                          related_name="modules")
    target_positions = models.ManyToManyField(Position, verbose_name=_("jabatan sasaran"), blank=True)
    target_levels = models.ManyToManyField(PositionLevel, verbose_name=_("jenjang sasaran"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    review_days = models.PositiveSmallIntegerField(
        _("lama telaah (hari)"), default=14,
        help_text=_("Batas waktu tiap putaran telaah; jalur cepat: 14 hari untuk seluruh modul."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("modul")
        verbose_name_plural = _("modul")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def current_version(self) -> ModuleVersion | None:
        return self.versions.filter(status=ModuleVersion.Status.APPROVED).order_by("-number").first()


class ModuleVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        IN_REVIEW = "in_review", _("Dalam telaah")
        CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")
        APPROVED = "approved", _("Disahkan")
        RETIRED = "retired", _("Dipensiunkan")

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    objectives = models.TextField(_("tujuan pembelajaran"), blank=True)
    change_note = models.TextField(_("catatan perubahan"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("nilai lulus post-test"), default=70)
    total_minutes = models.PositiveIntegerField(_("total menit"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approval_note = models.TextField(_("catatan pengesahan"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["module", "-number"]
        verbose_name = _("versi modul")
        verbose_name_plural = _("versi modul")
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="unique_module_version"),
            models.CheckConstraint(name="module_pass_mark_0_100", condition=Q(pass_mark__lte=100)),
            # Approved (and later retired) versions carry their approval time.
            models.CheckConstraint(name="module_version_approved_has_time",
                                   condition=~Q(status__in=["approved", "retired"]) | Q(approved_at__isnull=False)),
            # At most one version of a module is being worked on at a time.
            models.UniqueConstraint(fields=["module"], name="one_open_version_per_module",
                                    condition=Q(status__in=["draft", "in_review", "changes_requested"])),
        ]

    def __str__(self) -> str:
        return f"{self.module.code} v{self.number}"

    @property
    def jp(self) -> float:
        return self.total_minutes / 45

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def latest_round(self) -> ReviewRound | None:
        return self.review_rounds.order_by("-number").first()


EDITABLE_STATUSES = frozenset({ModuleVersion.Status.DRAFT, ModuleVersion.Status.CHANGES_REQUESTED})
OPEN_STATUSES = frozenset({ModuleVersion.Status.DRAFT, ModuleVersion.Status.IN_REVIEW,
                           ModuleVersion.Status.CHANGES_REQUESTED})


class ModuleSession(models.Model):
    """One session of a version's outline: topic, method and JP."""

    class Method(models.TextChoices):
        CLASSROOM = "classroom", _("Kelas")
        PRACTICE = "practice", _("Praktik")
        ELEARNING = "elearning", _("E-learning")

    version = models.ForeignKey(ModuleVersion, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveSmallIntegerField(default=0)
    topic = models.CharField(_("topik"), max_length=200)
    method = models.CharField(_("metode"), max_length=20, choices=Method.choices, default=Method.CLASSROOM)
    jp = models.PositiveSmallIntegerField(_("JP"))

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("sesi modul")
        verbose_name_plural = _("sesi modul")
        constraints = [models.CheckConstraint(name="module_session_jp_positive", condition=Q(jp__gt=0))]


class InstitutionMember(models.Model):
    """A user who writes or reviews modules on behalf of an institution (one user may belong to several)."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Penyusun")
        REVIEWER = "reviewer", _("Penelaah")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_memberships")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["institution", "role", "user__username"]
        verbose_name = _("anggota lembaga")
        verbose_name_plural = _("anggota lembaga")
        constraints = [
            models.UniqueConstraint(fields=["institution", "user", "role"], name="unique_institution_member_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.institution} ({self.get_role_display()})"


def material_path(instance: Material, filename: str) -> str:
    """Stored under a random name: the uploader's file name is kept only as a label."""
    return f"curriculum/materials/{uuid.uuid4().hex}.{instance.file_kind or 'bin'}"


class Material(models.Model):
    """A learning material of a version: an uploaded document or a video link."""

    class Kind(models.TextChoices):
        FILE = "file", _("Berkas")
        VIDEO = "video", _("Tautan video")

    version = models.ForeignKey(ModuleVersion, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=material_path, blank=True, max_length=200)
    file_kind = models.CharField(_("format"), max_length=10, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField(_("tautan"), blank=True, max_length=500)
    order = models.PositiveSmallIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("bahan ajar")
        verbose_name_plural = _("bahan ajar")
        constraints = [
            models.CheckConstraint(
                name="material_file_or_link",
                condition=(Q(kind="file") & ~Q(file="") & Q(url="")) | (Q(kind="video") & ~Q(url="") & Q(file="")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReviewRound(models.Model):
    """One round of review of a version, with its due date; closed when every reviewer has decided."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Berjalan")
        APPROVED = "approved", _("Disetujui penelaah")
        CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")

    version = models.ForeignKey(ModuleVersion, on_delete=models.CASCADE, related_name="review_rounds")
    number = models.PositiveSmallIntegerField()
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    due_date = models.DateField(_("batas telaah"))
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OPEN)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("putaran telaah")
        verbose_name_plural = _("putaran telaah")
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="unique_review_round"),
            models.CheckConstraint(name="review_round_closed_has_outcome",
                                   condition=Q(closed_at__isnull=True, outcome="open")
                                   | (Q(closed_at__isnull=False) & ~Q(outcome="open"))),
        ]
        indexes = [models.Index(fields=["outcome", "due_date"], name="review_round_open_due")]

    def __str__(self) -> str:
        return f"{self.version} · {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and today > self.due_date

    def days_left(self, today=None) -> int:
        today = today or timezone.localdate()
        return (self.due_date - today).days


class ReviewAssignment(models.Model):
    """A reviewer's place in a round: their institution, decision and comment."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        APPROVED = "approved", _("Setuju")
        CHANGES_REQUESTED = "changes_requested", _("Minta perbaikan")

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("keputusan"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    comment = models.TextField(_("komentar"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("penelaah putaran")
        verbose_name_plural = _("penelaah putaran")
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer"], name="unique_reviewer_per_round"),
            models.CheckConstraint(name="review_decided_has_time",
                                   condition=Q(decision="pending", decided_at__isnull=True)
                                   | (~Q(decision="pending") & Q(decided_at__isnull=False))),
        ]
        indexes = [models.Index(fields=["reviewer", "decision"], name="review_assignment_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.round}"
