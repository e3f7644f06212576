"""Nominating from the at-risk list: one click calls training's own nomination service,
with its eligibility checks and refusals (the reason is shown to the agency admin)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from hours.access import can_manage


def nominate_from_at_risk(*, event, person, by):
    from training.services_enrolment import enrolment_nominate

    if not can_manage(by, person):
        raise PermissionDenied
    return enrolment_nominate(event=event, person=person, by=by)
