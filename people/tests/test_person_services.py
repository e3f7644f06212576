import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from people.models import Agency, Person, PersonSearchToken
from people.services import PersonInput, person_create, person_update
from siaga.testing import make_nip


def _input(agency, **overrides) -> PersonInput:
    values = {"full_name": "Dra. Siti Aminah, M.Si.", "sex": "P", "employment_type": "PNS", "agency": agency,
              "nip": "19800101 200501 2 001", "phone": "0812-3456-7890", "email": "Siti@Contoh.go.id"}
    values.update(overrides)
    return PersonInput(**values)


def test_it_normalises_titles_phone_email_and_nip(cast):
    person = person_create(by=cast.agency_admin, data=_input(cast.kemensos))
    assert (person.title_prefix, person.full_name, person.title_suffix) == ("Dra.", "Siti Aminah", "M.Si.")
    assert person.nip == "198001012005012001"
    assert person.phone == "+6281234567890"
    assert person.email == "siti@contoh.go.id"
    assert str(person.birth_date) == "1980-01-01"  # taken from the NIP
    assert set(PersonSearchToken.objects.filter(person=person).values_list("token", flat=True)) == {"siti", "aminah"}


def test_it_writes_an_audit_row_with_before_and_after(cast):
    person = person_create(by=cast.agency_admin, data=_input(cast.kemensos))
    row = AuditLog.objects.get(action="person.create")
    assert row.actor == cast.agency_admin and row.target_id == str(person.pk)
    assert row.after["nip"] == "198001012005012001"
    person_update(by=cast.agency_admin, person=person, data=_input(cast.kemensos, work_unit="Bidang Rehsos"))
    change = AuditLog.objects.get(action="person.update")
    assert change.before == {"work_unit": ""} and change.after == {"work_unit": "Bidang Rehsos"}


def test_an_unchanged_update_writes_nothing(cast):
    person = person_create(by=cast.agency_admin, data=_input(cast.kemensos))
    _person, changed = person_update(by=cast.agency_admin, person=person, data=_input(cast.kemensos))
    assert changed == []
    assert not AuditLog.objects.filter(action="person.update").exists()


def test_agency_admin_cannot_create_in_another_agency(cast):
    with pytest.raises(PermissionDenied):
        person_create(by=cast.agency_admin, data=_input(cast.bnpb))
    assert not Person.objects.exists()


def test_nip_is_unique_with_a_clear_message(cast):
    person_create(by=cast.agency_admin, data=_input(cast.kemensos))
    with pytest.raises(ValidationError) as info:
        person_create(by=cast.agency_admin, data=_input(cast.kemensos, full_name="Orang Lain"))
    assert "sudah terdaftar" in info.value.message_dict["nip"][0]


def test_each_field_gets_its_own_message(cast):
    bad = _input(cast.kemensos, full_name="", sex="X", nip="123", phone="12345", email="bukan-email")
    with pytest.raises(ValidationError) as info:
        person_create(by=cast.agency_admin, data=bad)
    assert set(info.value.message_dict) >= {"full_name", "sex", "nip", "phone", "email"}


def test_non_asn_needs_a_nik_and_the_db_enforces_it(cast):
    with pytest.raises(ValidationError) as info:
        person_create(by=cast.agency_admin, data=_input(cast.kemensos, employment_type="NON_ASN", nip=None))
    assert "nik" in info.value.message_dict
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(full_name="X", sex="L", employment_type="NON_ASN", agency=Agency.objects.first(),
                              sort_name="x")


def test_region_sets_the_province(cast):
    from people.models import Region

    person = person_create(by=cast.agency_admin, data=_input(cast.kemensos, nip=make_nip(sex="P"),
                                                              birth_date=None, region=Region.objects.get(code="32.73")))
    assert person.province_id == "32" and person.time_zone == "Asia/Jakarta"
