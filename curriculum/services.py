"""State changes of curriculum: institutions, competencies, modules, versions, materials and reviews.

Pages, the API and the demo call these. Version states move only through the named transitions
``version_submit_for_review``, ``review_decide`` (which may return a version for changes),
``version_approve``, ``version_retire``; ``version_new_draft`` starts the next version.
Approved and retired versions are immutable: every content service refuses them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import user_has_role
from accounts.audit import audit_record, changed_fields, snapshot
from accounts.roles import Role
from curriculum.access import (
    APPROVER_ROLES,
    is_manager,
    is_module_author,
    require_module_edit,
)
from curriculum.models import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    Competency,
    CompetencyArea,
    Institution,
    InstitutionMember,
    Material,
    Module,
    ModuleSession,
    ModuleVersion,
    ReviewAssignment,
    ReviewRound,
)
from web.uploads import check_upload

Status = ModuleVersion.Status
MATERIAL_KINDS = {"pdf", "docx", "pptx", "xlsx"}
MINUTES_PER_JP = 45


def _require_manager(by) -> None:
    if not is_manager(by):
        raise PermissionDenied(_("Hanya admin Pusbangprof yang dapat mengubah ini."))


# --- institutions -------------------------------------------------------------------------------------------

@transaction.atomic
def institution_create(*, code: str, name: str, kind: str, by) -> Institution:
    _require_manager(by)
    institution = Institution(code=code.strip().lower(), name=name.strip(), kind=kind)
    institution.full_clean()
    institution.save()
    audit_record(actor=by, action="curriculum.institution.create", target=institution, after=snapshot(institution))
    return institution


@transaction.atomic
def institution_member_add(*, institution: Institution, user, role: str, by) -> InstitutionMember:
    _require_manager(by)
    wanted = {InstitutionMember.Role.AUTHOR: {Role.AUTHOR, Role.CENTRE_ADMIN},
              InstitutionMember.Role.REVIEWER: {Role.REVIEWER}}
    if role not in wanted:
        raise ValidationError({"role": _("Peran anggota harus penyusun atau penelaah.")})
    if user.role not in wanted[role]:
        raise ValidationError({"user": _("%(user)s berperan %(role)s, tidak dapat menjadi %(member)s.")
                               % {"user": user.username, "role": user.get_role_display(),
                                  "member": InstitutionMember.Role(role).label}})
    if InstitutionMember.objects.filter(institution=institution, user=user, role=role).exists():
        raise ValidationError({"user": _("%(user)s sudah menjadi anggota lembaga ini.") % {"user": user.username}})
    member = InstitutionMember(institution=institution, user=user, role=role)
    member.full_clean()
    member.save()
    audit_record(actor=by, action="curriculum.member.add", target=member, after=snapshot(member))
    return member


@transaction.atomic
def institution_member_remove(*, member: InstitutionMember, by) -> None:
    _require_manager(by)
    before = snapshot(member)
    label = str(member)
    member_id = member.pk
    member.delete()
    audit_record(actor=by, action="curriculum.member.remove", target_type="curriculum.institutionmember",
                 target_id=member_id, target_label=label, before=before)


# --- competency framework -----------------------------------------------------------------------------------

@transaction.atomic
def competency_area_save(*, code: str, name: str, order: int = 0, area: CompetencyArea | None = None,
                         by) -> CompetencyArea:
    """Create an area, or change ``area``."""
    _require_manager(by)
    before = snapshot(area) if area else None
    area = area or CompetencyArea()
    area.code, area.name, area.order = code.strip().lower(), name.strip(), order
    area.full_clean()
    area.save()
    audit_record(actor=by, action="curriculum.area.update" if before else "curriculum.area.create", target=area,
                 before=before, after=snapshot(area))
    return area


@transaction.atomic
def competency_save(*, area: CompetencyArea, code: str, name: str, description: str = "",
                    competency: Competency | None = None, by) -> Competency:
    """Create a competency, or change ``competency``."""
    _require_manager(by)
    before = snapshot(competency) if competency else None
    competency = competency or Competency()
    competency.area, competency.code = area, code.strip().lower()
    competency.name, competency.description = name.strip(), description.strip()
    competency.full_clean()
    competency.save()
    audit_record(actor=by, action="curriculum.competency.update" if before else "curriculum.competency.create",
                 target=competency, before=before, after=snapshot(competency))
    return competency


# --- modules ------------------------------------------------------------------------------------------------

@dataclass
class ModuleInput:
    code: str
    title: str
    owner: Institution
    summary: str = ""
    competencies: Iterable[Competency] = ()
    target_positions: Iterable = ()
    target_levels: Iterable = ()
    review_days: int = 14


def _require_owner(by, owner: Institution) -> None:
    if is_manager(by):
        return
    if not (user_has_role(by, {Role.AUTHOR})
            and InstitutionMember.objects.filter(user=by, institution=owner,
                                                 role=InstitutionMember.Role.AUTHOR).exists()):
        raise PermissionDenied(_("Anda bukan penyusun dari %(inst)s.") % {"inst": owner.name})


def _module_snapshot(module: Module) -> dict:
    data = snapshot(module)
    data["competencies"] = sorted(module.competencies.values_list("code", flat=True))
    data["target_positions"] = sorted(module.target_positions.values_list("code", flat=True))
    data["target_levels"] = sorted(module.target_levels.values_list("pk", flat=True))
    return data


def _user_pk(by):
    return by.pk if getattr(by, "pk", None) else None


@transaction.atomic
def module_create(*, data: ModuleInput, by) -> Module:
    """A new module owned by ``data.owner`` with an empty draft version 1."""
    _require_owner(by, data.owner)
    module = Module(code=data.code.strip().lower(), title=data.title.strip(), summary=data.summary.strip(),
                    owner=data.owner, review_days=data.review_days, created_by_id=_user_pk(by))
    module.full_clean()
    module.save()
    module.competencies.set(data.competencies)
    module.target_positions.set(data.target_positions)
    module.target_levels.set(data.target_levels)
    version = ModuleVersion(module=module, number=1, created_by_id=_user_pk(by))
    version.full_clean()
    version.save()
    audit_record(actor=by, action="curriculum.module.create", target=module, after=_module_snapshot(module))
    return module


@transaction.atomic
def module_update(*, module: Module, data: ModuleInput, by) -> Module:
    require_module_edit(by, module)
    if data.owner.pk != module.owner_id:
        _require_owner(by, data.owner)
    before = _module_snapshot(module)
    module.code, module.title, module.summary = data.code.strip().lower(), data.title.strip(), data.summary.strip()
    module.owner, module.review_days = data.owner, data.review_days
    module.full_clean()
    module.save()
    module.competencies.set(data.competencies)
    module.target_positions.set(data.target_positions)
    module.target_levels.set(data.target_levels)
    after = _module_snapshot(module)
    changed = changed_fields(before, after)
    if changed:
        audit_record(actor=by, action="curriculum.module.update", target=module,
                     before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return module


# --- version content ----------------------------------------------------------------------------------------

def _locked(version: ModuleVersion) -> ModuleVersion:
    """Lock the version's row and reload ``version`` in place (the caller's object stays current)."""
    list(ModuleVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk", flat=True))
    version.refresh_from_db()
    return version


def _require_editable(by, version: ModuleVersion) -> ModuleVersion:
    version = _locked(version)
    require_module_edit(by, version.module)
    if version.status not in EDITABLE_STATUSES:
        if version.status in (Status.APPROVED, Status.RETIRED):
            raise ValidationError(_("Versi %(n)s sudah disahkan dan tidak dapat diubah; buat versi baru untuk "
                                    "perubahan.") % {"n": version.number})
        raise ValidationError(_("Versi %(n)s sedang ditelaah; tunggu hasil telaah sebelum mengubahnya.")
                              % {"n": version.number})
    return version


def _recompute_minutes(version: ModuleVersion) -> None:
    total = sum(version.sessions.values_list("jp", flat=True)) * MINUTES_PER_JP
    ModuleVersion.objects.filter(pk=version.pk).update(total_minutes=total)
    version.total_minutes = total


@transaction.atomic
def version_update(*, version: ModuleVersion, objectives: str, change_note: str, pass_mark: int,
                   by) -> ModuleVersion:
    version = _require_editable(by, version)
    before = snapshot(version, ["objectives", "change_note", "pass_mark"])
    version.objectives, version.change_note, version.pass_mark = objectives.strip(), change_note.strip(), pass_mark
    version.full_clean()
    version.save(update_fields=["objectives", "change_note", "pass_mark"])
    after = snapshot(version, ["objectives", "change_note", "pass_mark"])
    changed = changed_fields(before, after)
    if changed:
        audit_record(actor=by, action="curriculum.version.update", target=version,
                     before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return version


@transaction.atomic
def session_add(*, version: ModuleVersion, topic: str, method: str, jp: int, by) -> ModuleSession:
    version = _require_editable(by, version)
    order = (version.sessions.aggregate(m=Max("order"))["m"] or 0) + 1
    session = ModuleSession(version=version, order=order, topic=topic.strip(), method=method, jp=jp)
    session.full_clean()
    session.save()
    _recompute_minutes(version)
    audit_record(actor=by, action="curriculum.session.add", target=version,
                 after={**snapshot(session), "total_minutes": version.total_minutes})
    return session


@transaction.atomic
def session_update(*, session: ModuleSession, topic: str, method: str, jp: int, by) -> ModuleSession:
    version = _require_editable(by, session.version)
    before = snapshot(session)
    session.topic, session.method, session.jp = topic.strip(), method, jp
    session.full_clean()
    session.save()
    _recompute_minutes(version)
    audit_record(actor=by, action="curriculum.session.update", target=version, before=before,
                 after={**snapshot(session), "total_minutes": version.total_minutes})
    return session


@transaction.atomic
def session_remove(*, session: ModuleSession, by) -> None:
    version = _require_editable(by, session.version)
    before = snapshot(session)
    session.delete()
    _recompute_minutes(version)
    audit_record(actor=by, action="curriculum.session.remove", target=version, before=before,
                 after={"total_minutes": version.total_minutes})


def _material_snapshot(material: Material) -> dict:
    data = snapshot(material, ["id", "version", "kind", "title", "file_kind", "original_name", "size", "url",
                               "order"])
    data["file"] = material.file.name or ""
    return data


def _next_material_order(version: ModuleVersion) -> int:
    return (version.materials.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def material_add_file(*, version: ModuleVersion, title: str, upload, by) -> Material:
    """Attach a PDF, DOCX, PPTX or XLSX file, checked by its content and size (``web.uploads``)."""
    version = _require_editable(by, version)
    checked = check_upload(upload, allowed=MATERIAL_KINDS)
    name = getattr(upload, "name", "") or f"materi.{checked.kind}"
    material = Material(version=version, kind=Material.Kind.FILE, title=(title.strip() or name)[:200],
                        file_kind=checked.kind, original_name=name[:200], size=checked.size,
                        order=_next_material_order(version))
    upload.seek(0)
    material.file.save(f"materi.{checked.kind}", upload, save=False)
    saved_name = material.file.name
    try:
        material.full_clean()
        material.save()
    except (ValidationError, IntegrityError):
        material.file.storage.delete(saved_name)
        raise
    audit_record(actor=by, action="curriculum.material.add", target=version, after=_material_snapshot(material))
    return material


_url_validator = URLValidator(schemes=["https", "http"])


@transaction.atomic
def material_add_link(*, version: ModuleVersion, title: str, url: str, by) -> Material:
    """Attach a video link (http/https only)."""
    version = _require_editable(by, version)
    url = url.strip()
    try:
        _url_validator(url)
    except ValidationError as exc:
        raise ValidationError({"url": _("Tautan harus alamat http:// atau https:// yang lengkap.")}) from exc
    host = urlparse(url).hostname or ""
    material = Material(version=version, kind=Material.Kind.VIDEO, title=(title.strip() or host)[:200], url=url,
                        order=_next_material_order(version))
    material.full_clean()
    material.save()
    audit_record(actor=by, action="curriculum.material.add", target=version, after=_material_snapshot(material))
    return material


@transaction.atomic
def material_remove(*, material: Material, by) -> None:
    """Remove a material from a draft. The stored file stays: older versions may share it."""
    version = _require_editable(by, material.version)
    before = _material_snapshot(material)
    material.delete()
    audit_record(actor=by, action="curriculum.material.remove", target=version, before=before)


# --- transitions --------------------------------------------------------------------------------------------

def _require_status(version: ModuleVersion, allowed: Iterable[str], action: str) -> None:
    if version.status not in set(allowed):
        raise ValidationError(
            _("Versi %(n)s berstatus %(status)s; tidak dapat %(action)s.")
            % {"n": version.number, "status": Status(version.status).label, "action": action})


def reviewer_institution(reviewer, module: Module) -> Institution:
    """The institution a reviewer reviews for: one they review for that is not the module owner's.

    Refuses reviewers of the owner institution, authors of the module and users without a reviewer
    membership elsewhere: review must come from at least one institution other than the authors'."""
    if not user_has_role(reviewer, {Role.REVIEWER}) or reviewer.is_superuser:
        raise ValidationError({"reviewers": _("%(user)s bukan penelaah modul.") % {"user": reviewer.username}})
    if InstitutionMember.objects.filter(user=reviewer, institution_id=module.owner_id).exists() \
            or is_module_author(reviewer, module):
        raise ValidationError({"reviewers": _("%(user)s berasal dari lembaga penyusun (%(inst)s); penelaah harus "
                                              "dari lembaga lain.") % {"user": reviewer.username,
                                                                      "inst": module.owner.name}})
    member = (InstitutionMember.objects.filter(user=reviewer, role=InstitutionMember.Role.REVIEWER)
              .exclude(institution_id=module.owner_id).select_related("institution").order_by("institution__name")
              .first())
    if member is None:
        raise ValidationError({"reviewers": _("%(user)s belum terdaftar sebagai penelaah di lembaga mitra mana pun.")
                               % {"user": reviewer.username}})
    return member.institution


