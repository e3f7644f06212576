import pytest
from django.urls import reverse

from hours.services import entry_approve
from hours.tests.factories import make_entry
from siaga.testing import SYSTEM

pytestmark = pytest.mark.django_db


def test_another_agencys_ledger_entry_and_evidence_answer_404(client, cast):
    entry = make_entry(person=cast.person_b)
    client.force_login(cast.agency_admin)
    assert client.get(reverse("hours:person", args=[cast.person_b.pk])).status_code == 404
    assert client.get(reverse("hours:entry", args=[entry.pk])).status_code == 404
    assert client.get(reverse("hours:evidence", args=[entry.pk])).status_code == 404
    assert client.post(reverse("hours:entry_approve", args=[entry.pk])).status_code == 404
    assert client.get(f"/api/v1/hours/people/{cast.person_b.pk}/years/2026").status_code == 404


def test_a_participant_sees_only_their_own_entries(client, cast):
    own = make_entry(person=cast.person_a)
    other = make_entry(person=cast.person_b)
    client.force_login(cast.participant)
    assert client.get(reverse("hours:entry", args=[own.pk])).status_code == 200
    evidence = client.get(reverse("hours:evidence", args=[own.pk]))
    assert evidence.status_code == 200 and evidence["Content-Security-Policy"].startswith("default-src 'none'")
    assert client.get(reverse("hours:entry", args=[other.pk])).status_code == 404


def test_the_dashboard_of_an_agency_admin_counts_only_their_agency(client, cast):
    entry_approve(entry=make_entry(person=cast.person_a, minutes=20 * 45), by=SYSTEM)
    make_entry(person=cast.person_b, minutes=45)
    client.force_login(cast.agency_admin)
    data = client.get("/api/v1/hours/dashboard", {"agency": cast.bnpb.pk}).json()
    assert data["summary"]["people"] == 1 and data["summary"]["compliant"] == 1
    client.force_login(cast.user("leadership"))
    assert client.get("/api/v1/hours/dashboard").json()["summary"]["people"] == 2


def test_my_hours_shows_the_progress_and_the_years_entries(client, cast):
    entry_approve(entry=make_entry(person=cast.person_a, minutes=10 * 45, title="Bimtek LDP"), by=SYSTEM)
    client.force_login(cast.participant)
    page = client.get(reverse("hours:mine"))
    assert page.status_code == 200
    assert b"Bimtek LDP" in page.content and b"jp-progress" in page.content
    assert "10 dari 20 JP" in page.content.decode()


def test_the_dashboard_page_renders_charts_with_table_views(client, cast):
    entry_approve(entry=make_entry(person=cast.person_a, minutes=20 * 45), by=SYSTEM)
    client.force_login(cast.user("leadership"))
    page = client.get(reverse("hours:dashboard"), {"by": "province"}).content.decode()
    assert page.count("<svg") >= 4 and "Jawa Barat" in page and "<table" in page
    assert "style=" not in page.split("<main", 1)[-1]
