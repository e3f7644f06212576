"""State changes of readiness: incidents, requests, call-ups, replies, deployments, unavailability.

Every function is one transaction and writes one audit row; statuses move only here."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record, snapshot
from accounts.roles import Role
from curriculum.models import Competency
from people.models import Agency, Person, Position, Region
from readiness import conf
from readiness.access import require_manager
from readiness.matching import check_person
from readiness.models import (
    AgencyReadinessPolicy,
    CallUp,
    CredentialKind,
    Deployment,
    DeploymentRequest,
    Incident,
    IncidentType,
    PersonCompetency,
    Service,
    Unavailability,
)

REPLY_SALT = "readiness.reply"


class ReplyLinkError(Exception):
    """A reply link that cannot be used: ``kind`` is "expired", "invalid" or "used"."""

    def __init__(self, kind: str, callup: CallUp | None = None):
        super().__init__(kind)
        self.kind = kind
        self.callup = callup


class _LinkActor:
    """The person answering through a signed link (no login) as the actor of the audit row."""

    is_authenticated = False

    def __init__(self, person: Person):
        self.person = person

    def get_username(self) -> str:
        return f"tautan balasan: {self.person.full_name}"[:150]


def _regencies(codes: Iterable[str]) -> list[Region]:
    codes = list(dict.fromkeys(codes))
    found = list(Region.objects.filter(code__in=codes, level=Region.Level.REGENCY))
    if len(found) != len(codes):
        raise ValidationError({"regencies": _("Pilih kabupaten/kota yang dikenal.")})
    return found


# ---------------------------------------------------------------- incidents

@transaction.atomic
def incident_create(*, by, title: str, type: str, regency_codes: list[str], start_date: dt.date,
                    services: list[str], description: str = "", coordinator=None) -> Incident:
    require_manager(by)
    if not regency_codes:
        raise ValidationError({"regencies": _("Pilih minimal satu kabupaten/kota terdampak.")})
    if type not in IncidentType.values:
        raise ValidationError({"type": _("Jenis bencana tidak dikenal.")})
    unknown = [s for s in services if s not in Service.values]
    if unknown:
        raise ValidationError({"services": _("Layanan tidak dikenal: %(list)s") % {"list": ", ".join(unknown)}})
    coordinator = coordinator or by
    if getattr(coordinator, "role", None) not in {Role.COORDINATOR, Role.CENTRE_ADMIN}:
        raise ValidationError({"coordinator": _("Koordinator harus koordinator tanggap bencana atau admin Pusbangprof.")})
    regencies = _regencies(regency_codes)
    incident = Incident(title=title.strip(), type=type, start_date=start_date, services=list(dict.fromkeys(services)),
                        description=description, coordinator=coordinator)
    incident.full_clean()
    incident.save()
    incident.regencies.set(regencies)
    audit_record(actor=by, action="incident.create", target=incident,
                 after={**snapshot(incident), "regencies": [r.code for r in regencies]})
    return incident


def _incident_move(*, incident: Incident, to: str, allowed_from: set[str], by, action: str) -> Incident:
    require_manager(by)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status not in allowed_from:
        raise ValidationError(_("Status kejadian %(status)s tidak dapat diubah ke sini.")
                              % {"status": incident.get_status_display()})
    before = incident.status
    incident.status = to
    incident.save(update_fields=["status"])
    audit_record(actor=by, action=action, target=incident, before={"status": before}, after={"status": to})
    return incident


@transaction.atomic
def incident_start_recovery(*, incident: Incident, by) -> Incident:
    return _incident_move(incident=incident, to=Incident.Status.RECOVERY, allowed_from={Incident.Status.ACTIVE},
                          by=by, action="incident.start_recovery")


@transaction.atomic
def incident_close(*, incident: Incident, by) -> Incident:
    return _incident_move(incident=incident, to=Incident.Status.CLOSED,
                          allowed_from={Incident.Status.ACTIVE, Incident.Status.RECOVERY}, by=by,
                          action="incident.close")


# ---------------------------------------------------------------- requests

@transaction.atomic
def request_create(*, by, incident: Incident, service: str, role: str, people_needed: int,
                   competency_codes: list[str], credential_kinds: list[str], start_date: dt.date,
                   end_date: dt.date, assembly_point_code: str, preferred_position_codes: list[str] | None = None,
                   max_version_age_months: int | None = None) -> DeploymentRequest:
    require_manager(by)
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError(_("Kejadian sudah ditutup."))
    competencies = list(Competency.objects.filter(code__in=competency_codes))
    if len(competencies) != len(set(competency_codes)):
        raise ValidationError({"competencies": _("Ada kode kompetensi yang tidak dikenal.")})
    unknown = [k for k in credential_kinds if k not in CredentialKind.values]
    if unknown:
        raise ValidationError({"credential_kinds": _("Jenis kredensial tidak dikenal: %(list)s")
                               % {"list": ", ".join(unknown)}})
    positions = list(Position.objects.filter(code__in=preferred_position_codes or []))
    point = Region.objects.filter(code=assembly_point_code, level=Region.Level.REGENCY).first()
    if point is None:
        raise ValidationError({"assembly_point": _("Titik kumpul harus kabupaten/kota yang dikenal.")})
    req = DeploymentRequest(
        incident=incident, service=service, role=role.strip(), people_needed=people_needed,
        credential_kinds=sorted(set(credential_kinds)), start_date=start_date, end_date=end_date,
        assembly_point=point, created_by=by if getattr(by, "pk", None) else None,
        max_version_age_months=(conf.module_version_max_age_months() if max_version_age_months is None
                                else max_version_age_months),
    )
    req.full_clean()
    if end_date < start_date:
        raise ValidationError({"end_date": _("Tanggal selesai sebelum tanggal mulai.")})
    req.save()
    req.competencies.set(competencies)
    req.preferred_positions.set(positions)
    audit_record(actor=by, action="deployment_request.create", target=req,
                 after={**snapshot(req), "competencies": [c.code for c in competencies],
                        "preferred_positions": [p.code for p in positions]})
    return req


@transaction.atomic
def request_close(*, request: DeploymentRequest, by) -> DeploymentRequest:
    require_manager(by)
    req = DeploymentRequest.objects.select_for_update().get(pk=request.pk)
    if req.status != DeploymentRequest.Status.OPEN:
        raise ValidationError(_("Permintaan sudah ditutup."))
    req.status = DeploymentRequest.Status.CLOSED
    req.save(update_fields=["status"])
    audit_record(actor=by, action="deployment_request.close", target=req, before={"status": "open"},
                 after={"status": "closed"})
    return req


# ---------------------------------------------------------------- call-ups

def make_reply_token(callup: CallUp) -> str:
    return signing.dumps({"c": callup.pk, "n": callup.nonce}, salt=REPLY_SALT, compress=True)


def read_reply_token(token: str) -> CallUp:
    """The call-up a reply link points at; ``ReplyLinkError`` when expired, tampered with or used."""
    try:
        data = signing.loads(token, salt=REPLY_SALT, max_age=conf.reply_link_hours() * 3600)
    except signing.SignatureExpired as exc:
        raise ReplyLinkError("expired") from exc
    except signing.BadSignature as exc:
        raise ReplyLinkError("invalid") from exc
    callup = (CallUp.objects.select_related("request__incident", "request__assembly_point", "person")
              .filter(pk=data.get("c")).first())
    if callup is None or not data.get("n") or data.get("n") != callup.nonce:
        raise ReplyLinkError("used" if callup is not None else "invalid", callup)
    if callup.status != CallUp.Status.SENT or callup.replied_at is not None:
        raise ReplyLinkError("used", callup)
    return callup


def _consent_needed(person: Person) -> bool:
    return AgencyReadinessPolicy.objects.filter(agency_id=person.agency_id, consent_required=True).exists()


def _queue_messages(callup_ids: list[int]) -> None:
    if not callup_ids:
        return
    from readiness.tasks import send_callup_messages

    transaction.on_commit(lambda: send_callup_messages.enqueue(callup_ids))


def _queue_consent_notices(callup_ids: list[int]) -> None:
    if not callup_ids:
        return
    from readiness.tasks import send_consent_notices

    transaction.on_commit(lambda: send_consent_notices.enqueue(callup_ids))


@transaction.atomic
def callup_send(*, request: DeploymentRequest, person_ids: list[int], by,
                ranking: dict[int, tuple[int, str]] | None = None) -> list[CallUp]:
    """Call the shortlisted people: each must still be eligible. People of an agency that requires
    consent wait for their agency admin (``callup_consent``); the others get the call at once."""
    require_manager(by)
    req = DeploymentRequest.objects.select_for_update().get(pk=request.pk)
    if req.status != DeploymentRequest.Status.OPEN or req.incident.status == Incident.Status.CLOSED:
        raise ValidationError(_("Permintaan ini sudah ditutup."))
    people = list(Person.objects.filter(pk__in=person_ids).select_related("agency", "region"))
    if not people:
        raise ValidationError(_("Pilih minimal satu orang dari daftar."))
    errors = []
    for person in people:
        problems = check_person(req, person)
        if problems:
            errors.append(f"{person.display_name}: {'; '.join(problems)}")
    if errors:
        raise ValidationError(errors)
    ranking = ranking or {}
    created = _create_callups(req, people, by=by, ranking=ranking)
    audit_record(actor=by, action="callup.send", target=req,
                 after={"people": [c.person_id for c in created], "statuses": [c.status for c in created]})
    return created


def _create_callups(req, people, *, by, ranking, override_reason: str = "") -> list[CallUp]:
    now = timezone.now()
    created: list[CallUp] = []
    for person in people:
        rank, explanation = ranking.get(person.pk, (None, ""))
        waiting = _consent_needed(person)
        callup = CallUp(request=req, person=person, rank=rank, explanation=explanation,
                        override_reason=override_reason,
                        status=CallUp.Status.AWAITING_CONSENT if waiting else CallUp.Status.SENT,
                        nonce="" if waiting else secrets.token_hex(16), sent_at=None if waiting else now,
                        created_by=by if getattr(by, "pk", None) else None)
        callup.full_clean(exclude=["request", "person"])
        callup.save()
        created.append(callup)
    _queue_messages([c.pk for c in created if c.status == CallUp.Status.SENT])
    _queue_consent_notices([c.pk for c in created if c.status == CallUp.Status.AWAITING_CONSENT])
    return created


@transaction.atomic
def callup_add_override(*, request: DeploymentRequest, person: Person, reason: str, by) -> CallUp:
    """Call a person the roster does not offer (manual override); the reason is required and audited."""
    require_manager(by)
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Tulis alasan penambahan manual (minimal 5 huruf).")})
    req = DeploymentRequest.objects.select_for_update().get(pk=request.pk)
    if req.status != DeploymentRequest.Status.OPEN:
        raise ValidationError(_("Permintaan ini sudah ditutup."))
    if CallUp.objects.filter(request=req, person=person).exists():
        raise ValidationError(_("%(name)s sudah dipanggil untuk permintaan ini.") % {"name": person.display_name})
    problems = check_person(req, person)
    explanation = (_("Ditambahkan manual: %(reason)s.") % {"reason": reason}
                   + (" " + _("Catatan kelayakan: %(list)s.") % {"list": "; ".join(problems)} if problems else ""))
    [callup] = _create_callups(req, [person], by=by, ranking={person.pk: (None, explanation)},
                               override_reason=reason)
    audit_record(actor=by, action="callup.override", target=callup, after=snapshot(callup),
                 note=reason)
    return callup


@transaction.atomic
def callup_consent(*, callup: CallUp, approve: bool, by) -> CallUp:
    """The agency admin's decision on a call to one of their people."""
    if not (getattr(by, "is_superuser", False)
            or (getattr(by, "role", None) == Role.AGENCY_ADMIN and by.agency_id == callup.person.agency_id)):
        raise PermissionDenied
    callup = CallUp.objects.select_for_update().get(pk=callup.pk)
    if callup.status != CallUp.Status.AWAITING_CONSENT:
        raise ValidationError(_("Panggilan ini tidak sedang menunggu persetujuan."))
    before = callup.status
    if approve:
        callup.status = CallUp.Status.SENT
        callup.nonce = secrets.token_hex(16)
        callup.sent_at = timezone.now()
    else:
        callup.status = CallUp.Status.CONSENT_REFUSED
    callup.save(update_fields=["status", "nonce", "sent_at"])
    audit_record(actor=by, action="callup.consent" if approve else "callup.consent_refuse", target=callup,
                 before={"status": before}, after={"status": callup.status})
    if approve:
        _queue_messages([callup.pk])
    return callup


