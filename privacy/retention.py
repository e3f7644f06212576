"""Retention: remove what Siaga may no longer keep (``siaga retention [--dry-run]``, daily).

The rules are the table :data:`RULES` below: each names what it removes, its legal basis, and the
setting holding its period (``settings.RETENTION``, from ``SIAGA_RETAIN_*``; 0 turns a rule off).
Why each period was chosen: docs/decisions/0009-retention-and-personal-data-export.md.

:func:`retention_run` applies every rule in batches of ``settings.RETENTION_BATCH`` rows, one
transaction per batch, and writes one audit row per run with the count of every rule. A run that
stops half-way (killed, database gone) leaves whole batches done; the next run finishes the job.
Running it twice removes nothing the second time. Files are deleted from storage *before* their
row is cleared, so a crash never leaves a file no row points at (a row pointing at a file already
gone is cleared by the next run; deleting a missing file is not an error).

With ``dry_run`` nothing changes (no audit row either): every rule only counts what it would remove."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record
from accounts.models import ApiToken, AuditLog, RecoveryCode, User
from certification.models import Credential
from credentials.models import Certificate, CertificateJob
from hours.models import LedgerEntry
from imports.models import ImportIssue, ImportRun
from people.models import Person, PersonSearchToken
from readiness import conf as readiness_conf
from readiness.models import CallUp, Deployment, DeploymentRequest, Unavailability
from training.models import Enrolment

PDP = "UU 27/2022 (Pelindungan Data Pribadi)"


@dataclass(frozen=True)
class Rule:
    """One retention rule. ``setting``: key of ``settings.RETENTION`` (None: no period, e.g. sessions
    end by themselves); ``unit``: "days" or "years"."""

    name: str
    title: str
    basis: str
    setting: str | None
    unit: str = "days"

    def period(self) -> int | None:
        return None if self.setting is None else int(settings.RETENTION[self.setting])

    def enabled(self) -> bool:
        period = self.period()
        return period is None or period > 0

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        period = self.period() or 0
        if self.unit == "years":
            return now - dt.timedelta(days=365 * period + period // 4)
        return now - dt.timedelta(days=period)

    def period_text(self) -> str:
        period = self.period()
        if period is None:
            return "-"
        if period == 0:
            return str(_("mati"))
        unit = _("tahun") if self.unit == "years" else _("hari")
        return f"{period} {unit}"


#: The rules, in the order they run. Legal basis: UU 27/2022 Pasal 16(2) (processing limited to its
#: purpose, data destroyed when the retention period ends) and Pasal 43-44 (erasure / destruction when no
#: longer needed); UU 43/2009 (Kearsipan) for what is an archive and must follow the agency's retention
#: schedule (JRA) instead of being deleted here.
RULES: tuple[Rule, ...] = (
    Rule("sessions", _("Sesi login yang sudah kedaluwarsa"),
         f"{PDP} Pasal 16(2): sesi hanya untuk masuk; tidak berguna setelah kedaluwarsa", None),
    Rule("login_throttle", _("Catatan percobaan login (pembatasan)"),
         f"{PDP} Pasal 16(2): hanya di cache, hilang sendiri setelah 30 menit (accounts.throttle); "
         "tidak ada yang disimpan di basis data", None),
    Rule("reply_links", _("Tautan jawaban panggilan tugas yang kedaluwarsa"),
         "Keamanan: tautan bertanda tangan berlaku READINESS_REPLY_LINK_HOURS; nonce-nya dihapus", None),
    Rule("callups", _("Panggilan tugas tanpa penugasan pada permintaan yang ditutup"),
         f"{PDP} Pasal 16(2), 44(1): alasan peringkat dan jawaban tidak diperlukan lagi", "callup_days"),
    Rule("tokens", _("Token API yang dicabut dan kode pemulihan yang terpakai"),
         f"{PDP} Pasal 16(2): tidak berguna lagi; disimpan sebentar untuk penelusuran", "token_days"),
    Rule("import_files", _("Berkas impor, berkas staging, baris galat dan contoh pratinjau"),
         f"{PDP} Pasal 16(2), 44(1): salinan mentah NIK/NIP/HP; data yang sah sudah ada di registri",
         "import_days"),
    Rule("rejected_evidence", _("Berkas bukti JP dan pindaian kredensial yang ditolak"),
         f"{PDP} Pasal 44(1): bukti yang ditolak tidak dipakai; baris dan alasannya tetap (riwayat)",
         "rejected_evidence_days"),
    Rule("certificate_jobs", _("Berkas hasil cetak massal sertifikat (ZIP/PDF gabungan)"),
         f"{PDP} Pasal 16(2): salinan sementara; tiap sertifikat tetap tersimpan dan bisa diunduh ulang",
         "certificate_job_days"),
    Rule("task_results", _("Catatan tugas latar yang sudah selesai (argumen, hasil, galat)"),
         f"{PDP} Pasal 16(2): hanya untuk menjalankan tugas; galat bisa memuat nilai data pribadi. "
         "Status pekerjaan (impor, cetak massal, hitung ulang) tetap di barisnya sendiri",
         "task_result_days"),
    Rule("audit_details", _("Rincian catatan audit lama (nilai sebelum/sesudah, IP, label)"),
         f"{PDP} Pasal 31 mewajibkan rekaman pemrosesan: baris audit (siapa, apa, kapan) tetap; "
         "isi data pribadinya dihapus setelah masa ini", "audit_detail_years", "years"),
    Rule("inactive_people", _("SDM Kesos nonaktif tanpa kegiatan: dianonimkan"),
         f"{PDP} Pasal 16(2), 43-44; UU 43/2009: arsip kepegawaian ada di instansi/SIASN, sertifikat "
         "(dokumen bertanda tangan) tetap; jumlah pelatihan dan JP tetap untuk statistik",
         "inactive_person_years", "years"),
)


@dataclass
class RuleResult:
    rule: Rule
    count: int = 0
    files: int = 0
    skipped: bool = False


@dataclass
class RetentionReport:
    dry_run: bool
    at: dt.datetime
    results: list[RuleResult] = field(default_factory=list)
    audit: AuditLog | None = None

    def counts(self) -> dict[str, dict[str, int]]:
        return {r.rule.name: {"count": r.count, "files": r.files} for r in self.results if not r.skipped}

    @property
    def total(self) -> int:
        return sum(r.count for r in self.results)


@dataclass
class _Context:
    now: dt.datetime
    dry_run: bool
    batch: int


def _batched_ids(qs: QuerySet, batch: int) -> Iterable[list]:
    """Primary keys (ids, or the task rows' UUIDs) of ``qs`` a batch at a time. The caller changes
    each batch so that it leaves ``qs`` (deleted or cleared); the loop ends when nothing is left, or
    when a batch did not shrink ``qs`` (which would be a bug: it stops rather than loop for ever)."""
    seen: set = set()
    while True:
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids or seen.issuperset(ids):
            return
        seen.update(ids)
        yield ids


def _delete_rows(ctx: _Context, qs: QuerySet) -> int:
    if ctx.dry_run:
        return qs.count()
    total = 0
    for ids in _batched_ids(qs, ctx.batch):
        with transaction.atomic():
            qs.model.objects.filter(pk__in=ids).delete()
        total += len(ids)
    return total


def _delete_files(storage: Storage, names: Iterable[str]) -> int:
    deleted = 0
    for name in names:
        if name:
            storage.delete(name)  # a missing file is no error (a crashed run may have deleted it)
            deleted += 1
    return deleted


# ---- the rules ----

def _sessions(ctx: _Context, rule: Rule) -> RuleResult:
    return RuleResult(rule, _delete_rows(ctx, Session.objects.filter(expire_date__lt=ctx.now)))


def _login_throttle(ctx: _Context, rule: Rule) -> RuleResult:
    return RuleResult(rule, 0)  # kept in the cache with a time-out (accounts.throttle): nothing to do


def _reply_links(ctx: _Context, rule: Rule) -> RuleResult:
    expired = ctx.now - dt.timedelta(hours=readiness_conf.reply_link_hours())
    qs = CallUp.objects.exclude(nonce="").filter(sent_at__lt=expired)
    if ctx.dry_run:
        return RuleResult(rule, qs.count())
    total = 0
    for ids in _batched_ids(qs, ctx.batch):
        with transaction.atomic():
            total += CallUp.objects.filter(pk__in=ids).update(nonce="")
    return RuleResult(rule, total)


def _callups(ctx: _Context, rule: Rule) -> RuleResult:
    qs = (CallUp.objects.filter(request__status=DeploymentRequest.Status.CLOSED,
                                created_at__lt=rule.cutoff(ctx.now))
          .exclude(Exists(Deployment.objects.filter(callup_id=OuterRef("pk")))))
    return RuleResult(rule, _delete_rows(ctx, qs))


def _tokens(ctx: _Context, rule: Rule) -> RuleResult:
    cutoff = rule.cutoff(ctx.now)
    count = _delete_rows(ctx, ApiToken.objects.filter(revoked_at__lt=cutoff))
    count += _delete_rows(ctx, RecoveryCode.objects.filter(used_at__lt=cutoff))
    return RuleResult(rule, count)


_ABANDONED_IMPORT = _("Berkas dihapus oleh retensi data (tidak diimpor dalam masa simpan); unggah ulang berkasnya.")


def _import_files(ctx: _Context, rule: Rule) -> RuleResult:
    from imports.services import stage_name

    cutoff = rule.cutoff(ctx.now)
    ended = Q(finished_at__lt=cutoff) | Q(
        finished_at__isnull=True, created_at__lt=cutoff,
        status__in=[ImportRun.Status.UPLOADED, ImportRun.Status.CHECKED, ImportRun.Status.FAILED])
    qs = ImportRun.objects.filter(ended).filter(
        ~Q(file="") | Exists(ImportIssue.objects.filter(run_id=OuterRef("pk"))))
    if ctx.dry_run:
        return RuleResult(rule, qs.count(), qs.exclude(file="").count())
    result = RuleResult(rule)
    for ids in _batched_ids(qs, ctx.batch):
        runs = list(ImportRun.objects.filter(pk__in=ids))
        for run in runs:
            if run.file:  # the upload and the preview's staging file beside it: counted as one
                _delete_files(run.file.storage, [stage_name(run), run.file.name])
                result.files += 1
        with transaction.atomic():
            ImportIssue.objects.filter(run_id__in=ids).delete()
            ImportRun.objects.filter(pk__in=ids).update(file="", sample=[])
            # An abandoned preview (never committed) can no longer be committed: its file is gone. The
            # same end as imports.services' own failure transition (status, message, finished_at).
            ImportRun.objects.filter(pk__in=ids, status__in=[ImportRun.Status.UPLOADED, ImportRun.Status.CHECKED]
                                     ).update(status=ImportRun.Status.FAILED, finished_at=ctx.now,
                                              message=str(_ABANDONED_IMPORT))
        result.count += len(ids)
    return result


def _clear_file_field(ctx: _Context, rule: Rule, qs: QuerySet, field_name: str, extra: dict) -> RuleResult:
    qs = qs.exclude(**{field_name: ""})
    if ctx.dry_run:
        count = qs.count()
        return RuleResult(rule, count, count)
    result = RuleResult(rule)
    for ids in _batched_ids(qs, ctx.batch):
        rows = list(qs.model.objects.filter(pk__in=ids))
        for row in rows:
            result.files += _delete_files(getattr(row, field_name).storage, [getattr(row, field_name).name])
        with transaction.atomic():
            qs.model.objects.filter(pk__in=ids).update(**{field_name: ""}, **extra)
        result.count += len(ids)
    return result


def _rejected_evidence(ctx: _Context, rule: Rule) -> RuleResult:
    cutoff = rule.cutoff(ctx.now)
    ledger = _clear_file_field(ctx, rule, LedgerEntry.objects.filter(
        status=LedgerEntry.Status.REJECTED, decided_at__lt=cutoff), "evidence", {})
    scans = _clear_file_field(ctx, rule, Credential.objects.filter(
        status=Credential.Status.REJECTED, decided_at__lt=cutoff), "document", {"document_kind": "", "document_size": 0})
    return RuleResult(rule, ledger.count + scans.count, ledger.files + scans.files)


def _certificate_jobs(ctx: _Context, rule: Rule) -> RuleResult:
    cutoff = rule.cutoff(ctx.now)
    qs = CertificateJob.objects.filter(status__in=[CertificateJob.Status.DONE, CertificateJob.Status.FAILED]).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))
    return _clear_file_field(ctx, rule, qs, "output", {})


def _task_results(ctx: _Context, rule: Rule) -> RuleResult:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    finished = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    return RuleResult(rule, _delete_rows(ctx, DBTaskResult.objects.filter(
        status__in=finished, finished_at__lt=rule.cutoff(ctx.now))))


_AUDIT_DETAIL_CLEARED = {"before": None, "after": None, "ip": None, "target_label": "", "note": ""}


def _with_details() -> Q:
    return (Q(before__isnull=False) | Q(after__isnull=False) | Q(ip__isnull=False) | ~Q(target_label="")
            | ~Q(note=""))


def _audit_details(ctx: _Context, rule: Rule) -> RuleResult:
    qs = AuditLog.objects.filter(at__lt=rule.cutoff(ctx.now)).filter(_with_details())
    if ctx.dry_run:
        return RuleResult(rule, qs.count())
    total = 0
    for ids in _batched_ids(qs, ctx.batch):
        with transaction.atomic():
            total += AuditLog.objects.filter(pk__in=ids).update(**_AUDIT_DETAIL_CLEARED)
    return RuleResult(rule, total)


def inactive_people_due(cutoff: dt.datetime) -> QuerySet[Person]:
    """People marked inactive, unchanged since ``cutoff`` and with no training, JP entry, call-up or
    deployment recorded since then, not yet anonymised."""
    recent = {"created_at__gte": cutoff}
    return (Person.objects.filter(is_active=False, anonymised_at__isnull=True, updated_at__lt=cutoff)
            .exclude(Exists(Enrolment.objects.filter(person_id=OuterRef("pk"), **recent)))
            .exclude(Exists(LedgerEntry.objects.filter(person_id=OuterRef("pk"), **recent)))
            .exclude(Exists(CallUp.objects.filter(person_id=OuterRef("pk"), **recent)))
            .exclude(Exists(Deployment.objects.filter(person_id=OuterRef("pk"), end_date__gte=cutoff.date()))))


#: What anonymisation clears on the person (the rest: sex, employment type, agency, position, level,
#: region, work unit and every count stay, for statistics).
ANONYMISED_FIELDS = ("full_name", "title_prefix", "title_suffix", "birth_date", "birth_place", "nip", "nik",
                     "phone", "email", "sort_name", "anonymised_at", "updated_at")


def anonymise_people(ids: list[int], *, now: dt.datetime) -> tuple[int, int]:
    """Anonymise the people ``ids`` (one transaction is the caller's): returns (people, files deleted).

    - the person: name "Anonim <id>", no titles, birth date/place, NIP, NIK, phone, e-mail; search tokens gone;
    - their login (if any): deactivated, renamed "anonim-<user id>", names/e-mail/password/TOTP cleared,
      API tokens and recovery codes deleted;
    - JP evidence files and credential scans deleted (the rows stay: counts, dates, hours);
    - periods of unavailability deleted (their reasons may be about health);
    - audit rows about the person, their login and their records lose their details;
    - kept: enrolments, attendance, scores, ledger entries, JP totals, position history, deployments and
      issued certificates (a signed snapshot a verifier depends on; UU 43/2009 archive of the issuer)."""
    people = list(Person.objects.filter(pk__in=ids))
    files = 0
    for entry in LedgerEntry.objects.filter(person_id__in=ids).exclude(evidence=""):
        files += _delete_files(entry.evidence.storage, [entry.evidence.name])
    for credential in Credential.objects.filter(person_id__in=ids).exclude(document=""):
        files += _delete_files(credential.document.storage, [credential.document.name])
    LedgerEntry.objects.filter(person_id__in=ids).exclude(evidence="").update(evidence="")
    Credential.objects.filter(person_id__in=ids).exclude(document="").update(document="", document_kind="",
                                                                               document_size=0)
    for person in people:
        person.full_name = f"Anonim {person.pk}"
        person.title_prefix = person.title_suffix = person.birth_place = person.phone = person.email = ""
        person.birth_date = person.nip = person.nik = None
        person.sort_name = f"~anonim {person.pk:010d}"
        person.anonymised_at = person.updated_at = now
    Person.objects.bulk_update(people, ANONYMISED_FIELDS)
    PersonSearchToken.objects.filter(person_id__in=ids).delete()
    Unavailability.objects.filter(person_id__in=ids).delete()
    users = list(User.objects.filter(person_id__in=ids))
    for user in users:
        user.username = f"anonim-{user.pk}"
        user.first_name = user.last_name = user.email = user.totp_secret = ""
        user.totp_enabled_at = None
        user.is_active = False
        user.set_unusable_password()
    User.objects.bulk_update(users, ["username", "first_name", "last_name", "email", "totp_secret",
                                     "totp_enabled_at", "is_active", "password"])
    user_ids = [u.pk for u in users]
    ApiToken.objects.filter(user_id__in=user_ids).delete()
    RecoveryCode.objects.filter(user_id__in=user_ids).delete()
    targets = person_audit_targets(ids, user_ids)
    for target_type, target_ids in targets.items():
        keys = [str(pk) for pk in target_ids]
        for start in range(0, len(keys), 500):
            AuditLog.objects.filter(target_type=target_type, target_id__in=keys[start:start + 500]).update(
                **_AUDIT_DETAIL_CLEARED)
    return len(people), files


def person_audit_targets(person_ids: list[int], user_ids: list[int]) -> dict[str, list[int]]:
    """(``target_type`` → ids) of the audit rows that are about these people: the person, their login and
    their records in every app."""
    by_person = {"person_id__in": person_ids}
    return {
        "people.person": list(person_ids),
        "accounts.user": list(user_ids),
        "training.enrolment": list(Enrolment.objects.filter(**by_person).values_list("pk", flat=True)),
        "credentials.certificate": list(Certificate.objects.filter(**by_person).values_list("pk", flat=True)),
        "hours.ledgerentry": list(LedgerEntry.objects.filter(**by_person).values_list("pk", flat=True)),
        "certification.credential": list(Credential.objects.filter(**by_person).values_list("pk", flat=True)),
        "readiness.callup": list(CallUp.objects.filter(**by_person).values_list("pk", flat=True)),
        "readiness.deployment": list(Deployment.objects.filter(**by_person).values_list("pk", flat=True)),
        "readiness.unavailability": list(Unavailability.objects.filter(**by_person).values_list("pk", flat=True)),
    }


def _inactive_people(ctx: _Context, rule: Rule) -> RuleResult:
    qs = inactive_people_due(rule.cutoff(ctx.now))
    if ctx.dry_run:
        return RuleResult(rule, qs.count())
    result = RuleResult(rule)
    for ids in _batched_ids(qs, ctx.batch):
        with transaction.atomic():
            count, files = anonymise_people(ids, now=ctx.now)
        result.count += count
        result.files += files
    return result


_APPLY: dict[str, Callable[[_Context, Rule], RuleResult]] = {
    "sessions": _sessions,
    "login_throttle": _login_throttle,
    "reply_links": _reply_links,
    "callups": _callups,
    "tokens": _tokens,
    "import_files": _import_files,
    "rejected_evidence": _rejected_evidence,
    "certificate_jobs": _certificate_jobs,
    "task_results": _task_results,
    "audit_details": _audit_details,
    "inactive_people": _inactive_people,
}


def retention_run(*, by, dry_run: bool = False, now: dt.datetime | None = None,
                  only: Iterable[str] | None = None) -> RetentionReport:
    """Apply every enabled rule (or the rules named in ``only``); one audit row for the run (none on a
    dry run). Not one transaction: each batch commits on its own (see the module docstring)."""
    wanted = set(only) if only is not None else None
    unknown = (wanted or set()) - set(_APPLY)
    if unknown:
        raise ValueError(f"unknown retention rules: {', '.join(sorted(unknown))}")
    report = RetentionReport(dry_run=dry_run, at=now or timezone.now())
    ctx = _Context(now=report.at, dry_run=dry_run, batch=settings.RETENTION_BATCH)
    for rule in RULES:
        if (wanted is not None and rule.name not in wanted) or not rule.enabled():
            report.results.append(RuleResult(rule, skipped=True))
            continue
        report.results.append(_APPLY[rule.name](ctx, rule))
    if not dry_run:
        report.audit = audit_record(
            actor=by, action="retention.run", target_type="privacy.retention", target_id=report.at.strftime("%Y%m%d%H%M%S"),
            target_label="siaga retention",
            after={"counts": report.counts(),
                   "periods": {r.name: r.period() for r in RULES if r.setting},
                   "skipped": [r.rule.name for r in report.results if r.skipped]},
        )
    return report
