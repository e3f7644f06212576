import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditLog
from accounts.roles import Role
from certification.models import Credential, CredentialKind
from certification.services import credential_create, credential_reject, credential_verify
from certification.testing import credential_input, make_credential, scan
from siaga.testing import make_user


def test_the_person_themself_may_add_a_credential_as_claimed(cast):
    credential = credential_create(person=cast.person_a, data=credential_input(CredentialKind.STR),
                                   document=scan(), by=cast.participant)
    assert credential.status == Credential.Status.CLAIMED
    assert credential.document_kind == "pdf"
    assert credential.document.name.startswith(f"credentials/{cast.person_a.pk}/")
    assert AuditLog.objects.filter(action="credential.create", target_id=str(credential.pk)).count() == 1


def test_an_agency_admin_may_add_for_their_people_but_not_for_another_agency(cast):
    credential_create(person=cast.person_a, data=credential_input(CredentialKind.STR), document=scan(),
                      by=cast.agency_admin)
    with pytest.raises(PermissionDenied):
        credential_create(person=cast.person_b, data=credential_input(CredentialKind.STR), document=scan(),
                          by=cast.agency_admin)


def test_a_participant_may_not_add_for_somebody_else(cast):
    with pytest.raises(PermissionDenied):
        credential_create(person=cast.person_b, data=credential_input(CredentialKind.STR), document=scan(),
                          by=cast.participant)


def test_it_refuses_a_scan_that_is_not_pdf_png_or_jpeg_whatever_its_name(cast):
    fake = SimpleUploadedFile("str.pdf", b"just some text pretending", content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        credential_create(person=cast.person_a, data=credential_input(CredentialKind.STR), document=fake,
                          by=cast.participant)
    assert "document" in err.value.message_dict


def test_it_accepts_a_png_scan(cast):
    png = SimpleUploadedFile("str.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    credential = credential_create(person=cast.person_a, data=credential_input(CredentialKind.STR), document=png,
                                   by=cast.participant)
    assert credential.document_kind == "png"


def test_each_kind_asks_for_its_own_fields(cast):
    data = credential_input(CredentialKind.SIPPS)
    data.region = None
    data.valid_until = None
    with pytest.raises(ValidationError) as err:
        credential_create(person=cast.person_a, data=data, document=scan(), by=cast.participant)
    assert {"region", "valid_until"} <= set(err.value.message_dict)
    competency = credential_input(CredentialKind.COMPETENCY)
    competency.scheme = ""
    with pytest.raises(ValidationError) as err:
        credential_create(person=cast.person_a, data=competency, document=scan(), by=cast.participant)
    assert "scheme" in err.value.message_dict


def test_it_refuses_an_expiry_before_the_issue_date(cast):
    data = credential_input(CredentialKind.STR, issued_on=dt.date(2025, 1, 1), valid_until=dt.date(2024, 12, 31))
    with pytest.raises(ValidationError) as err:
        credential_create(person=cast.person_a, data=data, document=scan(), by=cast.participant)
    assert "valid_until" in err.value.message_dict


def test_only_a_centre_admin_verifies_and_only_once(cast):
    credential = make_credential(cast.person_a, by=cast.agency_admin)
    with pytest.raises(PermissionDenied):
        credential_verify(credential=credential, by=cast.agency_admin)
    admin = make_user(Role.CENTRE_ADMIN)
    verified = credential_verify(credential=credential, by=admin)
    assert verified.status == Credential.Status.VERIFIED
    assert verified.decided_by == admin
    with pytest.raises(ValidationError):
        credential_verify(credential=verified, by=admin)
    with pytest.raises(ValidationError):
        credential_reject(credential=verified, reason="terlambat", by=admin)


def test_a_credential_without_a_scan_cannot_be_verified(cast):
    credential = make_credential(cast.person_a, document=False)
    with pytest.raises(ValidationError):
        credential_verify(credential=credential, by=make_user(Role.CENTRE_ADMIN))


def test_a_rejection_needs_a_reason_the_owner_can_read(cast):
    credential = make_credential(cast.person_a)
    admin = make_user(Role.CENTRE_ADMIN)
    with pytest.raises(ValidationError):
        credential_reject(credential=credential, reason="  ", by=admin)
    rejected = credential_reject(credential=credential, reason="Nomor STR tidak terdaftar di IPSPI", by=admin)
    assert rejected.status == Credential.Status.REJECTED
    assert rejected.rejection_reason == "Nomor STR tidak terdaftar di IPSPI"
    log = AuditLog.objects.get(action="credential.reject")
    assert log.before["status"] == "claimed" and log.after["status"] == "rejected"
