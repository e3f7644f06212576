"""Readiness API: incidents, deployment requests, matches, replies and deployments.

The same access rules, services and matching as the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status

from accounts.access import require_role
from readiness import access, selectors, services
from readiness.matching import EXCLUDED_REASONS, Filters, match_request
from readiness.models import Deployment, DeploymentRequest, Incident

router = Router(tags=["readiness"])


class IncidentOut(Schema):
    id: int
    title: str
    type: str
    status: str
    start_date: dt.date
    regencies: list[str]
    services: list[str]
    coordinator: str


class IncidentIn(Schema):
    title: str
    type: str
    regencies: list[str]
    start_date: dt.date
    services: list[str] = []
    description: str = ""


class RequestOut(Schema):
    id: int
    incident_id: int
    service: str
    role: str
    people_needed: int
    competencies: list[str]
    credential_kinds: list[str]
    preferred_positions: list[str]
    start_date: dt.date
    end_date: dt.date
    assembly_point: str
    max_version_age_months: int
    status: str


class RequestIn(Schema):
    service: str
    role: str
    people_needed: int
    competencies: list[str] = []
    credential_kinds: list[str] = []
    preferred_positions: list[str] = []
    start_date: dt.date
    end_date: dt.date
    assembly_point: str
    max_version_age_months: int | None = None


class MatchOut(Schema):
    rank: int
    person_id: int
    name: str
    agency: str
    position: str | None
    region: str | None
    distance_km: float
    deployments: int
    last_deployed_until: dt.date | None
    credentials: list[str]
    consent_needed: bool
    explanation: str


class MatchPage(Schema):
    request_id: int
    pool_size: int
    excluded: dict[str, int]
    notes: list[str]
    items: list[MatchOut]


class MatchQuery(Schema):
    province: str = ""
    position: int | None = None
    max_km: float | None = None
    limit: int = 50


class ReplyOut(Schema):
    id: int
    person_id: int
    name: str
    status: str
    rank: int | None
    explanation: str
    override_reason: str
    sent_at: dt.datetime | None
    replied_at: dt.datetime | None
    note: str


class DeploymentOut(Schema):
    id: int
    person_id: int
    name: str
    agency: str
    incident_id: int
    request_id: int
    role: str
    team: str
    start_date: dt.date
    end_date: dt.date
    released_on: dt.date | None
    status: str


def _incident_out(incident: Incident) -> IncidentOut:
    return IncidentOut(id=incident.pk, title=incident.title, type=incident.type, status=incident.status,
                       start_date=incident.start_date, regencies=[r.code for r in incident.regencies.all()],
                       services=list(incident.services), coordinator=incident.coordinator.get_username())


def _request_out(req: DeploymentRequest) -> RequestOut:
    return RequestOut(id=req.pk, incident_id=req.incident_id, service=req.service, role=req.role,
                      people_needed=req.people_needed, competencies=[c.code for c in req.competencies.all()],
                      credential_kinds=list(req.credential_kinds),
                      preferred_positions=[p.code for p in req.preferred_positions.all()],
                      start_date=req.start_date, end_date=req.end_date, assembly_point=req.assembly_point_id,
                      max_version_age_months=req.max_version_age_months, status=req.status)


@router.get("/incidents", response=list[IncidentOut], summary="Daftar kejadian bencana")
def readiness_list_incidents(request, status: str = ""):
    require_role(request.auth, access.READERS)
    qs = selectors.incident_list(status=status).prefetch_related("regencies")[:200]
    return [_incident_out(i) for i in qs]


@router.post("/incidents", response={201: IncidentOut}, summary="Catat kejadian bencana")
def readiness_create_incident(request, payload: IncidentIn):
    require_role(request.auth, access.MANAGERS)
    incident = services.incident_create(by=request.auth, title=payload.title, type=payload.type,
                                        regency_codes=payload.regencies, start_date=payload.start_date,
                                        services=payload.services, description=payload.description)
    return Status(201, _incident_out(incident))


@router.get("/incidents/{incident_id}", response=IncidentOut, summary="Satu kejadian")
def readiness_get_incident(request, incident_id: int):
    return _incident_out(access.incident_for_user(request.auth, incident_id))


@router.get("/incidents/{incident_id}/requests", response=list[RequestOut], summary="Permintaan penugasan kejadian")
def readiness_list_requests(request, incident_id: int):
    incident = access.incident_for_user(request.auth, incident_id)
    qs = (DeploymentRequest.objects.filter(incident=incident).select_related("assembly_point")
          .prefetch_related("competencies", "preferred_positions"))
    return [_request_out(r) for r in qs]


@router.post("/incidents/{incident_id}/requests", response={201: RequestOut}, summary="Buat permintaan penugasan")
def readiness_create_request(request, incident_id: int, payload: RequestIn):
    require_role(request.auth, access.MANAGERS)
    incident = access.incident_for_user(request.auth, incident_id)
    req = services.request_create(
        by=request.auth, incident=incident, service=payload.service, role=payload.role,
        people_needed=payload.people_needed, competency_codes=payload.competencies,
        credential_kinds=payload.credential_kinds, start_date=payload.start_date, end_date=payload.end_date,
        assembly_point_code=payload.assembly_point, preferred_position_codes=payload.preferred_positions,
        max_version_age_months=payload.max_version_age_months)
    return Status(201, _request_out(req))


@router.get("/requests/{request_id}/matches", response=MatchPage, summary="Calon yang cocok, berperingkat dan beralasan")
def readiness_match_request(request, request_id: int, query: Query[MatchQuery]):
    req = access.request_for_user(request.auth, request_id)
    filters = Filters(province=query.province[:2], position_id=query.position,
                      max_km=query.max_km if query.max_km and query.max_km > 0 else None,
                      agency_id=access.roster_agency(request.auth))
    result = match_request(req, filters=filters, limit=max(1, min(query.limit, 200)))
    items = [MatchOut(rank=c.rank, person_id=c.person.pk, name=c.person.display_name, agency=str(c.person.agency),
                      position=c.person.position.name if c.person.position else None,
                      region=c.person.region_id, distance_km=round(c.distance_km, 1), deployments=c.deployments,
                      last_deployed_until=c.last_deployed_until, credentials=c.credentials,
                      consent_needed=c.consent_needed, explanation=c.explanation) for c in result.candidates]
    excluded = {str(EXCLUDED_REASONS[k]): n for k, n in result.excluded_counts().items()}
    return MatchPage(request_id=req.pk, pool_size=result.pool_size, excluded=excluded, notes=result.notes,
                     items=items)


@router.get("/requests/{request_id}/replies", response=list[ReplyOut], summary="Panggilan dan jawabannya")
def readiness_list_replies(request, request_id: int):
    req = access.request_for_user(request.auth, request_id)
    return [ReplyOut(id=c.pk, person_id=c.person_id, name=c.person.display_name, status=c.status, rank=c.rank,
                     explanation=c.explanation, override_reason=c.override_reason, sent_at=c.sent_at,
                     replied_at=c.replied_at, note=c.reply_note)
            for c in selectors.board_callups(request.auth, req)]


@router.get("/deployments", response=list[DeploymentOut], summary="Penugasan (sesuai cakupan pengguna)")
def readiness_list_deployments(request, status: str = "", offset: int = 0, limit: int = 50):
    require_role(request.auth, access.DEPLOYMENT_READERS)
    status = status if status in Deployment.Status.values else ""
    qs = selectors.deployment_list(request.auth, status=status)
    offset, limit = max(0, offset), max(1, min(limit, 200))
    return [DeploymentOut(id=d.pk, person_id=d.person_id, name=d.person.display_name, agency=str(d.person.agency),
                          incident_id=d.request.incident_id, request_id=d.request_id, role=d.role, team=d.team,
                          start_date=d.start_date, end_date=d.end_date, released_on=d.released_on, status=d.status)
            for d in qs[offset : offset + limit]]