@transaction.atomic
def callup_reply(*, token: str, accept: bool, note: str = "") -> CallUp:
    """Record a reply through a signed link (no login). The link works once."""
    callup = read_reply_token(token)
    callup = CallUp.objects.select_for_update(of=("self",)).select_related("person").get(pk=callup.pk)
    if callup.status != CallUp.Status.SENT or callup.replied_at is not None:
        raise ReplyLinkError("used", callup)
    before = callup.status
    callup.status = CallUp.Status.ACCEPTED if accept else CallUp.Status.DECLINED
    callup.replied_at = timezone.now()
    callup.reply_note = note.strip()[:255]
    callup.nonce = ""  # single use: the link no longer matches
    callup.save(update_fields=["status", "replied_at", "reply_note", "nonce"])
    audit_record(actor=_LinkActor(callup.person), action="callup.reply", target=callup,
                 before={"status": before}, after={"status": callup.status, "note": callup.reply_note})
    return callup


@transaction.atomic
def callup_confirm(*, callup: CallUp, by, team: str = "") -> Deployment:
    """The coordinator confirms an accepted call: Siaga records the deployment."""
    require_manager(by)
    callup = CallUp.objects.select_for_update(of=("self",)).select_related("request", "person").get(pk=callup.pk)
    if callup.status != CallUp.Status.ACCEPTED:
        raise ValidationError(_("Hanya panggilan yang sudah dijawab bersedia yang dapat dikonfirmasi."))
    req = callup.request
    clash = Deployment.objects.filter(person=callup.person, status=Deployment.Status.ACTIVE,
                                      start_date__lte=req.end_date, end_date__gte=req.start_date).first()
    if clash:
        raise ValidationError(_("%(name)s sudah bertugas pada rentang tanggal ini (%(other)s).")
                              % {"name": callup.person.display_name, "other": clash.request})
    callup.status = CallUp.Status.CONFIRMED
    callup.save(update_fields=["status"])
    deployment = Deployment(request=req, callup=callup, person=callup.person, role=req.role, team=team.strip(),
                            start_date=req.start_date, end_date=req.end_date,
                            confirmed_by=by if getattr(by, "pk", None) else None)
    deployment.full_clean(exclude=["request", "callup", "person"])
    deployment.save()
    audit_record(actor=by, action="deployment.confirm", target=deployment, before={"callup": "accepted"},
                 after=snapshot(deployment))
    return deployment


