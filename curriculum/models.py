"""Training modules and their versions.

Contract relied on by other apps (keep these names and meanings):
``Module.code``, ``Module.title``, ``Module.current_version`` (latest approved version or None),
``ModuleVersion.module``, ``.number``, ``.status`` (``ModuleVersion.Status``), ``.total_minutes``
(sum of its sessions' JP × 45), ``.jp`` (property), ``.approved_at``, ``.pass_mark``, ``.is_approved``;
``Competency.code``/``.name``; ``ModuleVersion.competencies`` via ``Module.competencies``."""

from __future__ import annotations

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

    class Meta:
        ordering = ["module", "-number"]
        verbose_name = _("versi modul")
        verbose_name_plural = _("versi modul")
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="unique_module_version"),
            models.CheckConstraint(name="module_pass_mark_0_100", condition=Q(pass_mark__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.module.code} v{self.number}"

    @property
    def jp(self) -> float:
        return self.total_minutes / 45

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


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
