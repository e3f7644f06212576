"""Finding the table in a sheet people made by hand.

Above the header there may be titles ("DAFTAR PESERTA BIMTEK ..."), merged cells and blank rows;
below it a row of column numbers (1, 2, 3 ...), blank rows, and at the end totals and signature
blocks ("Mengetahui", "Kepala Dinas", "NIP. ..."). :func:`find_table` returns the header and an
iterator over the data rows only, each with its row number in the file (1-based, as a spreadsheet
shows it)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from django.utils.translation import gettext as _

from imports.mapping import NUMBERING, FieldSet
from imports.reading import BadFile

HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 2
_FOOTER = re.compile(
    r"^\s*(jumlah|total|mengetahui|menyetujui|kepala|ditetapkan|dibuat oleh|disusun oleh|tanda tangan|ttd|"
    r"catatan|keterangan\s*:|sekretaris|plt\.?|plh\.?|an\.|a\.n\.|demikian)\b", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^[A-Za-z .'-]+,\s*\d{1,2}\s+[A-Za-z]+\s+\d{4}\s*$")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M") if (value.hour or value.minute) else value.strftime("%d-%m-%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


def is_blank(row: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _is_column_numbering(row: list) -> bool:
    """A row "1 2 3 4 ..." (or "(1) (2) ...") printed under the header."""
    values = [cell_text(v).strip("()") for v in row if cell_text(v)]
    if len(values) < 3 or not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _filled(value) -> bool:
    return value is not None and value != "" and not (isinstance(value, str) and not value.strip())


def is_footer(row: list) -> bool:
    first = next((v for v in row if _filled(v)), None)
    if not isinstance(first, str):
        return False
    if _FOOTER.match(first):
        return True
    return bool(_PLACE_DATE.match(first.strip())) and sum(1 for v in row if _filled(v)) <= 2


@dataclass
class Table:
    header_row: int  # 1-based row number of the header in the file
    headers: list[str]
    mapping: dict[int, str]
    numbering_columns: list[int] = field(default_factory=list)
    rows: Iterator[tuple[int, list]] = field(default_factory=lambda: iter(()))
    skipped_footer_rows: int = 0


def find_header(rows: list[list], fields: FieldSet) -> int | None:
    """Index (0-based) of the row that names the most known fields, if it names at least two."""
    best, best_score = None, MIN_HEADER_MATCHES - 1
    for index, row in enumerate(rows):
        names = {fields.match(v) for v in row if isinstance(v, str) and v.strip()}
        names.discard(None)
        names.discard(NUMBERING)
        if len(names) > best_score:
            best, best_score = index, len(names)
    return best


def find_table(rows: Iterable[list], fields: FieldSet, *, mapping: dict[int, str] | None = None,
               header_row: int | None = None) -> Table:
    """Locate the header among the first rows and return the table. ``mapping`` (a correction from
    the user) replaces the detected one; ``header_row`` (1-based) forces the header row."""
    iterator = iter(rows)
    head: list[list] = []
    for row in iterator:
        head.append(row)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head or all(is_blank(r) for r in head):
        raise BadFile("empty", _("Berkas kosong: tidak ada data pada lembar pertama."))
    index = header_row - 1 if header_row else find_header(head, fields)
    if index is None or index >= len(head):
        raise BadFile("no_header", _("Baris judul kolom tidak ditemukan. Pastikan ada baris berisi judul seperti "
                                     "\"Nama\", \"NIP/NIK\", \"Jenis Kelamin\" di atas data."))
    headers = [cell_text(v) for v in head[index]]
    detected = fields.map_headers(headers)
    numbering = [c for c, h in enumerate(headers) if fields.match(h) == NUMBERING]
    table = Table(header_row=index + 1, headers=headers, mapping=mapping if mapping is not None else detected,
                  numbering_columns=numbering)
    rest = chain(head[index + 1:], iterator)
    table.rows = _data_rows(rest, start=index + 2, table=table)
    return table


def _data_rows(rows: Iterator[list], *, start: int, table: Table) -> Iterator[tuple[int, list]]:
    mapped = [c for c in table.mapping if table.mapping[c] != "ignore"]
    first = True
    for number, row in enumerate(rows, start=start):
        if is_blank(row):
            continue
        if first:
            first = False
            if _is_column_numbering(row):
                continue
        if is_footer(row):
            table.skipped_footer_rows += 1
            break
        # A row with nothing in any mapped column (a stray note beside the table) is not data.
        if mapped and not any(c < len(row) and _filled(row[c]) for c in mapped):
            continue
        yield number, row
