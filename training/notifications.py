"""E-mail to participants (django.core.mail; console back end by default). Called from
``transaction.on_commit`` so nobody is told about a change that rolled back."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from training.models import Enrolment


def _send(enrolments: Iterable[Enrolment], subject: str, body: str) -> None:
    with translation.override("id"):
        for enrolment in enrolments:
            address = enrolment.person.email
            if not address:
                continue
            text = body % {"name": enrolment.person.display_name, "event": enrolment.event.name,
                           "start": enrolment.event.start_date.strftime("%d-%m-%Y"), "venue": enrolment.event.venue}
            send_mail(subject % {"event": enrolment.event.name}, text, None, [address], fail_silently=True)


def _load(ids: Iterable[int]):
    return Enrolment.objects.filter(pk__in=list(ids)).select_related("person", "event")


def enrolment_status(*, enrolment_id: int) -> None:
    enrolments = list(_load([enrolment_id]))
    if not enrolments:
        return
    status = enrolments[0].status
    messages = {
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
    if status in messages:
        subject, body = messages[status]
        _send(enrolments, subject, body)


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
