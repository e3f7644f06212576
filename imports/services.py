"""State changes of imports: upload, check (the preview), commit. Pages, the API, the ``siaga import``
command and the background tasks all call these.

Status moves only through the transitions here: uploaded → checking → checked → committing → done,
and → failed from checking or committing. A preview writes nothing to the registry (it records its
findings on the run). The commit is audited as one ``import.people`` row with its counts."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import sees_all_agencies
from accounts.audit import audit_record
from imports.models import ImportIssue, ImportRun
from imports.pipeline import PeopleImport, staged_chunks
from imports.reading import SPREADSHEET_KINDS, BadFile, open_source
from imports.table import cell_text
from imports.validate import Context, RowResult
from ops import faults, jobs
from people.access import agencies_writable_by
from people.identity import mask_identity
from web.files import local_copy, store_local_file
from web.uploads import check_upload

SAMPLE_ROWS = 100
#: Files at most this big are checked at once in the request; bigger ones in a background task.
INLINE_CHECK_BYTES = 256 * 1024

Status = ImportRun.Status


class TransitionError(ValidationError):
    pass


def _require(run: ImportRun, *allowed: str) -> None:
    if run.status not in allowed:
        raise TransitionError(_("Impor ini berstatus %(status)s; langkah ini tidak dapat dilakukan.")
                              % {"status": run.get_status_display()})


def require_import_write(user, agency) -> None:
    if agency is None or not agencies_writable_by(user).filter(pk=agency.pk).exists():
        raise PermissionDenied(_("Anda tidak berhak mengimpor SDM ke instansi ini."))


def context_for(*, agency, by) -> Context:
    return Context(agency=agency, user=by, restrict_to_agency=not sees_all_agencies(by))


def _jsonable_cell(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, dt.date | dt.datetime):
        return cell_text(value)
    return str(value)


def row_summary(result: RowResult, *, full_identity: bool = True) -> dict:
    """One row of a preview as shown on the page and in ``--json``."""
    data = result.as_dict()
    values = result.values
    identity = values.get("nip") or values.get("nik") or ""
    data["name"] = values.get("full_name", "")
    data["identity"] = identity if full_identity else mask_identity(identity)
    return data


# --- upload -----------------------------------------------------------------------------------------

@transaction.atomic
def import_run_create(*, by, upload, agency, kind: str = ImportRun.Kind.PEOPLE) -> ImportRun:
    """Check ``upload`` (size, real type, bombs) and keep it for checking. Raises ValidationError."""
    require_import_write(by, agency)
    checked = check_upload(upload, allowed=SPREADSHEET_KINDS)
    run = ImportRun(kind=kind, agency=agency, created_by=by if getattr(by, "pk", None) else None,
                    original_name=Path(checked.name or "berkas").name[:255], file_kind=checked.kind,
                    size=checked.size)
    upload.seek(0)
    run.file.save(f"{timezone.now():%Y%m%d%H%M%S}.{checked.kind}", File(upload), save=False)
    run.full_clean()
    run.save()
    return run


def import_run_create_from_path(*, by, path: str | Path, agency) -> ImportRun:
    with open(path, "rb") as handle:
        upload = File(handle, name=Path(path).name)
        return import_run_create(by=by, upload=upload, agency=agency)


# --- check (preview) --------------------------------------------------------------------------------

def _mapping_from(run: ImportRun) -> dict[int, str] | None:
    return {int(k): v for k, v in run.mapping.items()} if run.mapping else None


def _issue(run: ImportRun, result: RowResult) -> ImportIssue:
    messages = [{**i.as_dict(), "level": "error"} for i in result.errors]
    messages += [{**i.as_dict(), "level": "warning"} for i in result.warnings]
    return ImportIssue(run=run, row=result.row, level="error" if result.errors else "warning", messages=messages,
                       raw=[_jsonable_cell(v) for v in result.raw])


def import_run_start_check(*, run: ImportRun, by, mapping: dict[int, str] | None = None,
                           header_row: int | None = None) -> ImportRun:
    """Ask for a (new) preview, with a corrected column mapping if given: small files are checked at
    once, big ones in a background task (progress on the run)."""
    from imports.tasks import check_import

    in_database = jobs.queued_in_database(check_import)
    run = _begin_check(run=run, by=by, mapping=mapping, header_row=header_row, enqueue=in_database)
    if run.size <= INLINE_CHECK_BYTES:
        return import_run_check(run_id=run.pk, by=by)
    if not in_database:
        check_import.enqueue(run.pk, getattr(by, "pk", None))
    run.refresh_from_db()
    return run


@transaction.atomic
def _begin_check(*, run: ImportRun, by, mapping: dict[int, str] | None, header_row: int | None,
                 enqueue: bool = False) -> ImportRun:
    require_import_write(by, run.agency)
    run = ImportRun.objects.select_for_update(of=("self",)).select_related("agency").get(pk=run.pk)
    _require(run, Status.UPLOADED, Status.CHECKED, Status.FAILED)
    run.status = Status.CHECKING
    if mapping is not None:
        run.mapping = {str(k): v for k, v in mapping.items() if v and v != "ignore"}
    if header_row is not None:
        run.header_row = header_row
    run.processed_rows = 0
    run.message = ""
    run.save()
    if enqueue and run.size > INLINE_CHECK_BYTES:
        from imports.tasks import check_import

        check_import.enqueue(run.pk, getattr(by, "pk", None))  # in this transaction (decision 0008)
    return run


def import_run_check(*, run_id: int, by) -> ImportRun:
    """Run the preview of a run in status "checking": counts, a sample and every problem row are
    recorded on the run. Nothing is written to the registry."""
    run = ImportRun.objects.select_related("agency").get(pk=run_id)
    if run.status != Status.CHECKING:
        return run
    ImportIssue.objects.filter(run=run).delete()
    if not run.file:  # removed by the retention run (privacy.retention, rule "import_files")
        return _fail(run, _("Berkas unggahan tidak ditemukan lagi; unggah ulang berkasnya."))
    try:
        with local_copy(run.file.storage, run.file.name) as path, tempfile.TemporaryDirectory() as folder:
            stage = Path(folder) / "stage.jsonl"
            counts, sample = _check_file(run, path, stage, by)
            store_local_file(run.file.storage, stage_name(run), stage)
    except FileNotFoundError:
        return _fail(run, _("Berkas unggahan tidak ditemukan lagi; unggah ulang berkasnya."))
    except BadFile as exc:
        ImportIssue.objects.filter(run=run).delete()
        return _fail(run, exc.message)
    if counts.rows == 0:
        return _fail(run, _("Tidak ada baris data di bawah judul kolom."))
    run.status = Status.CHECKED
    run.sample = sample
    run.checked_at = timezone.now()
    run.processed_rows = run.total_rows
    _store_counts(run, counts)
    run.save()
    return run


def _check_file(run: ImportRun, path: Path, stage: Path, by):
    """Check the local copy ``path`` of the run's file, keeping the valid rows' values in ``stage``."""
    source = open_source(path, run.file_kind, max_rows=settings.IMPORT_MAX_ROWS)
    job = PeopleImport(source=source, context=context_for(agency=run.agency, by=by), mapping=_mapping_from(run),
                       header_row=run.header_row, max_rows=settings.IMPORT_MAX_ROWS)
    table = job.open()
    run.total_rows = source.row_count
    run.headers = table.headers
    run.header_row = table.header_row
    run.mapping = {str(k): v for k, v in table.mapping.items()}
    run.notes = source.notes
    run.save(update_fields=["total_rows", "headers", "header_row", "mapping", "notes"])
    sample: list[dict] = []

    def on_chunk(chunk: list[RowResult]) -> None:
        if len(sample) < SAMPLE_ROWS:
            sample.extend(row_summary(r) for r in chunk[: SAMPLE_ROWS - len(sample)])
        ImportIssue.objects.bulk_create([_issue(run, r) for r in chunk if r.errors or r.warnings],
                                        batch_size=500)
        ImportRun.objects.filter(pk=run.pk).update(processed_rows=min(chunk[-1].row, run.total_rows))
        faults.pause("imports.check.chunk")  # some findings recorded, the run still "checking"

    return job.preview(stage=stage, on_chunk=on_chunk), sample


def _store_counts(run: ImportRun, counts) -> None:
    run.rows_total, run.rows_new, run.rows_update = counts.rows, counts.new, counts.update
    run.rows_unchanged, run.rows_error, run.rows_warning = counts.unchanged, counts.error, counts.warning
    run.rows_duplicate = counts.duplicate


def _fail(run: ImportRun, message: str) -> ImportRun:
    run.status = Status.FAILED
    run.message = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])
    return run


# --- commit -----------------------------------------------------------------------------------------

def import_run_start_commit(*, run: ImportRun, by, mode: str) -> ImportRun:
    """Commit a checked run in ``mode`` ("all_or_nothing" or "valid_only"), in a background task."""
    from imports.tasks import commit_import

    in_database = jobs.queued_in_database(commit_import)
    run = _begin_commit(run=run, by=by, mode=mode, enqueue=in_database)
    if not in_database:
        commit_import.enqueue(run.pk, getattr(by, "pk", None))
    run.refresh_from_db()
    return run


@transaction.atomic
def _begin_commit(*, run: ImportRun, by, mode: str, enqueue: bool = False) -> ImportRun:
    require_import_write(by, run.agency)
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    _require(run, Status.CHECKED)
    if mode not in ImportRun.Mode.values:
        raise ValidationError({"mode": [_("Pilih cara impor.")]})
    if mode == ImportRun.Mode.ALL_OR_NOTHING and run.rows_error:
        raise TransitionError(_("Ada %(count)d baris bergalat; perbaiki dulu atau pilih \"hanya baris yang valid\".")
                              % {"count": run.rows_error})
    run.status = Status.COMMITTING
    run.mode = mode
    run.committed_by = by if getattr(by, "pk", None) else None
    run.processed_rows = 0
    run.checkpoint_row = 0
    run.created_count = run.updated_count = 0
    run.save()
    if enqueue:
        from imports.tasks import commit_import

        # The task row commits with the status "committing" or not at all (decision 0008).
        commit_import.enqueue(run.pk, getattr(by, "pk", None))
    return run


def stage_name(run: ImportRun) -> str:
    """The stored name of the preview's clean values of the valid rows (JSON lines, beside the
    uploaded file, in the same storage: the commit may run in another worker or on another machine)."""
    return str(PurePosixPath(run.file.name).with_suffix(".stage.jsonl"))


def import_run_commit(*, run_id: int, by) -> ImportRun:
    """Write a run in status "committing" (started by :func:`import_run_start_commit`): the valid
    rows exactly as the preview checked them, classified again against the registry (it may have
    changed since). Safe to run again after a crash: "all or nothing" starts over (it kept nothing),
    "valid rows only" resumes after the last committed chunk; rows already written are unchanged."""
    run = ImportRun.objects.select_related("agency").get(pk=run_id)
    if run.status != Status.COMMITTING:
        return run
    storage, name = run.file.storage, stage_name(run)
    restrict = run.agency_id if not sees_all_agencies(by) else None
    try:
        with local_copy(storage, name) as stage:
            if run.mode == ImportRun.Mode.ALL_OR_NOTHING:
                run, written = _commit_all_or_nothing(run, stage, restrict, by)
            else:
                run, written = _commit_valid_only(run, stage, restrict, by), True
    except FileNotFoundError:
        return _fail(run, _("Hasil pratinjau tidak ditemukan; periksa ulang berkasnya lalu impor lagi."))
    if written:
        storage.delete(name)  # written; the preview's values are no longer needed
    return run


def _tally(counts: dict, chunk: list[RowResult]) -> list[RowResult]:
    failed = []
    for r in chunk:
        if r.errors:
            failed.append(r)
        counts[r.status] = counts.get(r.status, 0) + 1
    return failed


def _record_commit_errors(run: ImportRun, failed: list[RowResult]) -> None:
    if not failed:
        return
    ImportIssue.objects.filter(run=run, row__in=[r.row for r in failed]).delete()
    ImportIssue.objects.bulk_create([_issue(run, r) for r in failed], batch_size=500)


def _finish_counts(run: ImportRun, counts: dict, new_errors: int) -> None:
    run.rows_new, run.rows_update = counts.get("new", 0), counts.get("update", 0)
    run.rows_unchanged = counts.get("unchanged", 0)
    run.rows_error += new_errors


class _Rollback(Exception):  # noqa: N818
    pass


def _commit_all_or_nothing(run: ImportRun, stage: Path, restrict: int | None, by) -> tuple[ImportRun, bool]:
    from imports import writer

    counts: dict = {}
    failed: list[RowResult] = []
    try:
        with transaction.atomic():
            created = updated = 0
            for chunk in staged_chunks(stage):
                writer.classify(chunk, restrict_agency_id=restrict)
                failed += _tally(counts, chunk)
                if not failed:
                    c, u = writer.write(chunk)
                    created, updated = created + c, updated + u
                    faults.pause("imports.commit.chunk_written")
            if failed:
                raise _Rollback
            run.status = Status.DONE
            run.finished_at = timezone.now()
            run.processed_rows = run.total_rows
            run.created_count, run.updated_count = created, updated
            _finish_counts(run, counts, 0)
            run.save()
            _audit(run, by)
    except _Rollback:
        # Nothing was kept. The run goes back to "checked" with the new problems recorded, so the
        # user can fix the file or choose "valid rows only".
        run.refresh_from_db()
        _record_commit_errors(run, failed)
        run.status = Status.CHECKED
        run.rows_error += len(failed)
        run.message = (_("Tidak ada yang diimpor: %(count)d baris bergalat (semua atau tidak sama sekali).")
                       % {"count": len(failed)})
        run.save()
        return run, False
    return run, True


def _commit_valid_only(run: ImportRun, stage: Path, restrict: int | None, by) -> ImportRun:
    from imports import writer

    counts, new_errors = _counts_before(run, stage)
    for chunk in staged_chunks(stage, skip_through=run.checkpoint_row):
        with transaction.atomic():
            writer.classify(chunk, restrict_agency_id=restrict)
            failed = _tally(counts, chunk)
            new_errors += len(failed)
            created, updated = writer.write(chunk)
            _record_commit_errors(run, failed)
            last = chunk[-1].row
            ImportRun.objects.filter(pk=run.pk).update(
                checkpoint_row=last, processed_rows=min(last, run.total_rows),
                created_count=F("created_count") + created, updated_count=F("updated_count") + updated)
            faults.pause("imports.commit.chunk_written")  # rows and checkpoint written, not committed
    with transaction.atomic():
        run.refresh_from_db()
        run.status = Status.DONE
        run.finished_at = timezone.now()
        run.processed_rows = run.total_rows
        _finish_counts(run, counts, new_errors)
        run.save()
        _audit(run, by)
    return run


def _counts_before(run: ImportRun, stage: Path) -> tuple[dict, int]:
    """The counts of the chunks committed before a restart (none on a first run): every new row of a
    committed chunk was created and every changed row updated; the staged rows that failed at commit
    have an error issue; the rest were unchanged."""
    if not run.checkpoint_row:
        return {}, 0
    import json

    with stage.open(encoding="utf-8") as handle:
        staged = {number for number, _values in map(json.loads, handle) if number <= run.checkpoint_row}
    failed = len(staged & set(ImportIssue.objects.filter(run=run, level=ImportIssue.Level.ERROR,
                                                         row__lte=run.checkpoint_row).values_list("row", flat=True)))
    unchanged = len(staged) - run.created_count - run.updated_count - failed
    return {"new": run.created_count, "update": run.updated_count, "unchanged": max(0, unchanged)}, failed


def _audit(run: ImportRun, by) -> None:
    audit_record(actor=by, action="import.people", target=run, note=run.original_name, after={
        "mode": run.mode, "agency": run.agency_id, "rows": run.rows_total, "created": run.created_count,
        "updated": run.updated_count, "unchanged": run.rows_unchanged, "errors": run.rows_error,
        "warnings": run.rows_warning, "file": run.original_name,
    })


# --- direct use (the ``siaga import`` command) ------------------------------------------------------

def preview_file(*, path: str | Path, kind: str, agency, by, on_row=None):
    """Check a file without any run or write (``siaga import people FILE --dry-run``)."""
    source = open_source(path, kind, max_rows=settings.IMPORT_MAX_ROWS)
    job = PeopleImport(source=source, context=context_for(agency=agency, by=by), max_rows=settings.IMPORT_MAX_ROWS)
    job.open()

    def on_chunk(chunk):
        if on_row is not None:
            for result in chunk:
                on_row(result)

    counts = job.run(write=False, on_chunk=on_chunk)
    return source, job, counts


class SystemActor:
    """The actor of a command-line import without ``--user``: the system itself (centre scope)."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    role = "centre_admin"
    pk = None
    agency_id = None

    def get_username(self) -> str:
        return "sistem (siaga import)"


def actor_for(user_id: int | None):
    from accounts.models import User

    if user_id is None:
        return SystemActor()
    return User.objects.select_related("agency").get(pk=user_id)
