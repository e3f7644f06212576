import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from certification.models import CredentialKind
from certification.record import RecordTable, register_record_section, unregister_record_section
from certification.testing import make_credential
from siaga.testing import make_person, make_user


@pytest.fixture
def jp_section():
    def provider(*, person, user):
        return RecordTable(columns=["Tahun", "JP"], rows=[("2025", 24), ("2026", 8)], empty="Belum ada JP.")

    register_record_section("test.jp_per_year", provider, title="JP per tahun", order=20)
    yield
    unregister_record_section("test.jp_per_year")


def _get(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs))


def test_the_participant_sees_their_own_record_and_not_anybody_elses(client, cast):
    assert _get(client, cast.participant, "certification:record", person_id=cast.person_a.pk).status_code == 200
    assert _get(client, cast.participant, "certification:record", person_id=cast.person_b.pk).status_code == 404


def test_the_agency_admin_sees_their_agencys_records_only(client, cast):
    assert _get(client, cast.agency_admin, "certification:record", person_id=cast.person_a.pk).status_code == 200
    assert _get(client, cast.agency_admin, "certification:record", person_id=cast.person_b.pk).status_code == 404
    assert _get(client, cast.other_agency_admin, "certification:record_pdf",
                person_id=cast.person_a.pk).status_code == 404


def test_roles_without_people_access_get_404_for_a_record(client, cast):
    trainer = make_user(Role.TRAINER)
    assert _get(client, trainer, "certification:record", person_id=cast.person_a.pk).status_code == 404


def test_a_scan_is_served_only_inside_the_scope(client, cast):
    credential = make_credential(cast.person_a)
    ok = _get(client, cast.participant, "certification:credential_document", credential_id=credential.pk)
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert b"".join(ok.streaming_content).startswith(b"%PDF")
    assert ok["Cache-Control"] == "private, no-store"
    for outsider in (cast.other_agency_admin, make_user(Role.PARTICIPANT, person=cast.person_b),
                     make_user(Role.AUTHOR)):
        response = _get(client, outsider, "certification:credential_document", credential_id=credential.pk)
        assert response.status_code == 404


def test_the_record_renders_registered_sections_and_survives_a_broken_one(client, cast, jp_section):
    def broken(*, person, user):
        raise RuntimeError("hours app down")

    register_record_section("test.broken", broken, title="Penugasan", order=30)
    try:
        response = _get(client, cast.agency_admin, "certification:record", person_id=cast.person_a.pk)
    finally:
        unregister_record_section("test.broken")
    html = response.content.decode()
    assert response.status_code == 200
    assert "JP per tahun" in html and "<td>2025</td><td>24</td>" in html
    assert "Penugasan" in html and "Bagian ini sedang tidak tersedia." in html


def test_the_record_lists_trainings_with_module_versions_and_marks_expired_papers(client, cast, completed_training):
    completed_training(cast.person_a)
    make_credential(cast.person_a, CredentialKind.STR, verified=True, issued_on=dt.date(2019, 1, 1),
                    valid_until=dt.date(2024, 1, 1), number="STR-LAMA")
    html = _get(client, cast.participant, "certification:record", person_id=cast.person_a.pk).content.decode()
    assert "Pelatihan Dasar Pekerja Sosial" in html and "psdasar-01 v2" in html
    assert "Kedaluwarsa" in html and "STR berakhir 1 Januari 2024" in html


def test_the_record_prints_as_pdf(client, cast, completed_training, jp_section):
    completed_training(cast.person_a)
    make_credential(cast.person_a, CredentialKind.COMPETENCY, verified=True)
    response = _get(client, cast.participant, "certification:record_pdf", person_id=cast.person_a.pk)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 1500


def test_the_gap_view_is_scoped_and_does_not_query_per_person(client, cast):
    for _ in range(3):
        make_credential(make_person(agency="kemensos", level="ahli-pertama"), CredentialKind.STR, verified=True)
    make_person(agency="bnpb", full_name="Yohana Wenda")
    client.force_login(cast.agency_admin)
    url = reverse("certification:gaps")
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "Yohana" not in html and "belum memiliki SIPPS" in html
    for _ in range(4):
        make_person(agency="kemensos", level="ahli-muda")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_expired_credentials_are_marked_in_the_list_and_the_quarter_report_exports(client, cast):
    make_credential(cast.person_a, valid_until=dt.date(2024, 1, 1), issued_on=dt.date(2019, 1, 2))
    client.force_login(make_user(Role.CENTRE_ADMIN))
    html = client.get(reverse("certification:credentials")).content.decode()
    assert 'class="overdue"' in html and "Kedaluwarsa" in html
    response = client.get(reverse("certification:expiring") + "?format=csv")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith("\ufeffNama".encode())
