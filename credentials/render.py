"""The certificate PDF (A4 landscape) with ReportLab, built for speed.

``render_pdf(data, assets)`` works on plain data only (no database), so a bulk run can spread it
over a process pool (``credentials.bulk``). Each certificate is its own ReportLab document (canvas,
page, info, cross-reference table); what is the same on every certificate of a programme is built
once per template in ``TemplateAssets`` by ReportLab itself and put into each document as the
bytes ReportLab made for it:

- the static drawing (frame, issuer, headings, fixed labels) as one Form XObject, compressed once;
- the logo, flattened once to a small JPEG and kept as its image XObject (embedded as is);
- the font objects of the five standard fonts (no per-page font registration).

The text that changes per certificate is written as PDF text operators (ReportLab's text objects
cost more than the whole page), with widths from the fonts' metrics, and the QR code is one 1-bit
inline image mask."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen import canvas

from credentials import qrfast

# Binary (not ASCII85) streams: ReportLab's C accelerator is not installed, and its pure-Python
# ASCII85 encoder took two thirds of a certificate's time. Binary streams are also smaller.
rl_config.useA85 = 0

PAGE_W, PAGE_H = landscape(A4)
FONTS = ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Times-Bold", "Times-Italic")
_FORM = "siagaStatic"
_LOGO = "siagaLogo"

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
    """One template's invariant parts, made once by ReportLab and reused by every certificate."""

    look: Look
    primary: str  # fill colour operators
    accent: str
    logo_size: tuple[float, float]
    fonts: tuple[tuple[str, str, bytes], ...]  # (font, internal name, the font object as ReportLab wrote it)
    font_dict: bytes  # the document's font dictionary (/F1 … /F5 → their objects)
    numbers: dict[str, tuple[int, int]]  # object numbers of the font dictionary and fonts
    form: bytes  # the static drawing: a Form XObject whose resources are the document's font dictionary
    logo: bytes | None  # the logo's image XObject (JPEG, embedded as is)
    head: str  # the page operators that draw the form and the logo


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


def _fit(text: str, font: str, size: float, max_width: float) -> float:
    width = text_width(text, font, size)
    return max(7.0, size * max_width / width) if width > max_width else size


def _draw_static(c: canvas.Canvas, look: Look) -> None:
    """The frame, issuer, headings and fixed labels: identical on every certificate of a template
    (drawn with ReportLab's canvas into the template's Form XObject)."""
    primary, accent = HexColor(look.primary), HexColor(look.accent)

    def centred(text: str, y: float, font: str, size: float) -> None:
        c.setFont(font, _fit(text, font, size, PAGE_W - 140))
        c.drawCentredString(PAGE_W / 2, y, text)

    c.setStrokeColor(primary)
    c.setLineWidth(6)
    c.rect(18, 18, PAGE_W - 36, PAGE_H - 36, stroke=1, fill=0)
    c.setStrokeColor(accent)
    c.setLineWidth(1.5)
    c.rect(30, 30, PAGE_W - 60, PAGE_H - 60, stroke=1, fill=0)
    c.setFillColor(primary)
    centred(look.issuer_name.upper(), PAGE_H - 108, "Helvetica-Bold", 13)
    c.setFillColor(HexColor("#333333"))
    centred(look.unit_name, PAGE_H - 124, "Helvetica", 10.5)
    c.setFillColor(primary)
    centred(look.heading, PAGE_H - 160, "Times-Bold", 26)
    c.setFillColor(HexColor("#555555"))
    centred(look.heading_en, PAGE_H - 177, "Times-Italic", 12)
    c.setFillColor(HexColor("#333333"))
    centred("diberikan kepada / awarded to", PAGE_H - 218, "Helvetica-Oblique", 10)
    c.setFont("Helvetica", 7.5)
    c.drawString(52, 136, "Pindai untuk verifikasi")
    c.setFont("Helvetica-Oblique", 7)
    c.drawString(52, 127, "Scan to verify")
    c.setFillColor(HexColor("#222222"))
    c.setFont("Helvetica-Bold", 8)
    c.drawString(215, 158, "Modul / Modules")
    c.drawRightString(530, 158, "JP")
    c.setFont("Helvetica", 6.5)
    c.drawCentredString(PAGE_W - 200, 50, "Ditandatangani secara elektronik (Ed25519) · Electronically signed")
    c.setStrokeColor(accent)
    c.setLineWidth(0.8)
    c.line(215, 154, 530, 154)