@transaction.atomic
def version_submit_for_review(*, version: ModuleVersion, reviewers: Iterable, by,
                              due_date: dt.date | None = None, today: dt.date | None = None) -> ReviewRound:
    """draft or changes_requested → in_review: open a review round with its reviewers and due date.

    The due date defaults to today + the module's ``review_days`` (fast track: 14 days)."""
    version = _locked(version)
    require_module_edit(by, version.module)
    _require_status(version, EDITABLE_STATUSES, _("diajukan untuk ditelaah"))
    reviewers = list(dict.fromkeys(reviewers))
    errors: dict[str, list[str]] = {}
    if not version.objectives.strip():
        errors.setdefault("objectives", []).append(_("Isi tujuan pembelajaran sebelum mengajukan telaah."))
    if not version.sessions.exists():
        errors.setdefault("sessions", []).append(_("Tambahkan minimal satu sesi pada kerangka modul."))
    if not reviewers:
        errors.setdefault("reviewers", []).append(_("Pilih minimal satu penelaah dari lembaga lain."))
    if errors:
        raise ValidationError(errors)
    institutions = [reviewer_institution(r, version.module) for r in reviewers]
    today = today or timezone.localdate()
    due_date = due_date or today + dt.timedelta(days=version.module.review_days)
    if due_date < today:
        raise ValidationError({"due_date": _("Batas telaah tidak boleh sebelum hari ini.")})
    before = {"status": version.status}
    number = (version.review_rounds.aggregate(m=Max("number"))["m"] or 0) + 1
    review_round = ReviewRound(version=version, number=number, opened_by_id=_user_pk(by), due_date=due_date)
    review_round.full_clean()
    review_round.save()
    ReviewAssignment.objects.bulk_create(
        ReviewAssignment(round=review_round, reviewer=r, institution=inst) for r, inst in zip(reviewers, institutions,
                                                                                             strict=True))
    version.status = Status.IN_REVIEW
    version.submitted_at = version.submitted_at or timezone.now()
    version.save(update_fields=["status", "submitted_at"])
    audit_record(actor=by, action="curriculum.version.submit", target=version, before=before,
                 after={"status": version.status, "round": number, "due_date": due_date,
                        "reviewers": [r.username for r in reviewers]})
    return review_round


