import io
import json
import zipfile

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import AuditLog, User
from accounts.roles import Role
from people.models import Person
from privacy.export import NOT_EXPORTED, SECTIONS, person_data_collect
from privacy.tests.factories import PDF, FullPerson
from siaga.testing import make_user

pytestmark = pytest.mark.django_db


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _export(client, user, person):
    client.force_login(user)
    return client.get(reverse("privacy:person_export", kwargs={"person_id": person.pk}))


@pytest.fixture
def full(cast):
    return FullPerson(cast)


def test_every_model_that_refers_to_a_person_is_exported_or_its_absence_explained():
    exported = {"accounts.user", "accounts.apitoken", "accounts.recoverycode", "people.positionhistory",
                "training.enrolment", "credentials.certificate", "hours.ledgerentry", "hours.personyeartotal",
                "certification.credential", "readiness.personcompetency", "readiness.callup",
                "readiness.deployment", "readiness.unavailability", "curriculum.institutionmember"}
    refer = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Person:
                refer.add(model._meta.label_lower)
            # a login's own records (not the many "created_by" columns of staff work)
            if field.is_relation and field.related_model is User and field.name in {"user", "person"}:
                refer.add(model._meta.label_lower)
    missing = refer - exported - set(NOT_EXPORTED)
    assert not missing, f"models about a person that the export neither covers nor explains: {missing}"


def test_the_export_holds_every_section_with_the_persons_rows(full):
    sections, files = person_data_collect(person=full.person)
    assert list(sections) == [s.name for s in SECTIONS]
    empty = [name for name, rows in sections.items() if not rows]
    # recovery codes and institution memberships exist only for staff with two-factor / partner roles
    assert set(empty) <= {"recovery_codes", "institution_memberships", "credential_reminders"}, empty
    assert sections["person"][0]["nip"] == full.person.nip
    assert sections["person"][0]["agency_name"] == full.person.agency.name
    assert {r["id"] for r in sections["enrolments"]} >= {full.enrolment.pk}
    assert sections["attendance"][0]["status"] == "present"
    assert {(r["status"], r["post_test_score"]) for r in sections["assessments"]} >= {("completed", 85)}
    assert full.certificate.pk in {r["id"] for r in sections["certificates"]}
    assert full.entry.pk in {r["id"] for r in sections["ledger_entries"]}
    assert full.credential.pk in {r["id"] for r in sections["credentials"]}
    assert sections["deployments"][0]["id"] == full.deployment.pk
    assert sections["callups"][0]["id"] == full.callup.pk
    assert sections["unavailability"][0]["reason"] == "Cuti tahunan"
    assert sections["account"][0]["username"] == full.user.username
    assert sections["api_tokens"][0]["name"] == "laptop"
    about = {(r["target_type"], r["action"]) for r in sections["audit_about"]}
    assert {("people.person", "person.create"), ("certification.credential", "credential.create"),
            ("hours.ledgerentry", "hours.entry_add"), ("readiness.deployment", "deployment.confirm"),
            ("credentials.certificate", "certificate.issue"),
            ("readiness.unavailability", "unavailability.create")} <= about
    assert {r["action"] for r in sections["audit_by"]} == {"unavailability.create", "token.create"}
    assert set(sections["audit_by"][0]) == {"id", "at", "action", "target_type", "target_id"}  # no values
    kinds = {f.arcname.split("/")[1] for f in files}
    assert kinds == {"certificates", "jp-evidence", "credentials"}


def test_no_secret_leaves_in_the_export(full):
    sections, _files = person_data_collect(person=full.person)
    text = json.dumps(sections)
    user = User.objects.get(pk=full.user.pk)
    assert user.password and user.password not in text
    assert full.token.digest not in text
    for key in ("password", "totp_secret", "digest"):
        assert f'"{key}"' not in text


def test_the_person_downloads_a_zip_of_json_csv_and_their_files(client, full):
    response = _export(client, full.user, full.person)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = _zip(response)
    names = set(archive.namelist())
    assert {"data.json", "README.txt"} <= names
    assert {f"csv/{s.name}.csv" for s in SECTIONS} <= names
    pdfs = [n for n in names if n.startswith("files/certificates/")]
    assert len(pdfs) == 1 and archive.read(pdfs[0]) == PDF
    assert any(n.startswith("files/jp-evidence/") for n in names)
    assert any(n.startswith("files/credentials/") for n in names)
    data = json.loads(archive.read("data.json"))
    assert data["person_id"] == full.person.pk
    assert full.person.full_name in archive.read("csv/person.csv").decode("utf-8-sig")


def test_each_export_is_audited_with_its_counts(client, full):
    before = AuditLog.objects.filter(action="person.data_export").count()
    _export(client, full.cast.agency_admin, full.person)
    row = AuditLog.objects.filter(action="person.data_export").latest("id")
    assert AuditLog.objects.filter(action="person.data_export").count() == before + 1
    assert row.actor == full.cast.agency_admin
    assert row.target_type == "people.person" and row.target_id == str(full.person.pk)
    assert row.after["format"] == "zip" and row.after["files"] == 3
    assert row.after["sections"]["enrolments"] >= 1


def test_the_person_may_export_only_their_own_data(client, cast):
    assert _export(client, cast.participant, cast.person_a).status_code == 200
    assert _export(client, cast.participant, cast.person_b).status_code == 404


def test_an_agency_admin_exports_their_agencys_people_only(client, cast):
    assert _export(client, cast.agency_admin, cast.person_a).status_code == 200
    assert _export(client, cast.agency_admin, cast.person_b).status_code == 404
    assert _export(client, cast.other_agency_admin, cast.person_a).status_code == 404


def test_roles_that_only_read_the_registry_may_not_export(client, cast):
    assert _export(client, make_user(Role.AUDITOR), cast.person_a).status_code == 403
    assert _export(client, make_user(Role.TRAINER), cast.person_a).status_code == 404
    assert _export(client, cast.user(Role.CENTRE_ADMIN), cast.person_b).status_code == 200


def test_a_staff_member_exports_their_own_record_whatever_their_role(client, cast):
    organiser = make_user(Role.ORGANISER, person=cast.person_b)
    assert _export(client, organiser, cast.person_b).status_code == 200
    assert _export(client, organiser, cast.person_a).status_code == 403


def test_the_api_gives_the_same_sections_as_json_and_audits_it(client, full):
    client.force_login(full.user)
    response = client.get(f"/api/v1/privacy/people/{full.person.pk}")
    assert response.status_code == 200
    body = response.json()
    assert set(body["sections"]) == {s.name for s in SECTIONS}
    assert len(body["files"]) == 3
    row = AuditLog.objects.filter(action="person.data_export").latest("id")
    assert row.after["format"] == "json" and row.actor_id == full.user.pk
    client.force_login(full.cast.other_agency_admin)
    assert client.get(f"/api/v1/privacy/people/{full.person.pk}").status_code == 404


def test_the_record_page_links_to_the_export_for_those_who_may_use_it(client, cast):
    client.force_login(cast.participant)
    page = client.get(reverse("certification:record", kwargs={"person_id": cast.person_a.pk}))
    link = reverse("privacy:person_export", kwargs={"person_id": cast.person_a.pk})
    assert link in page.content.decode()
    client.force_login(make_user(Role.AUDITOR))
    page = client.get(reverse("certification:record", kwargs={"person_id": cast.person_a.pk}))
    assert link not in page.content.decode()
