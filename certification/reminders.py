"""Expiry reminders: to the person and their agency admins, 90, 60 and 30 days before a credential ends.

Each threshold fires once per credential: a ``CredentialReminder`` row (unique per credential,
threshold and expiry date) is written in the same transaction as the decision to send, and the mail
goes out on commit. A credential first seen with 20 days left gets one mail (the 30-day one); the
90- and 60-day thresholds it has already passed are recorded as skipped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.audit import audit_record
from accounts.models import User
from accounts.roles import Role
from certification.models import Credential, CredentialReminder
from certification.validity import REMINDER_THRESHOLDS, person_today


@dataclass
class ReminderRun:
    checked: int = 0
    sent: int = 0
    mails: int = 0


def due_threshold(days_left: int) -> int | None:
    """The smallest threshold that ``days_left`` has reached (30 for 20 days left), else None."""
    if days_left < 0:
        return None
    reached = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def _recipients(credential: Credential) -> list[str]:
    emails = []
    if credential.person.email:
        emails.append(credential.person.email)
    admins = User.objects.filter(role=Role.AGENCY_ADMIN, agency_id=credential.person.agency_id, is_active=True)
    emails.extend(admin.email for admin in admins if admin.email)
    return sorted(set(emails))


def _message(credential: Credential, days_left: int) -> tuple[str, str]:
    with override(settings.LANGUAGE_CODE):
        date = formats.date_format(credential.valid_until, "j F Y")
        subject = _("%(label)s %(name)s berakhir %(date)s") % {
            "label": credential.label, "name": credential.person.display_name, "date": date}
        body = _(
            "%(label)s nomor %(number)s milik %(name)s berlaku sampai %(date)s (%(days)s hari lagi).\n\n"
            "Ajukan perpanjangan sebelum tanggal itu, lalu unggah dokumen barunya di Siaga:\n%(url)s\n"
        ) % {"label": credential.label, "number": credential.number, "name": credential.person.display_name,
             "date": date, "days": days_left,
             "url": f"{settings.SITE_URL}/kualifikasi/orang/{credential.person_id}/"}
    return str(subject), str(body)


def _remind_one(credential: Credential, *, today: dt.date, threshold: int, days_left: int) -> int:
    """Record and (on commit) send one reminder; 0 if this threshold already fired."""
    recorded = set(CredentialReminder.objects.filter(credential=credential, valid_until=credential.valid_until)
                   .values_list("threshold_days", flat=True))
    if threshold in recorded:
        return 0
    recipients = _recipients(credential)
    try:
        with transaction.atomic():
            CredentialReminder.objects.create(credential=credential, threshold_days=threshold,
                                              valid_until=credential.valid_until, recipients=", ".join(recipients))
            for larger in REMINDER_THRESHOLDS:
                if larger > threshold and larger not in recorded:
                    CredentialReminder.objects.create(credential=credential, threshold_days=larger,
                                                      valid_until=credential.valid_until, skipped=True)
            audit_record(actor=None, action="credential.remind", target=credential,
                         after={"threshold_days": threshold, "days_left": days_left, "recipients": recipients})
    except IntegrityError:
        return 0  # another run recorded it first
    if recipients:
        subject, body = _message(credential, days_left)
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=False))
    return 1


def send_expiry_reminders(*, now: dt.datetime | None = None) -> ReminderRun:
    """Send every reminder that is due; safe to run as often as you like."""
    moment = now or timezone.now()
    server_today = timezone.localdate(moment)
    run = ReminderRun()
    # One day of slack on each side covers every Indonesian zone (UTC+7..+9).
    candidates = (Credential.objects.exclude(status=Credential.Status.REJECTED)
                  .filter(valid_until__gte=server_today - dt.timedelta(days=1),
                          valid_until__lte=server_today + dt.timedelta(days=max(REMINDER_THRESHOLDS) + 1))
                  .select_related("person", "person__region", "person__province").order_by("valid_until", "id"))
    for credential in candidates.iterator(chunk_size=500):
        today = person_today(credential.person, now=moment)
        days_left = (credential.valid_until - today).days
        threshold = due_threshold(days_left)
        if threshold is None:
            continue
        run.checked += 1
        with transaction.atomic():
            sent = _remind_one(credential, today=today, threshold=threshold, days_left=days_left)
        run.sent += sent
    return run