@transaction.atomic
def review_decide(*, assignment: ReviewAssignment, decision: str, comment: str, by) -> ReviewAssignment:
    """A reviewer approves or requests changes, with a comment. When every reviewer of the round has
    decided, the round closes: any change request returns the version to its authors (in_review →
    changes_requested); otherwise it waits for the approver."""
    assignment = (ReviewAssignment.objects.select_for_update(of=("self",)).select_related("round", "reviewer")
                  .get(pk=assignment.pk))
    review_round = assignment.round
    version = _locked(review_round.version)
    if not getattr(by, "pk", None) or assignment.reviewer_id != by.pk:
        raise PermissionDenied(_("Hanya penelaah yang ditugaskan yang dapat memberi keputusan."))
    _require_status(version, [Status.IN_REVIEW], _("ditelaah"))
    if not review_round.is_open or review_round.pk != version.latest_round.pk:
        raise ValidationError(_("Putaran telaah ini sudah ditutup."))
    if decision not in (ReviewAssignment.Decision.APPROVED, ReviewAssignment.Decision.CHANGES_REQUESTED):
        raise ValidationError({"decision": _("Pilih setuju atau minta perbaikan.")})
    if assignment.decision != ReviewAssignment.Decision.PENDING:
        raise ValidationError(_("Anda sudah memberi keputusan pada putaran ini."))
    comment = comment.strip()
    if decision == ReviewAssignment.Decision.CHANGES_REQUESTED and not comment:
        raise ValidationError({"comment": _("Tuliskan apa yang perlu diperbaiki.")})
    before = {"decision": assignment.decision, "version_status": version.status}
    now = timezone.now()
    assignment.decision, assignment.comment, assignment.decided_at = decision, comment, now
    assignment.full_clean()
    assignment.save(update_fields=["decision", "comment", "decided_at"])
    decisions = list(review_round.assignments.values_list("decision", flat=True))
    if ReviewAssignment.Decision.PENDING not in decisions:
        changes = ReviewAssignment.Decision.CHANGES_REQUESTED in decisions
        review_round.closed_at = now
        review_round.outcome = (ReviewRound.Outcome.CHANGES_REQUESTED if changes else ReviewRound.Outcome.APPROVED)
        review_round.save(update_fields=["closed_at", "outcome"])
        if changes:
            version.status = Status.CHANGES_REQUESTED
            version.save(update_fields=["status"])
    audit_record(actor=by, action="curriculum.review.decide", target=version, before=before,
                 after={"decision": decision, "comment": comment, "round": review_round.number,
                        "round_outcome": review_round.outcome, "version_status": version.status})
    return assignment


