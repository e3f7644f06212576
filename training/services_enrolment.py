"""Enrolment: nominations, self-registration, seats, the waitlist and cancellation.

Seats are taken with one conditional UPDATE (``... SET seats_taken = seats_taken + 1
WHERE id = %s AND seats_taken < seats``), which is atomic on SQLite and PostgreSQL; the
check constraint ``event_seats_not_overbooked`` is the last guard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.roles import Role
from people.models import Agency, Person
from siaga.db.rows import insert_row, storable_id
from training import status_mail
from training.access import require_manager, require_nominator_for
from training.models import AgencyQuota, Enrolment, Event
from training.selectors_eligibility import LIVE, EnrolmentFacts, enrolment_facts, registration_read
from training.services_event import ACTIVE_SEAT, next_waitlist_position

S = Enrolment.Status


class EnrolmentRefused(ValidationError):
    """An eligibility refusal with a ``code`` and a message saying why."""

    def __init__(self, message: str, code: str):
        super().__init__(message, code=code)
        self.reason_code = code


@dataclass
class _Check:
    refusal: EnrolmentRefused | None
    existing: Enrolment | None  # this person's earlier (cancelled) enrolment in the event
    has_quota: bool


def _check(*, event: Event, person: Person, now: dt.datetime | None = None,
           facts: EnrolmentFacts | None = None) -> _Check:
    now = now or timezone.now()
    if event.status != Event.Status.OPEN or (event.registration_opens and now < event.registration_opens) or (
            event.registration_closes and now > event.registration_closes):
        return _Check(EnrolmentRefused(_("Pendaftaran %(event)s tidak sedang dibuka.") % {"event": event.name},
                                       "registration_closed"), None, False)
    if not person.is_active:
        return _Check(EnrolmentRefused(_("%(name)s tidak aktif.") % {"name": person.display_name}, "inactive"),
                      None, False)
    if facts is None:
        facts = enrolment_facts(event=event, person=person)  # one query for everything below
    refusal = _target_refusal(person, facts)
    if refusal is not None:
        return _Check(refusal, None, False)
    existing = None
    if facts.own_enrolment_id is not None:
        if facts.own_enrolment_status in LIVE:
            return _Check(EnrolmentRefused(_("%(name)s sudah terdaftar di angkatan ini.")
                                           % {"name": person.display_name}, "already_enrolled"), None, False)
        existing = Enrolment.objects.get(pk=facts.own_enrolment_id)  # a cancelled one, revived below
    if facts.clash_event_name is not None:
        return _Check(EnrolmentRefused(_("%(name)s sudah terdaftar di angkatan lain pada tanggal yang bertabrakan: "
                                         "%(other)s.") % {"name": person.display_name,
                                                           "other": facts.clash_event_name},
                                       "overlapping_event"), existing, False)
    has_quota = facts.quota_seats is not None
    if has_quota and facts.quota_taken >= facts.quota_seats:
        return _Check(EnrolmentRefused(_("Kuota instansi %(agency)s di angkatan ini sudah penuh.")
                                       % {"agency": person.agency}, "agency_quota_full"), existing, True)
    return _Check(None, existing, has_quota)


def _target_refusal(person: Person, facts: EnrolmentFacts) -> EnrolmentRefused | None:
    if facts.target_positions and not facts.position_is_target:
        return EnrolmentRefused(_("%(name)s tidak termasuk jabatan sasaran program ini.")
                                % {"name": person.display_name}, "not_target_position")
    if facts.target_levels and not facts.level_is_target:
        return EnrolmentRefused(_("%(name)s tidak termasuk jenjang sasaran program ini.")
                                % {"name": person.display_name}, "not_target_level")
    if facts.target_employment_types and person.employment_type not in facts.target_employment_types:
        return EnrolmentRefused(_("Status kepegawaian %(name)s bukan sasaran program ini.")
                                % {"name": person.display_name}, "not_target_employment")
    return None


def refusal_for(*, event: Event, person: Person, now: dt.datetime | None = None) -> EnrolmentRefused | None:
    """Why ``person`` may not enrol in ``event``, or None. A full event is no refusal (waitlist)."""
    return _check(event=event, person=person, now=now).refusal


def _take_seat(*, event_id: int, agency_id: int, has_quota: bool = True) -> bool:
    """Take a seat (and the agency's quota) with conditional UPDATEs; False when the event is full.
    Raises EnrolmentRefused when the agency's quota is full. Plain SQL: this runs inside the
    registration rush's write lock, where every millisecond of ORM compilation is held by all."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE training_event SET seats_taken = seats_taken + 1 "
                       "WHERE id = %s AND seats_taken < seats", [event_id])
        if cursor.rowcount != 1:
            return False
        if not has_quota:
            return True
        cursor.execute("UPDATE training_agencyquota SET seats_taken = seats_taken + 1 "
                       "WHERE event_id = %s AND agency_id = %s AND seats_taken < seats", [event_id, agency_id])
        if cursor.rowcount == 1 or not AgencyQuota.objects.filter(event_id=event_id, agency_id=agency_id).exists():
            return True
        cursor.execute("UPDATE training_event SET seats_taken = seats_taken - 1 WHERE id = %s", [event_id])
    raise EnrolmentRefused(_("Kuota instansi %(agency)s di angkatan ini sudah penuh.")
                           % {"agency": Agency.objects.get(pk=agency_id)}, "agency_quota_full")


