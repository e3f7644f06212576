"""Every format agencies send: xlsx, xls, ods, and csv with each separator and encoding."""

import datetime as dt

import pytest

from imports.models import ImportRun
from imports.tests import samples
from imports.tests.helpers import checked_run
from people.models import Person


def _assert_two_new(run):
    assert run.status == ImportRun.Status.CHECKED, run.message
    assert (run.rows_total, run.rows_new, run.rows_error) == (2, 2, 0), run.sample
    names = [row["name"] for row in run.sample]
    assert names == ["Siti Aminah", "Budi Santoso"]
    assert not Person.objects.exists()  # a preview writes nothing


def test_it_reads_xlsx_with_a_title_a_numbering_column_and_a_signature_footer(cast):
    run = checked_run(cast, "daftar.xlsx", samples.xlsx_bytes(samples.rows_basic()))
    assert run.file_kind == "xlsx" and run.header_row == 4
    _assert_two_new(run)


def test_it_reads_xls(cast):
    run = checked_run(cast, "daftar.xls", samples.xls_bytes(samples.rows_basic()))
    assert run.file_kind == "xls" and run.header_row == 3
    _assert_two_new(run)


def test_it_reads_ods_with_date_cells(cast):
    rows = samples.rows_basic()
    rows[0][4] = dt.date(1980, 1, 1)
    run = checked_run(cast, "daftar.ods", samples.ods_bytes(rows))
    assert run.file_kind == "ods"
    _assert_two_new(run)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_reads_csv_with_any_separator(cast, delimiter):
    run = checked_run(cast, "daftar.csv", samples.csv_bytes(samples.rows_basic(), delimiter=delimiter))
    _assert_two_new(run)


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_it_reads_csv_in_each_encoding(cast, encoding, bom):
    rows = samples.rows_basic()
    rows[1][7] = "Kecamatan Coblong – Seksi Rehabilitasi"  # an en dash: differs between encodings
    run = checked_run(cast, "daftar.csv", samples.csv_bytes(rows, delimiter=";", encoding=encoding, bom=bom))
    _assert_two_new(run)
    from imports import services

    services.import_run_start_commit(run=run, by=cast.agency_admin, mode="all_or_nothing")
    assert Person.objects.get(full_name="Budi Santoso").work_unit == "Kecamatan Coblong – Seksi Rehabilitasi"


def test_it_uses_the_saved_values_of_formulas_and_says_so(cast):
    run = checked_run(cast, "daftar.xlsx", samples.xlsx_bytes(samples.rows_basic(), formula=True))
    assert run.status == ImportRun.Status.CHECKED
    assert any("rumus" in note for note in run.notes)
    ods = checked_run(cast, "daftar.ods", samples.ods_bytes(samples.rows_basic(), formula=True))
    assert any("rumus" in note for note in ods.notes)


def test_the_committed_xls_fixture_reads_the_same(cast):
    run = checked_run(cast, "daftar.xls", (samples.FIXTURES / "daftar.xls").read_bytes())
    _assert_two_new(run)