def _object_bytes(doc: pdfdoc.PDFDocument, internal: str) -> bytes:
    return pdfdoc.format(doc.idToObject[internal], doc, toplevel=1)


@lru_cache(maxsize=32)
def assets_for(look: Look) -> TemplateAssets:
    """Build a template's invariant parts on a probe document, with ReportLab, once."""
    probe = canvas.Canvas(io.BytesIO(), pagesize=(PAGE_W, PAGE_H), pageCompression=1, invariant=1)
    doc = probe._doc
    if doc.idToObjectNumberAndVersion[pdfdoc.BasicFonts] != (1, 0):
        raise RuntimeError("ReportLab no longer makes the font dictionary the first object")
    for font in FONTS:
        doc.getInternalFontName(font)
    fonts = tuple((font, doc.fontMapping[font][1:], _object_bytes(doc, doc.fontMapping[font][1:])) for font in FONTS)
    font_dict = _object_bytes(doc, pdfdoc.BasicFonts)
    numbers = {name: doc.idToObjectNumberAndVersion[name] for name in [pdfdoc.BasicFonts, *(f[1] for f in fonts)]}
    probe.beginForm(_FORM, 0, 0, PAGE_W, PAGE_H)
    _draw_static(probe, look)
    probe.endForm()
    form = _object_bytes(doc, pdfdoc.xObjectName(_FORM))
    head = form.split(b"stream", 1)[0]
    if b"/Font 1 0 R" not in head or head.count(b" 0 R") != 1:
        raise RuntimeError("the static form must refer to the font dictionary only")
    logo = _logo_jpeg(look.logo)
    logo_object, size = None, (0.0, 0.0)
    if logo:
        image = pdfdoc.PDFImageXObject(_LOGO, ImageReader(io.BytesIO(logo[0])))
        logo_object = pdfdoc.format(image, doc, toplevel=1)
        w, h = logo[1]
        scale = 52 / max(w, h)
        size = (w * scale, h * scale)
    head = [f"/{pdfdoc.xObjectName(_FORM)} Do"]
    if logo_object is not None:
        w, h = size
        head.append(f"q {w:.3f} 0 0 {h:.3f} {(PAGE_W - w) / 2:.3f} {PAGE_H - 95:.3f} cm "
                    f"/{pdfdoc.xObjectName(_LOGO)} Do Q")
    return TemplateAssets(look=look, primary=_rgb(HexColor(look.primary)), accent=_rgb(HexColor(look.accent)),
                          logo_size=size, fonts=fonts, font_dict=font_dict, numbers=numbers, form=form,
                          logo=logo_object, head="\n".join(head))


def _qr_segments(text: str) -> list[tuple[str, str]]:
    """The site as a byte segment, the rest (upper-case code and signed part) as an alphanumeric one."""
    marker = "/v/"
    if marker in text:
        head, tail = text.split(marker, 1)
        if qrfast.is_alphanumeric(tail):
            return [(head + marker, qrfast.BYTE), (tail, qrfast.ALPHANUMERIC)]
    return [(text, qrfast.BYTE)]


def qr_matrix(text: str) -> list[bytes]:
    """The QR modules for a certificate's QR text: error level L, fixed mask 3 (see qrfast)."""
    return qrfast.encode(_qr_segments(text))


def _qr_ops(text: str, x: float, y: float, size: float) -> str:
    """PDF operators that draw the QR code as one 1-bit inline image mask (one sample per module,
    ASCII-hex encoded, scaled without interpolation): a few hundred bytes, no per-module drawing.
    qrfast gives the matrix transposed; the image matrix [0 -s -s 0 x+s y+s] transposes it back."""
    n, image = qrfast.encode_packed(_qr_segments(text))
    quiet = 2
    module = size / (n + 2 * quiet)
    side = n * module
    x0, y0 = x + quiet * module + side, y + quiet * module + side
    return (f"q 0 0 0 rg 0 {-side:.3f} {-side:.3f} 0 {x0:.2f} {y0:.2f} cm\n"
            f"BI /W {n} /H {n} /IM true /BPC 1 /D [1 0] /I false /F /AHx ID\n{image.hex()}>\nEI Q")


