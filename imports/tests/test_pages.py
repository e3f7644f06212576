"""The pages and the API: upload → preview → mapping correction → commit → result and error report."""

import io

from django.urls import reverse

from accounts.models import AuditLog
from imports.models import ImportRun
from imports.tests import samples
from people.models import Person

BAD_ROW = [3, "Rudi Hartono", "12345", "L", "", "", "", "", "", "", "", ""]


def test_the_whole_journey_on_the_pages(cast, client):
    client.force_login(cast.agency_admin)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200 and "Instansi tujuan" in page.content.decode()
    data = samples.xlsx_bytes([*samples.rows_basic(), BAD_ROW])
    response = client.post(reverse("imports:upload"), {"file": samples.upload("daftar.xlsx", data),
                                                       "agency": cast.kemensos.pk})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[run.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "Pratinjau" in preview and "Siti Aminah" in preview and "NIP harus 18 digit" in preview
    assert not Person.objects.exists()

    remap = client.post(reverse("imports:mapping", args=[run.pk]),
                        {f"col_{i}": v for i, v in run.mapping.items()} | {"col_11": "ignore"})
    assert remap.status_code == 302
    run.refresh_from_db()
    assert "11" not in run.mapping and run.status == ImportRun.Status.CHECKED

    done = client.post(reverse("imports:commit", args=[run.pk]), {"mode": "valid_only"})
    assert done.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and Person.objects.count() == 2
    assert Person.objects.get(nip="198001012005012001").email == ""  # the email column was set to ignore
    result = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "Hasil impor" in result

    report = client.get(reverse("imports:error_report", args=[run.pk]))
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    from python_calamine import CalamineWorkbook

    rows = list(CalamineWorkbook.from_filelike(io.BytesIO(report.content)).get_sheet_by_index(0).iter_rows())
    assert rows[0][0] == "Baris" and rows[0][-1] == "Keterangan" and "Nama Lengkap" in rows[0]
    assert rows[1][0] == 7 and rows[1][2] == "Rudi Hartono" and "18 digit" in rows[1][-1]

    history = client.get(reverse("imports:list")).content.decode()
    assert "daftar.xlsx" in history
    assert AuditLog.objects.filter(action="import.people").count() == 1


def test_the_progress_partial_polls_while_busy_and_refreshes_when_done(cast, client):
    client.force_login(cast.agency_admin)
    run = ImportRun.objects.create(agency=cast.kemensos, created_by=cast.agency_admin, original_name="x.csv",
                                   file_kind="csv", status=ImportRun.Status.CHECKING, total_rows=200,
                                   processed_rows=50)
    busy = client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in busy.content.decode() and 'value="25"' in busy.content.decode()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CHECKED)
    done = client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_another_agencys_import_is_not_found(cast, client):
    run = ImportRun.objects.create(agency=cast.bnpb, original_name="x.csv", file_kind="csv")
    client.force_login(cast.agency_admin)
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 404
    client.force_login(cast.other_agency_admin)
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 200


def test_the_api_previews_and_imports(cast, client):
    client.force_login(cast.agency_admin)
    data = samples.csv_bytes(samples.rows_basic(), delimiter="\t")
    response = client.post("/api/v1/imports/people", {"file": samples.upload("a.csv", data)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "checked" and body["rows_new"] == 2 and body["sample"][0]["row"] == 2
    assert not Person.objects.exists()
    commit = client.post(f"/api/v1/imports/{body['id']}/commit", data={"mode": "all_or_nothing"},
                         content_type="application/json")
    assert commit.status_code == 200 and commit.json()["created"] == 2
    assert Person.objects.count() == 2
    again = client.post("/api/v1/imports/people", {"file": samples.upload("a.csv", data), "dry_run": "false",
                                                   "mode": "valid_only"})
    assert again.json()["status"] == "done" and again.json()["rows_unchanged"] == 2
