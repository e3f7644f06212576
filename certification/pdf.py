"""The printable person record (ReportLab), built from the same data as the page."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _d(day) -> str:
    return formats.date_format(day, "j F Y") if day else "—"


def _table(header, rows, styles):
    cell = styles["BodyText"]
    data = [[Paragraph(f"<b>{escape(str(h))}</b>", cell) for h in header]]
    data += [[Paragraph(escape("" if v is None else str(v)), cell) for v in row] for row in rows]
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e9ef")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def record_pdf(record: dict) -> bytes:
    person = record["person"]
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=_("Riwayat %(name)s") % {"name": person.display_name})
    story = [
        Paragraph(escape(_("Riwayat SDM Kesos")), styles["Title"]),
        Paragraph(escape(person.display_name), styles["Heading2"]),
        Paragraph(escape(" · ".join(filter(None, [
            record["identity"], str(person.position or ""), str(person.level or ""),
            person.agency.name]))), styles["BodyText"]),
        Paragraph(escape(_("Dicetak %(date)s dari Siaga.") % {"date": _d(timezone.localdate())}), styles["Italic"]),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Kualifikasi")), styles["Heading3"]),
    ]
    if record["qualifications"]:
        rows = []
        for result in record["qualifications"]:
            for item in result.results:
                rows.append([result.requirement_set.name, item.requirement.label,
                             _("terpenuhi") if item.met else _("belum"), item.explanation])
        story.append(_table([_("Perangkat"), _("Persyaratan"), _("Status"), _("Keterangan")], rows, styles))
    else:
        story.append(Paragraph(escape(_("Tidak ada aturan kualifikasi untuk jabatan ini.")), styles["BodyText"]))
    story += [Spacer(1, 4 * mm), Paragraph(escape(_("Kredensial profesi")), styles["Heading3"])]
    story.append(_table([_("Jenis"), _("Nomor"), _("Terbit"), _("Berlaku sampai"), _("Status")], [
        [c.label, c.number, _d(c.issued_on), _d(c.valid_until) if c.valid_until else _("seumur hidup"),
         f"{c.get_status_display()}{' · ' + _('kedaluwarsa') if c.state == 'expired' else ''}"]
        for c in record["credentials"]] or [["—", "", "", "", ""]], styles))
    story += [Spacer(1, 4 * mm), Paragraph(escape(_("Pelatihan yang diikuti")), styles["Heading3"])]
    story.append(_table([_("Program"), _("Angkatan"), _("Lulus"), _("Versi modul")], [
        [e.event.programme.title, e.event.name, _d(timezone.localdate(e.completed_at)) if e.completed_at else "—",
         ", ".join(str(item.module_version) for item in e.event.programme.items.all())]
        for e in record["trainings"]] or [["—", "", "", ""]], styles))
    for section in record["sections"]:
        story += [Spacer(1, 4 * mm), Paragraph(escape(section.title), styles["Heading3"])]
        if section.table is None:
            story.append(Paragraph(escape(_("Bagian ini sedang tidak tersedia.")), styles["BodyText"]))
        elif section.table.rows:
            story.append(_table(section.table.columns, section.table.rows, styles))
        else:
            story.append(Paragraph(escape(section.table.empty or "—"), styles["BodyText"]))
    story += [Spacer(1, 4 * mm), Paragraph(escape(_("Jabatan")), styles["Heading3"]),
              Paragraph(escape(record["position_note"]), styles["BodyText"])]
    doc.build(story)
    return buffer.getvalue()
