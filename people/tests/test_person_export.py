"""Sorting the people list and exporting the filtered list (CSV, XLSX), masked and audited."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.test import Client

from accounts.models import AuditLog
from siaga.testing import make_person


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _people(cast):
    a, b = cast.person_a, cast.person_b  # Siti Aminah (Kemensos, Jawa Barat), Budi Santoso (BNPB)
    c = make_person(agency="kemenkumham", full_name="Andi Wijaya", region="51.71")  # Bali
    return a, b, c


def _names(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


def test_columns_sort_by_name_agency_and_province_and_keep_the_filters(cast):
    _people(cast)
    client = _client(cast.user("organiser"))
    names = ["Siti Aminah", "Budi Santoso", "Andi Wijaya"]
    assert _names(client.get("/sdm/").content.decode(), names) == ["Andi Wijaya", "Budi Santoso", "Siti Aminah"]
    assert _names(client.get("/sdm/?sort=-name").content.decode(), names) == [
        "Siti Aminah", "Budi Santoso", "Andi Wijaya"]
    by_agency = client.get("/sdm/?sort=agency").content.decode()  # BNPB, Kemenkumham, Kemensos (by name)
    from people.models import Agency

    agency_order = [a.code for a in Agency.objects.filter(code__in=["bnpb", "kemenkumham", "kemensos"])
                    .order_by("name")]
    expected = [{"bnpb": "Budi Santoso", "kemenkumham": "Andi Wijaya", "kemensos": "Siti Aminah"}[code]
                for code in agency_order]
    assert _names(by_agency, names) == expected
    by_province = client.get("/sdm/?sort=province&employment_type=PNS").content.decode()
    assert _names(by_province, names) == ["Budi Santoso", "Siti Aminah", "Andi Wijaya"]  # 32 Jabar, then 51 Bali
    assert 'aria-sort="ascending"><a href="?sort=-province&amp;employment_type=PNS"' in by_province
    assert 'name="sort" value="province"' in by_province  # searching again keeps the order


def test_an_unknown_sort_falls_back_to_name(cast):
    _people(cast)
    page = _client(cast.user("organiser")).get("/sdm/?sort=nip;drop").content.decode()
    assert _names(page, ["Siti Aminah", "Andi Wijaya"]) == ["Andi Wijaya", "Siti Aminah"]


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_holds_the_filtered_list_with_full_numbers_for_admins(cast):
    a, b, c = _people(cast)
    response = _client(cast.user("organiser")).get("/sdm/ekspor/csv/?q=siti&sort=name")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="sdm-kesos-')
    rows = _csv(response)
    assert rows[0][:6] == ["Nama", "Gelar depan", "Nama lengkap", "Gelar belakang", "NIP", "NIK"]
    assert [row[2] for row in rows[1:]] == ["Siti Aminah"]
    assert rows[1][4] == a.nip
    log = AuditLog.objects.get(action="person.export")
    assert log.after == {"format": "csv", "filters": {"q": "siti", "active": True, "sort": "name"}, "rows": 1,
                         "full_identity": True}
    assert log.actor == cast.user("organiser")


def test_exports_mask_nip_and_nik_for_readers_who_may_not_see_them(cast):
    a, b, c = _people(cast)
    worker = make_person(employment_type="NON_ASN", position="tagana", full_name="Rudi Tagana")
    rows = _csv(_client(cast.user("leadership")).get("/sdm/ekspor/csv/"))
    text = "\n".join(",".join(row) for row in rows)
    for number in (a.nip, b.nip, c.nip, worker.nik):
        assert number not in text
    assert "•" in text and len(rows) == 5
    assert AuditLog.objects.get(action="person.export").after["full_identity"] is False


def test_xlsx_export_follows_the_filters_of_an_agency_admin(cast):
    a, b, c = _people(cast)
    response = _client(cast.agency_admin).get("/sdm/ekspor/xlsx/")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    values = list(sheet.values)
    assert values[0][0] == "Nama" and [row[2] for row in values[1:]] == ["Siti Aminah"]  # own agency only
    assert values[1][4] == a.nip
    assert AuditLog.objects.get(action="person.export").after["rows"] == 1


def test_a_name_that_looks_like_a_formula_is_neutralised(cast):
    make_person(full_name="=HYPERLINK(x)")
    rows = _csv(_client(cast.user("organiser")).get("/sdm/ekspor/csv/"))
    assert any(row[2].startswith("'=") for row in rows[1:])


def test_export_headers_follow_the_language(cast):
    _people(cast)
    client = _client(cast.user("organiser"))
    client.post("/bahasa/", {"language": "en", "next": "/sdm/"})
    rows = _csv(client.get("/sdm/ekspor/csv/"))
    assert rows[0][:2] == ["Name", "Title before the name"] and rows[1][-1] == "active"


def test_the_list_offers_the_export_of_its_current_filters(cast):
    _people(cast)
    page = _client(cast.user("organiser")).get("/sdm/?q=siti&page=1&sort=-name").content.decode()
    assert 'href="/sdm/ekspor/csv/?q=siti&amp;sort=-name"' in page
    assert 'href="/sdm/ekspor/xlsx/?q=siti&amp;sort=-name"' in page


def test_an_unknown_format_is_404_and_participants_may_not_export(cast):
    assert _client(cast.user("organiser")).get("/sdm/ekspor/pdf/").status_code == 404
    assert _client(cast.participant).get("/sdm/ekspor/csv/").status_code == 403
    assert not AuditLog.objects.filter(action="person.export").exists()


def test_a_too_large_xlsx_is_refused_with_advice(cast, monkeypatch):
    from people import exports

    _people(cast)
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    response = _client(cast.user("organiser")).get("/sdm/ekspor/xlsx/?employment_type=PNS", follow=True)
    assert response.redirect_chain[-1][0] == "/sdm/?employment_type=PNS"
    assert "XLSX dibatasi 2 baris" in response.content.decode()
    assert not AuditLog.objects.filter(action="person.export").exists()
