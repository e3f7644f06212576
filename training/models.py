"""Programmes, events (angkatan) and enrolments.

Contract relied on by other apps (keep these names and meanings):
``Programme.code``/``.title``/``.total_minutes``/``.items`` (ProgrammeModule: ``module_version``, ``order``);
``Event.programme``, ``.code``, ``.city`` (Region, level 2), ``.venue``, ``.start_date``, ``.end_date``,
``.status`` (``Event.Status``), ``.seats``, ``.seats_taken``, ``.time_zone``;
``Enrolment.event``, ``.person``, ``.status`` (``Enrolment.Status``), ``.completed_at``,
``.attended_minutes``, ``.post_test_score``, ``.not_completed_reason``.
Completion runs ``training.hooks.run_completion_handlers`` inside its transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from curriculum.models import ModuleVersion
from people.models import Agency, Person, Position, PositionLevel, Region


class Programme(models.Model):
    class Delivery(models.TextChoices):
        CLASSROOM = "classroom", _("Klasikal")
        NON_CLASSROOM = "non_classroom", _("Nonklasikal")
        BLENDED = "blended", _("Campuran (blended)")
        ELEARNING = "elearning", _("E-learning")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    title = models.CharField(_("judul"), max_length=250)
    description = models.TextField(_("uraian"), blank=True)
    delivery = models.CharField(_("jenis penyelenggaraan"), max_length=20, choices=Delivery.choices,
                                default=Delivery.CLASSROOM)
    target_positions = models.ManyToManyField(Position, verbose_name=_("jabatan sasaran"), blank=True)
    target_levels = models.ManyToManyField(PositionLevel, verbose_name=_("jenjang sasaran"), blank=True)
    target_employment_types = models.JSONField(_("status kepegawaian sasaran"), default=list, blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penyelenggara"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    total_minutes = models.PositiveIntegerField(_("total menit"), default=0)
    min_attendance_percent = models.PositiveSmallIntegerField(_("kehadiran minimal (% JP)"), default=90)
    require_post_test = models.BooleanField(_("wajib lulus post-test"), default=True)
    #: Post-test pass mark; empty means the highest pass mark of the curriculum's module versions.
    pass_mark = models.PositiveSmallIntegerField(_("nilai lulus post-test"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("program pelatihan")
        verbose_name_plural = _("program pelatihan")
        constraints = [
            models.CheckConstraint(name="programme_attendance_0_100", condition=Q(min_attendance_percent__lte=100)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def jp(self) -> float:
        return self.total_minutes / 45


class ProgrammeModule(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    module_version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="programme_items")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "module_version"], name="unique_programme_module"),
        ]


class Event(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        OPEN = "open", _("Pendaftaran dibuka")
        RUNNING = "running", _("Berlangsung")
        FINISHED = "finished", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("Tatap muka")
        ONLINE = "online", _("Daring")
        HYBRID = "hybrid", _("Hibrida")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="events")
    code = models.SlugField(_("kode angkatan"), max_length=60, unique=True)
    name = models.CharField(_("nama angkatan"), max_length=200)
    city = models.ForeignKey(Region, verbose_name=_("kota penyelenggaraan"), on_delete=models.PROTECT,
                             related_name="+", limit_choices_to={"level": 2})
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    mode = models.CharField(_("moda"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    venue_capacity = models.PositiveIntegerField(_("kapasitas tempat"))
    cap_percent = models.PositiveSmallIntegerField(_("batas protokol kesehatan (%)"), default=100)
    seats = models.PositiveIntegerField(_("kursi"))
    seats_taken = models.PositiveIntegerField(_("kursi terisi"), default=0)
    registration_opens = models.DateTimeField(_("pendaftaran dibuka"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("pendaftaran ditutup"), null=True, blank=True)
    self_registration = models.BooleanField(_("peserta boleh mendaftar sendiri"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start_date", "code"]
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        constraints = [
            models.CheckConstraint(name="event_seats_not_overbooked", condition=Q(seats_taken__lte=F("seats"))),
            models.CheckConstraint(name="event_dates_ordered", condition=Q(end_date__gte=F("start_date"))),
            models.CheckConstraint(name="event_cap_0_100", condition=Q(cap_percent__gte=1, cap_percent__lte=100)),
        ]
        indexes = [models.Index(fields=["status", "start_date"], name="event_status_start")]

    def __str__(self) -> str:
        return self.name

    @property
    def time_zone(self) -> str:
        return self.city.time_zone

    @property
    def seats_free(self) -> int:
        return max(0, self.seats - self.seats_taken)


class EnrolmentStatus(models.TextChoices):
    NOMINATED = "nominated", _("Diusulkan")
    CONFIRMED = "confirmed", _("Terkonfirmasi")
    WAITLISTED = "waitlisted", _("Daftar tunggu")
    ATTENDED = "attended", _("Hadir")
    COMPLETED = "completed", _("Lulus")
    NOT_COMPLETED = "not_completed", _("Tidak lulus")
    CANCELLED = "cancelled", _("Dibatalkan")


class Enrolment(models.Model):
    Status = EnrolmentStatus

    # no index of its own: the unique (event, person) and the (event, …) indexes below start with it
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="enrolments", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    attended_minutes = models.PositiveIntegerField(default=0)
    pre_test_score = models.PositiveSmallIntegerField(null=True, blank=True)
    post_test_score = models.PositiveSmallIntegerField(null=True, blank=True)
    not_completed_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    #: The participant has not yet been mailed the current status: set in the same write that changes
    #: the status, cleared by the status-mail sweep (``training.status_mail``) once the mail is sent.
    mail_pending = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["event", "created_at"]
        verbose_name = _("peserta angkatan")
        verbose_name_plural = _("peserta angkatan")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="unique_enrolment_per_event"),
            # the services write the status without model validation (the registration rush's hot path)
            models.CheckConstraint(name="enrolment_status_known", condition=Q(status__in=EnrolmentStatus.values)),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="enrolment_event_status"),
            # the next waitlist position (MAX per event) from the end of the index, not a scan
            models.Index(fields=["event", "waitlist_position"], name="enrolment_event_waitlist"),
            models.Index(fields=["id"], name="enrolment_mail_pending", condition=Q(mail_pending=True)),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.event}"


class EventSession(models.Model):
    """One session of an event's schedule: a module version taught by a trainer."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    module_version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul sesi"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pengajar"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    jp = models.PositiveSmallIntegerField(_("JP"))

    class Meta:
        ordering = ["event", "starts_at", "id"]
        verbose_name = _("sesi angkatan")
        verbose_name_plural = _("sesi angkatan")
        constraints = [
            models.CheckConstraint(name="event_session_ordered", condition=Q(ends_at__gt=F("starts_at"))),
            models.CheckConstraint(name="event_session_jp_positive", condition=Q(jp__gt=0)),
        ]

    def __str__(self) -> str:
        return self.title or str(self.module_version)

    @property
    def minutes(self) -> int:
        return self.jp * 45


class AgencyQuota(models.Model):
    """The most seats one agency may take in an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quotas")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveIntegerField(_("kuota kursi"))
    seats_taken = models.PositiveIntegerField(_("kursi terisi"), default=0)

    class Meta:
        ordering = ["event", "agency__name"]
        verbose_name = _("kuota instansi")
        verbose_name_plural = _("kuota instansi")
        constraints = [
            models.UniqueConstraint(fields=["event", "agency"], name="unique_quota_per_agency"),
            models.CheckConstraint(name="quota_not_overbooked", condition=Q(seats_taken__lte=F("seats"))),
        ]


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Hadir")
        LATE = "late", _("Terlambat")
        EXCUSED = "excused", _("Izin")
        ABSENT = "absent", _("Tidak hadir")

    class Method(models.TextChoices):
        LIST = "list", _("Daftar penyelenggara")
        QR = "qr", _("Pindai QR")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("kehadiran"), max_length=10, choices=Status.choices)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.LIST)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="unique_attendance_per_session"),
        ]

    #: Statuses whose session JP count towards attendance.
    COUNTED = frozenset({"present", "late"})
