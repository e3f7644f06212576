"""A person's data export: everything Siaga holds on one person (UU 27/2022 Pasal 7: the subject's
right to a copy; Pasal 13: in a commonly used, machine-readable format).

:func:`person_data_collect` gathers the sections (:data:`SECTIONS`) as JSON-safe rows;
:func:`person_data_export` writes them as a ZIP (``data.json``, one CSV per section, the stored files:
certificate PDFs, JP evidence, credential scans) and :func:`person_data_json` as one JSON document (the
API). Both write one audit row (``person.data_export``). Secrets never leave: password hashes, TOTP
secrets, token and recovery-code digests are not exported.

Every model that refers to a person is either a section here or listed in :data:`NOT_EXPORTED` with the
reason; ``privacy/tests/test_person_export.py`` fails when a new one is neither."""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from accounts.audit import _jsonable, audit_record, snapshot
from accounts.models import ApiToken, AuditLog, RecoveryCode, User
from certification.models import Credential, CredentialReminder
from credentials.models import Certificate
from curriculum.models import InstitutionMember
from hours.models import LedgerEntry, PersonYearTotal
from people.models import Person, PositionHistory
from privacy.retention import person_audit_targets
from readiness.models import CallUp, Deployment, PersonCompetency, Unavailability
from training.models import Attendance, Enrolment
from web.exports import csv_rows

#: Fields never exported, whatever the model: secrets and their digests.
SECRET_FIELDS = frozenset({"password", "totp_secret", "totp_last_step", "digest"})

#: Models that refer to a person (or their login) and are not a section, with the reason.
NOT_EXPORTED = {
    "people.personsearchtoken": "the words of the name, already in the person section",
    "admin.logentry": "Django admin history of staff actions; the audit log holds the same facts",
    "accounts.auditlog": "exported as the audit sections (about them / by them), filtered",
}


def _row(instance: Model, **extra: Any) -> dict[str, Any]:
    data = {k: v for k, v in snapshot(instance).items() if k not in SECRET_FIELDS}
    data.update({k: _jsonable(v) for k, v in extra.items()})
    return data


def _strip_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_secrets(v) for k, v in value.items() if k not in SECRET_FIELDS}
    if isinstance(value, list):
        return [_strip_secrets(v) for v in value]
    return value


@dataclass(frozen=True)
class Section:
    name: str
    title: str


#: The sections of an export, in order (name → title of its CSV and in README.txt).
SECTIONS = (
    Section("person", "Data pegawai (SDM Kesos)"),
    Section("position_history", "Riwayat jabatan"),
    Section("enrolments", "Keikutsertaan pelatihan"),
    Section("attendance", "Kehadiran per sesi"),
    Section("assessments", "Penilaian (pre-test, post-test, kelulusan)"),
    Section("certificates", "Sertifikat pelatihan"),
    Section("ledger_entries", "Catatan JP"),
    Section("year_totals", "JP per tahun"),
    Section("credentials", "Kredensial profesi (sertifikat kompetensi, STR, SIPPS)"),
    Section("credential_reminders", "Pengingat masa berlaku kredensial"),
    Section("competencies", "Kompetensi yang dimiliki"),
    Section("callups", "Panggilan tugas"),
    Section("deployments", "Penugasan"),
    Section("unavailability", "Masa tidak bersedia"),
    Section("account", "Akun login"),
    Section("api_tokens", "Token API"),
    Section("recovery_codes", "Kode pemulihan (tanpa kodenya)"),
    Section("institution_memberships", "Keanggotaan lembaga mitra"),
    Section("audit_about", "Catatan audit tentang data ini"),
    Section("audit_by", "Catatan audit tindakan akun ini (tanpa isi data orang lain)"),
)


@dataclass
class StoredFile:
    """A stored file that belongs in the export: where it goes in the ZIP and the field holding it."""

    arcname: str
    field_file: Any


def _audit_about(person: Person, user_ids: list[int]) -> QuerySet[AuditLog]:
    query = Q(pk__in=[])
    for target_type, ids in person_audit_targets([person.pk], user_ids).items():
        if ids:
            query |= Q(target_type=target_type, target_id__in=[str(pk) for pk in ids])
    return AuditLog.objects.filter(query).order_by("at", "id")


