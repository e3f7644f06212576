import datetime as dt

import pytest

from hours import rules
from hours.models import ConversionShare, JPRequirement, PersonYearTotal
from hours.services import requirement_set, share_set
from hours.tests.factories import make_completed_enrolment, make_entry, make_event, make_programme
from siaga.testing import SYSTEM, make_person
from training.hooks import run_completion_handlers

pytestmark = pytest.mark.django_db


def test_pns_need_20_jp_and_non_asn_none_with_their_legal_sources():
    assert rules.required_minutes(2026, "PNS") == 20 * 45
    assert rules.required_minutes(2026, "NON_ASN") == 0
    pns = JPRequirement.objects.get(year=2026, employment_type="PNS")
    assert "PP 17/2020" in pns.legal_source and not pns.needs_check
    assert JPRequirement.objects.get(year=2026, employment_type="PPPK").needs_check


def test_a_year_without_its_own_rule_follows_the_latest_earlier_year():
    JPRequirement.objects.filter(year__gte=2027).delete()
    assert rules.required_minutes(2031, "PNS") == rules.required_minutes(2026, "PNS")
    JPRequirement.objects.filter(employment_type="PPPK").delete()
    assert rules.required_minutes(2026, "PPPK") == 0


def test_the_rule_of_each_year_applies_to_that_year_only():
    JPRequirement.objects.filter(year=2024, employment_type="PPPK").update(minimum_minutes=10 * 45)
    assert rules.required_minutes(2024, "PPPK") == 10 * 45
    assert rules.required_minutes(2025, "PPPK") == 20 * 45


def test_seminar_hours_count_by_their_share_and_classroom_in_full(cast):
    seminar = make_entry(person=cast.person_a, minutes=4 * 45, entry_type="seminar")
    classroom = make_entry(person=cast.person_a, minutes=4 * 45, entry_type="classroom")
    assert ConversionShare.objects.get(year=seminar.year, entry_type="seminar").percent == 50
    assert seminar.credited_minutes == 2 * 45
    assert classroom.credited_minutes == 4 * 45


def test_changing_a_share_recomputes_the_entries_and_totals_it_governs(cast):
    entry = make_entry(person=cast.person_a, minutes=10 * 45, entry_type="seminar")
    total = PersonYearTotal.objects.get(person=cast.person_a, year=entry.year)
    assert total.pending_minutes == 5 * 45
    _row, job = share_set(year=entry.year, entry_type="seminar", percent=80, legal_source="Uji", needs_check=True,
                          by=SYSTEM)
    entry.refresh_from_db()
    total.refresh_from_db()
    assert entry.credited_minutes == 8 * 45
    assert total.pending_minutes == 8 * 45
    assert job.status == "done" and job.done == 1


def test_changing_a_minimum_recomputes_required_and_compliance(cast):
    person = make_person(employment_type="PPPK")
    entry = make_entry(person=person, minutes=12 * 45)
    from hours.services import entry_approve

    entry_approve(entry=entry, by=SYSTEM)
    total = PersonYearTotal.objects.get(person=person, year=entry.year)
    assert not total.compliant
    requirement_set(year=entry.year, employment_type="PPPK", minimum_minutes=10 * 45, legal_source="Uji",
                    needs_check=True, by=SYSTEM)
    total.refresh_from_db()
    assert total.required_minutes == 10 * 45 and total.compliant


def test_only_centre_admins_edit_rules(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        share_set(year=2026, entry_type="seminar", percent=90, legal_source="x", needs_check=False,
                  by=cast.agency_admin)


def test_the_year_is_the_calendar_year_in_the_persons_time_zone():
    # 31 December 16:30 UTC is already 1 January in Jayapura (WIT, UTC+9) but not in Bandung (WIB, UTC+7).
    moment = dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC)
    papua = make_person(region="91.71")
    java = make_person(region="32.73")
    programme = make_programme(total_minutes=8 * 45)
    for person in (papua, java):
        enrolment = make_completed_enrolment(person=person, event=make_event(programme=programme,
                                                                             status="finished"),
                                             completed_at=moment)
        run_completion_handlers(enrolment=enrolment, by=SYSTEM)
    assert PersonYearTotal.objects.get(person=papua).year == 2026
    assert PersonYearTotal.objects.get(person=java).year == 2025
