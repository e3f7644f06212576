"""State changes of professional credentials and qualification rules.

Pages, the API, the demo and tasks call these; none re-implements them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record, snapshot
from certification.access import require_add_credential, require_rule_edit, require_verify
from certification.models import CertifyingBody, Credential, CredentialKind, Requirement, RequirementSet
from people.models import Person, Position, PositionLevel, Region
from web.uploads import check_upload

DOCUMENT_KINDS = {"pdf", "png", "jpeg"}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class CredentialInput:
    kind: str
    number: str
    issued_on: dt.date | None
    valid_until: dt.date | None = None
    title: str = ""
    scheme: str = ""
    level: str = ""
    certifying_body: str = ""
    issuer: str = ""
    region: Region | None = None


def credential_clean(data: CredentialInput, *, person: Person) -> None:
    """Check the rules of each kind; one ValidationError with a message per field."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    data.number = " ".join((data.number or "").split())
    data.title = " ".join((data.title or "").split())
    data.scheme = " ".join((data.scheme or "").split())
    data.issuer = " ".join((data.issuer or "").split())
    if data.kind not in CredentialKind.values:
        fail("kind", _("Pilih jenis kredensial."))
    if not data.number:
        fail("number", _("Nomor dokumen wajib diisi."))
    if data.issued_on is None:
        fail("issued_on", _("Tanggal terbit wajib diisi."))
    elif data.issued_on > timezone.localdate() + dt.timedelta(days=1):
        fail("issued_on", _("Tanggal terbit tidak boleh di masa depan."))
    if data.issued_on and data.valid_until and data.valid_until < data.issued_on:
        fail("valid_until", _("Tanggal berakhir tidak boleh sebelum tanggal terbit."))
    if data.kind == CredentialKind.COMPETENCY:
        if not data.scheme:
            fail("scheme", _("Tulis skema sertifikasi, misalnya 'Pekerja Sosial Generalis'."))
        if data.certifying_body not in CertifyingBody.values:
            fail("certifying_body", _("Pilih lembaga sertifikasi (LSPS, LSP Kemensos atau lainnya)."))
        if data.certifying_body == CertifyingBody.OTHER and not data.issuer:
            fail("issuer", _("Tulis nama lembaga sertifikasi."))
    else:
        data.scheme = data.scheme if data.kind == CredentialKind.OTHER else ""
        data.level = data.level if data.kind == CredentialKind.OTHER else ""
        data.certifying_body = ""
    if data.kind == CredentialKind.STR and not data.issuer:
        fail("issuer", _("Tulis penerbit STR (organisasi profesi pekerja sosial)."))
    if data.kind == CredentialKind.STR and not data.valid_until:
        fail("valid_until", _("STR memiliki masa berlaku; isi tanggal berakhirnya."))
    if data.kind == CredentialKind.SIPPS:
        if data.region is None:
            fail("region", _("Pilih daerah (kabupaten/kota atau provinsi) yang menerbitkan SIPPS."))
        if not data.valid_until:
            fail("valid_until", _("SIPPS memiliki masa berlaku; isi tanggal berakhirnya."))
    elif data.kind != CredentialKind.OTHER:
        data.region = None
    if data.kind == CredentialKind.OTHER and not data.title:
        fail("title", _("Tulis nama lisensi."))
    if data.kind in CredentialKind.values and data.number and Credential.objects.filter(
            person=person, kind=data.kind, number=data.number).exists():
        fail("number", _("Kredensial dengan nomor %(number)s sudah tercatat untuk orang ini.")
             % {"number": data.number})
    if errors:
        raise ValidationError(errors)


_CREDENTIAL_FIELDS = [f.name for f in Credential._meta.concrete_fields if f.name != "document"]