@transaction.atomic
def deployment_release(*, deployment: Deployment, by, released_on: dt.date | None = None) -> Deployment:
    require_manager(by)
    deployment = Deployment.objects.select_for_update().get(pk=deployment.pk)
    if deployment.status != Deployment.Status.ACTIVE:
        raise ValidationError(_("Penugasan ini sudah dilepas."))
    released_on = released_on or timezone.localdate()
    if released_on < deployment.start_date:
        raise ValidationError({"released_on": _("Tanggal lepas sebelum mulai tugas.")})
    deployment.released_on = min(released_on, deployment.end_date)
    deployment.status = Deployment.Status.RELEASED
    deployment.save(update_fields=["released_on", "status"])
    audit_record(actor=by, action="deployment.release", target=deployment, before={"status": "active"},
                 after={"status": "released", "released_on": deployment.released_on})
    return deployment


# ---------------------------------------------------------------- unavailability and agency policy

@transaction.atomic
def unavailability_create(*, person: Person, start_date: dt.date, end_date: dt.date, reason: str,
                          by) -> Unavailability:
    """Recorded by the person themself, their agency admin, or a coordinator (the caller checks scope)."""
    item = Unavailability(person=person, start_date=start_date, end_date=end_date, reason=reason.strip(),
                          created_by=by if getattr(by, "pk", None) else None)
    item.full_clean(exclude=["person"])
    if end_date < start_date:
        raise ValidationError({"end_date": _("Tanggal selesai sebelum tanggal mulai.")})
    item.save()
    audit_record(actor=by, action="unavailability.create", target=item, after=snapshot(item))
    return item


