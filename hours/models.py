"""The 20 JP ledger: entries, per-person-per-year totals, JP rules and e-learning platforms.

Contract relied on by other apps (keep these names and meanings):
``LedgerEntry.person``, ``.year``, ``.date``, ``.minutes``, ``.credited_minutes``, ``.entry_type``,
``.source``, ``.status`` (``LedgerEntry.Status``), ``.voided_at``;
``PersonYearTotal.person``, ``.year``, ``.approved_minutes`` (credited), ``.pending_minutes``,
``.required_minutes``, ``.compliant``. Totals change only through ``hours.services``."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Agency, EmploymentType, Person, Position, PositionLevel, Region

MINUTES_PER_JP = 45


class EntryType(models.TextChoices):
    CLASSROOM = "classroom", _("Pelatihan klasikal")
    ELEARNING = "elearning", _("E-learning")
    DISTANCE = "distance", _("Pelatihan jarak jauh")
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    INTERNSHIP = "internship", _("Magang/praktik kerja")
    SEMINAR = "seminar", _("Seminar/lokakarya")
    COURSE = "course", _("Kursus")
    SELF_STUDY = "self_study", _("Belajar mandiri")
    OTHER = "other", _("Lainnya")


class JPRequirement(models.Model):
    """The yearly minimum for one employment type, with its legal source."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    employment_type = models.CharField(_("status kepegawaian"), max_length=8, choices=EmploymentType.choices)
    minimum_minutes = models.PositiveIntegerField(_("minimal (menit)"))
    legal_source = models.TextField(_("dasar hukum"))
    needs_check = models.BooleanField(_("perlu dicek ke naskah resmi"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "employment_type"]
        verbose_name = _("ketentuan minimal JP")
        verbose_name_plural = _("ketentuan minimal JP")
        constraints = [
            models.UniqueConstraint(fields=["year", "employment_type"], name="unique_jp_requirement"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.employment_type}: {self.minimum_minutes / MINUTES_PER_JP:g} JP"


class ConversionShare(models.Model):
    """How much of a non-classroom type's minutes count towards the minimum (percent)."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    entry_type = models.CharField(_("jenis"), max_length=20, choices=EntryType.choices)
    percent = models.PositiveSmallIntegerField(_("persentase diakui"))
    legal_source = models.TextField(_("dasar hukum"))
    needs_check = models.BooleanField(_("perlu dicek ke naskah resmi"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "entry_type"]
        verbose_name = _("konversi JP")
        verbose_name_plural = _("konversi JP")
        constraints = [
            models.UniqueConstraint(fields=["year", "entry_type"], name="unique_conversion_share"),
            models.CheckConstraint(name="conversion_share_0_100", condition=Q(percent__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.entry_type}: {self.percent} %"


class LearningPlatform(models.Model):
    """An e-learning platform allowed to send xAPI statements (HTTP Basic; secret hashed)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    username = models.CharField(_("nama pengguna xAPI"), max_length=80, unique=True)
    secret_digest = models.CharField(max_length=64)
    home_page = models.URLField(_("alamat akun (account.homePage)"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("platform e-learning")
        verbose_name_plural = _("platform e-learning")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "xapi_" + secrets.token_urlsafe(32)

    def check_secret(self, secret: str) -> bool:
        return secrets.compare_digest(self.secret_digest, self.hash_secret(secret))


def evidence_path(instance: LedgerEntry, filename: str) -> str:
    return f"hours/evidence/{instance.person_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class LedgerEntry(models.Model):
    """One piece of learning of one person. Never deleted: voided with a reason."""

    class Source(models.TextChoices):
        EVENT = "event", _("Pelatihan Siaga")
        PLATFORM = "platform", _("Platform e-learning")
        EXTERNAL = "external", _("Catatan eksternal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu verifikasi")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ledger_entries")
    year = models.PositiveSmallIntegerField(_("tahun"), editable=False)
    date = models.DateField(_("tanggal"))
    start_date = models.DateField(_("tanggal mulai"), null=True, blank=True)
    end_date = models.DateField(_("tanggal selesai"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("menit"))
    credited_minutes = models.PositiveIntegerField(_("menit diakui"), default=0)
    entry_type = models.CharField(_("jenis"), max_length=20, choices=EntryType.choices)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    title = models.CharField(_("nama kegiatan"), max_length=250)
    organiser = models.CharField(_("penyelenggara"), max_length=200, blank=True)
    location = models.CharField(_("lokasi"), max_length=200, blank=True)
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=100, blank=True)
    enrolment = models.ForeignKey("training.Enrolment", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    platform = models.ForeignKey(LearningPlatform, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="entries")
    statement_id = models.UUIDField(null=True, blank=True, unique=True)
    evidence = models.FileField(_("bukti"), upload_to=evidence_path, blank=True, max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.CharField(_("alasan penolakan"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(_("alasan pembatalan"), max_length=500, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("catatan JP")
        verbose_name_plural = _("catatan JP")
        constraints = [
            models.CheckConstraint(name="ledger_minutes_positive", condition=Q(minutes__gt=0)),
            models.CheckConstraint(name="ledger_rejected_has_reason",
                                   condition=~Q(status="rejected") | ~Q(rejection_reason="")),
            models.CheckConstraint(name="ledger_voided_has_reason",
                                   condition=Q(voided_at__isnull=True) | ~Q(void_reason="")),
            models.UniqueConstraint(fields=["enrolment"], condition=Q(voided_at__isnull=True),
                                    name="one_live_entry_per_enrolment"),
        ]
        indexes = [
            models.Index(fields=["person", "year"], name="ledger_person_year"),
            models.Index(fields=["status", "created_at"], name="ledger_status_created"),
            models.Index(fields=["year", "entry_type"], name="ledger_year_type"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.minutes} min)"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class PersonYearTotal(models.Model):
    """A person's credited and pending minutes for one calendar year, kept in the same
    transaction as every ledger change, with the person's dimensions copied for dashboards."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="year_totals")
    year = models.PositiveSmallIntegerField()
    approved_minutes = models.PositiveIntegerField(default=0)
    pending_minutes = models.PositiveIntegerField(default=0)
    required_minutes = models.PositiveIntegerField(default=0)
    compliant = models.BooleanField(default=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", db_index=False)
    province = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 db_index=False)
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 db_index=False)
    level = models.ForeignKey(PositionLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              db_index=False)
    employment_type = models.CharField(max_length=8, choices=EmploymentType.choices)

    class Meta:
        verbose_name = _("total JP per tahun")
        verbose_name_plural = _("total JP per tahun")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="unique_person_year_total"),
        ]
        indexes = [
            # (year, dimension, approved_minutes): filter by year and dimension, drill-down lists
            # ordered by JP read in index order.
            models.Index(fields=["year", "approved_minutes", "person"], name="total_year_minutes"),
            models.Index(fields=["year", "agency", "approved_minutes"], name="total_year_agency"),
            models.Index(fields=["year", "province", "approved_minutes"], name="total_year_province"),
            models.Index(fields=["year", "position", "level"], name="total_year_position"),
            models.Index(fields=["year", "employment_type"], name="total_year_emptype"),
            models.Index(fields=["year", "compliant", "approved_minutes"], name="total_year_compliant"),
            # The people behind a figure and the at-risk list count and page only people the minimum
            # applies to: partial indexes in list order, so the (capped) count reads the index alone
            # instead of 10,000 rows of the table (24 → 8 ms at 1M people; decision 0013).
            models.Index(fields=["year", "agency", "approved_minutes", "person"], name="total_subject_agency",
                         condition=Q(required_minutes__gt=0)),
            models.Index(fields=["year", "compliant", "approved_minutes", "person"],
                         name="total_subject_compliant", condition=Q(required_minutes__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.year}: {self.approved_minutes}/{self.required_minutes}"

    @property
    def gap_minutes(self) -> int:
        return max(0, self.required_minutes - self.approved_minutes)


class RuleRecompute(models.Model):
    """Progress of recomputing totals after a rule changed (runs as a background task)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")

    year = models.PositiveSmallIntegerField()
    entry_type = models.CharField(max_length=20, blank=True)
    employment_type = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    #: Where a restarted job resumes: the year and the last person id whose batch is committed
    #: (written in the batch's transaction; 0: nothing done yet).
    cursor_year = models.PositiveSmallIntegerField(default=0)
    cursor_person = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


#: JP distribution buckets of the dashboard: (label, lower JP inclusive, upper JP exclusive or None)
BUCKETS = [("0", 0, 0), ("<5", 0, 5), ("5–10", 5, 10), ("10–15", 10, 15), ("15–20", 15, 20), ("≥20", 20, None)]


def bucket_of(approved_minutes: int) -> int:
    if approved_minutes <= 0:
        return 0
    jp = approved_minutes / MINUTES_PER_JP
    for index, (_label, _low, high) in enumerate(BUCKETS[1:], start=1):
        if high is None or jp < high:
            return index
    return len(BUCKETS) - 1


class ComplianceCounters(models.Model):
    """The counters of a dashboard figure: people the minimum applies to, compliant people, their
    approved and pending minutes, and people per JP bucket (``BUCKETS``)."""

    people = models.IntegerField(default=0)
    compliant = models.IntegerField(default=0)
    approved_minutes = models.BigIntegerField(default=0)
    pending_minutes = models.BigIntegerField(default=0)
    b0 = models.IntegerField(default=0)
    b1 = models.IntegerField(default=0)
    b2 = models.IntegerField(default=0)
    b3 = models.IntegerField(default=0)
    b4 = models.IntegerField(default=0)
    b5 = models.IntegerField(default=0)

    class Meta:
        abstract = True


class CellKey(models.Model):
    """A ComplianceCell's key. Keys are plain values: 0 / "" mean "not filled in"."""

    year = models.PositiveSmallIntegerField()
    agency_key = models.PositiveIntegerField()
    province_key = models.CharField(max_length=5, blank=True)
    position_key = models.PositiveIntegerField(default=0)
    level_key = models.PositiveIntegerField(default=0)
    employment_type = models.CharField(max_length=8)

    class Meta:
        abstract = True


class ComplianceCell(CellKey, ComplianceCounters):
    """Counts of people the minimum applies to, per year and dashboard dimensions, kept by the
    same transaction as their PersonYearTotal (so the dashboard sums a few thousand cells
    instead of a million totals)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "agency_key", "province_key", "position_key", "level_key",
                                            "employment_type"], name="unique_compliance_cell"),
        ]


class RollupDimension(models.TextChoices):
    AGENCY = "agency", _("Instansi")
    PROVINCE = "province", _("Provinsi")
    POSITION = "position", _("Jabatan")
    LEVEL = "level", _("Jenjang")
    EMPLOYMENT_TYPE = "employment_type", _("Status kepegawaian")


class ComplianceRollup(ComplianceCounters):
    """The ComplianceCells of one year summed over every dimension but one (decision 0013), kept
    by compaction of ComplianceDelta rows, never by the ledger's transactions (no hot rows). ``key``
    is the cell's key as text, and "" for "not filled in" in every dimension (cells use 0 / "")."""

    year = models.PositiveSmallIntegerField()
    dimension = models.CharField(max_length=16, choices=RollupDimension.choices)
    key = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "dimension", "key"], name="unique_compliance_rollup"),
        ]


class ComplianceDelta(CellKey, ComplianceCounters):
    """One change of one ComplianceCell, appended (never updated) in the ledger's transaction; moved
    into ComplianceRollup by ``hours.cells.compact`` (DELETE … RETURNING). Readers add the pending
    rows to the rollups in the same statement."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        indexes = [models.Index(fields=["year"], name="compliance_delta_year")]
