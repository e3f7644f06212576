"""Events (angkatan): one programme run in a city, its seats, quotas, schedule and states."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.audit import audit_record, snapshot
from curriculum.models import ModuleVersion
from people.models import Agency, Region
from training import notifications
from training.access import require_manager
from training.holidays import holiday_warnings
from training.models import AgencyQuota, Enrolment, Event, EventSession, Programme

ACTIVE_SEAT = (Enrolment.Status.CONFIRMED, Enrolment.Status.ATTENDED)


def seats_for(capacity: int, cap_percent: int) -> int:
    """Seats = venue capacity × health-protocol cap, rounded down."""
    return capacity * cap_percent // 100


@dataclass
class CityPlan:
    city: Region
    venue: str
    venue_capacity: int


@dataclass
class EventInput:
    start_date: dt.date
    end_date: dt.date
    cap_percent: int = 100
    mode: str = Event.Mode.IN_PERSON
    registration_opens: dt.datetime | None = None
    registration_closes: dt.datetime | None = None
    self_registration: bool = False


@dataclass
class CreatedEvent:
    event: Event
    warnings: list[str]


def _new_code(programme: Programme, city: Region) -> str:
    base = slugify(f"{programme.code}-{city.code.replace('.', '')}")[:52]
    code, n = base, 1
    while Event.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _create_one(*, programme: Programme, plan: CityPlan, data: EventInput, by) -> CreatedEvent:
    if plan.city.level != Region.Level.REGENCY:
        raise ValidationError({"city": [_("Pilih kabupaten/kota (kode 4 digit), bukan provinsi.")]})
    if data.registration_opens and data.registration_closes and data.registration_closes <= data.registration_opens:
        raise ValidationError({"registration_closes": [_("Pendaftaran harus ditutup setelah dibuka.")]})
    name = f"{programme.title} — {plan.city.name}"
    if len(name) > 200:
        name = f"{programme.title[: 197 - len(plan.city.name) - 3]}… — {plan.city.name}"
    event = Event(
        programme=programme, code=_new_code(programme, plan.city), name=name, city=plan.city, venue=plan.venue,
        start_date=data.start_date, end_date=data.end_date, mode=data.mode, venue_capacity=plan.venue_capacity,
        cap_percent=data.cap_percent, seats=seats_for(plan.venue_capacity, data.cap_percent),
        registration_opens=data.registration_opens, registration_closes=data.registration_closes,
        self_registration=data.self_registration,
    )
    event.full_clean()
    if event.seats < 1:
        raise ValidationError({"venue_capacity": [_("Kapasitas × batas protokol menghasilkan 0 kursi.")]})
    event.save()
    warnings = holiday_warnings(event.start_date, event.end_date)
    audit_record(actor=by, action="event.create", target=event, after=snapshot(event), note="; ".join(warnings))
    return CreatedEvent(event=event, warnings=warnings)


@transaction.atomic
def event_create(*, programme: Programme, plan: CityPlan, data: EventInput, by) -> CreatedEvent:
    require_manager(by)
    return _create_one(programme=programme, plan=plan, data=data, by=by)


@transaction.atomic
def events_create_for_cities(*, programme: Programme, plans: Sequence[CityPlan], data: EventInput,
                             by) -> list[CreatedEvent]:
    """The events of one programme in several cities, in one step (all or none)."""
    require_manager(by)
    if not plans:
        raise ValidationError(_("Isi sedikitnya satu kota penyelenggaraan."))
    if len({p.city.pk for p in plans}) != len(plans):
        raise ValidationError(_("Satu kota hanya boleh muncul sekali."))
    return [_create_one(programme=programme, plan=plan, data=data, by=by) for plan in plans]


def _transition(*, event: Event, to: str, allowed_from: Sequence[str], action: str, by) -> Event:
    require_manager(by)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status not in allowed_from:
        raise ValidationError(_("Angkatan berstatus %(status)s tidak dapat diubah menjadi %(to)s.")
                              % {"status": event.get_status_display(), "to": Event.Status(to).label})
    before = {"status": event.status}
    event.status = to
    event.save(update_fields=["status"])
    audit_record(actor=by, action=action, target=event, before=before, after={"status": to})
    return event


@transaction.atomic
def event_open(*, event: Event, by) -> Event:
    """planned → open for registration."""
    return _transition(event=event, to=Event.Status.OPEN, allowed_from=[Event.Status.PLANNED],
                       action="event.open", by=by)


@transaction.atomic
def event_start(*, event: Event, by) -> Event:
    """open → running (registration ends)."""
    return _transition(event=event, to=Event.Status.RUNNING, allowed_from=[Event.Status.OPEN],
                       action="event.start", by=by)


@transaction.atomic
def event_cancel(*, event: Event, reason: str, by) -> Event:
    """planned/open/running → cancelled; every active enrolment is cancelled and told."""
    event = _transition(event=event, to=Event.Status.CANCELLED,
                        allowed_from=[Event.Status.PLANNED, Event.Status.OPEN, Event.Status.RUNNING],
                        action="event.cancel", by=by)
    active = Enrolment.objects.filter(event=event).exclude(
        status__in=[Enrolment.Status.CANCELLED, Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED])
    ids = list(active.values_list("pk", flat=True))
    active.update(status=Enrolment.Status.CANCELLED, not_completed_reason=reason[:255], waitlist_position=None)
    Event.objects.filter(pk=event.pk).update(seats_taken=0)
    AgencyQuota.objects.filter(event=event).update(seats_taken=0)
    transaction.on_commit(lambda: notifications.event_cancelled(enrolment_ids=ids, reason=reason))
    event.seats_taken = 0
    return event


@transaction.atomic
def event_set_quota(*, event: Event, agency: Agency, seats: int, by) -> AgencyQuota:
    """Set (or change) how many seats ``agency`` may take in ``event``."""
    require_manager(by)
    taken = Enrolment.objects.filter(event=event, agency=agency, status__in=ACTIVE_SEAT).count()
    if seats < taken:
        raise ValidationError({"seats": [_("Kuota tidak boleh kurang dari %(n)s kursi yang sudah terisi.")
                                         % {"n": number_format(taken)}]})
    if seats > event.seats:
        raise ValidationError({"seats": [_("Kuota tidak boleh melebihi jumlah kursi angkatan (%(n)s).")
                                         % {"n": number_format(event.seats)}]})
    quota = AgencyQuota.objects.filter(event=event, agency=agency).first()
    before = snapshot(quota) if quota else None
    quota = quota or AgencyQuota(event=event, agency=agency)
    quota.seats, quota.seats_taken = seats, taken
    quota.full_clean()
    quota.save()
    audit_record(actor=by, action="event.set_quota", target=event, before=before, after=snapshot(quota))
    return quota


@dataclass
class SessionInput:
    module_version: ModuleVersion
    starts_at: dt.datetime
    ends_at: dt.datetime
    jp: int
    trainer: object | None = None
    title: str = ""


@transaction.atomic
def session_add(*, event: Event, data: SessionInput, by) -> EventSession:
    require_manager(by)
    if event.status in (Event.Status.FINISHED, Event.Status.CANCELLED):
        raise ValidationError(_("Jadwal angkatan yang sudah selesai atau dibatalkan tidak dapat diubah."))
    if not event.programme.items.filter(module_version=data.module_version).exists():
        raise ValidationError({"module_version": [_("Versi modul ini tidak ada dalam kurikulum program.")]})
    zone = zoneinfo.ZoneInfo(event.time_zone)
    first = data.starts_at.astimezone(zone).date()
    if first < event.start_date or data.ends_at.astimezone(zone).date() > event.end_date:
        raise ValidationError({"starts_at": [_("Sesi harus berada dalam tanggal angkatan.")]})
    if data.trainer is not None and getattr(data.trainer, "role", None) not in ("trainer", "organiser",
                                                                                  "centre_admin"):
        raise ValidationError({"trainer": [_("Pengajar harus pengguna berperan pengajar.")]})
    session = EventSession(event=event, module_version=data.module_version, title=data.title,
                           starts_at=data.starts_at, ends_at=data.ends_at, jp=data.jp, trainer=data.trainer)
    session.full_clean()
    session.save()
    audit_record(actor=by, action="event.session_add", target=event, after=snapshot(session))
    return session


def event_minutes(event: Event) -> int:
    """The JP (in minutes) an event teaches: its sessions, else the programme's curriculum."""
    total = sum(s.jp for s in event.sessions.all()) * 45
    return total or event.programme.total_minutes


def next_waitlist_position(event: Event) -> int:
    with connection.cursor() as cursor:  # plain SQL: it runs inside the registration rush's write lock
        cursor.execute("SELECT COALESCE(MAX(waitlist_position), 0) + 1 FROM training_enrolment WHERE event_id = %s",
                       [event.pk])
        return cursor.fetchone()[0]
