"""State changes of certificates: keys, templates, issue, revoke, reissue, bulk jobs.

Pages, the API, the completion hook, tasks and management commands all call these."""

from __future__ import annotations

import zoneinfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import user_has_role
from accounts.audit import audit_record, audit_record_many, snapshot
from credentials import signing
from credentials.access import CERT_MANAGERS
from credentials.models import Certificate, CertificateJob, CertificateTemplate, SerialCounter, SigningKey
from ops.jobs import enqueue_with_job
from people.identity import clean_number
from training.models import Enrolment, Event, Programme
from web.uploads import check_upload

#: Enrolment states a certificate may be issued for by hand (with a reason).
MANUAL_STATES = {Enrolment.Status.COMPLETED, Enrolment.Status.ATTENDED, Enrolment.Status.NOT_COMPLETED}
TEMPLATE_FIELDS = ["primary_colour", "accent_colour", "issuer_name", "unit_name", "heading", "heading_en", "body",
                   "body_en", "signatory_name", "signatory_title", "signatory_nip"]


def _require_manager(by) -> None:
    if not (getattr(by, "is_superuser", False) or user_has_role(by, CERT_MANAGERS)):
        raise PermissionDenied


def _clean_reason(reason: str, field: str = "reason") -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise ValidationError({field: _("Tulis alasannya (paling sedikit 5 huruf); alasan dicatat di audit.")})
    return reason[:300]


# --- Signing keys ---------------------------------------------------------------------------------------

@transaction.atomic
def signing_key_generate(*, by) -> SigningKey:
    """Create a new Ed25519 key and make it the active one; the previous key is retired but keeps verifying."""
    now = timezone.now()
    before = list(SigningKey.objects.select_for_update().filter(is_active=True).values_list("key_id", flat=True))
    SigningKey.objects.filter(is_active=True).update(is_active=False, retired_at=now)
    private = Ed25519PrivateKey.generate()
    key_id = signing.new_key_id()
    while SigningKey.objects.filter(key_id=key_id).exists():
        key_id = signing.new_key_id()
    key = SigningKey(key_id=key_id, public_key=signing.public_key_text(private),
                     private_key_encrypted=signing.encrypt_private_key(private, key_id=key_id), is_active=True,
                     created_at=now)
    key.full_clean()
    key.save()
    audit_record(actor=by, action="certificate_key.generate", target=key, before={"active": before},
                 after={"active": key.key_id, "public_key": key.public_key})
    return key