def person_data_collect(*, person: Person) -> tuple[dict[str, list[dict]], list[StoredFile]]:
    """Every section's rows, and the stored files to include."""
    files: list[StoredFile] = []
    users = list(User.objects.filter(person=person))
    user_ids = [u.pk for u in users]
    enrolments = list(Enrolment.objects.filter(person=person).select_related("event", "event__programme",
                                                                               "agency").order_by("created_at", "pk"))
    certificates = list(Certificate.objects.filter(person=person).order_by("issued_at", "pk"))
    ledger = list(LedgerEntry.objects.filter(person=person).order_by("date", "pk"))
    credentials = list(Credential.objects.filter(person=person).order_by("created_at", "pk"))
    for certificate in certificates:
        if certificate.pdf:
            files.append(StoredFile(f"files/certificates/{certificate.pk}-{_safe(certificate.serial)}.pdf",
                                    certificate.pdf))
    for entry in ledger:
        if entry.evidence:
            files.append(StoredFile(f"files/jp-evidence/{entry.pk}-{_basename(entry.evidence.name)}", entry.evidence))
    for credential in credentials:
        if credential.document:
            files.append(StoredFile(f"files/credentials/{credential.pk}-{_basename(credential.document.name)}",
                                    credential.document))
    person_row = _row(person, agency_name=person.agency.name, position_name=person.position.name if person.position
                      else "", level_name=person.level.name if person.level else "",
                      region_name=person.region.name if person.region else "",
                      province_name=person.province.name if person.province else "")
    sections: dict[str, list[dict]] = {
        "person": [person_row],
        "position_history": [_row(p) for p in PositionHistory.objects.filter(person=person).order_by("since", "pk")],
        "enrolments": [_row(e, event_name=e.event.name, programme_title=e.event.programme.title,
                            event_start=e.event.start_date, event_end=e.event.end_date, agency_name=e.agency.name)
                       for e in enrolments],
        "attendance": [_row(a, session_title=a.session.title, session_starts_at=a.session.starts_at)
                       for a in Attendance.objects.filter(enrolment__person=person)
                       .select_related("session").order_by("session__starts_at", "pk")],
        "assessments": [{"enrolment": e.pk, "event_name": e.event.name, "status": e.status,
                         "pre_test_score": e.pre_test_score, "post_test_score": e.post_test_score,
                         "attended_minutes": e.attended_minutes, "completed_at": _jsonable(e.completed_at),
                         "not_completed_reason": e.not_completed_reason} for e in enrolments],
        "certificates": [_row(c, pdf_in_export=bool(c.pdf)) for c in certificates],
        "ledger_entries": [_row(e) for e in ledger],
        "year_totals": [_row(t) for t in PersonYearTotal.objects.filter(person=person).order_by("year")],
        "credentials": [_row(c) for c in credentials],
        "credential_reminders": [_row(r) for r in CredentialReminder.objects.filter(credential__person=person)
                                 .order_by("sent_at", "pk")],
        "competencies": [_row(c, competency_name=c.competency.name) for c in PersonCompetency.objects
                         .filter(person=person).select_related("competency").order_by("completed_at", "pk")],
        "callups": [_row(c, request_role=c.request.role, incident=c.request.incident.title) for c in CallUp.objects
                    .filter(person=person).select_related("request", "request__incident").order_by("created_at", "pk")],
        "deployments": [_row(d) for d in Deployment.objects.filter(person=person).order_by("start_date", "pk")],
        "unavailability": [_row(u) for u in Unavailability.objects.filter(person=person).order_by("start_date", "pk")],
        "account": [_row(u) for u in users],
        "api_tokens": [_row(t) for t in ApiToken.objects.filter(user_id__in=user_ids).order_by("created_at", "pk")],
        "recovery_codes": [_row(c) for c in RecoveryCode.objects.filter(user_id__in=user_ids)
                           .order_by("created_at", "pk")],
        "institution_memberships": [_row(m) for m in InstitutionMember.objects.filter(user_id__in=user_ids)
                                    .order_by("pk")],
        "audit_about": [{**_row(a), "before": _strip_secrets(a.before), "after": _strip_secrets(a.after)}
                        for a in _audit_about(person, user_ids)],
        # What the person did with their login: when, what, on which record; not the before/after values
        # (they are other people's data when the person is a staff member).
        "audit_by": [{"id": a.pk, "at": _jsonable(a.at), "action": a.action, "target_type": a.target_type,
                      "target_id": a.target_id} for a in AuditLog.objects.filter(actor_id__in=user_ids)
                     .order_by("at", "id")],
    }
    return sections, files


