"""Imports API: upload a spreadsheet (preview or import at once), follow a run, commit it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from accounts.access import require_role
from imports import services
from imports.access import IMPORT_ROLES, run_for_user
from imports.models import ImportRun
from imports.selectors import run_list
from people.access import agencies_writable_by, can_see_full_identity
from people.identity import mask_identity

router = Router(tags=["imports"])


class IssueOut(Schema):
    column: str
    value: str
    message: str


class RowOut(Schema):
    row: int
    status: str
    name: str = ""
    identity: str = ""
    changes: list[str]
    errors: list[IssueOut]
    warnings: list[IssueOut]


class RunOut(Schema):
    id: int
    status: str
    mode: str
    file: str
    file_kind: str
    agency_id: int | None
    created_at: dt.datetime
    header_row: int | None
    mapping: dict[str, str]
    notes: list[str]
    message: str
    percent: int
    rows_total: int
    rows_new: int
    rows_update: int
    rows_unchanged: int
    rows_error: int
    rows_warning: int
    rows_duplicate: int
    created: int
    updated: int
    sample: list[RowOut]


class CommitIn(Schema):
    mode: str


class ErrorOut(Schema):
    detail: str


def run_out(run: ImportRun, *, full: bool) -> RunOut:
    sample = []
    for row in run.sample:
        row = dict(row)
        if not full:
            row["identity"] = mask_identity(row.get("identity", ""))
        sample.append(RowOut(**row))
    return RunOut(
        id=run.pk, status=run.status, mode=run.mode, file=run.original_name, file_kind=run.file_kind,
        agency_id=run.agency_id, created_at=run.created_at, header_row=run.header_row, mapping=run.mapping,
        notes=run.notes, message=run.message, percent=run.percent, rows_total=run.rows_total,
        rows_new=run.rows_new, rows_update=run.rows_update, rows_unchanged=run.rows_unchanged,
        rows_error=run.rows_error, rows_warning=run.rows_warning, rows_duplicate=run.rows_duplicate,
        created=run.created_count, updated=run.updated_count, sample=sample,
    )


@router.get("/", response=list[RunOut], summary="Riwayat impor")
def imports_list_runs(request, limit: int = 50):
    require_role(request.auth, IMPORT_ROLES)
    full = can_see_full_identity(request.auth)
    return [run_out(run, full=full) for run in run_list(user=request.auth)[: max(1, min(limit, 200))]]


@router.get("/{int:run_id}", response=RunOut, summary="Satu impor: status, kemajuan dan hasil")
def imports_get_run(request, run_id: int):
    run = run_for_user(request.auth, run_id)
    return run_out(run, full=can_see_full_identity(request.auth))


@router.post("/people", response={201: RunOut, 400: ErrorOut}, summary="Unggah daftar SDM (pratinjau atau impor)",
             description="Multipart: `file` (XLSX, XLS, ODS, CSV), `agency_id` (instansi tujuan), `dry_run` "
                         "(default true: pratinjau saja), `mode` (`all_or_nothing` atau `valid_only`) bila "
                         "dry_run=false.")
def imports_upload_people(request):
    require_role(request.auth, IMPORT_ROLES)
    upload = request.FILES.get("file")
    if upload is None:
        return Status(400, {"detail": _("Sertakan berkas pada bidang \"file\".")})
    agencies = agencies_writable_by(request.auth)
    agency_id = request.POST.get("agency_id") or getattr(request.auth, "agency_id", None)
    agency = agencies.filter(pk=agency_id).first() if str(agency_id or "").isdigit() else None
    if agency is None:
        return Status(400, {"detail": _("Pilih instansi tujuan (agency_id) yang boleh Anda isi.")})
    run = services.import_run_create(by=request.auth, upload=upload, agency=agency)
    run = services.import_run_start_check(run=run, by=request.auth)
    if request.POST.get("dry_run", "true").lower() in {"false", "0", "no"} and run.status == ImportRun.Status.CHECKED:
        run = services.import_run_start_commit(run=run, by=request.auth, mode=request.POST.get("mode", ""))
    return Status(201, run_out(run, full=can_see_full_identity(request.auth)))


@router.post("/{int:run_id}/commit", response={202: RunOut, 200: RunOut}, summary="Impor hasil pratinjau")
def imports_commit_run(request, run_id: int, payload: CommitIn):
    run = run_for_user(request.auth, run_id)
    if payload.mode not in ImportRun.Mode.values:
        raise ValidationError({"mode": [_("Pilih cara impor: all_or_nothing atau valid_only.")]})
    run = services.import_run_start_commit(run=run, by=request.auth, mode=payload.mode)
    return Status(200 if run.status == ImportRun.Status.DONE else 202, run_out(run, full=can_see_full_identity(request.auth)))