def active_signing_key(*, by=None) -> SigningKey:
    """The key that signs new certificates; the first one is made on first need."""
    key = SigningKey.objects.filter(is_active=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return signing_key_generate(by=by)
    except IntegrityError:  # another process made it at the same moment
        return SigningKey.objects.get(is_active=True)


# --- Templates ------------------------------------------------------------------------------------------

def template_for(programme: Programme) -> CertificateTemplate:
    """The programme's template, or the default look (unsaved) when it has none yet."""
    template = CertificateTemplate.objects.filter(programme=programme).first()
    return template or CertificateTemplate(programme=programme)


@transaction.atomic
def certificate_template_update(*, programme: Programme, data: dict, logo=None, remove_logo: bool = False,
                                by) -> CertificateTemplate:
    _require_manager(by)
    template, _created = CertificateTemplate.objects.select_for_update().get_or_create(programme=programme)
    before = {**snapshot(template, TEMPLATE_FIELDS), "logo": template.logo.name or None}
    for name in TEMPLATE_FIELDS:
        if name in data and data[name] is not None:
            value = str(data[name]).strip()
            if name.endswith("_colour"):
                value = value.upper()
            if name == "signatory_nip":
                value = clean_number(value)
            setattr(template, name, value)
    if logo is not None:
        check_upload(logo, allowed={"png", "jpeg"}, max_bytes=2 * 1024 * 1024)
        template.logo.save(f"{programme.code}-{timezone.now():%Y%m%d%H%M%S}.{'png' if logo.name.lower().endswith('png') else 'jpg'}",
                           logo, save=False)
    elif remove_logo:
        template.logo = ""
    template.updated_at = timezone.now()
    template.full_clean()
    template.save()
    after = {**snapshot(template, TEMPLATE_FIELDS), "logo": template.logo.name or None}
    audit_record(actor=by, action="certificate_template.update", target=template,
                 before={k: before[k] for k in after if before.get(k) != after[k]},
                 after={k: after[k] for k in after if before.get(k) != after[k]})
    return template


# --- Issue ----------------------------------------------------------------------------------------------

def _next_sequence(event: Event) -> int:
    SerialCounter.objects.get_or_create(event=event)
    counter = SerialCounter.objects.select_for_update().get(event=event)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _resync_counter(event: Event) -> None:
    highest = Certificate.objects.filter(event=event).aggregate(m=Max("sequence"))["m"] or 0
    SerialCounter.objects.filter(event=event, last__lt=highest).update(last=highest)


def format_serial(*, year: int, programme_code: str, event_code: str, sequence: int) -> str:
    """``2026/PSD/PSD-2026-BDG-01/0007``: year, programme code, event code, sequence in the event."""
    return f"{year}/{programme_code.upper()}/{event_code.upper()}/{sequence:04d}"


def _programme_parts(programme: Programme) -> tuple[CertificateTemplate, list[dict], int]:
    """The programme's template, its modules (code, title, version, minutes) and total minutes."""
    template = template_for(programme)
    items = list(programme.items.select_related("module_version__module").order_by("order", "id"))
    modules = [{"code": item.module_version.module.code, "title": item.module_version.module.title,
                "version": item.module_version.number, "minutes": item.module_version.total_minutes}
               for item in items]
    return template, modules, sum(m["minutes"] for m in modules) or programme.total_minutes


def _snapshot_values(enrolment: Enrolment, *, person_name: str | None = None, parts=None) -> dict:
    event = enrolment.event
    programme = event.programme
    person = enrolment.person
    template, modules, total = parts or _programme_parts(programme)
    return {
        "person_name": (person_name or person.display_name).strip()[:220],
        "person_nip": person.nip or person.nik or "",
        "agency_name": person.agency.name[:200],
        "programme_code": programme.code,
        "programme_title": programme.title,
        "modules": modules,
        "total_minutes": total,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "city_name": event.city.name,
        "signatory_name": template.signatory_name,
        "signatory_title": template.signatory_title,
        "signatory_nip": template.signatory_nip,
    }


def claims_for(cert: Certificate) -> str:
    from people.identity import mask_identity

    return signing.claims_text(
        serial=cert.serial, name=cert.person_name, identity=mask_identity(cert.person_nip).replace("•", "*"),
        programme=cert.programme_code, jp=f"{cert.total_minutes / 45:g}", end_date=f"{cert.end_date:%Y%m%d}",
    )


def _create(*, enrolment: Enrolment, by, kind: str, reason: str, person_name: str | None = None) -> Certificate:
    event = enrolment.event
    key = active_signing_key(by=by)
    private = signing.private_key_for(key)
    values = _snapshot_values(enrolment, person_name=person_name)
    now = timezone.now()
    issued_on = timezone.localtime(now, zoneinfo.ZoneInfo(event.time_zone)).date()
    for attempt in range(5):
        sequence = _next_sequence(event)
        cert = Certificate(
            serial=format_serial(year=issued_on.year, programme_code=values["programme_code"],
                                 event_code=event.code, sequence=sequence),
            code=signing.new_code(), sequence=sequence, enrolment=enrolment, person=enrolment.person, event=event,
            programme=event.programme, kind=kind, issue_reason=reason, issued_on=issued_on, issued_at=now,
            issued_by=by if getattr(by, "pk", None) else None, key_id=key.key_id, **values,
        )
        cert.claims = claims_for(cert)
        cert.signature = signing.sign(private, code=cert.code, claims=cert.claims)
        cert.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                cert.save()
            return cert
        except IntegrityError:
            if Certificate.objects.live().filter(enrolment=enrolment).exists() or attempt == 4:
                raise
            _resync_counter(event)  # a sequence or code was taken: move the counter past it and retry
    raise AssertionError("unreachable")


def _queue_render(cert: Certificate) -> None:
    from credentials.tasks import render_certificate

    enqueue_with_job(render_certificate, cert.pk)


@transaction.atomic
def certificate_issue(*, enrolment: Enrolment, by, reason: str = "", kind: str = Certificate.Kind.AUTO
                      ) -> Certificate:
    """Issue the certificate of ``enrolment``. Automatic issue (on completion) is idempotent: it returns
    the live certificate when there is one. Manual issue needs an organiser or centre admin and a reason."""
    given_status = enrolment.status  # the completion service may call us before saving its change
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related(
        "event__programme", "event__city", "person__agency").get(pk=enrolment.pk)
    live = Certificate.objects.live().filter(enrolment=enrolment).first()
    if kind == Certificate.Kind.MANUAL:
        _require_manager(by)
        reason = _clean_reason(reason)
        if live is not None:
            raise ValidationError(_("Peserta ini sudah memiliki sertifikat yang berlaku (%(serial)s). Untuk "
                                    "memperbaikinya, terbitkan ulang sertifikat itu.") % {"serial": live.serial})
        if enrolment.status not in MANUAL_STATES:
            raise ValidationError(_("Sertifikat hanya dapat diterbitkan untuk peserta yang hadir atau lulus; "
                                    "status peserta ini %(status)s.") % {"status": enrolment.get_status_display()})
    else:
        kind = Certificate.Kind.AUTO
        if live is not None:
            return live
        if Enrolment.Status.COMPLETED not in (given_status, enrolment.status):
            raise ValidationError(_("Sertifikat otomatis hanya untuk peserta yang lulus."))
    cert = _create(enrolment=enrolment, by=by, kind=kind, reason=reason)
    audit_record(actor=by, action="certificate.issue", target=cert, note=reason,
                 after={"serial": cert.serial, "code": cert.code, "kind": kind, "enrolment": enrolment.pk,
                        "key_id": cert.key_id, "total_minutes": cert.total_minutes})
    _queue_render(cert)
    return cert


_RELATED = ["enrolment", "person", "event", "programme", "issued_by", "revoked_by", "superseded_by"]


@transaction.atomic
def certificate_issue_bulk(*, event: Event, by) -> list[Certificate]:
    """Issue the automatic certificates of every completed enrolment of ``event`` that has none yet
    (the bulk job, one event at a time). The same certificates as ``certificate_issue`` gives one by
    one, made in one go: the enrolments and the event's serial counter locked once, the counter moved
    once for the whole batch, the key, template and modules read once, the rows and their audit rows
    (one per certificate) inserted in bulk. Returns the new certificates; idempotent."""
    event = Event.objects.select_related("programme", "city").get(pk=event.pk)
    enrolments = list(Enrolment.objects.select_for_update(of=("self",)).filter(
        event=event, status=Enrolment.Status.COMPLETED).select_related("person__agency").order_by("id"))
    have = set(Certificate.objects.live().filter(event=event).values_list("enrolment_id", flat=True))
    enrolments = [e for e in enrolments if e.pk not in have]
    if not enrolments:
        return []
    key = active_signing_key(by=by)
    private = signing.private_key_for(key)
    parts = _programme_parts(event.programme)
    now = timezone.now()
    issued_on = timezone.localtime(now, zoneinfo.ZoneInfo(event.time_zone)).date()
    SerialCounter.objects.get_or_create(event=event)
    counter = SerialCounter.objects.select_for_update().get(event=event)
    highest = Certificate.objects.filter(event=event).aggregate(m=Max("sequence"))["m"] or 0
    first = max(counter.last, highest) + 1
    counter.last = first + len(enrolments) - 1
    counter.save(update_fields=["last"])
    issued_by = by if getattr(by, "pk", None) else None
    certs = []
    for sequence, enrolment in enumerate(enrolments, start=first):
        enrolment.event = event
        values = _snapshot_values(enrolment, parts=parts)
        cert = Certificate(
            serial=format_serial(year=issued_on.year, programme_code=values["programme_code"],
                                 event_code=event.code, sequence=sequence),
            code=signing.new_code(), sequence=sequence, enrolment=enrolment, person=enrolment.person, event=event,
            programme=event.programme, kind=Certificate.Kind.AUTO, issue_reason="", issued_on=issued_on,
            issued_at=now, issued_by=issued_by, key_id=key.key_id, **values,
        )
        cert.claims = claims_for(cert)
        cert.signature = signing.sign(private, code=cert.code, claims=cert.claims)
        # The related rows were just read (and the enrolments locked): skip the one query per foreign
        # key that full_clean would make to check they exist; every other field is validated.
        cert.full_clean(exclude=_RELATED, validate_unique=False, validate_constraints=False)
        certs.append(cert)
    try:
        with transaction.atomic():
            Certificate.objects.bulk_create(certs, batch_size=500)
    except IntegrityError:
        # A verification code was taken (about one in 10^15): give the sequence numbers back and issue
        # this batch one by one, which retries.
        SerialCounter.objects.filter(event=event).update(last=first - 1)
        return [certificate_issue(enrolment=enrolment, by=by) for enrolment in enrolments]
    audit_record_many(actor=by, action="certificate.issue", entries=[
        {"target": cert, "after": {"serial": cert.serial, "code": cert.code, "kind": cert.kind,
                                   "enrolment": cert.enrolment_id, "key_id": cert.key_id,
                                   "total_minutes": cert.total_minutes}} for cert in certs])
    return certs


def issue_on_completion(*, enrolment, by) -> None:
    """The completion hook (registered in CredentialsConfig.ready): runs inside the completion transaction."""
    certificate_issue(enrolment=enrolment, by=by, kind=Certificate.Kind.AUTO)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by) -> Certificate:
    _require_manager(by)
    reason = _clean_reason(reason)
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status != Certificate.Status.ISSUED:
        raise ValidationError(_("Hanya sertifikat yang berlaku yang dapat dicabut; sertifikat ini %(status)s.")
                              % {"status": cert.get_status_display().lower()})
    cert.status = Certificate.Status.REVOKED
    cert.revoked_at = timezone.now()
    cert.revoked_reason = reason
    cert.revoked_by = by if getattr(by, "pk", None) else None
    cert.full_clean(validate_unique=False, validate_constraints=False)
    cert.save(update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"])
    audit_record(actor=by, action="certificate.revoke", target=cert, note=reason,
                 before={"status": Certificate.Status.ISSUED},
                 after={"status": cert.status, "revoked_at": cert.revoked_at, "reason": reason})
    _queue_render(cert)  # the stored PDF is marked as revoked
    return cert


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, reason: str, by, person_name: str | None = None
                        ) -> Certificate:
    """Replace a valid certificate by a new one (new serial and code), e.g. after a corrected name.
    The old one stays, marked superseded with a link to its replacement."""
    _require_manager(by)
    reason = _clean_reason(reason)
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status != Certificate.Status.ISSUED:
        raise ValidationError(_("Hanya sertifikat yang berlaku yang dapat diterbitkan ulang; sertifikat ini "
                                "%(status)s.") % {"status": old.get_status_display().lower()})
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related(
        "event__programme", "event__city", "person__agency").get(pk=old.enrolment_id)
    person_name = " ".join((person_name or "").split()) or None
    old.status = Certificate.Status.SUPERSEDED
    old.superseded_reason = reason
    old.save(update_fields=["status", "superseded_reason"])
    new = _create(enrolment=enrolment, by=by, kind=Certificate.Kind.REISSUE, reason=reason, person_name=person_name)
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    audit_record(actor=by, action="certificate.reissue", target=new, note=reason,
                 before={"serial": old.serial, "status": Certificate.Status.ISSUED, "person_name": old.person_name},
                 after={"serial": new.serial, "code": new.code, "replaces": old.serial,
                        "old_status": Certificate.Status.SUPERSEDED, "person_name": new.person_name})
    _queue_render(old)
    _queue_render(new)
    return new


