"""What "today" is for a person, and what state a credential is in on that day.

A credential is valid from its issue date through its expiry date **inclusive**, counted in the
calendar of the person's own time zone (WIB, WITA or WIT from their region): an STR ending 3 March 2026
of a worker in Jayapura stops counting at midnight WIT, which is 22:00 WIB on 3 March.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from people.models import Person

#: Days before expiry at which reminders go out, largest first.
REMINDER_THRESHOLDS = (90, 60, 30)
#: A valid credential ending within this many days shows as "expiring".
EXPIRING_WITHIN_DAYS = 90


def person_today(person: Person, *, now: dt.datetime | None = None) -> dt.date:
    moment = now or timezone.now()
    return timezone.localdate(moment, timezone=zoneinfo.ZoneInfo(person.time_zone))


def credential_state(credential, today: dt.date) -> str:
    """``valid``, ``expiring`` (valid, ends within 90 days), ``expired`` or ``not_yet`` (issued later)."""
    if credential.issued_on > today:
        return "not_yet"
    if credential.valid_until is None:
        return "valid"
    if today > credential.valid_until:
        return "expired"
    if (credential.valid_until - today).days <= EXPIRING_WITHIN_DAYS:
        return "expiring"
    return "valid"


def mark_states(credentials, *, now: dt.datetime | None = None):
    """Set ``.state``, ``.days_left`` and ``.today`` on each credential (its person must be loaded)."""
    moment = now or timezone.now()
    for credential in credentials:
        today = person_today(credential.person, now=moment)
        credential.today = today
        credential.state = credential_state(credential, today)
        credential.days_left = (credential.valid_until - today).days if credential.valid_until else None
    return credentials


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = dt.date(day.year + 1, 1, 1) if first_month == 10 else dt.date(day.year, first_month + 3, 1)
    return start, end - dt.timedelta(days=1)
