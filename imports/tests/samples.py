"""Sample spreadsheets made in the tests, in every format agencies send."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile

HEADER = ["No", "Nama Lengkap", "NIP/NIK", "L/P", "Tgl Lahir", "Jabatan", "Pangkat/Gol", "Unit Kerja",
          "Provinsi", "Kab/Kota", "No. HP", "Email"]


def rows_basic() -> list[list]:
    return [
        [1, "Dra. Siti Aminah, M.Si.", "19800101 200501 2 001", "P", "01/01/1980", "Pekerja Sosial Ahli Muda",
         "Penata / III-c", "Bidang Rehabilitasi", "Jabar", "Kota Bandung", "0812-3456-7890", "Siti@contoh.go.id"],
        [2, "BUDI SANTOSO", "3273011503850001", "Laki-laki", "15 Maret 1985", "TKSK", "", "Kecamatan Coblong",
         "Prov. Jawa Barat", "Kab. Bandung", "81234567891", "budi@contoh.id"],
    ]


def xlsx_bytes(rows: list[list], *, title: str | None = "DAFTAR PESERTA BIMTEK PEKERJA SOSIAL 2025",
               header: list[str] | None = None, footer: bool = True, formula: bool = False,
               date_cells: bool = False) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Peserta")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    r = 0
    header = header or HEADER
    if title:
        sheet.merge_range(0, 0, 0, len(header) - 1, title)
        sheet.write(1, 0, "Angkatan I, Bandung")
        r = 3
    sheet.write_row(r, 0, header)
    r += 1
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, dt.date) and date_cells:
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)  # noqa: DTZ001
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, str(value))
        r += 1
    if formula:
        sheet.write_formula(r, 0, "=COUNTA(B5:B6)", None, len(rows))
        r += 1
    if footer:
        r += 1
        sheet.write(r, 1, f"Jumlah peserta: {len(rows)}")
        sheet.write(r + 2, 8, "Bandung, 2 Januari 2025")
        sheet.write(r + 3, 8, "Kepala Dinas Sosial")
        sheet.write(r + 6, 8, "NIP. 19700101 199001 1 001")
    book.close()
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, header: list[str] | None = None, delimiter: str = ",", encoding: str = "utf-8",
              bom: bool = False, title: str | None = None) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if title:
        writer.writerow([title])
        writer.writerow([])
    writer.writerow(header or HEADER)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


def xls_bytes(rows: list[list], *, header: list[str] | None = None) -> bytes:
    """A legacy .xls written with xlwt (1.3.0); without xlwt, the committed fixture made once by this
    function from ``rows_basic()`` (``fixtures/daftar.xls``)."""
    try:
        import xlwt
    except ImportError:
        if rows == rows_basic() and header is None:
            return (FIXTURES / "daftar.xls").read_bytes()
        raise

    book = xlwt.Workbook()
    sheet = book.add_sheet("Peserta")
    sheet.write(0, 0, "DAFTAR PESERTA")
    for c, title in enumerate(header or HEADER):
        sheet.write(2, c, title)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods_cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%d}">'
                f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def ods_bytes(rows: list[list], *, header: list[str] | None = None, formula: bool = False) -> bytes:
    """A minimal OpenDocument spreadsheet written by hand (mimetype, manifest, content.xml)."""
    body = ['<table:table-row><table:table-cell office:value-type="string"><text:p>DAFTAR PESERTA</text:p>'
            "</table:table-cell></table:table-row>"]
    for row in [header or HEADER, *rows]:
        body.append("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>")
    if formula:
        body.append('<table:table-row><table:table-cell table:formula="of:=1+1" office:value-type="float" '
                    'office:value="2"><text:p>2</text:p></table:table-cell></table:table-row>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Peserta">'
        + "".join(body) + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def encrypted_ooxml_bytes() -> bytes:
    """An OLE2 compound file holding an "EncryptedPackage" stream, as Excel saves a password-protected
    workbook (the directory entry names are UTF-16LE)."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1A:0x1C] = (0x3E).to_bytes(2, "little")  # minor/major version
    header[0x1C:0x1E] = (3).to_bytes(2, "little")
    header[0x1E:0x20] = (0xFFFE).to_bytes(2, "little")  # little endian
    header[0x20:0x22] = (9).to_bytes(2, "little")  # sector size 512
    directory = bytearray(sector)
    for index, name in enumerate(["Root Entry", "EncryptionInfo", "EncryptedPackage"]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = bytearray(128)
        entry[0 : len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = 5 if index == 0 else 2
        directory[index * 128 : index * 128 + 128] = entry if index < 4 else b""
    return bytes(header) + bytes(directory) + b"\x00" * sector


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
