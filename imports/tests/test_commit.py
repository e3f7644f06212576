"""Preview, both commit modes, idempotence, scoping, audit, duplicates and crash safety."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from imports import pipeline, services, writer
from imports.models import ImportIssue, ImportRun
from imports.tests import samples
from imports.tests.helpers import checked_run, committed_run
from people.models import Person, PersonSearchToken

BAD_ROW = [3, "Rudi Hartono", "12345", "L", "", "", "", "", "", "", "", ""]


def _csv(rows):
    return samples.csv_bytes(rows, delimiter=";")


def test_a_preview_writes_nothing_to_the_registry(cast):
    run = checked_run(cast, "a.csv", _csv([*samples.rows_basic(), BAD_ROW]))
    assert run.status == ImportRun.Status.CHECKED
    assert (run.rows_new, run.rows_error) == (2, 1)
    assert not Person.objects.exists() and not PersonSearchToken.objects.exists()
    assert not AuditLog.objects.filter(action="import.people").exists()


def test_valid_rows_only_writes_the_valid_rows_and_reports_the_rest(cast):
    run = committed_run(cast, "a.csv", _csv([*samples.rows_basic(), BAD_ROW]), mode="valid_only")
    assert run.status == ImportRun.Status.DONE
    assert (run.created_count, run.updated_count, run.rows_error) == (2, 0, 1)
    siti = Person.objects.get(nip="198001012005012001")
    assert (siti.title_prefix, siti.full_name, siti.title_suffix) == ("Dra.", "Siti Aminah", "M.Si.")
    assert siti.sort_name == "siti aminah" and siti.agency == cast.kemensos
    assert set(PersonSearchToken.objects.filter(person=siti).values_list("token", flat=True)) == {"siti", "aminah"}
    issue = ImportIssue.objects.get(run=run)
    assert issue.row == 4 and issue.messages[0]["column"] == "NIP/NIK"
    assert "18 digit" in issue.messages[0]["message"]


def test_all_or_nothing_refuses_a_file_with_errors_and_writes_nothing(cast):
    run = checked_run(cast, "a.csv", _csv([*samples.rows_basic(), BAD_ROW]))
    with pytest.raises(ValidationError):
        services.import_run_start_commit(run=run, by=cast.agency_admin, mode="all_or_nothing")
    assert not Person.objects.exists()


def test_all_or_nothing_writes_every_row_of_a_clean_file(cast):
    run = committed_run(cast, "a.csv", _csv(samples.rows_basic()), mode="all_or_nothing")
    assert run.status == ImportRun.Status.DONE and run.created_count == 2
    assert Person.objects.count() == 2


def test_the_same_file_twice_changes_nothing_the_second_time(cast):
    data = samples.xlsx_bytes(samples.rows_basic())
    committed_run(cast, "a.xlsx", data)
    before = list(Person.objects.order_by("pk").values())
    again = checked_run(cast, "a.xlsx", data)
    assert (again.rows_new, again.rows_update, again.rows_unchanged) == (0, 0, 2)
    again = services.import_run_start_commit(run=again, by=cast.agency_admin, mode="all_or_nothing")
    assert (again.created_count, again.updated_count) == (0, 0)
    assert list(Person.objects.order_by("pk").values()) == before


def test_an_update_lists_the_fields_that_change_and_renames_keep_search_words(cast):
    committed_run(cast, "a.csv", _csv(samples.rows_basic()))
    rows = samples.rows_basic()
    rows[0][7] = "Bidang Perlindungan Sosial"
    rows[1][1] = "Budi Santosa"
    run = checked_run(cast, "b.csv", _csv(rows))
    by_row = {r["row"]: r for r in run.sample}
    assert by_row[2]["status"] == "update" and by_row[2]["changes"] == ["work_unit"]
    assert by_row[3]["changes"] == ["full_name"]
    services.import_run_start_commit(run=run, by=cast.agency_admin, mode="all_or_nothing")
    budi = Person.objects.get(nik="3273011503850001")
    assert budi.full_name == "Budi Santosa" and budi.sort_name == "budi santosa"
    assert set(PersonSearchToken.objects.filter(person=budi).values_list("token", flat=True)) == {"budi", "santosa"}


def test_duplicates_within_the_file_are_flagged(cast):
    rows = samples.rows_basic()
    run = checked_run(cast, "a.csv", _csv([*rows, [3, *rows[0][1:]]]))
    assert run.rows_duplicate == 1 and run.rows_error == 1
    issue = ImportIssue.objects.get(run=run)
    assert issue.row == 4 and "duplikat" in issue.messages[0]["message"]


def test_the_commit_is_audited_as_one_import_with_its_counts(cast):
    run = committed_run(cast, "a.csv", _csv([*samples.rows_basic(), BAD_ROW]))
    rows = AuditLog.objects.filter(action__startswith="import.") | AuditLog.objects.filter(action="person.create")
    assert list(rows.values_list("action", flat=True)) == ["import.people"]
    audit = AuditLog.objects.get(action="import.people")
    assert audit.target_id == str(run.pk) and audit.actor == cast.agency_admin
    assert audit.after["created"] == 2 and audit.after["errors"] == 1 and audit.after["rows"] == 3


def test_an_agency_admin_imports_only_into_their_own_agency(cast):
    with pytest.raises(PermissionDenied):
        services.import_run_create(by=cast.agency_admin, upload=samples.upload("a.csv", _csv(samples.rows_basic())),
                                   agency=cast.bnpb)
    header = [*samples.HEADER, "Instansi"]
    rows = [[*r, "BNPB"] for r in samples.rows_basic()]
    run = checked_run(cast, "a.csv", samples.csv_bytes(rows, header=header))
    assert run.rows_error == 2
    messages = [m["message"] for i in ImportIssue.objects.filter(run=run) for m in i.messages]
    assert all("hanya boleh mengimpor" in m for m in messages)


def test_an_agency_admin_cannot_update_a_person_of_another_agency(cast):
    other = cast.person_b  # BNPB
    rows = [[1, "Budi Santoso", other.nip, "L", "", "", "", "", "", "", "", ""]]
    run = checked_run(cast, "a.csv", _csv(rows))
    assert run.rows_error == 1
    assert "instansi lain" in ImportIssue.objects.get(run=run).messages[0]["message"]


def test_a_centre_admin_may_import_rows_for_any_agency(cast):
    header = [*samples.HEADER, "Instansi"]
    rows = [[*r, "BNPB"] for r in samples.rows_basic()]
    admin = cast.user("centre_admin")
    committed_run(cast, "a.csv", samples.csv_bytes(rows, header=header), by=admin)
    assert set(Person.objects.values_list("agency__code", flat=True)) == {"bnpb"}


def test_a_crash_during_all_or_nothing_leaves_nothing_and_can_be_run_again(cast, monkeypatch):
    rows = [[i, f"Orang Uji {i}", f"19800101200501{1 + i % 2}{i:03d}", "L" if i % 2 == 0 else "P"]
            for i in range(1, 9)]
    data = samples.csv_bytes(rows, header=["No", "Nama", "NIP", "L/P"])
    run = checked_run(cast, "a.csv", data)
    assert run.rows_new == 8
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    original = writer.write
    calls = {"n": 0}

    def crash_on_second_chunk(chunk):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("listrik padam")
        return original(chunk)

    monkeypatch.setattr(writer, "write", crash_on_second_chunk)
    run = services._begin_commit(run=run, by=cast.agency_admin, mode="all_or_nothing")
    with pytest.raises(RuntimeError):
        services.import_run_commit(run_id=run.pk, by=cast.agency_admin)
    assert not Person.objects.exists()
    monkeypatch.setattr(writer, "write", original)
    run = services.import_run_commit(run_id=run.pk, by=cast.agency_admin)  # the task runs again
    assert run.status == ImportRun.Status.DONE and Person.objects.count() == 8


def test_a_crash_during_valid_rows_only_resumes_after_the_last_committed_chunk(cast, monkeypatch):
    rows = [[i, f"Orang Uji {i}", f"19800101200501{1 + i % 2}{i:03d}", "L" if i % 2 == 0 else "P"]
            for i in range(1, 9)]
    run = checked_run(cast, "a.csv", samples.csv_bytes(rows, header=["No", "Nama", "NIP", "L/P"]))
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    original = writer.write
    calls = {"n": 0}

    def crash_on_second_chunk(chunk):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("listrik padam")
        return original(chunk)

    monkeypatch.setattr(writer, "write", crash_on_second_chunk)
    run = services._begin_commit(run=run, by=cast.agency_admin, mode="valid_only")
    with pytest.raises(RuntimeError):
        services.import_run_commit(run_id=run.pk, by=cast.agency_admin)
    run.refresh_from_db()
    assert Person.objects.count() == 3 and run.checkpoint_row == 4 and run.status == ImportRun.Status.COMMITTING
    monkeypatch.setattr(writer, "write", original)
    run = services.import_run_commit(run_id=run.pk, by=cast.agency_admin)
    assert run.status == ImportRun.Status.DONE and Person.objects.count() == 8 and run.created_count == 8
    assert AuditLog.objects.filter(action="import.people").count() == 1


def test_mapping_correction_changes_the_preview(cast):
    header = ["Nama", "Nomor", "Kelamin"]  # "Nomor" looks like a numbering column
    rows = [["Siti Aminah", "198001012005012001", "P"]]
    run = checked_run(cast, "a.csv", samples.csv_bytes(rows, header=header))
    assert run.status == ImportRun.Status.FAILED and "NIP" in run.message
    run = services.import_run_start_check(run=run, by=cast.agency_admin,
                                          mapping={0: "full_name", 1: "nip", 2: "sex"})
    assert run.status == ImportRun.Status.CHECKED and run.rows_new == 1


def test_row_errors_name_the_column_the_value_and_the_problem(cast):
    rows = [[1, "Siti Aminah", "198001012005012001", "X", "31/02/1980", "", "", "", "Jabar", "Bandung",
             "12345", "bukan-email"]]
    run = checked_run(cast, "a.csv", _csv(rows))
    messages = {m["column"]: m for m in ImportIssue.objects.get(run=run).messages}
    assert set(messages) >= {"L/P", "Tgl Lahir", "Kab/Kota", "No. HP", "Email"}
    assert messages["L/P"]["value"] == "X"
    assert "tidak jelas" in messages["Kab/Kota"]["message"]
    assert messages["Email"]["value"] == "bukan-email"


def test_a_nip_excel_turned_into_a_number_is_an_error_saying_digits_were_lost(cast):
    rows = [[1, "Siti Aminah", 198001012005012001, "P"]]
    run = checked_run(cast, "a.xlsx", samples.xlsx_bytes(rows, header=["No", "Nama", "NIP", "L/P"], title=None,
                                                          footer=False))
    issue = ImportIssue.objects.get(run=run)
    assert "digit terakhir hilang" in issue.messages[0]["message"]


def test_sex_and_birth_date_may_come_from_the_nip(cast):
    rows = [[1, "Siti Aminah", "198001012005012001"]]
    run = committed_run(cast, "a.csv", samples.csv_bytes(rows, header=["No", "Nama", "NIP"]))
    siti = Person.objects.get()
    assert siti.sex == "P" and str(siti.birth_date) == "1980-01-01" and siti.employment_type == "PNS"
    assert run.rows_warning == 1


def test_place_and_date_of_birth_in_one_column(cast):
    rows = [["Siti Aminah", "198001012005012001", "P", "Bandung, 1 Januari 1980"]]
    committed_run(cast, "a.csv", samples.csv_bytes(rows, header=["Nama", "NIP", "JK", "Tempat, Tanggal Lahir"]))
    siti = Person.objects.get()
    assert siti.birth_place == "Bandung" and str(siti.birth_date) == "1980-01-01"


def test_all_or_nothing_rolls_back_when_the_registry_changed_since_the_preview(cast):
    from siaga.testing import make_person

    run = checked_run(cast, "a.csv", _csv(samples.rows_basic()))
    assert run.rows_error == 0
    make_person(agency=cast.bnpb, full_name="Siti Lain", sex="P", nip="198001012005012001",
                born=__import__("datetime").date(1980, 1, 1))  # registered elsewhere meanwhile
    run = services.import_run_start_commit(run=run, by=cast.agency_admin, mode="all_or_nothing")
    assert run.status == ImportRun.Status.CHECKED and "Tidak ada yang diimpor" in run.message
    assert Person.objects.count() == 1  # only the one made above
    assert "instansi lain" in ImportIssue.objects.get(run=run, row=2).messages[0]["message"]
