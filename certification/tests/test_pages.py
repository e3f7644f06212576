from django.urls import reverse

from accounts.models import AuditLog
from accounts.roles import Role
from certification.models import Credential, Requirement, RequirementSet
from certification.testing import scan
from siaga.testing import make_user


def test_an_agency_admin_uploads_a_credential_on_the_page(client, cast):
    client.force_login(cast.agency_admin)
    url = reverse("certification:credential_create", kwargs={"person_id": cast.person_a.pk})
    response = client.post(url, {"kind": "sipps", "number": "503/0042/SIPPS/2025", "issued_on": "2025-02-01",
                                 "valid_until": "2028-01-31", "region": "32.73", "issuer": "DPMPTSP Kota Bandung",
                                 "document": scan()})
    assert response.status_code == 302
    credential = Credential.objects.get(number="503/0042/SIPPS/2025")
    assert credential.status == Credential.Status.CLAIMED and credential.region_id == "32.73"


def test_the_form_shows_the_service_errors_next_to_the_fields(client, cast):
    client.force_login(cast.participant)
    url = reverse("certification:credential_create", kwargs={"person_id": cast.person_a.pk})
    response = client.post(url, {"kind": "sipps", "number": "X", "issued_on": "2025-02-01", "document": scan()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "menerbitkan SIPPS" in html and "isi tanggal berakhirnya" in html


def test_a_centre_admin_edits_the_rules_and_an_agency_admin_may_only_read_them(client, cast):
    rule_set = RequirementSet.objects.get(code="pekerja-sosial-ahli-pertama")
    url = reverse("certification:rule_set", kwargs={"set_id": rule_set.pk})
    client.force_login(cast.agency_admin)
    assert client.get(url).status_code == 200
    add = {"action": "add", "kind": "module", "code": "etika-01", "label": "Modul Etika", "order": 50}
    assert client.post(url, add).status_code == 403
    client.force_login(make_user(Role.CENTRE_ADMIN))
    assert client.post(url, add).status_code == 302
    requirement = Requirement.objects.get(requirement_set=rule_set, code="etika-01")
    assert client.post(url, {"action": "remove", "requirement": requirement.pk}).status_code == 302
    assert not Requirement.objects.filter(pk=requirement.pk).exists()
    assert AuditLog.objects.filter(action__in=["requirement.add", "requirement.remove"]).count() == 2


def test_a_centre_admin_rejects_on_the_page_with_a_reason(client, cast):
    from certification.testing import make_credential

    credential = make_credential(cast.person_a)
    client.force_login(make_user(Role.CENTRE_ADMIN))
    client.post(reverse("certification:credential_reject", kwargs={"credential_id": credential.pk}),
                {"reason": "Pindaian terpotong"})
    credential.refresh_from_db()
    assert credential.status == Credential.Status.REJECTED
    client.force_login(cast.participant)
    html = client.get(reverse("certification:record", kwargs={"person_id": cast.person_a.pk})).content.decode()
    assert "Pindaian terpotong" in html
