"""The printable attendance sheet (daftar hadir) with a signature column (ReportLab)."""

from __future__ import annotations

import io
import zoneinfo

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from people.identity import mask_identity
from training.models import EventSession

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def attendance_sheet_pdf(session: EventSession, rows, *, full_identity: bool) -> bytes:
    event = session.event
    zone = zoneinfo.ZoneInfo(event.time_zone)
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=_("Daftar hadir"))
    when = f"{start.day} {MONTHS[start.month - 1]} {start.year}, {start:%H.%M}–{end:%H.%M} {event.city.zone_label}"
    story = [
        Paragraph(_("DAFTAR HADIR PESERTA"), styles["Title"]),
        Paragraph(event.name, styles["Heading3"]),
        Paragraph(f"{_('Sesi')}: {session} · {session.jp} JP", styles["Normal"]),
        Paragraph(f"{_('Waktu')}: {when}", styles["Normal"]),
        Paragraph(f"{_('Tempat')}: {event.venue}, {event.city.name}", styles["Normal"]),
        Spacer(1, 6 * mm),
    ]
    data = [[_("No"), _("Nama"), _("NIP/NIK"), _("Instansi"), _("Tanda tangan")]]
    for n, (enrolment, _mark) in enumerate(rows, start=1):
        number = enrolment.person.identity_number
        data.append([str(n), Paragraph(enrolment.person.display_name, styles["Normal"]),
                     number if full_identity else mask_identity(number),
                     Paragraph(str(enrolment.agency), styles["Normal"]),
                     f"{n}. ............" if n % 2 else f"          {n}. ............"])
    table = Table(data, colWidths=[10 * mm, 60 * mm, 38 * mm, 40 * mm, 32 * mm], repeatRows=1,
                  rowHeights=[None] + [11 * mm] * (len(data) - 1))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e9ef")),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f9fb")]),
    ]))
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
