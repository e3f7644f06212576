from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A Kemendagri province (level 1, ``32``) or regency/city (level 2, ``32.73``)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("provinsi")
        REGENCY = 2, _("kabupaten/kota")

    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    name = models.CharField(_("nama"), max_length=100)
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="regencies",
        limit_choices_to={"level": 1},
    )
    lat = models.FloatField()
    lng = models.FloatField()
    utc_offset = models.PositiveSmallIntegerField(help_text="7 = WIB, 8 = WITA, 9 = WIT")

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [
            models.CheckConstraint(name="region_level_1_or_2", condition=Q(level__in=[1, 2])),
            models.CheckConstraint(name="region_utc_offset", condition=Q(utc_offset__in=[7, 8, 9])),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]

    @property
    def time_zone(self) -> str:
        return {7: "Asia/Jakarta", 8: "Asia/Makassar", 9: "Asia/Jayapura"}[self.utc_offset]

    @property
    def zone_label(self) -> str:
        return {7: "WIB", 8: "WITA", 9: "WIT"}[self.utc_offset]


class AgencyType(models.TextChoices):
    MINISTRY = "ministry", _("Kementerian")
    MINISTRY_UNIT = "ministry_unit", _("Unit/UPT kementerian")
    AGENCY = "agency", _("Lembaga/badan")
    HOSPITAL = "hospital", _("Rumah sakit")
    PROVINCIAL_OFFICE = "provincial_office", _("Dinas Sosial provinsi")
    DISTRICT_OFFICE = "district_office", _("Dinas Sosial kabupaten/kota")
    OTHER = "other", _("Lainnya")


class Agency(models.Model):
    """An employing agency (instansi)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    type = models.CharField(_("jenis"), max_length=20, choices=AgencyType.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.short_name or self.name


class Position(models.Model):
    """A functional position (Jabatan Fungsional) or a non-ASN role."""

    class Kind(models.TextChoices):
        FUNCTIONAL = "functional", _("Jabatan fungsional")
        NON_ASN = "non_asn", _("Peran non-ASN")
        OTHER = "other", _("Jabatan lain")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("dasar hukum"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")

    def __str__(self) -> str:
        return self.name


class PositionLevel(models.Model):
    """A level (jenjang) of a functional position, e.g. Ahli Pertama."""

    class Track(models.TextChoices):
        SKILL = "skill", _("Keterampilan")
        EXPERT = "expert", _("Keahlian")

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(max_length=40)
    name = models.CharField(_("nama"), max_length=60)
    track = models.CharField(_("kategori"), max_length=10, choices=Track.choices)
    rank = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        ordering = ["position", "track", "rank"]
        verbose_name = _("jenjang jabatan")
        verbose_name_plural = _("jenjang jabatan")
        constraints = [models.UniqueConstraint(fields=["position", "code"], name="unique_level_code")]

    def __str__(self) -> str:
        return self.name


class EmploymentType(models.TextChoices):
    PNS = "PNS", _("PNS")
    PPPK = "PPPK", _("PPPK")
    NON_ASN = "NON_ASN", _("Non-ASN")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Person(models.Model):
    """A member of the social-welfare workforce (SDM Kesos)."""

    full_name = models.CharField(_("nama lengkap"), max_length=150)
    title_prefix = models.CharField(_("gelar depan"), max_length=40, blank=True)
    title_suffix = models.CharField(_("gelar belakang"), max_length=60, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    employment_type = models.CharField(_("status kepegawaian"), max_length=8, choices=EmploymentType.choices)
    nip = models.CharField(_("NIP"), max_length=18, null=True, blank=True, unique=True)
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, unique=True)
    position = models.ForeignKey(Position, verbose_name=_("jabatan"), null=True, blank=True, on_delete=models.PROTECT)
    level = models.ForeignKey(
        PositionLevel, verbose_name=_("jenjang"), null=True, blank=True, on_delete=models.PROTECT
    )
    rank_grade = models.CharField(_("pangkat/golongan"), max_length=60, blank=True)
    agency = models.ForeignKey(Agency, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="people")
    work_unit = models.CharField(_("unit kerja"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("kabupaten/kota"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"level": 2},
    )
    province = models.ForeignKey(
        Region, verbose_name=_("provinsi"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"level": 1},
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    #: Set by the retention run (``ops.retention``) when the identifying data of a person who left long
    #: ago was removed; counts (enrolments, JP, certificates) stay for statistics.
    anonymised_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True, editable=False)
    #: Lower-cased, punctuation-free name used for sorting and prefix search.
    sort_name = models.CharField(max_length=150, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["sort_name", "id"]
        verbose_name = _("SDM Kesos")
        verbose_name_plural = _("SDM Kesos")
        constraints = [
            models.CheckConstraint(
                name="person_asn_has_nip",
                condition=Q(employment_type="NON_ASN") | Q(nip__isnull=False) | Q(anonymised_at__isnull=False),
            ),
            models.CheckConstraint(
                name="person_non_asn_has_nik",
                condition=~Q(employment_type="NON_ASN") | Q(nik__isnull=False) | Q(anonymised_at__isnull=False),
            ),
            models.CheckConstraint(name="person_sex", condition=Q(sex__in=["L", "P"])),
        ]
        indexes = [
            models.Index(fields=["agency", "sort_name"], name="person_agency_name"),
            models.Index(fields=["province", "sort_name"], name="person_province_name"),
            models.Index(fields=["position", "sort_name"], name="person_position_name"),
            models.Index(fields=["employment_type", "sort_name"], name="person_emptype_name"),
        ]
        # PostgreSQL also has person_id_active_name (id) INCLUDE (is_active, sort_name), made by migration
        # people/0004 (a covering index, which SQLite has not): name search pages read the matches'
        # is_active and sort_name from it (decision 0010).

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = self.full_name
        if self.title_prefix:
            name = f"{self.title_prefix} {name}"
        if self.title_suffix:
            name = f"{name}, {self.title_suffix}"
        return name

    @property
    def identity_number(self) -> str:
        return self.nip or self.nik or ""

    @property
    def time_zone(self) -> str:
        place = self.region or self.province
        return place.time_zone if place else "Asia/Jakarta"


class PersonSearchToken(models.Model):
    """One word of a person's name, for fast word-prefix search on a million rows
    (a B-tree range on ``token`` works the same on SQLite and PostgreSQL)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["token", "person"], name="person_token_idx")]


class PositionHistory(models.Model):
    """One period in a person's position (jabatan, jenjang, pangkat, instansi), written by the
    registry's services whenever one of them changes; the open period has ``until=None``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="position_history")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(PositionLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rank_grade = models.CharField(max_length=60, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    work_unit = models.CharField(max_length=200, blank=True)
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-since", "-id"]
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(until__isnull=True),
                                    name="one_open_position_period"),
        ]
