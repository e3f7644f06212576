"""Reads of credentials, reports and the person record, with their joins chosen once here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet

from certification.access import credentials_visible_to
from certification.models import Credential, RequirementSet
from certification.validity import EXPIRING_WITHIN_DAYS
from people.access import people_visible_to
from people.models import Person


@dataclass(frozen=True)
class CredentialFilters:
    kind: str = ""
    status: str = ""
    state: str = ""  # "", "expired", "expiring", "valid"
    agency: int | None = None
    q: str = ""


def credential_list(*, user, filters: CredentialFilters, today: dt.date) -> QuerySet[Credential]:
    """Scoped credentials. ``today`` (server calendar) bounds the date filters; each row's exact
    state is then computed in its person's zone by ``validity.mark_states``."""
    qs = credentials_visible_to(user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.agency:
        qs = qs.filter(person__agency_id=filters.agency)
    if filters.state == "expired":
        qs = qs.filter(valid_until__lt=today)
    elif filters.state == "expiring":
        qs = qs.filter(valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=EXPIRING_WITHIN_DAYS))
    elif filters.state == "valid":
        qs = qs.filter(issued_on__lte=today).exclude(valid_until__lt=today)
    if filters.q:
        qs = qs.filter(number__icontains=filters.q) | qs.filter(person__sort_name__startswith=filters.q.lower())
    return qs.order_by(F("valid_until").asc(nulls_last=True), "id")


def expiring_between(*, user, start: dt.date, end: dt.date) -> QuerySet[Credential]:
    """Credentials (not rejected) whose last valid day falls in [start, end], soonest first."""
    return (credentials_visible_to(user).exclude(status=Credential.Status.REJECTED)
            .filter(valid_until__gte=start, valid_until__lte=end).order_by("valid_until", "person__sort_name", "id"))


def person_credentials(person: Person) -> list[Credential]:
    return list(Credential.objects.filter(person=person).select_related("person", "person__region",
                                                                        "person__province", "region")
                .order_by("kind", "-valid_until", "-id"))


def person_trainings(person: Person) -> list:
    """Completed enrolments with their programme's module versions (three queries)."""
    from training.models import Enrolment, ProgrammeModule

    return list(Enrolment.objects.filter(person=person, status=Enrolment.Status.COMPLETED)
                .select_related("event", "event__programme", "event__city")
                .prefetch_related(Prefetch("event__programme__items",
                                           queryset=ProgrammeModule.objects.select_related("module_version",
                                                                                          "module_version__module")))
                .order_by("-completed_at", "-id"))


def people_with_rules(*, user, agency: int | None = None, requirement_set: RequirementSet | None = None,
                      q: str = "") -> QuerySet[Person]:
    """Scoped, active people that at least one active requirement set applies to."""
    sets = RequirementSet.objects.filter(is_active=True)
    if requirement_set is not None:
        sets = sets.filter(pk=requirement_set.pk)
    positions = set(sets.values_list("position_id", flat=True))
    qs = people_visible_to(user).filter(is_active=True).select_related("agency", "position", "level", "region",
                                                                       "province")
    if None not in positions:
        qs = qs.filter(position_id__in=positions)
    if agency:
        qs = qs.filter(agency_id=agency)
    if q:
        qs = qs.filter(sort_name__startswith=q.lower())
    return qs.order_by("sort_name", "id")
