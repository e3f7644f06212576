import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from people.models import Position
from siaga.testing import SYSTEM, make_person, make_user
from training.models import Enrolment
from training.services_enrolment import (
    EnrolmentRefused,
    enrolment_cancel,
    enrolment_confirm,
    enrolment_nominate,
    enrolment_register,
)
from training.services_event import event_set_quota
from training.tests.factories import make_event, make_programme

pytestmark = pytest.mark.django_db


def _refusal(exc_info) -> str:
    return exc_info.value.reason_code


def test_an_agency_admin_nominates_a_person_of_their_agency(cast):
    event = make_event()
    enrolment = enrolment_nominate(event=event, person=cast.person_a, by=cast.agency_admin)
    assert enrolment.status == Enrolment.Status.NOMINATED
    assert enrolment.agency == cast.kemensos


def test_an_agency_admin_may_not_nominate_another_agencys_person(cast):
    with pytest.raises(PermissionDenied):
        enrolment_nominate(event=make_event(), person=cast.person_b, by=cast.agency_admin)


def test_confirming_takes_a_seat_and_mails_the_person(django_capture_on_commit_callbacks, cast):
    cast.person_a.email = "siti@contoh.go.id"
    cast.person_a.save()
    event = make_event()
    enrolment = enrolment_nominate(event=event, person=cast.person_a, by=cast.agency_admin)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_confirm(enrolment=enrolment, by=SYSTEM)
    event.refresh_from_db()
    assert (enrolment.status, event.seats_taken) == (Enrolment.Status.CONFIRMED, 1)
    assert mail.outbox and "terkonfirmasi" in mail.outbox[-1].subject


