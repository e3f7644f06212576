"""E-mail to participants (django.core.mail; console back end by default). Sent by background tasks
queued with (or after) the change they tell of, so nobody is told about a change that rolled back."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import get_connection, send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from training.models import Enrolment


def _send(enrolments: Iterable[Enrolment], subject: str, body: str, connection=None) -> None:
    with translation.override("id"):
        for enrolment in enrolments:
            address = enrolment.person.email
            if not address:
                continue
            text = body % {"name": enrolment.person.display_name, "event": enrolment.event.name,
                           "start": enrolment.event.start_date.strftime("%d-%m-%Y"), "venue": enrolment.event.venue}
            send_mail(subject % {"event": enrolment.event.name}, text, None, [address], fail_silently=True,
                      connection=connection)


def _load(ids: Iterable[int]):
    return Enrolment.objects.filter(pk__in=list(ids)).select_related("person", "event")


def _status_messages() -> dict[str, tuple[str, str]]:
    return {
        Enrolment.Status.NOMINATED: (_("Anda diusulkan mengikuti %(event)s"),
                                     _("Yth. %(name)s,\n\nAnda diusulkan mengikuti %(event)s mulai %(start)s di "
                                       "%(venue)s. Penyelenggara akan mengonfirmasi kursi Anda.")),
        Enrolment.Status.CONFIRMED: (_("Kursi Anda di %(event)s terkonfirmasi"),
                                     _("Yth. %(name)s,\n\nKursi Anda di %(event)s mulai %(start)s di %(venue)s "
                                       "sudah terkonfirmasi.")),
        Enrolment.Status.WAITLISTED: (_("Anda masuk daftar tunggu %(event)s"),
                                      _("Yth. %(name)s,\n\nKursi %(event)s sudah penuh; Anda masuk daftar tunggu "
                                        "dan akan diberi tahu bila ada kursi kosong.")),
        Enrolment.Status.CANCELLED: (_("Keikutsertaan Anda di %(event)s dibatalkan"),
                                     _("Yth. %(name)s,\n\nKeikutsertaan Anda di %(event)s dibatalkan.")),
    }


def enrolment_statuses(*, enrolment_ids: list[int]) -> dict[str, list[int]]:
    """Mail each enrolment its current status (statuses without a message send nothing), over one
    mail connection; returns the ids handled, by the status they were mailed."""
    by_status: dict[str, list[Enrolment]] = {}
    for enrolment in _load(enrolment_ids):
        by_status.setdefault(enrolment.status, []).append(enrolment)
    with translation.override("id"):
        messages = _status_messages()
    with get_connection(fail_silently=True) as connection:
        for status, enrolments in by_status.items():
            if status in messages:
                subject, body = messages[status]
                _send(enrolments, subject, body, connection=connection)
    return {status: [e.pk for e in enrolments] for status, enrolments in by_status.items()}


def event_cancelled(*, enrolment_ids: list[int], reason: str) -> None:
    _send(_load(enrolment_ids), _("%(event)s dibatalkan"),
          _("Yth. %(name)s,\n\n%(event)s yang dijadwalkan mulai %(start)s dibatalkan.") + "\n\n" + reason.replace(
              "%", "%%"))


def completion(*, enrolment_ids: list[int]) -> None:
    enrolments = list(_load(enrolment_ids))
    _send([e for e in enrolments if e.status == Enrolment.Status.COMPLETED], _("Selamat, Anda lulus %(event)s"),
          _("Yth. %(name)s,\n\nAnda dinyatakan lulus %(event)s."))
    _send([e for e in enrolments if e.status == Enrolment.Status.NOT_COMPLETED],
          _("Hasil %(event)s"), _("Yth. %(name)s,\n\nAnda belum memenuhi syarat kelulusan %(event)s."))