# --- Bulk jobs ------------------------------------------------------------------------------------------

def _issue_job_pending(*, event: Event | None, programme: Programme | None) -> bool:
    """Whether an issue job that covers (part of) this event or programme is queued or running."""
    pending = CertificateJob.objects.filter(action=CertificateJob.Action.ISSUE,
                                            status__in=[CertificateJob.Status.QUEUED, CertificateJob.Status.RUNNING])
    if event is not None:
        return pending.filter(Q(event=event) | Q(programme_id=event.programme_id)).exists()
    return pending.filter(Q(programme=programme) | Q(event__programme=programme)).exists()


@transaction.atomic
def certificate_job_start(*, action: str, by, event: Event | None = None, programme: Programme | None = None
                          ) -> CertificateJob:
    _require_manager(by)
    if action not in CertificateJob.Action.values:
        raise ValidationError({"action": _("Tindakan tidak dikenal.")})
    if (event is None) == (programme is None):
        raise ValidationError({"scope": _("Pilih satu angkatan atau satu program.")})
    if action != CertificateJob.Action.ISSUE and _issue_job_pending(event=event, programme=programme):
        # a merged PDF, ZIP or mailing made now would hold only the certificates issued so far
        raise ValidationError({"action": _("Penerbitan sertifikat untuk cakupan ini masih berjalan; tunggu sampai "
                                           "selesai, lalu mulai pekerjaan ini lagi.")})
    job = CertificateJob(action=action, event=event, programme=programme,
                         created_by=by if getattr(by, "pk", None) else None)
    job.full_clean()
    job.save()
    audit_record(actor=by, action="certificate_job.start", target=job,
                 after={"action": action, "event": getattr(event, "pk", None),
                        "programme": getattr(programme, "pk", None)})
    from credentials.tasks import run_certificate_job

    enqueue_with_job(run_certificate_job, job.pk)  # committed with the job or not at all (decision 0008)
    return job