@transaction.atomic
def version_approve(*, version: ModuleVersion, by, note: str = "") -> ModuleVersion:
    """in_review → approved, by the approver (or a centre admin) once every reviewer has agreed.

    Nobody approves a module they wrote. An earlier approved version retires in the same transaction,
    so exactly one version of a module can be scheduled."""
    version = _locked(version)
    module = version.module
    if not user_has_role(by, APPROVER_ROLES):
        raise PermissionDenied(_("Hanya pengesah modul yang dapat mengesahkan."))
    if is_module_author(by, module):
        raise PermissionDenied(_("Anda tidak dapat mengesahkan modul yang Anda susun sendiri."))
    _require_status(version, [Status.IN_REVIEW], _("disahkan"))
    latest = version.latest_round
    if latest is None or latest.outcome != ReviewRound.Outcome.APPROVED:
        raise ValidationError(_("Semua penelaah harus menyetujui versi ini sebelum disahkan."))
    if not latest.assignments.exclude(institution_id=module.owner_id).exists():
        raise ValidationError(_("Versi ini belum ditelaah oleh lembaga selain lembaga penyusun."))
    now = timezone.now()
    retired = list(module.versions.filter(status=Status.APPROVED).exclude(pk=version.pk)
                   .values_list("number", flat=True))
    module.versions.filter(status=Status.APPROVED).exclude(pk=version.pk).update(status=Status.RETIRED,
                                                                                retired_at=now)
    before = {"status": version.status}
    version.status, version.approved_at = Status.APPROVED, now
    version.approved_by_id, version.approval_note = _user_pk(by), note.strip()
    version.full_clean()
    version.save(update_fields=["status", "approved_at", "approved_by", "approval_note"])
    audit_record(actor=by, action="curriculum.version.approve", target=version, before=before,
                 after={"status": version.status, "approved_at": now, "retired_versions": retired},
                 note=version.approval_note)
    return version