def _insert(*, event: Event, person: Person, by, seat: bool, audit, facts: EnrolmentFacts | None = None) -> Enrolment:
    """A new (or revived) enrolment: nominated, or with ``seat`` confirmed / waitlisted at once.

    The eligibility reads run before the write transaction, so the write lock (SQLite) or the
    event row lock (PostgreSQL) is held only for the seat, the row and the audit entry; every
    race the reads could miss is closed in the transaction: the seat by its conditional UPDATE,
    a second enrolment of the same person by the unique constraint, a revived enrolment by a
    conditional UPDATE on its cancelled status. ``audit(enrolment)`` writes the audit row; ``facts``
    are the eligibility facts when the caller has read them already."""
    check = _check(event=event, person=person, facts=facts)
    if check.refusal is not None:
        raise check.refusal
    nominated_by = by if getattr(by, "pk", None) else None

    def already() -> EnrolmentRefused:
        return EnrolmentRefused(_("%(name)s sudah terdaftar di angkatan ini.") % {"name": person.display_name},
                                "already_enrolled")
    with transaction.atomic():
        status, position = S.NOMINATED, None
        if seat:
            if _take_seat(event_id=event.pk, agency_id=person.agency_id, has_quota=check.has_quota):
                status = S.CONFIRMED
            else:
                status, position = S.WAITLISTED, next_waitlist_position(event)
        existing = check.existing
        if existing is not None:  # a cancelled enrolment comes back, unless another request revived it first
            revived = Enrolment.objects.filter(pk=existing.pk, status=S.CANCELLED).update(
                status=status, nominated_by=nominated_by, not_completed_reason="", waitlist_position=position,
                mail_pending=True)
            if not revived:
                raise already()
            existing.status, existing.nominated_by, existing.not_completed_reason = status, nominated_by, ""
            existing.waitlist_position, existing.mail_pending = position, True
            enrolment = existing
        else:
            enrolment = Enrolment(event=event, person=person, agency_id=person.agency_id,
                                  nominated_by=nominated_by, status=status, waitlist_position=position,
                                  mail_pending=True)
            try:  # no savepoint: an IntegrityError ends the whole transaction, seat included
                insert_row(enrolment)
            except IntegrityError as exc:  # the same person, at the same moment, in another request
                raise already() from exc
        audit(enrolment)
        status_mail.schedule()
    return enrolment


