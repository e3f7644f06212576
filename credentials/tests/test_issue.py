import re
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.models import AuditLog
from accounts.roles import Role
from credentials.models import Certificate, SerialCounter
from credentials.services import certificate_issue
from credentials.tests.factories import complete, make_certificate, make_enrolment, make_event
from siaga.testing import SYSTEM, make_person, make_user
from training.models import Enrolment

SERIAL = re.compile(r"^\d{4}/[A-Z0-9-]+/[A-Z0-9-]+/\d{4}$")


def test_completion_issues_a_certificate_with_a_readable_serial_and_snapshot(cast):
    cert = make_certificate(person=cast.person_a)
    assert SERIAL.match(cert.serial), cert.serial
    assert cert.serial.endswith("/0001")
    assert cert.serial.split("/")[1] == cert.programme.code.upper()
    assert cert.serial.split("/")[2] == cert.event.code.upper()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{10}", cert.code)
    assert cert.person_name == "Siti Aminah"
    assert cert.person_nip == cast.person_a.nip
    assert [m["minutes"] for m in cert.modules] == [16 * 45, 24 * 45]
    assert cert.total_minutes == 40 * 45
    assert cert.city_name == "Kota Bandung"
    assert cert.kind == Certificate.Kind.AUTO
    assert AuditLog.objects.filter(action="certificate.issue", target_id=str(cert.pk)).count() == 1


def test_sequences_count_up_per_event_and_serials_are_unique(cast):
    event = make_event()
    certs = [make_certificate(event=event) for _ in range(3)]
    other = make_certificate()
    assert [c.sequence for c in certs] == [1, 2, 3]
    assert other.sequence == 1
    assert len({c.serial for c in [*certs, other]}) == 4
    assert len({c.code for c in [*certs, other]}) == 4


def test_completion_twice_keeps_one_live_certificate(cast):
    enrolment = complete(make_enrolment(person=cast.person_a))
    complete(enrolment)
    certificate_issue(enrolment=enrolment, by=SYSTEM)
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_a_stale_counter_is_moved_past_taken_sequences(cast):
    event = make_event()
    first = make_certificate(event=event)
    SerialCounter.objects.filter(event=event).update(last=0)  # e.g. restored from an older backup
    second = make_certificate(event=event)
    assert second.sequence == 2 and second.serial != first.serial


def test_manual_issue_needs_a_manager_and_a_reason(cast):
    enrolment = make_enrolment(person=cast.person_a, status=Enrolment.Status.ATTENDED)
    organiser = make_user(Role.ORGANISER)
    with pytest.raises(PermissionDenied):
        certificate_issue(enrolment=enrolment, by=cast.agency_admin, kind=Certificate.Kind.MANUAL, reason="alasan")
    with pytest.raises(ValidationError):
        certificate_issue(enrolment=enrolment, by=organiser, kind=Certificate.Kind.MANUAL, reason="")
    cert = certificate_issue(enrolment=enrolment, by=organiser, kind=Certificate.Kind.MANUAL,
                             reason="Lulus ujian susulan 3 Desember")
    assert cert.kind == Certificate.Kind.MANUAL and cert.issue_reason.startswith("Lulus")
    with pytest.raises(ValidationError):
        certificate_issue(enrolment=enrolment, by=organiser, kind=Certificate.Kind.MANUAL, reason="sekali lagi")


def test_automatic_issue_refuses_an_enrolment_that_did_not_complete(cast):
    enrolment = make_enrolment(person=cast.person_a, status=Enrolment.Status.NOT_COMPLETED)
    with pytest.raises(ValidationError):
        certificate_issue(enrolment=enrolment, by=SYSTEM)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_completions_get_distinct_sequences():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("threads need a file or server database to run concurrent transactions")
    event = make_event()
    enrolments = [make_enrolment(event=event, person=make_person()) for _ in range(8)]
    errors = []

    def work(chunk):
        try:
            for enrolment in chunk:
                complete(enrolment)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(enrolments[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    sequences = sorted(Certificate.objects.filter(event=event).values_list("sequence", flat=True))
    assert sequences == list(range(1, 9))
