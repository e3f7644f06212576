"""Contract (other apps may rely on these):

- ``ImportRun``: one uploaded file and what became of it. ``kind`` ("people"; later "nominations"),
  ``status`` (see ``Status``; changed only by the transitions in ``imports.services``), ``agency``
  (the target agency), ``created_by``, the counts (``rows_*``) and ``processed_rows`` / ``total_rows``
  for progress.
- ``ImportIssue``: one row of the file with errors or warnings, with the original cell values
  (``raw``), for the preview and the downloadable error report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        PEOPLE = "people", _("SDM Kesos")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("diunggah")
        CHECKING = "checking", _("sedang diperiksa")
        CHECKED = "checked", _("siap diimpor")
        COMMITTING = "committing", _("sedang diimpor")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("semua atau tidak sama sekali")
        VALID_ONLY = "valid_only", _("hanya baris yang valid")

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.PEOPLE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    mode = models.CharField(_("cara impor"), max_length=16, choices=Mode.choices, blank=True)
    agency = models.ForeignKey("people.Agency", verbose_name=_("instansi tujuan"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diimpor oleh"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(_("berkas"), upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    file_kind = models.CharField(_("format"), max_length=8)
    size = models.PositiveBigIntegerField(_("ukuran"), default=0)
    header_row = models.PositiveIntegerField(_("baris judul"), null=True, blank=True)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=list, blank=True)
    sample = models.JSONField(default=list, blank=True)
    message = models.TextField(_("pesan"), blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    #: "Valid rows only": the last file row whose chunk is committed (a restart resumes after it).
    checkpoint_row = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(_("baris data"), default=0)
    rows_new = models.PositiveIntegerField(_("baru"), default=0)
    rows_update = models.PositiveIntegerField(_("diubah"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("tidak berubah"), default=0)
    rows_error = models.PositiveIntegerField(_("galat"), default=0)
    rows_warning = models.PositiveIntegerField(_("peringatan"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("duplikat"), default=0)
    created_count = models.PositiveIntegerField(_("ditambahkan"), default=0)
    updated_count = models.PositiveIntegerField(_("diperbarui"), default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor")
        verbose_name_plural = _("riwayat impor")
        indexes = [models.Index(fields=["agency", "-created_at"], name="importrun_agency_created")]
        constraints = [
            models.CheckConstraint(name="importrun_mode_known",
                                   condition=Q(mode__in=["", "all_or_nothing", "valid_only"])),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_busy(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.COMMITTING}


class ImportIssue(models.Model):
    class Level(models.TextChoices):
        ERROR = "error", _("galat")
        WARNING = "warning", _("peringatan")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("baris"))
    level = models.CharField(max_length=8, choices=Level.choices)
    messages = models.JSONField(default=list)
    raw = models.JSONField(default=list)

    class Meta:
        ordering = ["run", "row"]
        indexes = [models.Index(fields=["run", "level", "row"], name="importissue_run_level_row")]
        constraints = [models.UniqueConstraint(fields=["run", "row"], name="importissue_one_per_row")]
