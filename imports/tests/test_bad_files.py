"""Bad files get a clear message and write nothing."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from imports import services
from imports.models import ImportRun
from imports.tests import samples
from imports.tests.helpers import checked_run
from people.models import Person


def _refused(cast, name, data) -> str:
    with pytest.raises(ValidationError) as info:
        services.import_run_create(by=cast.agency_admin, upload=samples.upload(name, data), agency=cast.kemensos)
    assert not ImportRun.objects.exists() and not Person.objects.exists()
    return " ".join(info.value.messages)


def _failed(cast, name, data) -> str:
    run = checked_run(cast, name, data)
    assert run.status == ImportRun.Status.FAILED
    assert not Person.objects.exists()
    return run.message


def test_an_empty_file(cast):
    assert "kosong" in _refused(cast, "kosong.xlsx", b"")


def test_a_sheet_with_nothing_in_it(cast):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet()
    book.close()
    assert "kosong" in _failed(cast, "kosong.xlsx", buffer.getvalue()).lower()


def test_a_header_without_data_rows(cast):
    assert "Tidak ada baris data" in _failed(cast, "a.csv", samples.csv_bytes([]))


def test_not_a_spreadsheet(cast):
    assert "bukan jenis yang diterima" in _refused(cast, "daftar.xlsx", b"%PDF-1.7 fake pdf")
    assert "bukan jenis yang diterima" in _refused(cast, "foto.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


def test_a_password_protected_workbook(cast):
    assert "kata sandi" in _failed(cast, "rahasia.xlsx", samples.encrypted_ooxml_bytes())


def test_a_corrupted_workbook(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")  # cut off
    assert "rusak" in _failed(cast, "rusak.xlsx", buffer.getvalue())


def test_a_truncated_workbook(cast):
    data = samples.xlsx_bytes(samples.rows_basic())
    message = _refused(cast, "potong.xlsx", data[: len(data) // 2])
    assert "rusak" in message


def test_a_decompression_bomb(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b"0" * 20_000_000)
    assert "bom dekompresi" in _refused(cast, "bom.xlsx", buffer.getvalue())


def test_a_file_over_the_size_limit(cast, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert "melebihi batas" in _refused(cast, "besar.csv", samples.csv_bytes(samples.rows_basic() * 20))


def test_more_rows_than_the_limit(cast, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = samples.rows_basic() * 3
    assert "melebihi batas" in _failed(cast, "banyak.csv", samples.csv_bytes(rows))


def test_a_file_without_a_recognisable_header(cast):
    data = samples.csv_bytes([["a", "b"]], header=["Kolom 1", "Kolom 2"])
    assert "judul kolom tidak ditemukan" in _failed(cast, "a.csv", data)
