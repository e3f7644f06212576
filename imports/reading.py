"""Reading a spreadsheet file into rows of cell values, streaming.

``.xlsx``, ``.xls`` and ``.ods`` are read with python-calamine (cached values of formula cells are
what it returns); ``.csv`` with the standard library after detecting the encoding (UTF-8 with or
without BOM, else Windows-1252) and the separator (``,`` ``;`` or tab). CSV is never loaded whole.

Reusable: the people importer and (later) event nominations both start here."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

SPREADSHEET_KINDS = {"xlsx", "xls", "ods", "csv"}
_SAMPLE_BYTES = 64 * 1024
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_FORMULA_XLSX = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_ODS = re.compile(rb"table:formula=")


class BadFile(Exception):
    """A file that cannot be imported, with a message for the user (Indonesian source)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Source:
    """An opened file: its kind, how many rows it has (at most), and notes about it."""

    path: Path
    kind: str
    encoding: str = ""
    delimiter: str = ""
    row_count: int = 0
    has_formulas: bool = False
    notes: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[list]:
        """Every row of the first sheet as a list of values (str, float, date, datetime, bool)."""
        if self.kind == "csv":
            yield from _csv_rows(self.path, self.encoding, self.delimiter)
        else:
            yield from _calamine_rows(self.path)


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a multi-byte character may be cut at the end
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most, equal-width columns."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t"):
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not widths or max(widths) < 2:
            continue
        common = max(set(widths), key=widths.count)
        score = common + widths.count(common) / len(widths)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[list]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        yield from csv.reader(text, delimiter=delimiter)


def _calamine_rows(path: Path) -> Iterator[list]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        yield from sheet.iter_rows()
    except BadFile:
        raise
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise _calamine_error(exc) from exc


def _calamine_error(exc: Exception) -> BadFile:
    text = f"{type(exc).__name__} {exc}".lower()
    if "password" in text or "encrypt" in text:
        return BadFile("password", _("Berkas dilindungi kata sandi; simpan ulang tanpa kata sandi lalu unggah lagi."))
    return BadFile("corrupt", _("Berkas rusak atau tidak dapat dibaca sebagai spreadsheet (%(detail)s).")
                   % {"detail": str(exc)[:120]})


def _count_lines(path: Path) -> int:
    count, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def _has_formulas(path: Path, kind: str) -> bool:
    """Whether an xlsx/ods file stores formulas (calamine gives us their saved values)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if kind == "xlsx":
                names = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
                pattern = _FORMULA_XLSX
            else:
                names = ["content.xml"]
                pattern = _FORMULA_ODS
            for name in names:
                with archive.open(name) as member:
                    tail = b""
                    while chunk := member.read(1 << 20):
                        if pattern.search(tail + chunk):
                            return True
                        tail = chunk[-32:]
    except (zipfile.BadZipFile, KeyError):
        return False
    return False


def open_source(path: str | Path, kind: str, *, max_rows: int | None = None) -> Source:
    """Check ``path`` (already sniffed as ``kind`` by ``web.uploads.check_upload``) and open it.

    Raises :class:`BadFile` for a password-protected, corrupted or too long file."""
    path = Path(path)
    if kind not in SPREADSHEET_KINDS:
        raise BadFile("kind", _("Isi berkas bukan spreadsheet (XLSX, XLS, ODS atau CSV)."))
    source = Source(path=path, kind=kind)
    if kind == "csv":
        with path.open("rb") as handle:
            sample = handle.read(_SAMPLE_BYTES)
        source.encoding = detect_encoding(sample)
        text = sample.decode(source.encoding, errors="replace")
        source.delimiter = detect_delimiter(text)
        source.row_count = _count_lines(path)
    else:
        if kind == "xls":
            data = path.read_bytes()
            if _ENCRYPTED_MARK in data:
                raise BadFile("password",
                              _("Berkas dilindungi kata sandi; simpan ulang tanpa kata sandi lalu unggah lagi."))
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            if not workbook.sheet_names:
                raise BadFile("empty", _("Berkas tidak berisi lembar kerja."))
            sheet = workbook.get_sheet_by_index(0)
            source.row_count = sheet.total_height
        except BadFile:
            raise
        except Exception as exc:
            raise _calamine_error(exc) from exc
        if kind in {"xlsx", "ods"} and _has_formulas(path, kind):
            source.has_formulas = True
            source.notes.append(_("Berkas berisi rumus; yang diimpor adalah nilai hasil rumus yang tersimpan, "
                                  "bukan rumusnya."))
    if max_rows is not None and source.row_count > max_rows:
        raise BadFile("too_many_rows", _("Berkas berisi %(count)s baris, melebihi batas %(limit)s baris per impor; "
                                         "bagi menjadi beberapa berkas.")
                      % {"count": f"{source.row_count:,}".replace(",", "."), "limit": f"{max_rows:,}".replace(",", ".")})
    return source
