"""The people import, end to end: file → table → checked rows → (optionally) the registry.

Rows stream through in chunks: nothing holds the whole file in memory. ``run(write=False)`` is the
preview (nothing is written); ``run(write=True)`` writes each chunk's valid rows. Transactions,
progress and audit belong to the caller (``imports.services``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from imports import writer
from imports.mapping import PEOPLE_FIELDS
from imports.reading import BadFile, Source
from imports.table import Table, find_table
from imports.validate import ERROR, NEW, UNCHANGED, UPDATE, Context, Issue, PeopleRowValidator, RowResult

CHUNK = 2000


@dataclass
class Counts:
    rows: int = 0
    new: int = 0
    update: int = 0
    unchanged: int = 0
    error: int = 0
    warning: int = 0
    duplicate: int = 0
    created: int = 0
    updated: int = 0

    def add(self, result: RowResult) -> None:
        self.rows += 1
        if result.status == NEW:
            self.new += 1
        elif result.status == UPDATE:
            self.update += 1
        elif result.status == UNCHANGED:
            self.unchanged += 1
        else:
            self.error += 1
        if result.warnings:
            self.warning += 1

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class PeopleImport:
    source: Source
    context: Context
    mapping: dict[int, str] | None = None
    header_row: int | None = None
    max_rows: int | None = None
    counts: Counts = field(default_factory=Counts)
    table: Table | None = None
    _stage = None

    def open(self) -> Table:
        self.table = find_table(self.source.rows(), PEOPLE_FIELDS, mapping=self.mapping, header_row=self.header_row)
        mapped = set(self.table.mapping.values())
        if "full_name" not in mapped:
            raise BadFile("no_name_column", _("Kolom nama tidak ditemukan; pilih kolom nama pada pemetaan kolom."))
        if not mapped & {"identity", "nip", "nik"}:
            raise BadFile("no_identity_column",
                          _("Kolom NIP atau NIK tidak ditemukan; pilih kolomnya pada pemetaan kolom."))
        return self.table

    def chunks(self, *, skip_through: int = 0) -> Iterator[list[RowResult]]:
        """Checked, classified rows in chunks (duplicates within the file flagged)."""
        table = self.table or self.open()
        validator = PeopleRowValidator(headers=table.headers, mapping=table.mapping, context=self.context)
        restrict = self.context.agency.pk if (self.context.restrict_to_agency and self.context.agency) else None
        seen_nip: set[int] = set()
        seen_nik: set[int] = set()
        chunk: list[RowResult] = []
        data_rows = 0
        for number, row in table.rows:
            data_rows += 1
            if self.max_rows is not None and data_rows > self.max_rows:
                raise BadFile("too_many_rows", _("Berkas berisi lebih dari %(limit)s baris data; bagi menjadi beberapa "
                                                 "berkas.") % {"limit": f"{self.max_rows:,}".replace(",", ".")})
            result = validator.check(number, row)
            for key, seen, label in (("nip", seen_nip, "NIP"), ("nik", seen_nik, "NIK")):
                value = result.values.get(key)
                if value:
                    as_int = int(value)
                    if as_int in seen:
                        result.errors.append(Issue(label, value, _("%(label)s ini sudah muncul di baris sebelumnya "
                                                                   "dalam berkas ini (duplikat).") % {"label": label}))
                        result.status = ERROR
                        self.counts.duplicate += 1
                    else:
                        seen.add(as_int)
            if number <= skip_through:
                continue
            chunk.append(result)
            if len(chunk) >= CHUNK:
                yield self._finish(chunk, restrict)
                chunk = []
        if chunk:
            yield self._finish(chunk, restrict)

    def _finish(self, chunk: list[RowResult], restrict: int | None) -> list[RowResult]:
        if self._stage is not None:
            self._stage.writelines(stage_line(r) for r in chunk if not r.errors)
        writer.classify(chunk, restrict_agency_id=restrict)
        for result in chunk:
            if result.errors:
                result.status = ERROR
            self.counts.add(result)
        return chunk

    def preview(self, *, stage: Path | None = None,
                on_chunk: Callable[[list[RowResult]], None] | None = None) -> Counts:
        """Check every row and write nothing to the registry. With ``stage``, the clean values of the
        valid rows are kept in that file (JSON lines) so the commit writes exactly what was shown."""
        if stage is None:
            return self.run(write=False, on_chunk=on_chunk)
        with stage.open("w", encoding="utf-8") as handle:
            self._stage = handle
            try:
                return self.run(write=False, on_chunk=on_chunk)
            finally:
                self._stage = None

    def run(self, *, write: bool, on_chunk: Callable[[list[RowResult]], None] | None = None,
            skip_through: int = 0, stop_writing_on_error: bool = False) -> Counts:
        """Check every row; with ``write``, write each chunk's valid rows (all of them, or, with
        ``stop_writing_on_error``, none after the first error — the caller then rolls back)."""
        for chunk in self.chunks(skip_through=skip_through):
            if write and not (stop_writing_on_error and self.counts.error):
                created, updated = writer.write(chunk)
                self.counts.created += created
                self.counts.updated += updated
            if on_chunk is not None:
                on_chunk(chunk)
        return self.counts


def stage_line(result: RowResult) -> str:
    values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in result.values.items()}
    return json.dumps([result.row, values], ensure_ascii=False, separators=(",", ":")) + "\n"


def staged_chunks(stage: Path, *, skip_through: int = 0, size: int | None = None) -> Iterator[list[RowResult]]:
    """The valid rows kept by :meth:`PeopleImport.preview`, in chunks, as unclassified results."""
    size = size or CHUNK
    chunk: list[RowResult] = []
    fromiso = dt.date.fromisoformat
    with stage.open(encoding="utf-8") as handle:
        for line in handle:
            number, values = json.loads(line)
            if number <= skip_through:
                continue
            for key in ("birth_date", "birth_date_from_id"):
                if values.get(key):
                    values[key] = fromiso(values[key])
            chunk.append(RowResult(row=number, raw=[], values=values))
            if len(chunk) >= size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk
