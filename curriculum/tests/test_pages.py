from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum.models import Competency
from curriculum.selectors import board
from curriculum.services import review_decide
from curriculum.tests.factories import approve_all, make_team, submit


@pytest.fixture
def team(db):
    return make_team()


def test_the_catalogue_searches_title_code_competency_and_audience(team, client, cast):
    ldp = team.module(code="ldp-covid19", title="Layanan Dukungan Psikososial (LDP) pada Masa Pandemi Covid-19")
    ldp.competencies.add(Competency.objects.get(code="ldp"))
    kitchen = team.module(code="dapur-umum", title="Dapur Umum")
    draft = team.module(code="shelter", title="Pengelolaan Shelter")
    for module in (ldp, kitchen):
        approve_all(team, module.versions.get())
    client.force_login(cast.participant)
    page = client.get("/modul/").content.decode()
    assert "Dapur Umum" in page and "Pengelolaan Shelter" not in page  # drafts are not in the catalogue
    assert "Dapur Umum" not in client.get("/modul/", {"q": "psikososial"}).content.decode()
    assert "LDP" in client.get("/modul/", {"q": "ldp-covid"}).content.decode()
    by_competency = client.get("/modul/", {"competency": Competency.objects.get(code="ldp").pk}).content.decode()
    assert "Pandemi" in by_competency and "Dapur Umum" not in by_competency
    assert draft.pk


def test_the_catalogue_does_not_grow_queries_with_modules(team, client, cast):
    for i in range(2):
        approve_all(team, team.module(code=f"m-{i}").versions.get())
    client.force_login(cast.participant)
    with CaptureQueriesContext(connection) as few:
        client.get("/modul/")
    for i in range(2, 5):
        approve_all(team, team.module(code=f"m-{i}").versions.get())
    with CaptureQueriesContext(connection) as many:
        client.get("/modul/")
    assert len(many) == len(few)


def test_the_board_shows_who_waits_on_whom_and_overdue_reviews(team, client, cast):
    late = team.module(title="Kaji Cepat")
    submit(team, late.versions.get(), today=dt.date(2026, 1, 5))  # due 19 January 2026
    returned = team.module(title="Dapur Umum")
    rnd = submit(team, returned.versions.get())
    review_decide(assignment=rnd.assignments.get(), decision="changes_requested", comment="Tambah menu balita.",
                  by=team.reviewer)
    rows = {r.version.module.title: r for r in board(today=dt.date(2026, 1, 25))}
    assert rows["Kaji Cepat"].waiting == "reviewers" and rows["Kaji Cepat"].overdue
    assert rows["Kaji Cepat"].overdue_days == 6
    assert team.reviewer.username in rows["Kaji Cepat"].waiting_for[0] or rows["Kaji Cepat"].waiting_for
    assert rows["Dapur Umum"].waiting == "authors" and not rows["Dapur Umum"].overdue
    client.force_login(cast.user("leadership"))
    page = client.get("/modul/dalam-proses/").content.decode()
    assert 'class="overdue"' in page and "menunggu penelaah" in page


def test_the_module_page_shows_the_current_version_history_and_a_pdf(team, client, cast):
    module = team.module(title="Pengelolaan Shelter")
    approve_all(team, module.versions.get())
    client.force_login(cast.participant)
    page = client.get(f"/modul/{module.pk}/").content.decode()
    assert "Versi berlaku: 1" in page and "Riwayat versi" in page and "Konsep dasar" in page
    pdf = client.get(f"/modul/{module.pk}/v1/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_author_drafts_through_the_pages(team, client):
    client.force_login(team.author)
    response = client.post("/modul/baru/", {"code": "dasar-jf", "title": "Dasar Jabatan Fungsional Pekerja Sosial",
                                            "owner": team.owner.pk, "review_days": 10})
    assert response.status_code == 302
    module_id = int(response["Location"].split("/")[2])
    client.post(f"/modul/{module_id}/v1/ubah/", {"objectives": "Memahami tugas JF", "pass_mark": 70})
    client.post(f"/modul/{module_id}/v1/sesi/", {"topic": "Angka kredit", "method": "classroom", "jp": 2})
    page = client.get(f"/modul/{module_id}/v1/ubah/").content.decode()
    assert "Angka kredit" in page and "2 JP" in page
    response = client.post(f"/modul/{module_id}/v1/ajukan/", {"reviewers": [team.reviewer.pk]})
    assert response.status_code == 302
    page = client.get(f"/modul/{module_id}/v1/").content.decode()
    assert "Dalam telaah" in page


def test_competencies_are_edited_by_the_centre_admin(db, client, cast):
    client.force_login(cast.user("centre_admin"))
    competency = Competency.objects.get(code="shelter")
    response = client.post(f"/modul/kompetensi/{competency.pk}/ubah/", {
        "area": competency.area_id, "code": "shelter", "name": "Pengelolaan hunian sementara", "description": ""})
    assert response.status_code == 302
    competency.refresh_from_db()
    assert competency.name == "Pengelolaan hunian sementara"
