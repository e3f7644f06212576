"""Readiness and deployment: incidents, deployment requests, call-ups and deployments.

Contract relied on by other apps (keep these names and meanings):
``Deployment.person``, ``.role``, ``.team``, ``.start_date``, ``.end_date``, ``.released_on``, ``.status``,
``.request`` (→ ``DeploymentRequest.incident``); ``PersonCompetency`` (person, competency, module_version,
completed_at) is the readiness table kept by the training completion hook; ``readiness.selectors.
deployments_for_person(person)`` is the read used by the person's record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from curriculum.models import Competency, ModuleVersion
from people.models import Agency, Person, Position, Region


class IncidentType(models.TextChoices):
    FLOOD = "flood", _("Banjir")
    EARTHQUAKE = "earthquake", _("Gempa bumi")
    TSUNAMI = "tsunami", _("Tsunami")
    VOLCANIC_ERUPTION = "volcanic_eruption", _("Erupsi gunung api")
    LANDSLIDE = "landslide", _("Tanah longsor")
    FOREST_FIRE = "forest_fire", _("Kebakaran hutan dan lahan")
    EPIDEMIC = "epidemic", _("Wabah penyakit")
    SOCIAL_CONFLICT = "social_conflict", _("Konflik sosial")
    OTHER = "other", _("Lainnya")


class Service(models.TextChoices):
    """The services the ministry deploys (displacement and protection cluster)."""

    PUBLIC_KITCHEN = "public_kitchen", _("Dapur umum")
    SHELTER = "shelter", _("Pengelolaan pengungsian (shelter)")
    LOGISTICS = "logistics", _("Logistik")
    RAPID_ASSESSMENT = "rapid_assessment", _("Kaji cepat")
    VICTIM_DATA = "victim_data", _("Pendataan korban")
    PSYCHOSOCIAL_SUPPORT = "psychosocial_support", _("Layanan dukungan psikososial (LDP)")
    PROTECTION = "protection", _("Perlindungan kelompok rentan")


class CredentialKind(models.TextChoices):
    COMPETENCY_CERTIFICATE = "competency_certificate", _("Sertifikat kompetensi")
    STR = "str", _("STR")
    SIPPS = "sipps", _("SIPPS")


class AgencyReadinessPolicy(models.Model):
    """Per-agency rules for call-ups: whether the agency's admin must consent first."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="readiness_policy")
    consent_required = models.BooleanField(_("perlu persetujuan instansi"), default=False)

    class Meta:
        verbose_name = _("kebijakan penugasan instansi")
        verbose_name_plural = _("kebijakan penugasan instansi")

    def __str__(self) -> str:
        return str(self.agency)


