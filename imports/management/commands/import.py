"""``siaga import people FILE [--dry-run] [--json] [--agency CODE] [--mode MODE] [--user NAME]``

Checks a spreadsheet and (without ``--dry-run``) imports it. ``--json`` prints one object per row
(its row number in the file, status, changed fields, errors and warnings with column and message)
and a summary, as JSON lines: ``{"row": ...}`` lines, then one ``{"summary": ...}`` line."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.management.base import BaseCommand, CommandError

from imports import services
from imports.models import ImportIssue, ImportRun
from imports.reading import BadFile
from web.uploads import check_upload


class Command(BaseCommand):
    help = "Impor SDM dari spreadsheet (XLSX, XLS, ODS, CSV): siaga import people FILE [--dry-run] [--json]"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["people"])
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja; tidak ada yang disimpan")
        parser.add_argument("--json", action="store_true", help="keluaran JSON per baris")
        parser.add_argument("--agency", default="", help="kode instansi tujuan (bila berkas tidak punya kolom instansi)")
        parser.add_argument("--mode", default="all_or_nothing", choices=ImportRun.Mode.values)
        parser.add_argument("--user", default="", help="nama pengguna yang melakukan impor (default: sistem)")

    def handle(self, *args, **options):
        from accounts.models import User
        from people.models import Agency

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.")
        by = services.SystemActor()
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"Pengguna {options['user']} tidak ada.")
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"Instansi {options['agency']} tidak dikenal.")
        elif getattr(by, "agency_id", None):
            agency = by.agency
        as_json = options["json"]
        try:
            if options["dry_run"]:
                self._dry_run(path, agency, by, as_json)
            else:
                self._commit(path, agency, by, options["mode"], as_json)
        except (BadFile, ValidationError, PermissionDenied) as exc:
            message = getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [str(exc)]))
            if as_json:
                self.stdout.write(json.dumps({"summary": {"status": "failed", "message": str(message)}}))
                raise CommandError(str(message), returncode=2) from exc
            raise CommandError(str(message)) from exc

    def _emit_row(self, data: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, default=str))
        elif data["errors"] or data["warnings"]:
            for issue in data["errors"]:
                self.stdout.write(f"baris {data['row']}: GALAT {issue['column']} «{issue['value']}»: {issue['message']}")
            for issue in data["warnings"]:
                self.stdout.write(f"baris {data['row']}: peringatan {issue['column']} «{issue['value']}»: "
                                  f"{issue['message']}")

    def _dry_run(self, path: Path, agency, by, as_json: bool) -> None:
        with path.open("rb") as handle:
            checked = check_upload(File(handle, name=path.name), allowed={"xlsx", "xls", "ods", "csv"})
        source, _job, counts = services.preview_file(
            path=path, kind=checked.kind, agency=agency, by=by,
            on_row=lambda r: self._emit_row(services.row_summary(r), as_json))
        summary = {"status": "preview", "dry_run": True, "file": path.name, "notes": source.notes,
                   **counts.as_dict()}
        self._summary(summary, as_json)

    def _commit(self, path: Path, agency, by, mode: str, as_json: bool) -> None:
        if agency is None:
            raise CommandError("Berikan --agency (instansi tujuan).")
        run = services.import_run_create_from_path(by=by, path=path, agency=agency)
        run = services.import_run_start_check(run=run, by=by)
        if run.status == ImportRun.Status.CHECKED:
            run = services.import_run_start_commit(run=run, by=by, mode=mode)
        issues = {i.row: i for i in ImportIssue.objects.filter(run=run)}
        for row in run.sample:
            self._emit_row(row, as_json) if row["row"] not in issues else None
        for issue in issues.values():
            errors = [m for m in issue.messages if m["level"] == "error"]
            warnings = [m for m in issue.messages if m["level"] == "warning"]
            self._emit_row({"row": issue.row, "status": "error" if errors else "warning", "changes": [],
                            "errors": errors, "warnings": warnings}, as_json)
        summary = {"status": run.status, "dry_run": False, "run": run.pk, "file": path.name, "mode": run.mode,
                   "message": run.message, "rows": run.rows_total, "new": run.rows_new, "update": run.rows_update,
                   "unchanged": run.rows_unchanged, "error": run.rows_error, "warning": run.rows_warning,
                   "duplicate": run.rows_duplicate, "created": run.created_count, "updated": run.updated_count}
        self._summary(summary, as_json)
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.message or "Impor gagal.")

    def _summary(self, summary: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"summary": summary}, ensure_ascii=False, default=str))
        else:
            self.stdout.write(" ".join(f"{k}={v}" for k, v in summary.items() if k != "notes"))