def _basename(name: str) -> str:
    return _safe(PurePosixPath(name).name)[-100:]


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in text)


def _counts(sections: dict[str, list[dict]]) -> dict[str, int]:
    return {name: len(rows) for name, rows in sections.items()}


def _audit(*, person: Person, by, fmt: str, sections: dict[str, list[dict]], files: int) -> AuditLog:
    return audit_record(actor=by, action="person.data_export", target=person,
                        after={"format": fmt, "sections": _counts(sections), "files": files})


def person_data_json(*, person: Person, by) -> dict[str, Any]:
    """The export as one JSON document (no file contents: their names are in the rows). Audited."""
    sections, files = person_data_collect(person=person)
    _audit(person=person, by=by, fmt="json", sections=sections, files=0)
    return {"person_id": person.pk, "generated_at": timezone.now().isoformat(), "sections": sections,
            "files": [f.arcname for f in files]}


def _csv_text(rows: list[dict]) -> str:
    header: list[str] = []
    for row in rows:
        header.extend(key for key in row if key not in header)
    cells = ([json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for v in
              (row.get(key) for key in header)] for row in rows)
    return "".join(csv_rows(header, cells))


def _readme(person: Person, sections: dict[str, list[dict]], included: list[str], missing: list[str]) -> str:
    lines = [
        "Ekspor data pribadi Siaga / Siaga personal data export",
        f"Orang (person) #{person.pk}; dibuat (generated) {timezone.now():%Y-%m-%d %H:%M} UTC",
        "",
        "data.json: semua bagian / every section; csv/: satu CSV per bagian / one CSV per section;",
        "files/: berkas yang tersimpan / stored files (sertifikat PDF, bukti JP, pindaian kredensial).",
        "Tidak diekspor / not exported: hash kata sandi, rahasia TOTP, digest token dan kode pemulihan.",
        "",
    ]
    titles = {s.name: s.title for s in SECTIONS}
    lines += [f"{name}: {len(rows)} baris - {titles[name]}" for name, rows in sections.items()]
    lines.append(f"files: {len(included)}")
    lines += [f"  tidak ditemukan di penyimpanan / missing in storage: {name}" for name in missing]
    return "\n".join(lines) + "\n"


@dataclass
class PersonDataZip:
    handle: Any  # a binary file object positioned at 0
    filename: str
    size: int


def _add_file(archive: zipfile.ZipFile, stored: StoredFile) -> bool:
    try:
        with stored.field_file.open("rb") as source, archive.open(stored.arcname, "w") as target:
            while chunk := source.read(1 << 20):
                target.write(chunk)
    except FileNotFoundError:
        return False
    return True


def person_data_export(*, person: Person, by) -> PersonDataZip:
    """The export as a ZIP in a temporary file (spilled to disk past 8 MB). Audited."""
    sections, files = person_data_collect(person=person)
    handle = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - handed to the response
    included: list[str] = []
    missing: list[str] = []
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        document = {"person_id": person.pk, "generated_at": timezone.now().isoformat(), "sections": sections}
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=1))
        for name, rows in sections.items():
            archive.writestr(f"csv/{name}.csv", _csv_text(rows))
        for stored in files:
            (included if _add_file(archive, stored) else missing).append(stored.arcname)
        archive.writestr("README.txt", _readme(person, sections, included, missing))
    size = handle.tell()
    handle.seek(0)
    _audit(person=person, by=by, fmt="zip", sections=sections, files=len(included))
    return PersonDataZip(handle=handle, filename=f"data-pribadi-{person.pk}-{timezone.now():%Y%m%d}.zip", size=size)


def section_names() -> Iterable[str]:
    return (s.name for s in SECTIONS)