@transaction.atomic
def unavailability_delete(*, item: Unavailability, by) -> None:
    before = snapshot(item)
    audit_record(actor=by, action="unavailability.delete", target=item, before=before)
    item.delete()


@transaction.atomic
def agency_policy_set(*, agency: Agency, consent_required: bool, by) -> AgencyReadinessPolicy:
    if not (getattr(by, "is_superuser", False) or getattr(by, "role", None) == Role.CENTRE_ADMIN
            or (getattr(by, "role", None) == Role.AGENCY_ADMIN and by.agency_id == agency.pk)):
        raise PermissionDenied
    policy, _created = AgencyReadinessPolicy.objects.select_for_update().get_or_create(agency=agency)
    before = policy.consent_required
    policy.consent_required = consent_required
    policy.save(update_fields=["consent_required"])
    audit_record(actor=by, action="agency_policy.set", target=policy, before={"consent_required": before},
                 after={"consent_required": consent_required})
    return policy


# ---------------------------------------------------------------- the readiness table

def record_completion(*, enrolment, by) -> None:
    """Completion hook (``training.hooks.on_completion``): the competencies the completed event's module
    versions give, written to ``PersonCompetency``. Runs inside the completion's transaction."""
    if enrolment.status != "completed":
        return
    rows = _competency_rows(enrolment.person_id, enrolment.event.programme_id, enrolment.completed_at or timezone.now(),
                            enrolment.pk)
    PersonCompetency.objects.bulk_create(rows, ignore_conflicts=True)
    audit_record(actor=by, action="person_competency.record", target_type="people.person",
                 target_id=enrolment.person_id, after={"enrolment": enrolment.pk, "rows": len(rows)})


