"""Nominating from the at-risk list.

TEMPORARY — SWITCH TO TRAINING'S SERVICE: ``training.services`` has no enrolment service on
this branch yet, so this small function creates the Enrolment itself (status ``nominated``,
no seat taken: confirming a nomination is training's job). When ``training.services``
provides ``enrolment_nominate``/``enrolment_create``, replace the body with a call to it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_record, snapshot
from accounts.models import User
from hours.access import can_manage


@transaction.atomic
def nominate_from_at_risk(*, event, person, by):
    from training.models import Enrolment, Event

    if not can_manage(by, person):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.OPEN or event.seats_taken >= event.seats:
        raise ValidationError(_("Angkatan ini tidak lagi membuka pendaftaran atau kursinya penuh."))
    if Enrolment.objects.filter(event=event, person=person).exists():
        raise ValidationError(_("%(name)s sudah terdaftar di angkatan ini.") % {"name": person.display_name})
    enrolment = Enrolment(event=event, person=person, agency_id=person.agency_id,
                          status=Enrolment.Status.NOMINATED, nominated_by=by if isinstance(by, User) else None)
    enrolment.full_clean()
    enrolment.save()
    audit_record(actor=by, action="training.enrolment_nominate", target=enrolment, after=snapshot(enrolment),
                 note="from hours at-risk list")
    return enrolment
