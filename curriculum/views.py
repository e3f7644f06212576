"""Pages of curriculum. Thin: parse input, check access (curriculum.access), call one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import require_role, role_required, scoped_get, user_has_role
from accounts.roles import ALL_ROLES, Role
from curriculum import selectors, services
from curriculum.access import (
    APPROVER_ROLES,
    AUTHOR_ROLES,
    CURRICULUM_READERS,
    MANAGER_ROLES,
    can_approve,
    can_edit_module,
    is_manager,
    module_for_user,
    reads_work_in_progress,
    require_module_edit,
    version_for_user,
    versions_visible_to,
)
from curriculum.diff import version_diff
from curriculum.forms import (
    AreaForm,
    CompetencyForm,
    DecisionForm,
    InstitutionForm,
    MaterialFileForm,
    MaterialLinkForm,
    MemberForm,
    ModuleForm,
    NoteForm,
    SessionForm,
    SubmitForm,
    VersionForm,
)
from curriculum.models import (
    Competency,
    CompetencyArea,
    Institution,
    InstitutionMember,
    Material,
    ModuleVersion,
    ReviewAssignment,
)
from curriculum.pdf import version_pdf
from people.models import Position, PositionLevel
from web.files import file_response
from web.pagination import paginate

#: Who sees the names of people due a refresher (personal data: not partner authors or reviewers).
REFRESHER_READERS = frozenset({Role.CENTRE_ADMIN, Role.ORGANISER, Role.APPROVER, Role.AUDITOR, Role.LEADERSHIP})


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _error_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_error_messages(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


# --- catalogue and module pages -----------------------------------------------------------------------------

@role_required(*ALL_ROLES)
def catalogue(request):
    filters = selectors.CatalogueFilters(
        q=request.GET.get("q", "").strip()[:100], competency=_int(request.GET.get("competency")),
        position=_int(request.GET.get("position")), level=_int(request.GET.get("level")),
        include_unpublished=reads_work_in_progress(request.user) and request.GET.get("all") == "1")
    page = paginate(request, selectors.catalogue(user=request.user, filters=filters), per_page=25)
    context = {
        "page": page, "filters": filters,
        "areas": CompetencyArea.objects.prefetch_related("competencies"),
        "positions": Position.objects.all(), "levels": PositionLevel.objects.select_related("position"),
        "can_create": user_has_role(request.user, AUTHOR_ROLES), "staff": reads_work_in_progress(request.user),
    }
    template = "curriculum/_module_rows.html" if request.headers.get("HX-Request") else "curriculum/catalogue.html"
    return render(request, template, context)


@role_required(*AUTHOR_ROLES)
def module_create(request):
    form = ModuleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_create(data=form.to_input(), by=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Modul %(code)s dibuat. Lengkapi versi 1 lalu ajukan untuk ditelaah.")
                             % {"code": module.code})
            return redirect("curriculum:version_edit", module_id=module.pk, number=1)
    return render(request, "curriculum/module_form.html", {"form": form, "module": None})


def module_detail(request, module_id: int):
    module = module_for_user(request.user, module_id)
    history = selectors.module_history(module, user=request.user)
    current = next((v for v in history if v.status == ModuleVersion.Status.APPROVED), None)
    if current is not None:
        current = selectors.version_detail(current)
    open_version = next((v for v in history if v.status in {"draft", "in_review", "changes_requested"}), None)
    return render(request, "curriculum/module_detail.html", {
        "module": module, "current": current, "history": history, "open_version": open_version,
        "can_edit": can_edit_module(request.user, module), "staff": reads_work_in_progress(request.user),
        "competencies": module.competencies.select_related("area"),
        "positions": module.target_positions.all(), "levels": module.target_levels.select_related("position"),
    })


@role_required(*AUTHOR_ROLES)
def module_edit(request, module_id: int):
    module = module_for_user(request.user, module_id)
    require_module_edit(request.user, module)
    form = ModuleForm(request.POST or None, user=request.user, initial=ModuleForm.initial_from(module))
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(module=module, data=form.to_input(), by=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("curriculum:module_detail", module_id=module.pk)
    return render(request, "curriculum/module_form.html", {"form": form, "module": module})


@require_POST
@role_required(*AUTHOR_ROLES)
def version_new(request, module_id: int):
    module = module_for_user(request.user, module_id)
    require_module_edit(request.user, module)
    try:
        version = services.version_new_draft(module=module, by=request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
        return redirect("curriculum:module_detail", module_id=module.pk)
    messages.success(request, _("Versi %(n)s dibuat sebagai draf dari versi terakhir.") % {"n": version.number})
    return redirect("curriculum:version_edit", module_id=module.pk, number=version.number)


@role_required(*CURRICULUM_READERS)
def version_compare(request, module_id: int):
    module = module_for_user(request.user, module_id)
    versions = list(versions_visible_to(request.user, module).order_by("number"))
    if len(versions) < 2:
        return render(request, "curriculum/diff.html", {"module": module, "versions": versions, "diff": None})
    numbers = [v.number for v in versions]
    a, b = _int(request.GET.get("a")), _int(request.GET.get("b"))
    a = a if a in numbers else numbers[-2]
    b = b if b in numbers else numbers[-1]
    by_number = {v.number: v for v in versions}
    diff = version_diff(selectors.version_detail(by_number[a]), selectors.version_detail(by_number[b]))
    return render(request, "curriculum/diff.html", {"module": module, "versions": versions, "diff": diff,
                                                    "a": a, "b": b})


# --- one version --------------------------------------------------------------------------------------------

def _version(request, module_id: int, number: int) -> ModuleVersion:
    return selectors.version_detail(version_for_user(request.user, module_id, number))


def version_detail(request, module_id: int, number: int):
    version = _version(request, module_id, number)
    module = version.module
    user = request.user
    rounds = list(version.review_rounds.all())
    latest = rounds[0] if rounds else None
    my_assignment = None
    if latest is not None and latest.is_open and version.status == ModuleVersion.Status.IN_REVIEW:
        my_assignment = next((a for a in latest.assignments.all()
                              if a.reviewer_id == user.pk and a.decision == ReviewAssignment.Decision.PENDING), None)
    ready_to_approve = (version.status == ModuleVersion.Status.IN_REVIEW and latest is not None
                        and latest.outcome == latest.Outcome.APPROVED)
    return render(request, "curriculum/version_detail.html", {
        "module": module, "version": version, "rounds": rounds, "latest": latest,
        "my_assignment": my_assignment, "decision_form": DecisionForm() if my_assignment else None,
        "can_edit": can_edit_module(user, module) and version.is_editable,
        "can_new_version": can_edit_module(user, module) and version.status in ("approved", "retired"),
        "ready_to_approve": ready_to_approve, "can_approve": ready_to_approve and can_approve(user, module),
        "own_module_blocks": ready_to_approve and user_has_role(user, APPROVER_ROLES)
        and not can_approve(user, module),
        "can_retire": version.status == ModuleVersion.Status.APPROVED and user_has_role(user, APPROVER_ROLES),
        "can_see_refreshers": user_has_role(user, REFRESHER_READERS) and version.status == "approved",
        "staff": reads_work_in_progress(user),
    })


@role_required(*AUTHOR_ROLES)
def version_edit(request, module_id: int, number: int):
    version = _version(request, module_id, number)
    require_module_edit(request.user, version.module)
    if not version.is_editable:
        messages.info(request, _("Versi ini tidak dapat diubah lagi."))
        return redirect("curriculum:version_detail", module_id=module_id, number=number)
    form = VersionForm(request.POST or None, initial={"objectives": version.objectives,
                                                      "pass_mark": version.pass_mark,
                                                      "change_note": version.change_note})
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(version=version, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Isi versi disimpan."))
            return redirect("curriculum:version_edit", module_id=module_id, number=number)
    return render(request, "curriculum/version_edit.html", {
        "module": version.module, "version": version, "form": form, "session_form": SessionForm(),
        "file_form": MaterialFileForm(), "link_form": MaterialLinkForm(),
    })


def _editable_version(request, module_id: int, number: int) -> ModuleVersion:
    version = version_for_user(request.user, module_id, number)
    require_module_edit(request.user, version.module)
    return version


def _back_to_edit(module_id, number):
    return redirect("curriculum:version_edit", module_id=module_id, number=number)


@require_POST
@role_required(*AUTHOR_ROLES)
def session_add(request, module_id: int, number: int):
    version = _editable_version(request, module_id, number)
    form = SessionForm(request.POST)
    if not form.is_valid():
        _form_error_messages(request, form)
        return _back_to_edit(module_id, number)
    try:
        services.session_add(version=version, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Sesi ditambahkan."))
    return _back_to_edit(module_id, number)


@require_POST
@role_required(*AUTHOR_ROLES)
def session_remove(request, module_id: int, number: int, session_id: int):
    version = _editable_version(request, module_id, number)
    session = scoped_get(version.sessions.all(), pk=session_id)
    try:
        services.session_remove(session=session, by=request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Sesi dihapus."))
    return _back_to_edit(module_id, number)


@require_POST
@role_required(*AUTHOR_ROLES)
def material_add(request, module_id: int, number: int):
    version = _editable_version(request, module_id, number)
    is_link = request.POST.get("kind") == "video"
    form = MaterialLinkForm(request.POST) if is_link else MaterialFileForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_error_messages(request, form)
        return _back_to_edit(module_id, number)
    try:
        if is_link:
            services.material_add_link(version=version, by=request.user, **form.cleaned_data)
        else:
            services.material_add_file(version=version, title=form.cleaned_data["title"],
                                       upload=form.cleaned_data["file"], by=request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Bahan ajar ditambahkan."))
    return _back_to_edit(module_id, number)


@require_POST
@role_required(*AUTHOR_ROLES)
def material_remove(request, module_id: int, number: int, material_id: int):
    version = _editable_version(request, module_id, number)
    material = scoped_get(version.materials.all(), pk=material_id)
    try:
        services.material_remove(material=material, by=request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Bahan ajar dihapus."))
    return _back_to_edit(module_id, number)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def material_download(request, material_id: int):
    """Stream a stored material after checking the user may see its version (files are never served directly)."""
    material = get_object_or_404(Material.objects.select_related("version"), pk=material_id, kind=Material.Kind.FILE)
    version_for_user(request.user, material.version.module_id, material.version.number)
    filename = material.original_name or f"{material.title}.{material.file_kind}"
    return file_response(material.file, filename=filename, attachment=True,
                         content_type=CONTENT_TYPES.get(material.file_kind, "application/octet-stream"))


@role_required(*AUTHOR_ROLES)
def version_submit(request, module_id: int, number: int):
    version = _version(request, module_id, number)
    require_module_edit(request.user, version.module)
    reviewers, labels = selectors.eligible_reviewers(version.module)
    previous = version.latest_round
    initial = {"reviewers": [a.reviewer_id for a in previous.assignments.all()]} if previous else {}
    form = SubmitForm(request.POST or None, reviewers=reviewers, labels=labels, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_submit_for_review(version=version, reviewers=form.cleaned_data["reviewers"],
                                               due_date=form.cleaned_data["due_date"], by=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Versi %(n)s diajukan untuk ditelaah.") % {"n": version.number})
            return redirect("curriculum:version_detail", module_id=module_id, number=number)
    return render(request, "curriculum/version_submit.html", {"module": version.module, "version": version,
                                                              "form": form})


@require_POST
@role_required(Role.REVIEWER)
def review_decide(request, module_id: int, number: int):
    version = version_for_user(request.user, module_id, number)
    assignment = (ReviewAssignment.objects.filter(round__version=version, reviewer=request.user,
                                                  round__closed_at__isnull=True,
                                                  decision=ReviewAssignment.Decision.PENDING).first())
    if assignment is None:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setuju atau minta perbaikan."))
    else:
        try:
            services.review_decide(assignment=assignment, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("Keputusan telaah Anda dicatat."))
    return redirect("curriculum:version_detail", module_id=module_id, number=number)


@require_POST
@role_required(*APPROVER_ROLES)
def version_approve(request, module_id: int, number: int):
    version = version_for_user(request.user, module_id, number)
    if not can_approve(request.user, version.module):
        raise PermissionDenied(_("Anda tidak dapat mengesahkan modul yang Anda susun sendiri."))
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.version_approve(version=version, by=request.user, note=note)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Versi %(n)s disahkan dan dapat dijadwalkan.") % {"n": version.number})
    return redirect("curriculum:version_detail", module_id=module_id, number=number)


@require_POST
@role_required(*APPROVER_ROLES)
def version_retire(request, module_id: int, number: int):
    version = version_for_user(request.user, module_id, number)
    form = NoteForm(request.POST)
    try:
        services.version_retire(version=version, by=request.user,
                                reason=form.cleaned_data["note"] if form.is_valid() else "")
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Versi %(n)s dipensiunkan.") % {"n": version.number})
    return redirect("curriculum:version_detail", module_id=module_id, number=number)


def version_pdf_view(request, module_id: int, number: int):
    version = _version(request, module_id, number)
    response = HttpResponse(version_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{version.module.code}-v{version.number}.pdf"'
    return response


@role_required(*REFRESHER_READERS)
def refresher_list(request, module_id: int, number: int):
    version = version_for_user(request.user, module_id, number)
    return render(request, "curriculum/refresher_list.html", {
        "module": version.module, "version": version,
        "people": selectors.refresher_candidates(version) if version.is_approved else [],
    })


# --- board --------------------------------------------------------------------------------------------------

@role_required(*CURRICULUM_READERS)
def board(request):
    rows = selectors.board()
    mine = selectors.pending_reviews_for(request.user) if request.user.role == Role.REVIEWER else []
    return render(request, "curriculum/board.html", {"rows": rows, "mine": mine})


# --- competency framework -----------------------------------------------------------------------------------

@role_required(*CURRICULUM_READERS)
def competencies(request):
    areas = CompetencyArea.objects.prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.annotate(module_count=Count("modules"))))
    return render(request, "curriculum/competencies.html", {
        "areas": areas, "can_manage": is_manager(request.user),
        "area_form": AreaForm(), "competency_form": CompetencyForm(),
    })


@require_POST
@role_required(*MANAGER_ROLES)
def area_create(request):
    form = AreaForm(request.POST)
    if form.is_valid():
        try:
            services.competency_area_save(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("Bidang kompetensi ditambahkan."))
    else:
        messages.error(request, _("Periksa isian bidang kompetensi."))
    return redirect("curriculum:competencies")


@role_required(*MANAGER_ROLES)
def competency_edit(request, competency_id: int | None = None):
    competency = get_object_or_404(Competency, pk=competency_id) if competency_id else None
    initial = ({"area": competency.area, "code": competency.code, "name": competency.name,
                "description": competency.description} if competency else {})
    form = CompetencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_save(competency=competency, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Kompetensi disimpan."))
            return redirect("curriculum:competencies")
    return render(request, "curriculum/competency_form.html", {"form": form, "competency": competency})


# --- institutions -------------------------------------------------------------------------------------------

@role_required(*CURRICULUM_READERS)
def institutions(request):
    form = InstitutionForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, MANAGER_ROLES)
        if form.is_valid():
            try:
                institution = services.institution_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Lembaga %(name)s ditambahkan.") % {"name": institution.name})
                return redirect("curriculum:institution_detail", institution_id=institution.pk)
    items = Institution.objects.annotate(member_count=Count("members", distinct=True),
                                         module_count=Count("modules", distinct=True))
    return render(request, "curriculum/institutions.html", {"institutions": items, "form": form,
                                                            "can_manage": is_manager(request.user)})


@role_required(*CURRICULUM_READERS)
def institution_detail(request, institution_id: int):
    institution = get_object_or_404(Institution, pk=institution_id)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, MANAGER_ROLES)
        if form.is_valid():
            try:
                services.institution_member_add(institution=institution, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Anggota ditambahkan."))
                return redirect("curriculum:institution_detail", institution_id=institution.pk)
    return render(request, "curriculum/institution_detail.html", {
        "institution": institution, "form": form, "can_manage": is_manager(request.user),
        "members": institution.members.select_related("user"),
        "modules": institution.modules.order_by("code"),
    })


@require_POST
@role_required(*MANAGER_ROLES)
def member_remove(request, institution_id: int, member_id: int):
    member = get_object_or_404(InstitutionMember, pk=member_id, institution_id=institution_id)
    services.institution_member_remove(member=member, by=request.user)
    messages.success(request, _("Anggota dikeluarkan dari lembaga."))
    return redirect("curriculum:institution_detail", institution_id=institution_id)
