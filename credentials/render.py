"""The certificate PDF (A4 landscape) with ReportLab, built for speed.

``render_pdf(data, assets)`` works on plain data only (no database), so a bulk run or the
benchmark can spread it over a process pool. What is the same on every certificate of a
programme is prepared once and cached in ``TemplateAssets``: colours, wording, the logo turned
into a small JPEG (embedded as is, never re-encoded), and the static drawing (frame, headings,
labels) kept as ready PDF operators that are appended to each page."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from credentials import qrfast

# Binary (not ASCII85) streams: ReportLab's C accelerator is not installed, and its pure-Python
# ASCII85 encoder took two thirds of a certificate's time. Binary streams are also smaller.
rl_config.useA85 = 0

PAGE_W, PAGE_H = landscape(A4)
FONTS = ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Times-Bold", "Times-Italic")

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def date_id(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {MONTHS_ID[month - 1]} {year}"


def date_en(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {MONTHS_EN[month - 1]} {year}"


def jp_text(minutes: int) -> str:
    value = round(minutes / 45, 1)
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


@dataclass(frozen=True)
class Look:
    """What a programme's template decides (hashable, so assets are cached by it)."""

    primary: str = "#0B5394"
    accent: str = "#C9A227"
    issuer_name: str = "Kementerian Sosial Republik Indonesia"
    unit_name: str = "Pusat Pengembangan Profesi Pekerja Sosial dan Penyuluh Sosial"
    heading: str = "SURAT TANDA TAMAT PELATIHAN"
    heading_en: str = "Certificate of Training Completion"
    body: str = "telah mengikuti dan menyelesaikan dengan baik pelatihan"
    body_en: str = "has successfully completed the training"
    logo: bytes = b""


