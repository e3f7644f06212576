import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hours.exports import SIASN_COLUMNS
from hours.services import entry_approve
from hours.tests.factories import make_entry
from people.models import Person
from siaga.testing import SYSTEM

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_exported_cells_that_look_like_formulas_are_neutralised(client, cast):
    entry = make_entry(person=cast.person_a, title="=HYPERLINK(\"http://x\",\"klik\")")
    Person.objects.filter(pk=cast.person_a.pk).update(full_name="@SUM(A1)")
    client.force_login(cast.agency_admin)
    rows = _csv(client.get(reverse("hours:person", args=[cast.person_a.pk]), {"year": entry.year,
                                                                                 "format": "csv"}))
    assert rows[1][1] == "'=HYPERLINK(\"http://x\",\"klik\")"
    people = _csv(client.get(reverse("hours:dashboard_people"), {"year": entry.year, "format": "csv"}))
    assert people[1][0] == "'@SUM(A1)"
    xlsx = client.get(reverse("hours:at_risk"), {"year": entry.year, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=1).value == "'@SUM(A1)"


def test_the_siasn_export_carries_the_riwayat_kursus_fields_with_dd_mm_yyyy_dates(client, cast):
    import datetime as dt

    entry = make_entry(person=cast.person_a, minutes=20 * 45, entry_type="course", title="Kursus Manajemen Kasus",
                       date=dt.date(2026, 3, 6), start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 6),
                       organiser="Poltekesos Bandung", location="Kota Bandung", certificate_number="STTPP-001/2026")
    entry_approve(entry=entry, by=SYSTEM)
    make_entry(person=cast.person_a, title="Masih menunggu", date=dt.date(2026, 3, 7))  # pending: not exported
    client.force_login(cast.agency_admin)
    rows = _csv(client.get(reverse("hours:siasn_export"), {"year": 2026}))
    assert rows[0] == SIASN_COLUMNS
    assert rows[0] == ["nipBaru", "nama", "namaKursus", "jenisKursus", "institusiPenyelenggara", "jumlahJam",
                       "tanggalKursus", "tanggalSelesaiKursus", "tahunKursus", "nomorSertipikat", "lokasi"]
    assert len(rows) == 2
    assert rows[1] == [cast.person_a.nip, cast.person_a.display_name, "Kursus Manajemen Kasus", "Kursus",
                       "Poltekesos Bandung", "20", "02-03-2026", "06-03-2026", "2026", "STTPP-001/2026",
                       "Kota Bandung"]


def test_the_agency_pdf_summary_is_a_pdf(client, cast):
    entry_approve(entry=make_entry(person=cast.person_a), by=SYSTEM)
    client.force_login(cast.agency_admin)
    response = client.get(reverse("hours:agency_pdf", args=[cast.kemensos.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    other = client.get(reverse("hours:agency_pdf", args=[cast.bnpb.pk]))
    assert other.status_code == 404


def test_dashboard_breakdowns_export_as_csv_and_xlsx(client, cast):
    entry_approve(entry=make_entry(person=cast.person_a, minutes=20 * 45), by=SYSTEM)
    client.force_login(cast.user("leadership"))
    rows = _csv(client.get(reverse("hours:dashboard"), {"by": "province", "format": "csv"}))
    assert rows[1][0] == "Jawa Barat" and rows[1][1:4] == ["1", "1", "100.0"]
    xlsx = client.get(reverse("hours:dashboard"), {"by": "employment_type", "format": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).active.cell(row=2, column=1).value == "PNS"
