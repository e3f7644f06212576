"""Record sections from the apps below certification: JP per year (hours) and training
certificates (credentials). Registered in CertificationConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext as _

from certification.record import RecordTable


def _jp(minutes: int) -> str:
    return f"{minutes / 45:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def jp_per_year(*, person, user) -> RecordTable:
    from hours.models import PersonYearTotal

    rows = [
        (str(t.year), _jp(t.approved_minutes), _jp(t.required_minutes),
         _("memenuhi") if t.compliant else _("belum memenuhi"))
        for t in PersonYearTotal.objects.filter(person=person).order_by("-year")
    ]
    return RecordTable(columns=[_("Tahun"), _("JP diakui"), _("JP wajib"), _("Status")], rows=rows,
                       empty=_("Belum ada JP tercatat."))


def training_certificates(*, person, user) -> RecordTable:
    from credentials.models import Certificate

    rows = [
        (c.serial, c.programme_title, c.issued_on.strftime("%d-%m-%Y"), _jp(c.total_minutes), c.get_status_display())
        for c in Certificate.objects.filter(person=person).order_by("-issued_at")
    ]
    return RecordTable(columns=[_("Nomor"), _("Program"), _("Terbit"), _("JP"), _("Status")], rows=rows,
                       empty=_("Belum ada sertifikat pelatihan."))


def position_history(*, person, user) -> RecordTable:
    from people.models import PositionHistory

    rows = [
        (h.since.strftime("%d-%m-%Y"), h.until.strftime("%d-%m-%Y") if h.until else _("sekarang"),
         " · ".join(str(x) for x in (h.position, h.level) if x) or "—", h.rank_grade or "—",
         str(h.agency) + (f" · {h.work_unit}" if h.work_unit else ""))
        for h in PositionHistory.objects.filter(person=person).select_related("position", "level", "agency")
    ]
    return RecordTable(columns=[_("Sejak"), _("Sampai"), _("Jabatan"), _("Pangkat/golongan"), _("Instansi")],
                       rows=rows, empty=_("Riwayat jabatan dicatat sejak data diubah lewat Siaga."))
