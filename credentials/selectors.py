"""Reads of certificates: scoped lists, a person's own, public look-ups."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from credentials import signing
from credentials.access import certificates_visible_to
from credentials.models import Certificate, CertificateJob
from people.identity import clean_number


@dataclass(frozen=True)
class CertificateFilters:
    q: str = ""
    programme: int | None = None
    event: int | None = None
    status: str = ""


def certificate_search(*, user, filters: CertificateFilters) -> QuerySet[Certificate]:
    qs = certificates_visible_to(user).select_related("programme", "event")
    if filters.programme:
        qs = qs.filter(programme_id=filters.programme)
    if filters.event:
        qs = qs.filter(event_id=filters.event)
    if filters.status in Certificate.Status.values:
        qs = qs.filter(status=filters.status)
    text = (filters.q or "").strip()
    if text:
        number = clean_number(text)
        if number.isdigit() and len(number) >= 8:
            qs = qs.filter(person_nip=number) if len(number) in (16, 18) else qs.filter(person_nip__startswith=number)
        elif "/" in text:
            qs = qs.filter(serial__istartswith=text)
        elif len(text) == signing.CODE_LENGTH and text.upper() == text and " " not in text:
            qs = qs.filter(code=text.upper())
        else:
            qs = qs.filter(person_name__icontains=text)
    return qs.order_by("-issued_at", "-id")


def certificates_of_user(user) -> QuerySet[Certificate]:
    """A user's own certificates (the person linked to the login), newest first."""
    if not getattr(user, "person_id", None):
        return Certificate.objects.none()
    return (Certificate.objects.filter(person_id=user.person_id).select_related("programme", "event",
                                                                                 "superseded_by")
            .order_by("-issued_at", "-id"))


def jobs_visible_to(user) -> QuerySet[CertificateJob]:
    return CertificateJob.objects.select_related("event", "programme", "created_by").order_by("-created_at", "-id")


def live_certificates_in(*, event=None, programme=None) -> QuerySet[Certificate]:
    qs = Certificate.objects.live()
    qs = qs.filter(event=event) if event is not None else qs.filter(programme=programme)
    return qs.order_by("event_id", "sequence")
