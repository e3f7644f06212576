"""Reads of readiness: incidents, boards, deployments, the readiness dashboard and its gaps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from curriculum.models import Competency, Module
from people.models import Person, Region
from readiness import conf
from readiness.access import callups_visible_to, deployments_visible_to
from readiness.geo import haversine_km
from readiness.matching import allowed_versions_for
from readiness.models import (
    CallUp,
    Deployment,
    DeploymentRequest,
    Incident,
    PersonCompetency,
    Service,
    Unavailability,
)

NEAR_KM = 500


def deployments_for_person(person: Person) -> QuerySet:
    """The person's deployments, newest first, for their record page."""
    return (Deployment.objects.filter(person=person)
            .select_related("request__incident", "request__assembly_point").order_by("-start_date", "-id"))


def incident_list(*, status: str = "") -> QuerySet:
    qs = Incident.objects.select_related("coordinator").annotate(request_count=Count("requests", distinct=True))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "-id")


def requests_of(incident: Incident) -> QuerySet:
    return (DeploymentRequest.objects.filter(incident=incident).select_related("assembly_point")
            .annotate(confirmed=Count("callups", filter=Q(callups__status=CallUp.Status.CONFIRMED), distinct=True),
                      accepted=Count("callups", filter=Q(callups__status=CallUp.Status.ACCEPTED), distinct=True),
                      called=Count("callups", distinct=True)))


def board_callups(user, req: DeploymentRequest) -> QuerySet:
    return (callups_visible_to(user, CallUp.objects.filter(request=req))
            .select_related("person__agency", "person__region").order_by("rank", "id"))


def board_counts(user, req: DeploymentRequest) -> list[tuple[str, int]]:
    """(status label, number of call-ups) in the workflow's order."""
    rows = callups_visible_to(user, CallUp.objects.filter(request=req)).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return [(str(label), counts[value]) for value, label in CallUp.Status.choices if value in counts]


def deployment_list(user, *, status: str = "") -> QuerySet:
    qs = deployments_visible_to(user).select_related("person__agency", "request__incident", "request__assembly_point")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "-id")


def consents_waiting(user) -> QuerySet:
    qs = CallUp.objects.filter(status=CallUp.Status.AWAITING_CONSENT)
    if not user.is_superuser:
        qs = qs.filter(person__agency_id=user.agency_id)
    return qs.select_related("person", "request__incident", "request__assembly_point").order_by("created_at")


# ---------------------------------------------------------------- the readiness dashboard

def _service_competencies() -> dict[str, list[int]]:
    mapping = conf.service_competencies()
    codes = {code for codes in mapping.values() for code in codes}
    ids = dict(Competency.objects.filter(code__in=codes).values_list("code", "pk"))
    return {service: [ids[c] for c in codes if c in ids] for service, codes in mapping.items()}


def _busy_today(today: dt.date) -> Q:
    deployed = Deployment.objects.filter(status=Deployment.Status.ACTIVE, start_date__lte=today,
                                         end_date__gte=today).values("person_id")
    away = Unavailability.objects.filter(start_date__lte=today, end_date__gte=today).values("person_id")
    return Q(person_id__in=deployed) | Q(person_id__in=away)


def readiness_by_province(*, today: dt.date | None = None, agency_id: int | None = None) -> dict[str, dict[str, int]]:
    """service → {province code: number of active people qualified for it and available today}.

    Qualified: holding any of the service's competencies on an allowed module version
    (the current approved one, or an older one within the default age). Cached for five minutes."""
    today = today or timezone.localdate()
    key = f"readiness:by-province:{today.isoformat()}:{agency_id or 0}:{PersonCompetency.objects.count()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    busy = _busy_today(today)
    out: dict[str, dict[str, int]] = {}
    for service, competency_ids in _service_competencies().items():
        allowed = allowed_versions_for(competency_ids, max_age_months=conf.module_version_max_age_months(),
                                       today=today)
        condition = Q()
        for competency_id, versions in allowed.items():
            condition |= Q(competency_id=competency_id, module_version_id__in=sorted(versions) or [0])
        if not competency_ids:
            out[service] = {}
            continue
        qs = PersonCompetency.objects.filter(condition, person__is_active=True).exclude(busy)
        if agency_id:
            qs = qs.filter(person__agency_id=agency_id)
        rows = qs.values("person__province_id").annotate(n=Count("person_id", distinct=True))
        out[service] = {row["person__province_id"]: row["n"] for row in rows if row["person__province_id"]}
    cache.set(key, out, 300)
    return out


@dataclass
class Gap:
    province: Region
    qualified: int
    needed: int
    events: list = field(default_factory=list)


def readiness_gaps(counts: dict[str, dict[str, int]], *, today: dt.date | None = None) -> list[Gap]:
    """Provinces with fewer than the configured number of qualified, available workers of the gap
    service (LDP by default), each with the upcoming training events that would fill it."""
    today = today or timezone.localdate()
    service = conf.gap_service()
    minimum = conf.gap_min_qualified()
    by_province = counts.get(service, {})
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    gaps = [Gap(province=p, qualified=by_province.get(p.code, 0), needed=minimum) for p in provinces
            if by_province.get(p.code, 0) < minimum]
    events = upcoming_events(_service_competencies().get(service, []), today=today)
    for gap in gaps:
        gap.events = events_near(events, gap.province)[:3]
    return gaps


def upcoming_events(competency_ids: list[int], *, today: dt.date) -> list:
    """Open or planned training events, not yet started, whose programme includes a module with one of
    ``competency_ids``."""
    if not competency_ids:
        return []
    from training.models import Event

    modules = Module.competencies.through.objects.filter(competency_id__in=competency_ids).values("module_id")
    return list(Event.objects.filter(status__in=[Event.Status.OPEN, Event.Status.PLANNED], start_date__gte=today,
                                     programme__items__module_version__module_id__in=modules)
                .select_related("city", "programme").distinct().order_by("start_date")[:500])


def events_near(events: list, province: Region, *, near_km: float = NEAR_KM) -> list:
    """Events in ``province`` first, then those whose city is within ``near_km`` of its centroid."""
    inside, near = [], []
    for event in events:
        km = haversine_km(province.lat, province.lng, event.city.lat, event.city.lng)
        event.distance_km = km
        if event.city.province_id == province.code:
            inside.append(event)
        elif km <= near_km:
            near.append(event)
    near.sort(key=lambda e: (e.distance_km, e.start_date))
    return inside + near


def service_choices() -> list[tuple[str, str]]:
    return list(Service.choices)
