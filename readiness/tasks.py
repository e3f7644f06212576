"""Background sending of call-ups (e-mail and the short-message sender). Idempotent: a call that is no
longer waiting for a reply is skipped."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import User
from accounts.roles import Role
from readiness.models import CallUp
from readiness.senders import get_sender


def reply_url(callup: CallUp) -> str:
    from readiness.services import make_reply_token

    return settings.SITE_URL + reverse("readiness:reply", kwargs={"token": make_reply_token(callup)})


def callup_text(callup: CallUp, url: str) -> str:
    req = callup.request
    return _("Panggilan tugas %(incident)s: %(role)s (%(service)s), %(start)s s.d. %(end)s, titik kumpul "
             "%(point)s. Jawab bersedia atau tidak: %(url)s") % {
        "incident": req.incident.title, "role": req.role, "service": req.get_service_display(),
        "start": date_format(req.start_date, "j F Y"), "end": date_format(req.end_date, "j F Y"),
        "point": req.assembly_point.name, "url": url}


@task()
def send_callup_messages(callup_ids: list[int]) -> int:
    sender = get_sender()
    sent = 0
    for callup in (CallUp.objects.filter(pk__in=callup_ids, status=CallUp.Status.SENT, replied_at=None)
                   .select_related("person", "request__incident", "request__assembly_point")):
        text = callup_text(callup, reply_url(callup))
        if callup.person.email:
            send_mail(_("Panggilan tugas: %(incident)s") % {"incident": callup.request.incident.title}, text,
                      None, [callup.person.email], fail_silently=False)
        if callup.person.phone:
            sender.send(to=callup.person.phone, text=text)
        sent += 1
    return sent


@task()
def send_consent_notices(callup_ids: list[int]) -> int:
    """Tell each agency admin that a call to one of their people waits for consent."""
    notices = 0
    callups = list(CallUp.objects.filter(pk__in=callup_ids, status=CallUp.Status.AWAITING_CONSENT)
                   .select_related("person", "request__incident"))
    agencies = {c.person.agency_id for c in callups}
    admins = {}
    for user in User.objects.filter(role=Role.AGENCY_ADMIN, agency_id__in=agencies, is_active=True).exclude(email=""):
        admins.setdefault(user.agency_id, []).append(user.email)
    url = settings.SITE_URL + reverse("readiness:consents")
    for callup in callups:
        to = admins.get(callup.person.agency_id)
        if not to:
            continue
        send_mail(_("Persetujuan penugasan: %(name)s") % {"name": callup.person.display_name},
                  _("%(name)s diminta bertugas untuk %(incident)s. Mohon beri persetujuan: %(url)s")
                  % {"name": callup.person.display_name, "incident": callup.request.incident.title, "url": url},
                  None, to)
        notices += 1
    return notices