# Text in WinAnsi (the standard fonts' encoding, = cp1252) as a PDF string literal, ASCII only.
_ESCAPES = {ch: (f"\\{chr(ch)}" if ch in (0x28, 0x29, 0x5C) else None if 32 <= ch < 127 else f"\\{ch:03o}")
            for ch in range(256)}
_ESCAPES = {ch: v for ch, v in _ESCAPES.items() if v is not None}
_WIDTHS = {font: pdfmetrics.getFont(font).widths for font in FONTS}


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points, from the font's metrics (what ReportLab's stringWidth gives
    for text in the font's encoding)."""
    return sum(map(_WIDTHS[font].__getitem__, text.encode("cp1252", "replace"))) * size / 1000


def _rgb(colour) -> str:
    return f"{colour.red:.3f} {colour.green:.3f} {colour.blue:.3f} rg"


_DARK = _rgb(HexColor("#222222"))
_GREY = _rgb(HexColor("#555555"))
_RED = _rgb(HexColor("#991B1B"))


# Internal font names: ReportLab numbers fonts in the order a document first uses them; every
# certificate registers FONTS in this order (checked in _document).
_F = {font: f"/F{i}" for i, font in enumerate(FONTS, start=1)}


class _Frozen(pdfdoc.PDFObject):
    """An object of the template, written into a document as the bytes ReportLab made for it."""

    __RefOnly__ = 1

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document) -> bytes:
        return self.data


def _text(x: float, y: float, text: str, font: str, size: float, align: str = "left") -> str:
    """One line of text as PDF operators."""
    raw = text.encode("cp1252", "replace")
    if align != "left":
        width = sum(map(_WIDTHS[font].__getitem__, raw)) * size / 1000
        x -= width / 2 if align == "centre" else width
    return f"BT {_F[font]} {size:g} Tf {x:.2f} {y:.2f} Td ({raw.decode('latin-1').translate(_ESCAPES)}) Tj ET"


def _centred(text: str, y: float, font: str, size: float, max_width: float = PAGE_W - 140) -> str:
    return _text(PAGE_W / 2, y, text, font, _fit(text, font, size, max_width), "centre")


def _document(c: canvas.Canvas, assets: TemplateAssets) -> None:
    """Put the template's fonts, font dictionary, static form and logo into the canvas's document.

    ReportLab numbers objects in the order they are registered, so every certificate's fonts get the
    numbers they had on the probe document; this is checked, as the font dictionary names them."""
    doc = c._doc
    mapping = doc.fontMapping
    numbers = doc.idToObjectNumberAndVersion
    for font, internal, data in assets.fonts:
        if font in mapping:  # the canvas registered its initial font itself: write ours instead
            doc.idToObject[internal] = _Frozen(data)
        else:
            doc.Reference(_Frozen(data), internal)
            mapping[font] = "/" + internal
        if mapping[font] != _F[font] or numbers[internal] != assets.numbers[internal]:
            raise RuntimeError(f"font {font} is not where the template has it")
    if numbers[pdfdoc.BasicFonts] != assets.numbers[pdfdoc.BasicFonts]:
        raise RuntimeError("the font dictionary is not where the template has it")
    doc.idToObject[pdfdoc.BasicFonts] = _Frozen(assets.font_dict)
    doc.Reference(_Frozen(assets.form), pdfdoc.xObjectName(_FORM))
    c._formsinuse.append(_FORM)
    if assets.logo is not None:
        doc.Reference(_Frozen(assets.logo), pdfdoc.xObjectName(_LOGO))
        c._formsinuse.append(_LOGO)


