from __future__ import annotations

from imports import services
from imports.models import ImportRun
from imports.tests.samples import upload


def checked_run(cast, name: str, data: bytes, *, by=None, agency=None, mapping=None) -> ImportRun:
    by = by or cast.agency_admin
    run = services.import_run_create(by=by, upload=upload(name, data), agency=agency or cast.kemensos)
    return services.import_run_start_check(run=run, by=by, mapping=mapping)


def committed_run(cast, name: str, data: bytes, *, mode: str = "valid_only", by=None, agency=None) -> ImportRun:
    by = by or cast.agency_admin
    run = checked_run(cast, name, data, by=by, agency=agency)
    assert run.status == ImportRun.Status.CHECKED, run.message
    return services.import_run_start_commit(run=run, by=by, mode=mode)