class PersonCompetency(models.Model):
    """A competency a person holds through a completed module version (the readiness table).

    Written by the training completion hook, so roster matching is an indexed query and never
    walks enrolments, programmes and modules."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    module_version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField()
    enrolment_id = models.BigIntegerField(null=True, blank=True)
    #: Copies of the person's regency, position, agency and active flag, written by database triggers
    #: (migration 0002: on insert here, and whenever the person's row changes), never by Python; matching
    #: filters this table alone (docs/decisions/0007-roster-exact-walk.md).
    person_region = models.ForeignKey(Region, null=True, blank=True, editable=False, db_constraint=False,
                                      db_index=False, on_delete=models.DO_NOTHING, related_name="+")
    person_position = models.ForeignKey(Position, null=True, blank=True, editable=False, db_constraint=False,
                                        db_index=False, on_delete=models.DO_NOTHING, related_name="+")
    person_agency = models.ForeignKey(Agency, null=True, blank=True, editable=False, db_constraint=False,
                                      db_index=False, on_delete=models.DO_NOTHING, related_name="+")
    person_active = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("kompetensi SDM")
        verbose_name_plural = _("kompetensi SDM")
        constraints = [
            models.UniqueConstraint(fields=["person", "competency", "module_version"],
                                    name="unique_person_competency_version"),
        ]
        indexes = [
            models.Index(fields=["competency", "module_version", "person"], name="personcomp_comp_version"),
            # The roster walk: one competency, a batch of regencies, allowed versions; covering.
            models.Index(fields=["competency", "person_region", "module_version", "person", "person_position",
                                 "person_agency"], name="personcomp_walk", condition=Q(person_active=True)),
        ]


class Incident(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Tanggap darurat")
        RECOVERY = "recovery", _("Pemulihan")
        CLOSED = "closed", _("Ditutup")

    title = models.CharField(_("nama kejadian"), max_length=200)
    type = models.CharField(_("jenis bencana"), max_length=20, choices=IncidentType.choices)
    regencies = models.ManyToManyField(Region, verbose_name=_("kabupaten/kota terdampak"), related_name="+",
                                       limit_choices_to={"level": 2})
    start_date = models.DateField(_("tanggal mulai"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("koordinator"),
                                    on_delete=models.PROTECT, related_name="+")
    services = models.JSONField(_("layanan yang dibutuhkan"), default=list, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("kejadian bencana")
        verbose_name_plural = _("kejadian bencana")
        indexes = [models.Index(fields=["status", "start_date"], name="incident_status_start")]

    def __str__(self) -> str:
        return self.title

    def service_labels(self) -> list[str]:
        return [str(Service(s).label) for s in self.services if s in Service.values]


class DeploymentRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        CLOSED = "closed", _("Ditutup")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="requests")
    service = models.CharField(_("layanan"), max_length=30, choices=Service.choices)
    role = models.CharField(_("peran"), max_length=120)
    people_needed = models.PositiveIntegerField(_("jumlah orang"))
    competencies = models.ManyToManyField(Competency, verbose_name=_("kompetensi wajib"), blank=True,
                                          related_name="+")
    credential_kinds = models.JSONField(_("kredensial wajib (masih berlaku)"), default=list, blank=True)
    preferred_positions = models.ManyToManyField(Position, verbose_name=_("jabatan yang diutamakan"), blank=True,
                                                 related_name="+")
    start_date = models.DateField(_("mulai tugas"))
    end_date = models.DateField(_("selesai tugas"))
    assembly_point = models.ForeignKey(Region, verbose_name=_("titik kumpul"), on_delete=models.PROTECT,
                                       related_name="+", limit_choices_to={"level": 2})
    max_version_age_months = models.PositiveSmallIntegerField(
        _("umur maksimal versi modul lama (bulan)"), default=24,
        help_text=_("Versi modul lama masih diakui bila disahkan paling lama sekian bulan lalu."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["incident", "start_date", "id"]
        verbose_name = _("permintaan penugasan")
        verbose_name_plural = _("permintaan penugasan")
        constraints = [
            models.CheckConstraint(name="request_dates_ordered", condition=Q(end_date__gte=F("start_date"))),
            models.CheckConstraint(name="request_people_positive", condition=Q(people_needed__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} · {self.incident}"


class CallUp(models.Model):
    """A call sent to one person for one request, and their reply."""

    class Status(models.TextChoices):
        AWAITING_CONSENT = "awaiting_consent", _("Menunggu persetujuan instansi")
        CONSENT_REFUSED = "consent_refused", _("Tidak disetujui instansi")
        SENT = "sent", _("Terkirim")
        ACCEPTED = "accepted", _("Bersedia")
        DECLINED = "declined", _("Tidak bersedia")
        CONFIRMED = "confirmed", _("Dikonfirmasi")
        CANCELLED = "cancelled", _("Dibatalkan")

    request = models.ForeignKey(DeploymentRequest, on_delete=models.PROTECT, related_name="callups")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    explanation = models.TextField(_("alasan peringkat"), blank=True)
    override_reason = models.CharField(_("alasan penambahan manual"), max_length=255, blank=True)
    #: Changes on every (re)send; a reply link carries it, so an old link stops working.
    nonce = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_note = models.CharField(_("catatan"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request", "rank", "id"]
        verbose_name = _("panggilan tugas")
        verbose_name_plural = _("panggilan tugas")
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="unique_callup_per_request")]
        indexes = [models.Index(fields=["request", "status"], name="callup_request_status")]

    def __str__(self) -> str:
        return f"{self.person} · {self.request}"


class Deployment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Bertugas")
        RELEASED = "released", _("Selesai (dilepas)")

    request = models.ForeignKey(DeploymentRequest, on_delete=models.PROTECT, related_name="deployments")
    callup = models.OneToOneField(CallUp, null=True, blank=True, on_delete=models.PROTECT, related_name="deployment")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("peran"), max_length=120)
    team = models.CharField(_("tim"), max_length=120, blank=True)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    released_on = models.DateField(_("dilepas pada"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.CheckConstraint(name="deployment_dates_ordered", condition=Q(end_date__gte=F("start_date"))),
            models.UniqueConstraint(fields=["request", "person"], name="unique_deployment_per_request"),
        ]
        indexes = [models.Index(fields=["person", "end_date"], name="deployment_person_end")]

    def __str__(self) -> str:
        return f"{self.person} · {self.role}"

    @property
    def until(self):
        """The last day of duty: the release date when released early, else the planned end."""
        return self.released_on or self.end_date


class Unavailability(models.Model):
    """A period in which a person cannot be deployed (leave, illness, duty elsewhere)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    reason = models.CharField(_("alasan"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("masa tidak bersedia")
        verbose_name_plural = _("masa tidak bersedia")
        constraints = [
            models.CheckConstraint(name="unavailability_dates_ordered", condition=Q(end_date__gte=F("start_date"))),
        ]
        indexes = [models.Index(fields=["person", "end_date"], name="unavailability_person_end")]

    def __str__(self) -> str:
        return f"{self.person} {self.start_date}–{self.end_date}"