@lru_cache(maxsize=256)
def _event_ops(primary: str, body: str, body_en: str, programme_title: str,
               modules: tuple[tuple[str, str, int], ...], total_minutes: int, city_name: str, start_date: str,
               end_date: str, issued_on: str, signatory_title: str, signatory_name: str, signatory_nip: str) -> str:
    """What every certificate of one event (and template) shares: wording, programme, dates, the
    module list with JP and the signatory. Made once per event in a bulk run."""
    ops = [_centred(body, PAGE_H - 292, "Helvetica", 11), _GREY,
           _centred(body_en, PAGE_H - 305, "Helvetica-Oblique", 9), primary,
           _centred(programme_title, PAGE_H - 330, "Helvetica-Bold", 15), _DARK]
    jp = jp_text(total_minutes)
    when_id = (f"di {city_name}, {date_id(start_date)} – {date_id(end_date)}, "
               f"sebanyak {jp} JP (jam pelajaran)")
    when_en = f"in {city_name}, {date_en(start_date)} – {date_en(end_date)}, {jp} training hours (JP)"
    ops += [_centred(when_id, PAGE_H - 350, "Helvetica", 10.5), _GREY,
            _centred(when_en, PAGE_H - 363, "Helvetica-Oblique", 8.5), _DARK]
    # Modules with their JP (the heading "Modul / Modules" and its rule are in the static form).
    y = 146.0
    rows = modules[:9]
    size = 8 if len(rows) <= 6 else 7
    for title, version, minutes in rows:
        label = f"{title} ({version})"
        while text_width(label, "Helvetica", size) > 280 and len(label) > 10:
            label = label[:-4] + "…"
        ops += [_text(215, y, label, "Helvetica", size), _text(530, y, jp_text(minutes), "Helvetica", size, "right")]
        y -= size + 3
    if len(modules) > len(rows):
        ops.append(_text(215, y, f"+ {len(modules) - len(rows)} modul lain", "Helvetica", size))
        y -= size + 3
    ops += [_text(215, y, "Jumlah / Total", "Helvetica-Bold", size), _text(530, y, jp, "Helvetica-Bold", size, "right")]
    # Signatory.
    sx = PAGE_W - 200
    ops.append(_text(sx, 160, f"{city_name}, {date_id(issued_on)}", "Helvetica", 10, "centre"))
    if text_width(signatory_title, "Helvetica", 8.5) > 250:
        words = signatory_title.split()
        half = len(words) // 2
        ops += [_text(sx, 146, " ".join(words[:half]), "Helvetica", 8.5, "centre"),
                _text(sx, 136, " ".join(words[half:]), "Helvetica", 8.5, "centre")]
    else:
        ops.append(_text(sx, 146, signatory_title, "Helvetica", 8.5, "centre"))
    if signatory_name:
        ops.append(_text(sx, 82, signatory_name, "Helvetica-Bold", 10.5, "centre"))
    if signatory_nip:
        ops.append(_text(sx, 70, f"NIP {signatory_nip}", "Helvetica", 8.5, "centre"))
    return "\n".join(ops)


def render_pdf(data: CertificateData, assets: TemplateAssets) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), pageCompression=1, invariant=1)
    c.setTitle(f"Sertifikat {data.serial}")
    c.setAuthor(assets.look.issuer_name)
    c.setSubject(data.programme_title)
    _document(c, assets)
    look = assets.look
    identity = f"NIP {data.person_nip}" if len(data.person_nip) == 18 else (
        f"NIK {data.person_nip}" if data.person_nip else "")
    line = " · ".join(part for part in (identity, data.agency_name) if part)
    ops = [assets.head, _DARK, _centred(f"Nomor: {data.serial}", PAGE_H - 196, "Helvetica", 10),
           assets.primary, _centred(data.person_name, PAGE_H - 250, "Times-Bold", 26), _DARK]
    if line:
        ops.append(_centred(line, PAGE_H - 268, "Helvetica", 10))
    ops.append(_event_ops(assets.primary, look.body, look.body_en, data.programme_title, data.modules,
                          data.total_minutes, data.city_name, data.start_date, data.end_date, data.issued_on,
                          data.signatory_title, data.signatory_name, data.signatory_nip))
    # The verification code, the QR code and the status stamp.
    ops.append(_text(52, 58, f"Kode: {data.code}", "Helvetica-Bold", 9))
    ops.append(_text(52, 48, data.qr_text.split("/v/", 1)[0] + "/v/" + data.code, "Helvetica", 6.5))
    if data.status_note:
        ops += [_RED, _centred(data.status_note, PAGE_H - 60, "Helvetica-Bold", 14)]
    ops.append(_qr_ops(data.qr_text, 44, 144, 110))
    c._code.append("\n".join(ops))
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