def _snap(credential: Credential, fields: list[str] | None = None) -> dict:
    """Snapshot for the audit log (the file as its stored name: an empty FieldFile cannot be snapshotted)."""
    data = snapshot(credential, [f for f in (fields or _CREDENTIAL_FIELDS) if f != "document"])
    if fields is None or "document" in fields:
        data["document"] = credential.document.name or None
    return data


def _check_document(document) -> str:
    try:
        checked = check_upload(document, allowed=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from exc
    return checked.kind


@transaction.atomic
def credential_create(*, person: Person, data: CredentialInput, document=None, by) -> Credential:
    """Record a credential as *claimed*, with its scan (PDF, PNG or JPEG, checked by content)."""
    require_add_credential(by, person)
    credential_clean(data, person=person)
    credential = Credential(person=person, kind=data.kind, number=data.number, issued_on=data.issued_on,
                            valid_until=data.valid_until, title=data.title, scheme=data.scheme, level=data.level,
                            certifying_body=data.certifying_body, issuer=data.issuer, region=data.region,
                            status=Credential.Status.CLAIMED,
                            created_by=by if getattr(by, "pk", None) else None)
    if document is not None:
        credential.document_kind = _check_document(document)
        credential.document_size = document.size
    credential.full_clean(exclude=["document"], validate_unique=False)
    credential.save()
    if document is not None:
        document.seek(0)
        credential.document.save("scan", document, save=False)
        credential.save(update_fields=["document"])
    audit_record(actor=by, action="credential.create", target=credential, after=_snap(credential))
    return credential


@transaction.atomic
def credential_attach_document(*, credential: Credential, document, by) -> Credential:
    """Replace the scan of a credential still waiting for verification."""
    require_add_credential(by, credential.person)
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.status != Credential.Status.CLAIMED:
        raise ValidationError(_("Hanya kredensial yang menunggu verifikasi yang dapat diganti pindaiannya."))
    before = _snap(credential, ["document", "document_kind", "document_size"])
    credential.document_kind = _check_document(document)
    credential.document_size = document.size
    document.seek(0)
    credential.document.save("scan", document, save=False)
    credential.save(update_fields=["document", "document_kind", "document_size"])
    audit_record(actor=by, action="credential.attach_document", target=credential, before=before,
                 after=_snap(credential, ["document", "document_kind", "document_size"]))
    return credential


def _decide(credential: Credential, *, by, status: str, reason: str, action: str) -> Credential:
    require_verify(by)
    locked = Credential.objects.select_for_update(of=("self",)).select_related("person").get(pk=credential.pk)
    if locked.status != Credential.Status.CLAIMED:
        raise ValidationError(_("Kredensial ini sudah diputuskan (%(status)s).")
                              % {"status": locked.get_status_display()})
    if status == Credential.Status.VERIFIED and not locked.document:
        raise ValidationError(_("Kredensial tanpa pindaian dokumen tidak dapat diverifikasi; unggah pindaiannya."))
    before = snapshot(locked, ["status", "rejection_reason", "decided_by", "decided_at"])
    locked.status = status
    locked.rejection_reason = reason
    locked.decided_by = by if getattr(by, "pk", None) else None
    locked.decided_at = timezone.now()
    locked.full_clean(exclude=["document"], validate_unique=False)
    locked.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    audit_record(actor=by, action=action, target=locked, before=before,
                 after=snapshot(locked, ["status", "rejection_reason", "decided_by", "decided_at"]), note=reason)
    return locked


@transaction.atomic
def credential_verify(*, credential: Credential, by) -> Credential:
    """claimed → verified: a centre admin has checked the scan against the issuer."""
    return _decide(credential, by=by, status=Credential.Status.VERIFIED, reason="", action="credential.verify")


@transaction.atomic
def credential_reject(*, credential: Credential, reason: str, by) -> Credential:
    """claimed → rejected, with the reason the person will read."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Tulis alasan penolakan agar pemilik dapat memperbaikinya.")]})
    return _decide(credential, by=by, status=Credential.Status.REJECTED, reason=reason[:500],
                   action="credential.reject")


# --- qualification rules ----------------------------------------------------------------------------


@dataclass
class RequirementSetInput:
    code: str
    name: str
    source: str = ""
    description: str = ""
    position: Position | None = None
    level: PositionLevel | None = None
    met_label: str = ""
    unmet_label: str = ""
    is_active: bool = True
    order: int = 100


_SET_FIELDS = ["code", "name", "source", "description", "position", "level", "met_label", "unmet_label",
               "is_active", "order"]


def _set_clean(data: RequirementSetInput, instance: RequirementSet | None) -> None:
    errors: dict[str, list[str]] = {}
    if data.level is not None and data.position is not None and data.level.position_id != data.position.pk:
        errors["level"] = [_("Jenjang %(level)s bukan jenjang jabatan %(position)s.")
                           % {"level": data.level.name, "position": data.position.name}]
    if data.level is not None and data.position is None:
        data.position = data.level.position
    others = RequirementSet.objects.exclude(pk=instance.pk) if instance else RequirementSet.objects.all()
    if data.code and others.filter(code=data.code).exists():
        errors["code"] = [_("Kode %(code)s sudah dipakai.") % {"code": data.code}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def requirement_set_create(*, data: RequirementSetInput, by) -> RequirementSet:
    require_rule_edit(by)
    _set_clean(data, None)
    rule_set = RequirementSet(**{name: getattr(data, name) for name in _SET_FIELDS})
    rule_set.full_clean()
    rule_set.save()
    audit_record(actor=by, action="requirement_set.create", target=rule_set, after=snapshot(rule_set))
    return rule_set


@transaction.atomic
def requirement_set_update(*, requirement_set: RequirementSet, data: RequirementSetInput, by) -> RequirementSet:
    require_rule_edit(by)
    _set_clean(data, requirement_set)
    before = snapshot(requirement_set)
    for name in _SET_FIELDS:
        setattr(requirement_set, name, getattr(data, name))
    requirement_set.full_clean()
    requirement_set.save()
    audit_record(actor=by, action="requirement_set.update", target=requirement_set, before=before,
                 after=snapshot(requirement_set))
    return requirement_set


@transaction.atomic
def requirement_add(*, requirement_set: RequirementSet, kind: str, label: str, credential_kind: str = "",
                    code: str = "", order: int = 100, by) -> Requirement:
    require_rule_edit(by)
    errors: dict[str, list[str]] = {}
    label = " ".join((label or "").split())
    code = (code or "").strip()
    if kind not in Requirement.Kind.values:
        errors["kind"] = [_("Pilih jenis persyaratan.")]
    if kind == Requirement.Kind.CREDENTIAL:
        code = ""
        if credential_kind not in CredentialKind.values:
            errors["credential_kind"] = [_("Pilih jenis kredensial yang disyaratkan.")]
    elif kind in {Requirement.Kind.PROGRAMME, Requirement.Kind.MODULE}:
        credential_kind = ""
        if not code:
            errors["code"] = [_("Tulis kode program atau modul yang disyaratkan.")]
    if not label:
        errors["label"] = [_("Tulis nama persyaratan seperti yang akan dibaca orang.")]
    if errors:
        raise ValidationError(errors)
    requirement = Requirement(requirement_set=requirement_set, kind=kind, credential_kind=credential_kind,
                              code=code, label=label, order=order)
    requirement.full_clean()
    requirement.save()
    audit_record(actor=by, action="requirement.add", target=requirement, after=snapshot(requirement))
    return requirement


@transaction.atomic
def requirement_remove(*, requirement: Requirement, by) -> None:
    require_rule_edit(by)
    before = snapshot(requirement)
    label = str(requirement)
    pk = requirement.pk
    requirement.delete()
    audit_record(actor=by, action="requirement.remove", target_type="certification.requirement", target_id=pk,
                 target_label=label, before=before)