def test_the_seat_after_the_last_goes_to_the_waitlist():
    event = make_event(capacity=2)
    people = [make_person() for _ in range(3)]
    statuses = [enrolment_nominate(event=event, person=p, by=SYSTEM, confirm=True).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_cancelling_promotes_the_first_waitlisted_person():
    event = make_event(capacity=1)
    first, second, third = (enrolment_nominate(event=event, person=make_person(), by=SYSTEM, confirm=True)
                            for _ in range(3))
    assert (second.waitlist_position, third.waitlist_position) == (1, 2)
    enrolment_cancel(enrolment=first, by=SYSTEM, reason="Sakit")
    second.refresh_from_db()
    third.refresh_from_db()
    event.refresh_from_db()
    assert second.status == "confirmed" and third.status == "waitlisted"
    assert event.seats_taken == 1


def test_cancelling_a_waitlisted_person_frees_no_seat():
    event = make_event(capacity=1)
    enrolment_nominate(event=event, person=make_person(), by=SYSTEM, confirm=True)
    waiting = enrolment_nominate(event=event, person=make_person(), by=SYSTEM, confirm=True)
    enrolment_cancel(enrolment=waiting, by=SYSTEM)
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_a_cancelled_person_can_be_nominated_again():
    event = make_event()
    person = make_person()
    enrolment = enrolment_nominate(event=event, person=person, by=SYSTEM)
    enrolment_cancel(enrolment=enrolment, by=SYSTEM)
    again = enrolment_nominate(event=event, person=person, by=SYSTEM)
    assert again.pk == enrolment.pk and again.status == "nominated"


def test_a_participant_registers_themself_where_allowed(cast):
    event = make_event()
    enrolment = enrolment_register(event_id=event.pk, by=cast.participant)
    assert enrolment.status == "confirmed" and enrolment.person == cast.person_a


def test_self_registration_is_refused_where_not_allowed(cast):
    with pytest.raises(EnrolmentRefused) as exc:
        enrolment_register(event_id=make_event(self_registration=False).pk, by=cast.participant)
    assert _refusal(exc) == "no_self_registration"


def test_it_refuses_a_person_outside_the_target_positions():
    programme = make_programme(target_positions=[Position.objects.get(code="penyuluh-sosial")])
    with pytest.raises(EnrolmentRefused, match="jabatan sasaran") as exc:
        enrolment_nominate(event=make_event(programme=programme), person=make_person(), by=SYSTEM)
    assert _refusal(exc) == "not_target_position"


def test_it_refuses_an_employment_type_outside_the_targets():
    programme = make_programme(target_employment_types=["PNS"])
    with pytest.raises(EnrolmentRefused) as exc:
        enrolment_nominate(event=make_event(programme=programme), person=make_person(employment_type="PPPK"),
                           by=SYSTEM)
    assert _refusal(exc) == "not_target_employment"


def test_it_refuses_an_overlapping_event():
    person = make_person()
    enrolment_nominate(event=make_event(start=dt.date(2027, 3, 1), days=3), person=person, by=SYSTEM)
    with pytest.raises(EnrolmentRefused, match="bertabrakan") as exc:
        enrolment_nominate(event=make_event(start=dt.date(2027, 3, 3), days=2, city="34.71"), person=person,
                           by=SYSTEM)
    assert _refusal(exc) == "overlapping_event"


def test_it_refuses_the_same_person_twice():
    event, person = make_event(), make_person()
    enrolment_nominate(event=event, person=person, by=SYSTEM)
    with pytest.raises(EnrolmentRefused) as exc:
        enrolment_nominate(event=event, person=person, by=SYSTEM)
    assert _refusal(exc) == "already_enrolled"


def test_it_refuses_when_registration_is_closed():
    event = make_event(open_=False)
    with pytest.raises(EnrolmentRefused, match="tidak sedang dibuka") as exc:
        enrolment_nominate(event=event, person=make_person(), by=SYSTEM)
    assert _refusal(exc) == "registration_closed"


def test_it_refuses_outside_the_registration_window():
    event = make_event(registration_closes=timezone.now() - dt.timedelta(hours=1),
                       registration_opens=timezone.now() - dt.timedelta(days=3))
    with pytest.raises(EnrolmentRefused) as exc:
        enrolment_nominate(event=event, person=make_person(), by=SYSTEM)
    assert _refusal(exc) == "registration_closed"


def test_an_agency_quota_caps_that_agencys_seats(cast):
    event = make_event(capacity=10)
    event_set_quota(event=event, agency=cast.bnpb, seats=1, by=SYSTEM)
    first = enrolment_nominate(event=event, person=make_person(agency="bnpb"), by=SYSTEM, confirm=True)
    assert first.status == "confirmed"
    with pytest.raises(EnrolmentRefused, match="Kuota") as exc:
        enrolment_nominate(event=event, person=make_person(agency="bnpb"), by=SYSTEM)
    assert _refusal(exc) == "agency_quota_full"
    # Other agencies are not limited by it.
    assert enrolment_nominate(event=event, person=make_person(), by=SYSTEM, confirm=True).status == "confirmed"


def test_a_quota_checked_at_confirmation_refuses_the_extra_nomination(cast):
    event = make_event(capacity=10)
    a = enrolment_nominate(event=event, person=make_person(agency="bnpb"), by=SYSTEM)
    b = enrolment_nominate(event=event, person=make_person(agency="bnpb"), by=SYSTEM)
    event_set_quota(event=event, agency=cast.bnpb, seats=1, by=SYSTEM)
    enrolment_confirm(enrolment=a, by=SYSTEM)
    with pytest.raises(EnrolmentRefused):
        enrolment_confirm(enrolment=b, by=SYSTEM)
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_the_quota_may_not_drop_below_the_seats_taken(cast):
    event = make_event()
    enrolment_nominate(event=event, person=make_person(agency="bnpb"), by=SYSTEM, confirm=True)
    enrolment_nominate(event=event, person=make_person(agency="bnpb"), by=SYSTEM, confirm=True)
    with pytest.raises(ValidationError):
        event_set_quota(event=event, agency=cast.bnpb, seats=1, by=SYSTEM)


def test_only_a_nomination_can_be_confirmed():
    event = make_event()
    enrolment = enrolment_nominate(event=event, person=make_person(), by=SYSTEM, confirm=True)
    with pytest.raises(ValidationError):
        enrolment_confirm(enrolment=enrolment, by=SYSTEM)


def test_a_participant_may_cancel_their_own_enrolment_but_not_others(cast):
    event = make_event()
    own = enrolment_register(event_id=event.pk, by=cast.participant)
    other = enrolment_nominate(event=event, person=make_person(), by=SYSTEM)
    with pytest.raises(PermissionDenied):
        enrolment_cancel(enrolment=other, by=cast.participant)
    assert enrolment_cancel(enrolment=own, by=cast.participant).status == "cancelled"


def test_agency_admins_may_not_confirm(cast):
    enrolment = enrolment_nominate(event=make_event(), person=cast.person_a, by=cast.agency_admin)
    with pytest.raises(PermissionDenied):
        enrolment_confirm(enrolment=enrolment, by=make_user("agency_admin", agency="kemensos"))


def test_the_database_refuses_an_unknown_enrolment_status():
    """The services store statuses without model validation; the check constraint is the guard."""
    from django.db import IntegrityError, transaction

    enrolment = enrolment_nominate(event=make_event(), person=make_person(), by=SYSTEM)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(status="approved")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.NOMINATED