def _free_seat(enrolment: Enrolment) -> None:
    Event.objects.filter(pk=enrolment.event_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)
    AgencyQuota.objects.filter(event_id=enrolment.event_id, agency_id=enrolment.agency_id,
                               seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


def _seat_or_waitlist(enrolment: Enrolment) -> None:
    if _take_seat(event_id=enrolment.event_id, agency_id=enrolment.agency_id):
        enrolment.status, enrolment.waitlist_position = S.CONFIRMED, None
    else:
        enrolment.status = S.WAITLISTED
        enrolment.waitlist_position = next_waitlist_position(enrolment.event)
    _mail_status(enrolment)
    enrolment.save(update_fields=["status", "waitlist_position", "mail_pending"])


def _mail_status(enrolment: Enrolment) -> None:
    """The status e-mail: flagged on the row (the caller's write stores ``mail_pending``, so it
    commits or rolls back with the change) and sent by the sweep queued after commit."""
    enrolment.mail_pending = True
    status_mail.schedule()


def enrolment_nominate(*, event: Event, person: Person, by, confirm: bool = False) -> Enrolment:
    """An agency admin (own agency) or an organiser nominates ``person``; organisers may
    confirm at once (``confirm=True``: a seat, or the waitlist when full)."""
    require_nominator_for(by, person.agency_id)
    if confirm:
        require_manager(by)
    return _insert(event=event, person=person, by=by, seat=confirm, audit=lambda enrolment: audit_record(
        actor=by, action="enrolment.nominate", target=enrolment,
        after={"status": enrolment.status, "event": event.pk, "person": person.pk}))


def enrolment_register(*, event_id: int, by) -> Enrolment:
    """A participant registers themself where the event allows it: a seat or the waitlist. Raises
    ``Event.DoesNotExist`` for an unknown event. The event, the person and the eligibility facts
    are one query (the registration rush's hot path)."""
    def not_participant() -> PermissionDenied:
        return PermissionDenied(_("Hanya peserta dengan data pegawai yang dapat mendaftar sendiri."))

    if getattr(by, "role", None) != Role.PARTICIPANT:
        raise not_participant()
    read = registration_read(event_id=event_id, person_id=getattr(by, "person_id", None))
    if read is None:
        if storable_id(event_id) and Event.objects.filter(pk=event_id).exists():
            raise not_participant()  # no person behind this account
        raise Event.DoesNotExist
    event, person = read.event, read.person
    if not event.self_registration:
        raise EnrolmentRefused(_("Angkatan ini tidak menerima pendaftaran mandiri; minta admin instansi Anda "
                                 "mengusulkan Anda."), "no_self_registration")
    return _insert(event=event, person=person, by=by, seat=True, facts=read.facts, audit=lambda enrolment: audit_record(
        actor=by, action="enrolment.register", target_type="training.enrolment", target_id=enrolment.pk,
        target_label=f"{person.pk} @ {event.code}",
        after={"status": enrolment.status, "event": event.pk, "person": person.pk}))


def _locked(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update(of=("self",)).select_related("event", "agency", "person").get(pk=enrolment.pk)


@transaction.atomic
def enrolment_confirm(*, enrolment: Enrolment, by) -> Enrolment:
    """nominated → confirmed (a seat) or waitlisted (event full)."""
    require_manager(by)
    enrolment = _locked(enrolment)
    if enrolment.status != S.NOMINATED:
        raise ValidationError(_("Hanya usulan yang dapat dikonfirmasi (status sekarang: %(s)s).")
                              % {"s": enrolment.get_status_display()})
    if enrolment.event.status not in (Event.Status.OPEN, Event.Status.RUNNING):
        raise EnrolmentRefused(_("Pendaftaran %(event)s tidak sedang dibuka.") % {"event": enrolment.event.name},
                               "registration_closed")
    _seat_or_waitlist(enrolment)
    audit_record(actor=by, action="enrolment.confirm", target=enrolment, before={"status": S.NOMINATED},
                 after={"status": enrolment.status})
    return enrolment


def _promote_first_waitlisted(event: Event) -> Enrolment | None:
    """Give a freed seat to the first waitlisted person whose agency quota allows it."""
    for candidate in (Enrolment.objects.select_for_update(of=("self",)).filter(event=event, status=S.WAITLISTED)
                      .select_related("agency").order_by("waitlist_position", "created_at", "id")):
        try:
            taken = _take_seat(event_id=candidate.event_id, agency_id=candidate.agency_id)
        except EnrolmentRefused:
            continue
        if not taken:
            return None
        candidate.status, candidate.waitlist_position = S.CONFIRMED, None
        _mail_status(candidate)
        candidate.save(update_fields=["status", "waitlist_position", "mail_pending"])
        return candidate
    return None


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, by, reason: str = "") -> Enrolment:
    """Any live enrolment → cancelled before the event ends; a freed seat goes at once to the
    first waitlisted person (in the same transaction)."""
    enrolment = _locked(enrolment)
    from training.access import can_manage_enrolment

    if not can_manage_enrolment(by, enrolment):
        raise PermissionDenied
    if enrolment.status not in LIVE or enrolment.event.status in (Event.Status.FINISHED, Event.Status.CANCELLED):
        raise ValidationError(_("Keikutsertaan berstatus %(s)s tidak dapat dibatalkan.")
                              % {"s": enrolment.get_status_display()})
    before = enrolment.status
    held_seat = before in ACTIVE_SEAT
    enrolment.status, enrolment.waitlist_position = S.CANCELLED, None
    enrolment.not_completed_reason = reason[:255]
    _mail_status(enrolment)
    enrolment.save(update_fields=["status", "waitlist_position", "not_completed_reason", "mail_pending"])
    promoted = None
    if held_seat:
        _free_seat(enrolment)
        promoted = _promote_first_waitlisted(enrolment.event)
    audit_record(actor=by, action="enrolment.cancel", target=enrolment, before={"status": before},
                 after={"status": S.CANCELLED, "promoted": promoted.pk if promoted else None}, note=reason)
    return enrolment


def enrolment_mark_attended(enrolment: Enrolment) -> bool:
    """confirmed → attended, at the first session attended (called by the attendance service
    inside its transaction, which writes the audit row)."""
    return bool(Enrolment.objects.filter(pk=enrolment.pk, status=S.CONFIRMED).update(status=S.ATTENDED))
