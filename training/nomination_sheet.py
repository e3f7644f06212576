"""A small reader for nomination and score sheets (CSV, XLSX, ODS, XLS).

TEMPORARY: move onto the generic importer in ``imports/`` once it lands; this keeps only
what nominations and scores need: find the NIP/NIK column (and score columns), match
existing people the user may see, and report each row that did not match."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from people.access import people_visible_to
from people.identity import clean_number
from people.models import Person
from web.uploads import check_upload

SHEET_KINDS = {"csv", "xlsx", "ods", "xls"}
MAX_ROWS = 5000
_ID_HEADERS = ("nip", "nik", "nip/nik", "nomor induk")


@dataclass
class SheetRow:
    line: int
    number: str
    person: Person | None = None
    pre: int | None = None
    post: int | None = None
    problem: str = ""


@dataclass
class SheetResult:
    rows: list[SheetRow] = field(default_factory=list)

    @property
    def matched(self) -> list[SheetRow]:
        return [r for r in self.rows if r.person is not None and not r.problem]

    @property
    def problems(self) -> list[SheetRow]:
        return [r for r in self.rows if r.problem]


def _cells(upload, kind: str) -> list[list]:
    upload.seek(0)
    data = upload.read()
    if kind == "csv":
        text = data.decode("utf-8-sig", errors="replace")
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        return list(csv.reader(io.StringIO(text), dialect))[: MAX_ROWS + 1]
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = workbook.get_sheet_by_index(0)
    return sheet.to_python(nrows=MAX_ROWS + 1)


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def _find_columns(header: list[str]) -> tuple[int | None, int | None, int | None]:
    lowered = [h.lower() for h in header]
    ident = next((i for i, h in enumerate(lowered) if h in _ID_HEADERS or h.startswith(("nip", "nik"))), None)
    pre = next((i for i, h in enumerate(lowered) if "pre" in h), None)
    post = next((i for i, h in enumerate(lowered) if "post" in h), None)
    return ident, pre, post


def _score(value: str, line: int) -> int | None:
    if value == "":
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError as exc:
        raise ValueError(_("baris %(line)s: nilai \"%(v)s\" bukan angka") % {"line": line, "v": value}) from exc
    if not 0 <= number <= 100:
        raise ValueError(_("baris %(line)s: nilai %(v)s di luar 0–100") % {"line": line, "v": value})
    return round(number)


def read_sheet(upload, *, user, scores: bool = False) -> SheetResult:
    """Rows of a sheet with a NIP/NIK column (and, with ``scores``, pre/post-test columns)."""
    checked = check_upload(upload, allowed=SHEET_KINDS)
    try:
        rows = [[_text(c) for c in row] for row in _cells(upload, checked.kind)]
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file for the user
        raise ValidationError(_("Berkas tidak dapat dibaca sebagai lembar kerja.")) from exc
    rows = [r for r in rows if any(r)]
    if not rows:
        raise ValidationError(_("Lembar kerja kosong."))
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(_("Paling banyak %(n)s baris per unggahan.") % {"n": number_format(MAX_ROWS)})
    ident, pre, post = _find_columns(rows[0])
    if ident is None:
        raise ValidationError(_("Kolom NIP/NIK tidak ditemukan: beri judul kolom \"NIP\" atau \"NIK\" di baris "
                                "pertama."))
    if scores and pre is None and post is None:
        raise ValidationError(_("Kolom nilai tidak ditemukan: beri judul kolom \"pre-test\" dan/atau "
                                "\"post-test\"."))
    result = SheetResult()
    numbers = []
    for line, row in enumerate(rows[1:], start=2):
        number = clean_number(row[ident] if ident < len(row) else "")
        item = SheetRow(line=line, number=number)
        if not number.isdigit() or len(number) not in (16, 18):
            item.problem = _("NIP (18 digit) atau NIK (16 digit) tidak valid")
        if scores and not item.problem:
            try:
                item.pre = _score(row[pre] if pre is not None and pre < len(row) else "", line)
                item.post = _score(row[post] if post is not None and post < len(row) else "", line)
            except ValueError as exc:
                item.problem = str(exc)
        result.rows.append(item)
        numbers.append(number)
    visible = people_visible_to(user).select_related("agency")
    by_nip = {p.nip: p for p in visible.filter(nip__in=[n for n in numbers if len(n) == 18])}
    by_nik = {p.nik: p for p in visible.filter(nik__in=[n for n in numbers if len(n) == 16])}
    seen: set[str] = set()
    for item in result.rows:
        if item.problem:
            continue
        item.person = by_nip.get(item.number) or by_nik.get(item.number)
        if item.person is None:
            item.problem = _("tidak ada orang dengan nomor ini yang dapat Anda kelola")
        elif item.number in seen:
            item.problem = _("nomor ini muncul dua kali")
        seen.add(item.number)
    return result
