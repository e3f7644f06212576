"""Curriculum API: modules, versions, reviews and competencies, through the same services as the pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from accounts.access import require_role, user_has_role
from accounts.models import User
from accounts.roles import ALL_ROLES, Role
from curriculum import selectors, services
from curriculum.access import (
    APPROVER_ROLES,
    AUTHOR_ROLES,
    CURRICULUM_READERS,
    MANAGER_ROLES,
    can_approve,
    module_for_user,
    reads_work_in_progress,
    require_module_edit,
    version_for_user,
    versions_visible_to,
)
from curriculum.diff import version_diff
from curriculum.models import Competency, CompetencyArea, Institution, Module, ModuleVersion, ReviewAssignment
from people.models import Position, PositionLevel

router = Router(tags=["curriculum"])


# --- schemas ------------------------------------------------------------------------------------------------

class CompetencyOut(Schema):
    id: int
    code: str
    name: str
    description: str
    area_code: str
    area_name: str


class CompetencyIn(Schema):
    area_code: str
    code: str
    name: str
    description: str = ""


class SessionOut(Schema):
    id: int
    order: int
    topic: str
    method: str
    jp: int


class MaterialOut(Schema):
    id: int
    kind: str
    title: str
    file_kind: str
    size: int
    url: str


class AssignmentOut(Schema):
    reviewer: str
    institution: str
    decision: str
    comment: str
    decided_at: dt.datetime | None


class RoundOut(Schema):
    number: int
    opened_at: dt.datetime
    due_date: dt.date
    closed_at: dt.datetime | None
    outcome: str
    overdue: bool
    assignments: list[AssignmentOut]


class VersionOut(Schema):
    id: int
    module_code: str
    number: int
    status: str
    objectives: str
    change_note: str
    pass_mark: int
    total_minutes: int
    jp: float
    approved_at: dt.datetime | None
    sessions: list[SessionOut]
    materials: list[MaterialOut]
    review_rounds: list[RoundOut] = []


class VersionSummary(Schema):
    number: int
    status: str
    total_minutes: int
    approved_at: dt.datetime | None


class ModuleOut(Schema):
    id: int
    code: str
    title: str
    summary: str
    owner: str
    owner_code: str
    review_days: int
    competencies: list[str]
    target_positions: list[str]
    current_version: int | None
    versions: list[VersionSummary]


class ModulePage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ModuleOut]


class ModuleIn(Schema):
    code: str
    title: str
    owner_code: str
    summary: str = ""
    competency_codes: list[str] = []
    position_codes: list[str] = []
    level_ids: list[int] = []
    review_days: int = 14


class ModuleListQuery(Schema):
    q: str = ""
    competency: str = ""
    position: str = ""
    include_unpublished: bool = False
    offset: int = 0
    limit: int = 50


class VersionIn(Schema):
    objectives: str
    change_note: str = ""
    pass_mark: int = 70


class SessionIn(Schema):
    topic: str
    method: str = "classroom"
    jp: int


class LinkIn(Schema):
    title: str = ""
    url: str


class SubmitIn(Schema):
    reviewers: list[str]  # usernames
    due_date: dt.date | None = None


class DecisionIn(Schema):
    decision: str
    comment: str = ""


class NoteIn(Schema):
    note: str = ""


class DiffRowOut(Schema):
    tag: str
    left: str
    right: str


class DiffOut(Schema):
    left: int
    right: int
    has_changes: bool
    facts: list[DiffRowOut]
    objectives: list[DiffRowOut]
    outline: list[DiffRowOut]
    materials: list[DiffRowOut]


class ReviewOut(Schema):
    module_id: int
    module_code: str
    version: int
    round: int
    due_date: dt.date
    overdue: bool
    institution: str


class BoardRowOut(Schema):
    module_id: int
    module_code: str
    version: int
    status: str
    waiting: str
    waiting_for: list[str]
    due_date: dt.date | None
    overdue: bool


# --- helpers ------------------------------------------------------------------------------------------------

def _competency_out(c: Competency) -> CompetencyOut:
    return CompetencyOut(id=c.pk, code=c.code, name=c.name, description=c.description, area_code=c.area.code,
                         area_name=c.area.name)


def _module_out(module: Module, user) -> ModuleOut:
    versions = list(versions_visible_to(user, module).order_by("number"))
    approved = [v.number for v in versions if v.status == ModuleVersion.Status.APPROVED]
    return ModuleOut(
        id=module.pk, code=module.code, title=module.title, summary=module.summary, owner=module.owner.name,
        owner_code=module.owner.code, review_days=module.review_days,
        competencies=[c.code for c in module.competencies.all()],
        target_positions=[p.code for p in module.target_positions.all()],
        current_version=approved[-1] if approved else None,
        versions=[VersionSummary(number=v.number, status=v.status, total_minutes=v.total_minutes,
                                 approved_at=v.approved_at) for v in versions],
    )


def _version_out(version: ModuleVersion, *, with_reviews: bool) -> VersionOut:
    version = selectors.version_detail(version)
    rounds = []
    if with_reviews:
        rounds = [RoundOut(number=r.number, opened_at=r.opened_at, due_date=r.due_date, closed_at=r.closed_at,
                           outcome=r.outcome, overdue=r.is_overdue(),
                           assignments=[AssignmentOut(reviewer=a.reviewer.username, institution=a.institution.code,
                                                      decision=a.decision, comment=a.comment,
                                                      decided_at=a.decided_at) for a in r.assignments.all()])
                  for r in version.review_rounds.all()]
    return VersionOut(
        id=version.pk, module_code=version.module.code, number=version.number, status=version.status,
        objectives=version.objectives, change_note=version.change_note, pass_mark=version.pass_mark,
        total_minutes=version.total_minutes, jp=version.jp, approved_at=version.approved_at,
        sessions=[SessionOut(id=s.pk, order=s.order, topic=s.topic, method=s.method, jp=s.jp)
                  for s in version.sessions.all()],
        materials=[MaterialOut(id=m.pk, kind=m.kind, title=m.title, file_kind=m.file_kind, size=m.size, url=m.url)
                   for m in version.materials.all()],
        review_rounds=rounds,
    )


def _by_codes(model, codes: list[str], field: str) -> list:
    found = list(model.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {o.code for o in found})
    if missing:
        raise ValidationError({field: [_("Kode tidak dikenal: %(codes)s") % {"codes": ", ".join(missing)}]})
    return found


def _module_input(payload: ModuleIn) -> services.ModuleInput:
    owner = Institution.objects.filter(code=payload.owner_code).first()
    if owner is None:
        raise ValidationError({"owner_code": [_("Lembaga %(code)s tidak dikenal.") % {"code": payload.owner_code}]})
    return services.ModuleInput(
        code=payload.code, title=payload.title, owner=owner, summary=payload.summary,
        competencies=_by_codes(Competency, payload.competency_codes, "competency_codes"),
        target_positions=_by_codes(Position, payload.position_codes, "position_codes"),
        target_levels=list(PositionLevel.objects.filter(pk__in=payload.level_ids)), review_days=payload.review_days)


# --- competencies -------------------------------------------------------------------------------------------

@router.get("/competencies", response=list[CompetencyOut], summary="Kerangka kompetensi")
def curriculum_list_competencies(request):
    require_role(request.auth, ALL_ROLES)
    return [_competency_out(c) for c in Competency.objects.select_related("area")]


@router.post("/competencies", response={201: CompetencyOut}, summary="Tambah kompetensi (admin)")
def curriculum_create_competency(request, payload: CompetencyIn):
    require_role(request.auth, MANAGER_ROLES)
    area = CompetencyArea.objects.filter(code=payload.area_code).first()
    if area is None:
        raise ValidationError({"area_code": [_("Bidang %(code)s tidak dikenal.") % {"code": payload.area_code}]})
    competency = services.competency_save(area=area, code=payload.code, name=payload.name,
                                          description=payload.description, by=request.auth)
    return Status(201, _competency_out(competency))


# --- modules ------------------------------------------------------------------------------------------------

@router.get("/modules", response=ModulePage, summary="Katalog modul (cari judul/kode, kompetensi, sasaran)")
def curriculum_list_modules(request, query: Query[ModuleListQuery]):
    require_role(request.auth, ALL_ROLES)
    filters = selectors.CatalogueFilters(
        q=query.q, include_unpublished=query.include_unpublished and reads_work_in_progress(request.auth),
        competency=Competency.objects.filter(code=query.competency).values_list("pk", flat=True).first()
        if query.competency else None,
        position=Position.objects.filter(code=query.position).values_list("pk", flat=True).first()
        if query.position else None)
    if (query.competency and filters.competency is None) or (query.position and filters.position is None):
        return ModulePage(count=0, offset=query.offset, limit=query.limit, items=[])
    qs = selectors.catalogue(user=request.auth, filters=filters).select_related("owner")
    limit, offset = max(1, min(query.limit, 200)), max(0, query.offset)
    count = qs.count()
    return ModulePage(count=count, offset=offset, limit=limit,
                      items=[_module_out(m, request.auth) for m in qs[offset: offset + limit]])


@router.post("/modules", response={201: ModuleOut}, summary="Susun modul baru (membuat draf versi 1)")
def curriculum_create_module(request, payload: ModuleIn):
    require_role(request.auth, AUTHOR_ROLES)
    module = services.module_create(data=_module_input(payload), by=request.auth)
    return Status(201, _module_out(module, request.auth))


@router.get("/modules/{module_id}", response=ModuleOut, summary="Satu modul dengan riwayat versinya")
def curriculum_get_module(request, module_id: int):
    return _module_out(module_for_user(request.auth, module_id), request.auth)


@router.get("/modules/{module_id}/versions/{number}", response=VersionOut, summary="Satu versi modul")
def curriculum_get_version(request, module_id: int, number: int):
    version = version_for_user(request.auth, module_id, number)
    return _version_out(version, with_reviews=reads_work_in_progress(request.auth))


@router.post("/modules/{module_id}/versions", response={201: VersionOut},
             summary="Versi baru (draf yang menyalin versi terakhir)")
def curriculum_new_version(request, module_id: int, payload: NoteIn):
    require_role(request.auth, AUTHOR_ROLES)
    module = module_for_user(request.auth, module_id)
    require_module_edit(request.auth, module)
    version = services.version_new_draft(module=module, change_note=payload.note, by=request.auth)
    return Status(201, _version_out(version, with_reviews=True))


def _editable(request, module_id: int, number: int) -> ModuleVersion:
    require_role(request.auth, AUTHOR_ROLES)
    version = version_for_user(request.auth, module_id, number)
    require_module_edit(request.auth, version.module)
    return version


@router.put("/modules/{module_id}/versions/{number}", response=VersionOut,
            summary="Ubah tujuan, nilai lulus dan catatan perubahan (hanya draf)")
def curriculum_update_version(request, module_id: int, number: int, payload: VersionIn):
    version = _editable(request, module_id, number)
    version = services.version_update(version=version, objectives=payload.objectives,
                                      change_note=payload.change_note, pass_mark=payload.pass_mark, by=request.auth)
    return _version_out(version, with_reviews=True)


@router.post("/modules/{module_id}/versions/{number}/sessions", response={201: VersionOut},
             summary="Tambah sesi (JP versi dihitung ulang)")
def curriculum_add_session(request, module_id: int, number: int, payload: SessionIn):
    version = _editable(request, module_id, number)
    services.session_add(version=version, topic=payload.topic, method=payload.method, jp=payload.jp,
                         by=request.auth)
    return Status(201, _version_out(version, with_reviews=True))


@router.post("/modules/{module_id}/versions/{number}/sessions/{session_id}/remove", response=VersionOut,
             summary="Hapus sesi")
def curriculum_remove_session(request, module_id: int, number: int, session_id: int):
    version = _editable(request, module_id, number)
    session = version.sessions.filter(pk=session_id).first()
    if session is None:
        raise Http404
    services.session_remove(session=session, by=request.auth)
    return _version_out(version, with_reviews=True)


@router.post("/modules/{module_id}/versions/{number}/links", response={201: VersionOut},
             summary="Tambah tautan video")
def curriculum_add_link(request, module_id: int, number: int, payload: LinkIn):
    version = _editable(request, module_id, number)
    services.material_add_link(version=version, title=payload.title, url=payload.url, by=request.auth)
    return Status(201, _version_out(version, with_reviews=True))


@router.post("/modules/{module_id}/versions/{number}/submit", response=VersionOut,
             summary="Ajukan untuk ditelaah (penelaah dari lembaga lain)")
def curriculum_submit_version(request, module_id: int, number: int, payload: SubmitIn):
    version = _editable(request, module_id, number)
    reviewers = list(User.objects.filter(username__in=payload.reviewers))
    unknown = sorted(set(payload.reviewers) - {u.username for u in reviewers})
    if unknown:
        raise ValidationError({"reviewers": [_("Pengguna tidak dikenal: %(names)s") % {"names": ", ".join(unknown)}]})
    services.version_submit_for_review(version=version, reviewers=reviewers, due_date=payload.due_date,
                                       by=request.auth)
    return _version_out(version, with_reviews=True)


@router.post("/modules/{module_id}/versions/{number}/review", response=VersionOut,
             summary="Keputusan penelaah: approved atau changes_requested, dengan komentar")
def curriculum_review_version(request, module_id: int, number: int, payload: DecisionIn):
    require_role(request.auth, {Role.REVIEWER})
    version = version_for_user(request.auth, module_id, number)
    assignment = ReviewAssignment.objects.filter(round__version=version, reviewer=request.auth,
                                                 round__closed_at__isnull=True,
                                                 decision=ReviewAssignment.Decision.PENDING).first()
    if assignment is None:
        raise PermissionDenied(_("Anda tidak sedang ditugaskan menelaah versi ini."))
    services.review_decide(assignment=assignment, decision=payload.decision, comment=payload.comment,
                           by=request.auth)
    return _version_out(version, with_reviews=True)


@router.post("/modules/{module_id}/versions/{number}/approve", response=VersionOut,
             summary="Sahkan versi (pengesah; bukan penyusun modul)")
def curriculum_approve_version(request, module_id: int, number: int, payload: NoteIn):
    require_role(request.auth, APPROVER_ROLES)
    version = version_for_user(request.auth, module_id, number)
    if not can_approve(request.auth, version.module):
        raise PermissionDenied(_("Anda tidak dapat mengesahkan modul yang Anda susun sendiri."))
    services.version_approve(version=version, note=payload.note, by=request.auth)
    return _version_out(version, with_reviews=True)


@router.post("/modules/{module_id}/versions/{number}/retire", response=VersionOut, summary="Pensiunkan versi")
def curriculum_retire_version(request, module_id: int, number: int, payload: NoteIn):
    require_role(request.auth, APPROVER_ROLES)
    version = version_for_user(request.auth, module_id, number)
    services.version_retire(version=version, reason=payload.note, by=request.auth)
    return _version_out(version, with_reviews=True)


@router.get("/modules/{module_id}/diff", response=DiffOut, summary="Perbandingan dua versi")
def curriculum_diff_versions(request, module_id: int, a: int, b: int):
    require_role(request.auth, CURRICULUM_READERS)
    left = version_for_user(request.auth, module_id, a)
    right = version_for_user(request.auth, module_id, b)
    diff = version_diff(selectors.version_detail(left), selectors.version_detail(right))

    def rows(items):
        return [DiffRowOut(tag=r.tag, left=r.left, right=r.right) for r in items]

    return DiffOut(left=a, right=b, has_changes=diff.has_changes, facts=rows(diff.facts),
                   objectives=rows(diff.objectives), outline=rows(diff.outline), materials=rows(diff.materials))


# --- reviews ------------------------------------------------------------------------------------------------

@router.get("/reviews", response=list[ReviewOut], summary="Telaah yang menunggu saya")
def curriculum_list_reviews(request):
    require_role(request.auth, CURRICULUM_READERS)
    if not user_has_role(request.auth, {Role.REVIEWER}):
        return []
    return [ReviewOut(module_id=a.round.version.module_id, module_code=a.round.version.module.code,
                      version=a.round.version.number, round=a.round.number, due_date=a.round.due_date,
                      overdue=a.round.is_overdue(), institution=a.institution.code)
            for a in selectors.pending_reviews_for(request.auth)]


@router.get("/board", response=list[BoardRowOut], summary="Modul dalam proses: siapa menunggu siapa")
def curriculum_board(request):
    require_role(request.auth, CURRICULUM_READERS)
    return [BoardRowOut(module_id=r.version.module_id, module_code=r.version.module.code, version=r.version.number,
                        status=r.version.status, waiting=r.waiting, waiting_for=r.waiting_for,
                        due_date=r.round.due_date if r.round else None, overdue=r.overdue)
            for r in selectors.board()]
