"""Agency scoping is the same on pages and API; outside scope answers 404."""

import pytest
from django.test import Client

from people.selectors import PersonFilters, person_search


@pytest.fixture
def kemensos_admin(cast):
    client = Client()
    client.force_login(cast.agency_admin)
    return client


def test_agency_admin_lists_only_their_agency(cast, kemensos_admin):
    a, b = cast.person_a, cast.person_b
    page = kemensos_admin.get("/sdm/").content.decode()
    assert a.full_name in page and b.full_name not in page
    api = kemensos_admin.get("/api/v1/people/").json()
    assert [item["id"] for item in api["items"]] == [a.pk]


def test_agency_admin_gets_404_for_another_agencys_person(cast, kemensos_admin):
    b = cast.person_b
    assert kemensos_admin.get(f"/sdm/{b.pk}/").status_code == 404
    assert kemensos_admin.get(f"/sdm/{b.pk}/ubah/").status_code == 404
    assert kemensos_admin.get(f"/api/v1/people/{b.pk}").status_code == 404
    payload = {"full_name": "Diubah", "sex": "L", "employment_type": "PNS", "agency_id": b.agency_id, "nip": b.nip}
    response = kemensos_admin.put(f"/api/v1/people/{b.pk}", payload, content_type="application/json")
    assert response.status_code == 404
    b.refresh_from_db()
    assert b.full_name == "Budi Santoso"


def test_agency_admin_cannot_move_a_person_to_another_agency(cast, kemensos_admin):
    a = cast.person_a
    payload = {"full_name": a.full_name, "sex": "P", "employment_type": "PNS", "agency_id": cast.bnpb.pk, "nip": a.nip}
    response = kemensos_admin.put(f"/api/v1/people/{a.pk}", payload, content_type="application/json")
    assert response.status_code == 403


def test_participant_sees_only_their_own_record(cast):
    client = Client()
    client.force_login(cast.participant)
    assert client.get(f"/sdm/{cast.person_a.pk}/").status_code == 200
    assert client.get(f"/sdm/{cast.person_b.pk}/").status_code == 404
    assert client.get("/sdm/").status_code == 403


def test_search_by_word_prefix_and_by_nip(cast):
    a, b = cast.person_a, cast.person_b
    centre = cast.user("organiser")
    assert list(person_search(user=centre, filters=PersonFilters(q="ami"))) == [a]
    assert list(person_search(user=centre, filters=PersonFilters(q="siti ami"))) == [a]
    assert list(person_search(user=centre, filters=PersonFilters(q="budi"))) == [b]
    spaced = f"{b.nip[:8]} {b.nip[8:14]} {b.nip[14]} {b.nip[15:]}"
    assert list(person_search(user=centre, filters=PersonFilters(q=spaced))) == [b]
    assert list(person_search(user=centre, filters=PersonFilters(agency=cast.bnpb.pk))) == [b]


def test_list_page_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    from siaga.testing import make_person

    for _ in range(30):
        make_person()
    client = Client()
    client.force_login(cast.user("organiser"))
    with django_assert_max_num_queries(12):
        assert client.get("/sdm/").status_code == 200


def test_nik_is_masked_for_leadership_and_viewing_it_in_full_is_audited(cast):
    from accounts.models import AuditLog
    from siaga.testing import make_person

    worker = make_person(employment_type="NON_ASN", position="tagana", full_name="Rudi Tagana")
    leader = Client()
    leader.force_login(cast.user("leadership"))
    assert worker.nik not in leader.get(f"/sdm/{worker.pk}/").content.decode()
    admin = Client()
    admin.force_login(cast.agency_admin)
    assert worker.nik not in admin.get(f"/sdm/{worker.pk}/").content.decode()
    assert worker.nik in admin.get(f"/sdm/{worker.pk}/?show=nik").content.decode()
    assert AuditLog.objects.filter(action="person.view_nik", target_id=str(worker.pk)).count() == 1


def test_every_word_typed_must_start_a_word_of_the_name(cast):
    from siaga.testing import make_person

    a = cast.person_a  # Siti Aminah
    rahayu = make_person(full_name="Siti Rahayu Lestari", sex="P")
    centre = cast.user("organiser")

    def found(q: str) -> list:
        return list(person_search(user=centre, filters=PersonFilters(q=q)))

    assert found("siti rah") == [rahayu]
    assert found("rah siti") == [rahayu]
    assert found("siti") == [a, rahayu]
    assert found("lestari aminah") == []
    assert found("siti si") == [a, rahayu]  # two prefixes of the same word
    assert found("siti rahayu lestari") == [rahayu]
