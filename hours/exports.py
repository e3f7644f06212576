"""Rows for the XLSX/CSV exports (written by ``web.exports``, which neutralises formulas),
the SIASN "riwayat kursus" export and the PDF summary per agency (ReportLab)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from hours.models import MINUTES_PER_JP, LedgerEntry
from hours.selectors import BUCKETS, Row
from people.identity import mask_identity
from web.exports import csv_response, xlsx_response

#: The SIASN riwayat kursus fields (GLOSSARY.md), in order, with the SIASN field names.
SIASN_COLUMNS = ["nipBaru", "nama", "namaKursus", "jenisKursus", "institusiPenyelenggara", "jumlahJam",
                 "tanggalKursus", "tanggalSelesaiKursus", "tahunKursus", "nomorSertipikat", "lokasi"]


def _jp(minutes: int) -> float:
    return round(minutes / MINUTES_PER_JP, 1)


def respond(fmt: str, filename: str, header, rows: Iterable) -> HttpResponse:
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", header, rows)
    return csv_response(f"{filename}.csv", header, rows)


def breakdown_table(rows: list[Row], *, dimension_label: str):
    header = [dimension_label, _("Orang wajib"), _("Memenuhi"), _("Tingkat kepatuhan (%)"), _("Rata-rata JP"),
              _("JP menunggu verifikasi")] + [f"JP {label}" for label, *_r in BUCKETS]
    body = [[r.label, r.people, r.compliant, round((r.rate or 0) * 100, 1), round(r.avg_jp, 1), _jp(r.pending),
             *r.buckets] for r in rows]
    return header, body


def people_table(totals, *, full_identity: bool):
    header = [_("Nama"), _("NIP/NIK"), _("Instansi"), _("Provinsi"), _("Jabatan"), _("Jenjang"), _("Status"),
              _("JP diakui"), _("JP menunggu"), _("JP wajib"), _("Memenuhi")]

    def rows():
        for t in totals:
            p = t.person
            number = p.identity_number if full_identity else mask_identity(p.identity_number)
            yield [p.display_name, number, str(t.agency), t.province.name if t.province else "",
                   t.position.name if t.position else "", t.level.name if t.level else "", t.employment_type,
                   _jp(t.approved_minutes), _jp(t.pending_minutes), _jp(t.required_minutes),
                   _("ya") if t.compliant else _("tidak")]

    return header, rows()


def entries_table(entries):
    header = [_("Tanggal"), _("Kegiatan"), _("Jenis"), _("Sumber"), _("Menit"), _("JP diakui"), _("Status"),
              _("Dibatalkan"), _("Alasan")]

    def rows():
        for e in entries:
            yield [e.date, e.title, e.get_entry_type_display(), e.get_source_display(), e.minutes,
                   _jp(e.credited_minutes), e.get_status_display(), _("ya") if e.is_void else "",
                   e.void_reason or e.rejection_reason]

    return header, rows()


def siasn_rows(entries) -> Iterable[list]:
    """One row per approved, live entry of an ASN; dates as dd-mm-yyyy text."""
    for e in entries:
        p = e.person
        start, end = e.start_date or e.date, e.end_date or e.date
        yield [p.nip or "", p.display_name, e.title, e.get_entry_type_display(), e.organiser,
               max(1, round(e.minutes / MINUTES_PER_JP)), start.strftime("%d-%m-%Y"), end.strftime("%d-%m-%Y"),
               e.year, e.certificate_number, e.location]


def siasn_entries(queryset):
    return (queryset.filter(status=LedgerEntry.Status.APPROVED, voided_at__isnull=True, person__nip__isnull=False)
            .select_related("person").order_by("person_id", "date", "id"))


def agency_pdf(*, agency, year: int, summary: Row, by_province: list[Row], by_level: list[Row],
               at_risk_count: int) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"Ringkasan JP {agency} {year}")
    styles = getSampleStyleSheet()
    story = [Paragraph(_("Ringkasan pemenuhan 20 JP — %(agency)s, tahun %(year)s") % {"agency": agency,
                                                                                       "year": year},
                       styles["Title"]),
             Paragraph(_("Orang wajib: %(n)d · memenuhi: %(c)d (%(r).1f %%) · rata-rata %(avg).1f JP · "
                         "di bawah minimal: %(risk)d")
                       % {"n": summary.people, "c": summary.compliant, "r": (summary.rate or 0) * 100,
                          "avg": summary.avg_jp, "risk": at_risk_count}, styles["Normal"]),
             Spacer(1, 12)]

    def table(title: str, rows: list[Row]):
        data = [[title, _("Orang"), _("Memenuhi"), "%", _("Rata-rata JP")]]
        data += [[r.label[:45], r.people, r.compliant, f"{(r.rate or 0) * 100:.1f}", f"{r.avg_jp:.1f}"]
                 for r in rows]
        t = Table(data, repeatRows=1)
        t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e9ef")),
                               ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("FONTSIZE", (0, 0), (-1, -1), 9)]))
        story.extend([t, Spacer(1, 12)])

    table(_("Provinsi"), by_province)
    table(_("Jabatan · jenjang"), by_level)
    doc.build(story)
    return buffer.getvalue()