def _competency_rows(person_id: int, programme_id: int, completed_at, enrolment_id) -> list[PersonCompetency]:
    from curriculum.models import Module
    from training.models import ProgrammeModule

    versions = list(ProgrammeModule.objects.filter(programme_id=programme_id)
                    .values_list("module_version_id", "module_version__module_id"))
    links = Module.competencies.through.objects.filter(module_id__in=[m for _v, m in versions])
    by_module: dict[int, list[int]] = {}
    for module_id, competency_id in links.values_list("module_id", "competency_id"):
        by_module.setdefault(module_id, []).append(competency_id)
    return [PersonCompetency(person_id=person_id, competency_id=c, module_version_id=v, completed_at=completed_at,
                             enrolment_id=enrolment_id)
            for v, m in versions for c in by_module.get(m, [])]


@transaction.atomic
def person_competency_rebuild(*, by) -> int:
    """Backfill the readiness table from every completed enrolment (idempotent)."""
    from training.models import Enrolment

    total = 0
    batch: list[PersonCompetency] = []
    for pk, person_id, programme_id, completed_at in (
            Enrolment.objects.filter(status="completed").values_list("pk", "person_id", "event__programme_id",
                                                                    "completed_at").iterator(chunk_size=2000)):
        batch.extend(_competency_rows(person_id, programme_id, completed_at or timezone.now(), pk))
        if len(batch) >= 5000:
            PersonCompetency.objects.bulk_create(batch, ignore_conflicts=True)
            total += len(batch)
            batch = []
    PersonCompetency.objects.bulk_create(batch, ignore_conflicts=True)
    total += len(batch)
    audit_record(actor=by, action="person_competency.rebuild", target_type="readiness.personcompetency",
                 after={"rows": total})
    return total
