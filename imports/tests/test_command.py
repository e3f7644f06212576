"""``siaga import people FILE [--dry-run] [--json]``."""

import json

import pytest
from django.core.management import CommandError, call_command

from imports.tests import samples
from people.models import Person

BAD_ROW = [3, "Rudi Hartono", "12345", "L", "", "", "", "", "", "", "", ""]


def _run(*args) -> list[dict]:
    import io

    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_dry_run_json_prints_one_object_per_row_and_writes_nothing(cast, tmp_path):
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(samples.xlsx_bytes([*samples.rows_basic(), BAD_ROW]))
    lines = _run("people", str(path), "--dry-run", "--json", "--agency", "kemensos")
    rows, summary = lines[:-1], lines[-1]["summary"]
    assert [r["row"] for r in rows] == [5, 6, 7]
    assert {tuple(sorted(r)) for r in rows} == {("changes", "errors", "identity", "name", "row", "status",
                                                 "warnings")}
    assert [r["status"] for r in rows] == ["new", "new", "error"]
    assert set(rows[2]["errors"][0]) == {"column", "value", "message"}
    assert rows[2]["errors"][0]["column"] == "NIP/NIK"
    assert summary["dry_run"] is True and summary["rows"] == 3 and summary["error"] == 1
    assert not Person.objects.exists()


def test_import_commits_and_a_second_run_changes_nothing(cast, tmp_path):
    path = tmp_path / "daftar.csv"
    path.write_bytes(samples.csv_bytes(samples.rows_basic(), delimiter=";"))
    first = _run("people", str(path), "--json", "--agency", "kemensos")[-1]["summary"]
    assert first["status"] == "done" and first["created"] == 2
    second = _run("people", str(path), "--json", "--agency", "kemensos")[-1]["summary"]
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 2)
    assert Person.objects.count() == 2


def test_all_or_nothing_from_the_command_refuses_a_file_with_errors(cast, tmp_path):
    path = tmp_path / "daftar.csv"
    path.write_bytes(samples.csv_bytes([*samples.rows_basic(), BAD_ROW]))
    with pytest.raises(CommandError):
        _run("people", str(path), "--agency", "kemensos")
    assert not Person.objects.exists()
    summary = _run("people", str(path), "--json", "--agency", "kemensos", "--mode", "valid_only")[-1]["summary"]
    assert summary["created"] == 2 and summary["error"] == 1


def test_a_bad_file_gives_a_clear_message(cast, tmp_path):
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(b"%PDF-1.4 not a sheet")
    with pytest.raises(CommandError, match="bukan jenis yang diterima"):
        _run("people", str(path), "--dry-run")