@transaction.atomic
def version_retire(*, version: ModuleVersion, by, reason: str = "") -> ModuleVersion:
    """approved → retired: the version can no longer be scheduled (its history stays)."""
    version = _locked(version)
    if not user_has_role(by, APPROVER_ROLES):
        raise PermissionDenied(_("Hanya pengesah modul atau admin yang dapat memensiunkan versi."))
    _require_status(version, [Status.APPROVED], _("dipensiunkan"))
    version.status, version.retired_at = Status.RETIRED, timezone.now()
    version.save(update_fields=["status", "retired_at"])
    audit_record(actor=by, action="curriculum.version.retire", target=version, before={"status": Status.APPROVED},
                 after={"status": version.status}, note=reason)
    return version


@transaction.atomic
def version_new_draft(*, module: Module, by, change_note: str = "") -> ModuleVersion:
    """A new draft copying the latest version's content (objectives, outline, materials, pass mark).

    This is how an approved module changes: the approved version itself is never edited."""
    module = Module.objects.select_for_update().get(pk=module.pk)
    require_module_edit(by, module)
    if module.versions.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("Modul ini sudah punya versi yang sedang dikerjakan; selesaikan versi itu dulu."))
    source = module.versions.order_by("-number").first()
    version = ModuleVersion(module=module, number=(source.number + 1) if source else 1,
                            created_by_id=_user_pk(by), change_note=change_note.strip())
    if source is not None:
        version.objectives, version.pass_mark = source.objectives, source.pass_mark
        version.total_minutes = source.total_minutes
    version.full_clean()
    version.save()
    if source is not None:
        ModuleSession.objects.bulk_create(
            ModuleSession(version=version, order=s.order, topic=s.topic, method=s.method, jp=s.jp)
            for s in source.sessions.all())
        Material.objects.bulk_create(
            Material(version=version, kind=m.kind, title=m.title, file=m.file.name, file_kind=m.file_kind,
                     original_name=m.original_name, size=m.size, url=m.url, order=m.order)
            for m in source.materials.all())
    audit_record(actor=by, action="curriculum.version.new_draft", target=version,
                 after={"number": version.number, "copied_from": source.number if source else None})
    return version