@dataclass
class TemplateAssets:
    look: Look
    primary: object
    accent: object
    logo: ImageReader | None
    logo_size: tuple[float, float]
    static_ops: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate, as plain values (picklable)."""

    serial: str
    code: str
    person_name: str
    person_nip: str
    agency_name: str
    programme_title: str
    modules: tuple[tuple[str, str, int], ...]  # (title, version label, minutes)
    total_minutes: int
    start_date: str
    end_date: str
    city_name: str
    issued_on: str
    signatory_name: str
    signatory_title: str
    signatory_nip: str
    qr_text: str
    status_note: str = ""


def _logo_jpeg(raw: bytes) -> tuple[bytes, tuple[int, int]] | None:
    """The logo flattened on white and re-encoded once as a small JPEG (ReportLab embeds JPEG as is)."""
    if not raw:
        return None
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(raw))
        image.load()
    except Exception:  # noqa: BLE001 - a broken logo must not stop certificates
        return None
    image.thumbnail((360, 360))
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.split()[-1])
        image = flat
    else:
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue(), image.size


def _centred(c: canvas.Canvas, text: str, y: float, font: str, size: float, max_width: float = PAGE_W - 140):
    while size > 7 and stringWidth(text, font, size) > max_width:
        size -= 0.5
    c.setFont(font, size)
    c.drawCentredString(PAGE_W / 2, y, text)


def _draw_static(c: canvas.Canvas, assets: TemplateAssets) -> None:
    """The frame, issuer, headings and fixed labels: identical on every certificate of a template."""
    look = assets.look
    c.setStrokeColor(assets.primary)
    c.setLineWidth(6)
    c.rect(18, 18, PAGE_W - 36, PAGE_H - 36, stroke=1, fill=0)
    c.setStrokeColor(assets.accent)
    c.setLineWidth(1.5)
    c.rect(30, 30, PAGE_W - 60, PAGE_H - 60, stroke=1, fill=0)
    c.setFillColor(assets.primary)
    _centred(c, look.issuer_name.upper(), PAGE_H - 108, "Helvetica-Bold", 13)
    c.setFillColor(HexColor("#333333"))
    _centred(c, look.unit_name, PAGE_H - 124, "Helvetica", 10.5)
    c.setFillColor(assets.primary)
    _centred(c, look.heading, PAGE_H - 160, "Times-Bold", 26)
    c.setFillColor(HexColor("#555555"))
    _centred(c, look.heading_en, PAGE_H - 177, "Times-Italic", 12)
    c.setFillColor(HexColor("#333333"))
    _centred(c, "diberikan kepada / awarded to", PAGE_H - 218, "Helvetica-Oblique", 10)
    c.setFont("Helvetica", 7.5)
    c.drawString(52, 136, "Pindai untuk verifikasi")
    c.setFont("Helvetica-Oblique", 7)
    c.drawString(52, 127, "Scan to verify")
    c.setStrokeColor(assets.accent)
    c.setLineWidth(0.8)
    c.line(215, 154, 530, 154)


@lru_cache(maxsize=32)
def assets_for(look: Look) -> TemplateAssets:
    logo = _logo_jpeg(look.logo)
    reader = ImageReader(io.BytesIO(logo[0])) if logo else None
    if logo:
        w, h = logo[1]
        scale = 52 / max(w, h)
        size = (w * scale, h * scale)
    else:
        size = (0.0, 0.0)
    assets = TemplateAssets(look=look, primary=HexColor(look.primary), accent=HexColor(look.accent), logo=reader,
                            logo_size=size)
    # Record the static drawing once: font resource names are fixed by setting every font in FONTS
    # order first, on the recording canvas and on each real one.
    probe = canvas.Canvas(io.BytesIO(), pagesize=(PAGE_W, PAGE_H))
    for font in FONTS:
        probe.setFont(font, 10)
    start = len(probe._code)
    _draw_static(probe, assets)
    assets.static_ops = list(probe._code[start:])
    return assets


def qr_matrix(text: str) -> list[bytes]:
    """The QR modules for a certificate's QR text: the site as a byte segment, the rest (upper-case
    code and signed part) as an alphanumeric segment; error level L, fixed mask 3 (see qrfast)."""
    marker = "/v/"
    if marker in text:
        head, tail = text.split(marker, 1)
        if all(ch in qrfast.ALNUM for ch in tail):
            return qrfast.encode([(head + marker, qrfast.BYTE), (tail, qrfast.ALPHANUMERIC)])
    return qrfast.encode([(text, qrfast.BYTE)])


_HEX_BITS = bytes.maketrans(b"\x00\x01", b"01")


def _qr_ops(text: str, x: float, y: float, size: float) -> str:
    """PDF operators that draw the QR code as one 1-bit inline image mask (one sample per module,
    ASCII-hex encoded, scaled without interpolation): a few hundred bytes, no per-module drawing."""
    matrix = qr_matrix(text)
    n = len(matrix)
    quiet = 2
    module = size / (n + 2 * quiet)
    width_bytes = (n + 7) // 8
    pad = b"0" * (width_bytes * 8 - n)
    rows = [int(row.translate(_HEX_BITS) + pad, 2).to_bytes(width_bytes, "big").hex() for row in matrix]
    side = n * module
    return (f"q 0 0 0 rg {side:.3f} 0 0 {side:.3f} {x + quiet * module:.2f} {y + quiet * module:.2f} cm\n"
            f"BI /W {n} /H {n} /IM true /BPC 1 /D [1 0] /I false /F /AHx ID\n{''.join(rows)}>\nEI Q")


def _pdf_string(text: str) -> str:
    """A PDF string literal in WinAnsi (the encoding of the standard fonts), ASCII-only."""
    out = []
    for byte in text.encode("cp1252", "replace"):
        if byte in (0x28, 0x29, 0x5C):
            out.append("\\" + chr(byte))
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _rgb(colour) -> str:
    return f"{colour.red:.3f} {colour.green:.3f} {colour.blue:.3f} rg"


class _Page:
    """Text drawn as raw PDF operators (ReportLab's text objects cost more than the whole page)."""

    def __init__(self, fonts: dict[str, str]):
        self.fonts = fonts
        self.ops: list[str] = []

    def fill(self, colour) -> None:
        self.ops.append(_rgb(colour))

    def text(self, x: float, y: float, text: str, font: str, size: float, align: str = "left") -> None:
        if align != "left":
            width = stringWidth(text, font, size)
            x -= width / 2 if align == "centre" else width
        self.ops.append(f"BT {self.fonts[font]} {size:g} Tf {x:.2f} {y:.2f} Td {_pdf_string(text)} Tj ET")

    def centred(self, text: str, y: float, font: str, size: float, max_width: float = PAGE_W - 140) -> None:
        width = stringWidth(text, font, size)
        if width > max_width:
            size = max(7.0, size * max_width / width)
        self.text(PAGE_W / 2, y, text, font, size, "centre")


def render_pdf(data: CertificateData, assets: TemplateAssets) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), pageCompression=1, invariant=1)
    c.setTitle(f"Sertifikat {data.serial}")
    c.setAuthor(assets.look.issuer_name)
    c.setSubject(data.programme_title)
    for font in FONTS:
        c.setFont(font, 10)
    c._code.extend(assets.static_ops)
    fonts = {font: c._doc.getInternalFontName(font) for font in FONTS}
    look = assets.look
    if assets.logo is not None:
        w, h = assets.logo_size
        c.drawImage(assets.logo, (PAGE_W - w) / 2, PAGE_H - 95, w, h)
    page = _Page(fonts)
    dark = HexColor("#222222")
    grey = HexColor("#555555")
    page.fill(dark)
    page.centred(f"Nomor: {data.serial}", PAGE_H - 196, "Helvetica", 10)
    page.fill(assets.primary)
    page.centred(data.person_name, PAGE_H - 250, "Times-Bold", 26)
    page.fill(dark)
    identity = f"NIP {data.person_nip}" if len(data.person_nip) == 18 else (
        f"NIK {data.person_nip}" if data.person_nip else "")
    line = " · ".join(part for part in (identity, data.agency_name) if part)
    if line:
        page.centred(line, PAGE_H - 268, "Helvetica", 10)
    page.centred(look.body, PAGE_H - 292, "Helvetica", 11)
    page.fill(grey)
    page.centred(look.body_en, PAGE_H - 305, "Helvetica-Oblique", 9)
    page.fill(assets.primary)
    page.centred(data.programme_title, PAGE_H - 330, "Helvetica-Bold", 15)
    page.fill(dark)
    jp = jp_text(data.total_minutes)
    when_id = (f"di {data.city_name}, {date_id(data.start_date)} – {date_id(data.end_date)}, "
               f"sebanyak {jp} JP (jam pelajaran)")
    when_en = (f"in {data.city_name}, {date_en(data.start_date)} – {date_en(data.end_date)}, "
               f"{jp} training hours (JP)")
    page.centred(when_id, PAGE_H - 350, "Helvetica", 10.5)
    page.fill(grey)
    page.centred(when_en, PAGE_H - 363, "Helvetica-Oblique", 8.5)
    # Modules with their JP.
    page.fill(dark)
    y = 160.0
    rows = data.modules[:9]
    size = 8 if len(rows) <= 6 else 7
    page.text(215, y - 2, "Modul / Modules", "Helvetica-Bold", 8)
    page.text(530, y - 2, "JP", "Helvetica-Bold", 8, "right")
    y -= 14
    for title, version, minutes in rows:
        label = f"{title} ({version})"
        while stringWidth(label, "Helvetica", size) > 280 and len(label) > 10:
            label = label[:-4] + "…"
        page.text(215, y, label, "Helvetica", size)
        page.text(530, y, jp_text(minutes), "Helvetica", size, "right")
        y -= size + 3
    if len(data.modules) > len(rows):
        page.text(215, y, f"+ {len(data.modules) - len(rows)} modul lain", "Helvetica", size)
        y -= size + 3
    page.text(215, y, "Jumlah / Total", "Helvetica-Bold", size)
    page.text(530, y, jp, "Helvetica-Bold", size, "right")
    # Signatory.
    sx = PAGE_W - 200
    page.text(sx, 160, f"{data.city_name}, {date_id(data.issued_on)}", "Helvetica", 10, "centre")
    title = data.signatory_title
    if stringWidth(title, "Helvetica", 8.5) > 250:
        words = title.split()
        half = len(words) // 2
        page.text(sx, 146, " ".join(words[:half]), "Helvetica", 8.5, "centre")
        page.text(sx, 136, " ".join(words[half:]), "Helvetica", 8.5, "centre")
    else:
        page.text(sx, 146, title, "Helvetica", 8.5, "centre")
    if data.signatory_name:
        page.text(sx, 82, data.signatory_name, "Helvetica-Bold", 10.5, "centre")
    if data.signatory_nip:
        page.text(sx, 70, f"NIP {data.signatory_nip}", "Helvetica", 8.5, "centre")
    page.text(sx, 50, "Ditandatangani secara elektronik (Ed25519) · Electronically signed", "Helvetica", 6.5,
              "centre")
    # QR code and verification code.
    page.text(52, 58, f"Kode: {data.code}", "Helvetica-Bold", 9)
    page.text(52, 48, data.qr_text.split("/v/", 1)[0] + "/v/" + data.code, "Helvetica", 6.5)
    if data.status_note:
        page.fill(HexColor("#991B1B"))
        page.centred(data.status_note, PAGE_H - 60, "Helvetica-Bold", 14)
    page.ops.append(_qr_ops(data.qr_text, 44, 144, 110))
    c._code.append("\n".join(page.ops))
    c.showPage()
    c.save()
    return out.getvalue()


def bare_page() -> bytes:
    """A one-line ReportLab page: the baseline the benchmark compares with."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawString(72, 720, "Siaga")
    c.showPage()
    c.save()
    return out.getvalue()
