from imports.access import IMPORT_ROLES
from siaga.testing import Rule

CSV = (b"Nama Lengkap;NIP;Jenis Kelamin\r\nSiti Aminah;19800101 200501 2 001;P\r\n")


def _run(cast) -> dict:
    """A checked import into Kemensos (the Kemensos admin's agency)."""
    from imports import services
    from imports.tests.samples import upload

    run = services.import_run_create(by=cast.agency_admin, upload=upload("daftar.csv", CSV), agency=cast.kemensos)
    services.import_run_start_check(run=run, by=cast.agency_admin)
    return {"run_id": run.pk}


RULES = [
    Rule("imports:list", allowed=IMPORT_ROLES),
    Rule("imports:upload", allowed=IMPORT_ROLES),
    Rule("imports:detail", allowed=IMPORT_ROLES, kwargs=_run),
    Rule("imports:progress", allowed=IMPORT_ROLES, kwargs=_run),
    Rule("imports:mapping", allowed=IMPORT_ROLES, kwargs=_run, method="post",
         data=lambda c: {"col_0": "full_name", "col_1": "nip", "col_2": "sex"}, ok=(302,)),
    Rule("imports:commit", allowed=IMPORT_ROLES, kwargs=_run, method="post",
         data=lambda c: {"mode": "all_or_nothing"}, ok=(302,)),
    Rule("imports:error_report", allowed=IMPORT_ROLES, kwargs=_run),
    Rule("api:imports_list_runs", allowed=IMPORT_ROLES),
    Rule("api:imports_get_run", allowed=IMPORT_ROLES, kwargs=_run),
    # Without a file the upload answers 400 (after the role check) for the roles that may import.
    Rule("api:imports_upload_people", allowed=IMPORT_ROLES, method="post", ok=(400,)),
    Rule("api:imports_commit_run", allowed=IMPORT_ROLES, kwargs=_run, method="post",
         data=lambda c: {"mode": "valid_only"}, ok=(202, 200)),
]
