"""The people pages: each field error shown, filters kept in the URL, no N+1 queries."""

from __future__ import annotations

import random

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from people import demo
from people.models import Person


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_data(cast, **changes) -> dict:
    data = {"full_name": "Dewi Lestari", "sex": "P", "employment_type": "PNS", "agency": cast.kemensos.pk,
            "nip": "198503142010012001", "birth_date": "1985-03-14"}
    data.update(changes)
    return data


def test_the_create_page_shows_each_field_error_beside_its_field(cast):
    client = _client(cast.agency_admin)
    response = client.post("/sdm/baru/", _form_data(
        cast, sex="L", nip="19850314 201001 2 001", phone="12345", email="bukan-email"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_nip_error"' in page and "Digit 15 NIP menunjukkan perempuan" in page
    assert 'id="id_phone_error"' in page and "Nomor HP 12345 tidak dikenali" in page
    assert 'id="id_email_error"' in page and "Alamat email bukan-email tidak sah." in page
    assert not Person.objects.filter(full_name="Dewi Lestari").exists()


def test_the_create_page_reports_required_fields_and_a_bad_nik(cast):
    page = _client(cast.agency_admin).post("/sdm/baru/", {"employment_type": "NON_ASN", "nik": "3273013201900001",
                                                          "sex": "L", "agency": cast.kemensos.pk}).content.decode()
    assert 'id="id_full_name_error"' in page
    page = _client(cast.agency_admin).post("/sdm/baru/", _form_data(
        cast, employment_type="NON_ASN", nip="", nik="3273013201900001", sex="L", birth_date="")).content.decode()
    assert 'id="id_nik_error"' in page and "Digit 7–12 NIK (320190) bukan tanggal lahir yang sah" in page


def test_the_create_page_shows_errors_in_english_when_asked(cast):
    client = _client(cast.agency_admin)
    client.post("/bahasa/", {"language": "en", "next": "/sdm/baru/"})
    page = client.post("/sdm/baru/", _form_data(cast, nip="1985031420100120")).content.decode()
    assert "An NIP has 18 digits; 16 were given." in page


def test_a_valid_create_saves_and_redirects_to_the_record(cast):
    response = _client(cast.agency_admin).post("/sdm/baru/", _form_data(cast, phone="0812-3456-7890"))
    person = Person.objects.get(full_name="Dewi Lestari")
    assert response.status_code == 302 and response["Location"] == f"/sdm/{person.pk}/"
    assert person.phone == "+6281234567890"


def test_the_edit_page_shows_each_field_error(cast):
    person = cast.person_a
    page = _client(cast.agency_admin).post(f"/sdm/{person.pk}/ubah/", _form_data(
        cast, full_name="", nip=person.nip[:-3] + "000", email="x@")).content.decode()
    assert 'id="id_full_name_error"' in page
    assert 'id="id_nip_error"' in page and "tidak boleh 000" in page
    assert 'id="id_email_error"' in page
    person.refresh_from_db()
    assert person.full_name == "Siti Aminah"


def test_filters_are_kept_in_the_url_of_the_next_page(cast):
    demo.load(count=140, rng=random.Random(7))
    pns = Person.objects.filter(employment_type="PNS", is_active=True).count()
    assert pns > 50
    page = _client(cast.user("organiser")).get("/sdm/?employment_type=PNS&q=&province=").content.decode()
    assert 'href="?employment_type=PNS&amp;q=&amp;province=&amp;page=2"' in page
    assert '<option value="PNS" selected>' in page
    assert f"1–50 dari {pns}" in page


def test_the_filter_form_pushes_its_values_into_the_url(cast):
    page = _client(cast.user("organiser")).get(f"/sdm/?q=siti&agency={cast.kemensos.pk}").content.decode()
    assert 'hx-push-url="true"' in page and 'value="siti"' in page
    assert f'<option value="{cast.kemensos.pk}" selected>' in page


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_page_and_api_queries_do_not_grow_with_rows(cast):
    client = _client(cast.user("organiser"))
    demo.load(count=5, rng=random.Random(1))
    few_page, few_api = _queries(client, "/sdm/"), _queries(client, "/api/v1/people/")
    demo.load(count=60, rng=random.Random(2))
    assert _queries(client, "/sdm/") == few_page
    assert _queries(client, "/api/v1/people/") == few_api
    assert few_api <= 5


def test_agency_admin_list_queries_do_not_grow_with_rows(cast):
    client = _client(cast.agency_admin)
    assert cast.person_a.agency == cast.kemensos  # at least one row on the page
    demo.load(count=20, rng=random.Random(3))
    few = _queries(client, "/sdm/?q=s")
    demo.load(count=80, rng=random.Random(4))
    assert _queries(client, "/sdm/?q=s") == few
