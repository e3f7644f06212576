import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from hours.models import LedgerEntry, PersonYearTotal
from hours.services import entry_approve, entry_reject, entry_void
from hours.tests.factories import make_completed_enrolment, make_entry, make_event, make_programme
from siaga.testing import SYSTEM
from training.hooks import run_completion_handlers

pytestmark = pytest.mark.django_db


def _total(person, year):
    return PersonYearTotal.objects.get(person=person, year=year)


def test_an_external_entry_waits_as_pending_then_counts_when_approved(cast):
    entry = make_entry(person=cast.person_a, minutes=12 * 45, by=cast.participant)
    total = _total(cast.person_a, entry.year)
    assert (entry.status, total.approved_minutes, total.pending_minutes) == ("pending", 0, 12 * 45)
    entry_approve(entry=entry, by=cast.agency_admin)
    total.refresh_from_db()
    assert (total.approved_minutes, total.pending_minutes, total.compliant) == (12 * 45, 0, False)
    second = make_entry(person=cast.person_a, minutes=8 * 45)
    entry_approve(entry=second, by=cast.agency_admin)
    total.refresh_from_db()
    assert total.approved_minutes == 20 * 45 and total.compliant
    assert total.agency_id == cast.kemensos.pk and total.employment_type == "PNS"


def test_a_rejection_needs_a_reason_and_removes_the_pending_minutes(cast):
    entry = make_entry(person=cast.person_a, minutes=3 * 45)
    with pytest.raises(ValidationError):
        entry_reject(entry=entry, reason="  ", by=cast.agency_admin)
    entry_reject(entry=entry, reason="Sertifikat tidak terbaca", by=cast.agency_admin)
    total = _total(cast.person_a, entry.year)
    assert (total.approved_minutes, total.pending_minutes) == (0, 0)
    entry.refresh_from_db()
    assert entry.rejection_reason == "Sertifikat tidak terbaca"
    with pytest.raises(ValidationError):
        entry_approve(entry=entry, by=cast.agency_admin)


def test_a_voided_entry_leaves_the_totals_but_stays_in_the_ledger(cast):
    entry = make_entry(person=cast.person_a, minutes=20 * 45)
    entry_approve(entry=entry, by=cast.agency_admin)
    assert _total(cast.person_a, entry.year).compliant
    entry_void(entry=entry, reason="Tercatat dua kali", by=cast.agency_admin)
    total = _total(cast.person_a, entry.year)
    assert (total.approved_minutes, total.compliant) == (0, False)
    assert LedgerEntry.objects.filter(pk=entry.pk, voided_at__isnull=False).exists()


def test_another_agencys_admin_may_not_approve(cast):
    from django.core.exceptions import PermissionDenied

    entry = make_entry(person=cast.person_a)
    with pytest.raises(PermissionDenied):
        entry_approve(entry=entry, by=cast.other_agency_admin)
    with pytest.raises(PermissionDenied):
        make_entry(person=cast.person_b, by=cast.participant)


def test_evidence_must_be_a_real_pdf_or_image(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hours.services import ExternalInput, entry_add_external

    fake = SimpleUploadedFile("bukti.pdf", b"not really a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        entry_add_external(person=cast.person_a, data=ExternalInput(
            date=dt.date(2026, 1, 5), minutes=90, entry_type="course", title="Kursus"),
            evidence=fake, by=SYSTEM)
    assert "evidence" in info.value.message_dict


def test_a_completed_enrolment_writes_one_approved_entry_of_the_programmes_minutes(cast):
    programme = make_programme(total_minutes=24 * 45)
    enrolment = make_completed_enrolment(person=cast.person_a, event=make_event(programme=programme,
                                                                                  status="finished"),
                                         attended_minutes=22 * 45)
    run_completion_handlers(enrolment=enrolment, by=SYSTEM)
    run_completion_handlers(enrolment=enrolment, by=SYSTEM)
    entries = LedgerEntry.objects.filter(enrolment=enrolment)
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.source, entry.status, entry.minutes) == ("event", "approved", 24 * 45)
    assert _total(cast.person_a, entry.year).compliant


