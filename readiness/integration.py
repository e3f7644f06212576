"""Readiness plugged into the apps below it: verified professional credentials (certification)
answer the roster's credential checks, and deployments appear in the person record."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

#: readiness credential kind → certification.CredentialKind value
KIND_MAP = {"competency_certificate": "competency", "str": "str", "sipps": "sipps"}


#: Ids per query: under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
ID_CHUNK = 10_000


def verified_credentials(person_ids: list[int], kinds: set[str], on: dt.date) -> dict[int, set[str]]:
    """Valid (verified, not expired on ``on``) credential kinds per person, in one query."""
    from certification.models import Credential

    wanted = {KIND_MAP[k]: k for k in kinds if k in KIND_MAP}
    if not person_ids or not wanted:
        return {}
    found: dict[int, set[str]] = {}
    ids = list(person_ids)
    for start in range(0, len(ids), ID_CHUNK):  # a roster walk may pass a million ids
        rows = Credential.objects.filter(
            person_id__in=ids[start:start + ID_CHUNK], kind__in=list(wanted),
            status=Credential.Status.VERIFIED, issued_on__lte=on,
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on)).values_list("person_id", "kind")
        for person_id, kind in rows:
            found.setdefault(person_id, set()).add(wanted[kind])
    return found


def deployments_section(*, person, user):
    from certification.record import RecordTable
    from readiness.selectors import deployments_for_person

    rows = [
        (d.request.incident.title, d.role, d.start_date.strftime("%d-%m-%Y"), d.end_date.strftime("%d-%m-%Y"))
        for d in deployments_for_person(person)
    ]
    return RecordTable(columns=[_("Kejadian"), _("Peran"), _("Mulai"), _("Selesai")], rows=rows,
                       empty=_("Belum pernah ditugaskan."))
