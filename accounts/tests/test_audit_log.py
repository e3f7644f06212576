"""The audit log: services write who/what/before/after; admins and auditors browse it."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from accounts.models import AuditLog
from accounts.roles import Role
from people.services import person_set_active
from siaga.testing import make_person, make_user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_service_change_writes_one_row_with_before_and_after(cast):
    person = cast.person_a
    admin = cast.agency_admin
    before = AuditLog.objects.count()
    person_set_active(by=admin, person=person, active=False, reason="pensiun")
    assert AuditLog.objects.count() == before + 1
    row = AuditLog.objects.latest("id")
    assert (row.actor, row.actor_label, row.action) == (admin, "admin-kemensos", "person.deactivate")
    assert (row.target_type, row.target_id) == ("people.person", str(person.pk))
    assert row.before == {"is_active": True} and row.after == {"is_active": False} and row.note == "pensiun"


def test_a_change_made_on_a_page_records_the_client_address_and_the_changed_fields(cast):
    from people.forms import PersonForm

    person = cast.person_a
    data = {name: getattr(value, "pk", value) if value is not None else ""
            for name, value in PersonForm.initial_from(person).items()}
    data["full_name"] = "Siti Aminah Rahayu"
    response = _client(cast.agency_admin).post(f"/sdm/{person.pk}/ubah/", data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    row = AuditLog.objects.get(action="person.update")
    assert row.ip == "10.1.2.3" and row.actor == cast.agency_admin
    assert row.before == {"full_name": "Siti Aminah", "sort_name": "siti aminah"}
    assert row.after == {"full_name": "Siti Aminah Rahayu", "sort_name": "siti aminah rahayu"}


def test_centre_admins_and_auditors_may_browse_it_and_nobody_else(cast):
    for role in (Role.CENTRE_ADMIN, Role.AUDITOR):
        assert _client(cast.user(role)).get("/akun/audit/").status_code == 200
    for role in (Role.ORGANISER, Role.AGENCY_ADMIN, Role.LEADERSHIP, Role.PARTICIPANT):
        assert _client(cast.user(role)).get("/akun/audit/").status_code == 403


def test_filters_by_action_kind_of_record_and_user(cast):
    make_person(full_name="Rina Wati")
    AuditLog.objects.create(actor_label="penyelenggara", action="enrolment.create", target_type="training.enrolment",
                            target_id="7", target_label="Pelatihan LDP")
    client = _client(cast.user(Role.AUDITOR))

    def shown(query: str) -> str:
        return client.get("/akun/audit/" + query).content.decode()

    assert "Rina Wati" in shown("?action=person.") and "Pelatihan LDP" not in shown("?action=person.")
    assert "Pelatihan LDP" in shown("?target=training.enrolment")
    assert "Rina Wati" not in shown("?target=training.enrolment")
    assert "Pelatihan LDP" in shown("?actor=penyelenggara") and "Rina Wati" not in shown("?actor=penyelenggara")
    page = shown("?action=zzz")
    assert "Belum ada catatan yang cocok" in page
    assert 'value="zzz"' in page  # the filter stays in the form


def test_times_are_shown_in_the_zone_of_the_users_region(cast):
    denpasar = make_person(full_name="Made Wirawan", region="51.71")  # Kota Denpasar, Bali: WITA
    auditor = make_user(Role.AUDITOR, username="auditor-bali", person=denpasar)
    AuditLog.objects.create(at=dt.datetime(2026, 1, 5, 2, 30, tzinfo=dt.UTC), actor_label="sistem",
                            action="zone.check", target_label="Cek zona")
    page = _client(auditor).get("/akun/audit/?action=zone.").content.decode()
    assert "WITA" in page and "10:30" in page and "09:30" not in page
    jakarta = _client(cast.user(Role.AUDITOR)).get("/akun/audit/?action=zone.").content.decode()
    assert "WIB" in jakarta and "09:30" in jakarta


def test_the_audit_list_does_not_grow_queries_with_rows(cast, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(cast.user(Role.AUDITOR))
    for n in range(3):
        AuditLog.objects.create(actor=cast.agency_admin, actor_label="a", action=f"x.{n}")
    with CaptureQueriesContext(connection) as few:
        client.get("/akun/audit/")
    for n in range(40):
        AuditLog.objects.create(actor=cast.agency_admin, actor_label="a", action=f"y.{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/akun/audit/")
    assert len(many) == len(few)