def test_verify_finds_a_difference_and_fix_repairs_it(cast):
    entry = make_entry(person=cast.person_a, minutes=10 * 45)
    entry_approve(entry=entry, by=SYSTEM)
    call_command("hours", "verify", stdout=io.StringIO())
    PersonYearTotal.objects.filter(person=cast.person_a).update(approved_minutes=1, compliant=True)
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("hours", "verify", stdout=out)
    assert info.value.returncode == 1
    assert "approved_minutes" in out.getvalue()
    call_command("hours", "verify", "--fix", stdout=io.StringIO())
    total = _total(cast.person_a, entry.year)
    assert (total.approved_minutes, total.compliant) == (10 * 45, False)
    call_command("hours", "verify", stdout=io.StringIO())


def test_recompute_creates_zero_totals_for_people_without_entries(cast):
    cast.person_b  # noqa: B018 - create the person
    out = io.StringIO()
    call_command("hours", "recompute", "--year", "2026", stdout=out)
    total = PersonYearTotal.objects.get(person=cast.person_b, year=2026)
    assert (total.approved_minutes, total.required_minutes, total.compliant) == (0, 20 * 45, False)


def test_dashboard_cells_follow_each_change_and_verify_rebuilds_them(cast):
    from hours import cells

    entry = make_entry(person=cast.person_a, minutes=20 * 45)
    assert not cells.differences(entry.year)
    entry_approve(entry=entry, by=SYSTEM)
    assert not cells.differences(entry.year)
    entry_void(entry=entry, reason="Salah orang", by=SYSTEM)
    assert not cells.differences(entry.year)
    from hours.models import ComplianceCell

    ComplianceCell.objects.update(people=7)
    with pytest.raises(CommandError):
        call_command("hours", "verify", stdout=io.StringIO())
    call_command("hours", "verify", "--fix", stdout=io.StringIO())
    assert not cells.differences(entry.year)


def test_ensuring_a_year_gives_every_active_person_without_one_a_zero_total(cast):
    """One INSERT … SELECT: the required JP by employment type, compliance where none is required,
    the person's dimensions; people with a total and inactive people are left alone."""
    from hours import cells, rules
    from hours.services import totals_ensure_year
    from people.models import Person
    from siaga.testing import make_person

    year = 2025
    people = {et: make_person(employment_type=et, agency="bnpb", level=None) for et in ("PNS", "PPPK", "NON_ASN")}
    gone = make_person()
    Person.objects.filter(pk=gone.pk).update(is_active=False)
    had = make_entry(person=cast.person_a, minutes=45, date=dt.date(year, 5, 2))
    before = _total(cast.person_a, year)
    active = Person.objects.filter(is_active=True).count()

    created = totals_ensure_year(year=year)

    assert created == active - 1 and PersonYearTotal.objects.filter(year=year).count() == active
    for et, person in people.items():
        total = _total(person, year)
        required = rules.required_minutes(year, et)
        assert (total.approved_minutes, total.pending_minutes, total.required_minutes) == (0, 0, required)
        assert total.compliant is (required == 0) and total.employment_type == et
        assert (total.agency_id, total.province_id, total.position_id, total.level_id) == (
            person.agency_id, person.province_id, person.position_id, person.level_id)
    assert rules.required_minutes(year, "PNS") > 0 and _total(people["NON_ASN"], year).compliant
    assert not PersonYearTotal.objects.filter(person=gone, year=year).exists()
    after = _total(cast.person_a, year)
    assert (after.pending_minutes, after.required_minutes) == (before.pending_minutes, before.required_minutes) == (
        had.credited_minutes, rules.required_minutes(year, "PNS"))
    assert cells.differences(year) == []
    assert totals_ensure_year(year=year) == 0
