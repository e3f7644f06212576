"""A module version as a printable PDF for participants' handbooks (ReportLab)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from curriculum.diff import jp_text
from curriculum.models import ModuleVersion


def version_pdf(version: ModuleVersion) -> bytes:
    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading2"]
    module = version.module
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=f"{module.code} {module.title}", author=module.owner.name)
    story = [
        Paragraph(escape(module.title), styles["Title"]),
        Paragraph(escape(f"{module.code} · {_('Versi')} {version.number} · {version.get_status_display()}"), body),
        Paragraph(escape(f"{_('Lembaga pemilik')}: {module.owner.name}"), body),
    ]
    if version.approved_at:
        story.append(Paragraph(escape(f"{_('Disahkan')}: {formats.date_format(version.approved_at, 'j F Y')}"), body))
    story.append(Paragraph(escape(f"{_('Total JP')}: {jp_text(version.total_minutes)} · "
                                  f"{_('Nilai lulus post-test')}: {version.pass_mark}"), body))
    if module.summary:
        story += [Spacer(1, 8), Paragraph(escape(module.summary), body)]
    competencies = ", ".join(c.name for c in module.competencies.all())
    if competencies:
        story.append(Paragraph(escape(f"{_('Kompetensi')}: {competencies}"), body))
    story += [Paragraph(escape(_("Tujuan pembelajaran")), heading)]
    objectives = [line.strip() for line in version.objectives.splitlines() if line.strip()]
    if objectives:
        story.append(ListFlowable([ListItem(Paragraph(escape(line.lstrip("-• ")), body)) for line in objectives],
                                  bulletType="bullet"))
    story.append(Paragraph(escape(_("Kerangka sesi")), heading))
    rows = [[_("No."), _("Topik"), _("Metode"), _("JP")]]
    rows += [[str(i), Paragraph(escape(s.topic), body), s.get_method_display(), str(s.jp)]
             for i, s in enumerate(version.sessions.all(), start=1)]
    table = Table(rows, colWidths=[1.2 * cm, 9.8 * cm, 3.5 * cm, 1.5 * cm], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#d5dbe3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(table)
    materials = list(version.materials.all())
    if materials:
        story.append(Paragraph(escape(_("Bahan ajar")), heading))
        story.append(ListFlowable([
            ListItem(Paragraph(escape(f"{m.title} ({m.file_kind.upper() if m.kind == m.Kind.FILE else m.url})"), body))
            for m in materials], bulletType="bullet"))
    if version.change_note:
        story += [Paragraph(escape(_("Catatan perubahan")), heading), Paragraph(escape(version.change_note), body)]
    doc.build(story)
    return buffer.getvalue()
