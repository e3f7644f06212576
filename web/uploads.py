"""Checking uploaded files by their content, not their name: size, type and (for
ZIP-based formats) decompression bombs. Used by every app that accepts files."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Kinds Siaga accepts somewhere, with how to recognise them.
KIND_LABELS = {
    "pdf": "PDF", "docx": "DOCX", "pptx": "PPTX", "xlsx": "XLSX", "ods": "ODS", "xls": "XLS", "csv": "CSV",
    "png": "PNG", "jpeg": "JPEG", "zip": "ZIP",
}
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    size: int
    name: str


def _zip_kind(handle) -> str:
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ValidationError(_("Berkas arsip memuat terlalu banyak bagian; berkas ditolak."))
            total = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
                raise ValidationError(
                    _("Isi berkas mengembang terlalu besar saat dibuka (kemungkinan bom dekompresi); berkas ditolak.")
                )
            names = {info.filename for info in infos}
            if any(info.flag_bits & 0x1 for info in infos) or "EncryptedPackage" in names:
                raise ValidationError(_("Berkas dilindungi kata sandi; simpan ulang tanpa kata sandi lalu unggah lagi."))
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if b"spreadsheet" in mimetype:
                    return "ods"
                return "zip"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("ppt/") for n in names):
                return "pptx"
            return "zip"
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("Berkas rusak: bukan arsip yang dapat dibuka.")) from exc


def sniff(upload) -> str:
    """The real kind of ``upload`` from its first bytes (and ZIP directory)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
        upload.seek(0)
        return kind
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"  # OLE2: legacy Office, or an encrypted OOXML file (checked by the reader)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    upload.seek(0)
    sample = upload.read(4096)
    upload.seek(0)
    if b"\x00" not in sample and sample.strip():
        return "csv"
    return "unknown"


def check_upload(upload, *, allowed: set[str], max_bytes: int | None = None) -> CheckedUpload:
    """Raise a ValidationError with a specific Indonesian message unless ``upload`` is
    non-empty, within the size limit and of one of the ``allowed`` kinds."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if not size:
        raise ValidationError(_("Berkas kosong; pilih berkas yang berisi data."))
    if size > limit:
        raise ValidationError(
            _("Berkas %(size).1f MB melebihi batas %(limit).0f MB.") % {"size": size / 1048576, "limit": limit / 1048576}
        )
    kind = sniff(upload)
    if kind not in allowed:
        wanted = ", ".join(KIND_LABELS.get(k, k.upper()) for k in sorted(allowed))
        raise ValidationError(
            _("Isi berkas bukan jenis yang diterima (%(wanted)s); nama berkas saja tidak cukup.") % {"wanted": wanted}
        )
    return CheckedUpload(kind=kind, size=size, name=getattr(upload, "name", ""))
