"""Certification API: credentials and qualification requirements, through the same services as the pages."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from accounts.access import require_role
from accounts.roles import Role
from certification.access import (
    CREDENTIAL_VERIFIERS,
    CREDENTIAL_WRITERS,
    REPORT_READERS,
    RULE_READERS,
    credential_for_user,
    record_person_for_user,
)
from certification.evaluation import evaluate_person
from certification.models import Credential, RequirementSet
from certification.selectors import CredentialFilters, credential_list, expiring_between
from certification.services import (
    CredentialInput,
    credential_attach_document,
    credential_create,
    credential_reject,
    credential_verify,
)
from certification.validity import mark_states, quarter_bounds
from people.models import Region
from web.pagination import capped_count

router = Router(tags=["certification"])


class CredentialOut(Schema):
    id: int
    person_id: int
    person: str
    kind: str
    label: str
    number: str
    scheme: str
    level: str
    certifying_body: str
    issuer: str
    region_code: str | None
    issued_on: dt.date
    valid_until: dt.date | None
    status: str
    rejection_reason: str
    state: str
    days_left: int | None
    has_document: bool


class CredentialPage(Schema):
    count: int
    count_is_capped: bool
    offset: int
    limit: int
    items: list[CredentialOut]


class CredentialIn(Schema):
    person_id: int
    kind: str
    number: str
    issued_on: dt.date
    valid_until: dt.date | None = None
    title: str = ""
    scheme: str = ""
    level: str = ""
    certifying_body: str = ""
    issuer: str = ""
    region_code: str | None = None
    document_base64: str | None = None
    document_name: str = "scan"


class DocumentIn(Schema):
    document_base64: str
    document_name: str = "scan"


class RejectIn(Schema):
    reason: str


class CredentialQuery(Schema):
    person_id: int | None = None
    kind: str = ""
    status: str = ""
    state: str = ""
    agency: int | None = None
    offset: int = 0
    limit: int = 50


class RequirementOut(Schema):
    label: str
    kind: str
    met: bool
    explanation: str


class RequirementSetResultOut(Schema):
    code: str
    name: str
    source: str
    met: bool
    label: str
    requirements: list[RequirementOut]


class PersonRequirementsOut(Schema):
    person_id: int
    sets: list[RequirementSetResultOut]


class RequirementDefOut(Schema):
    kind: str
    credential_kind: str
    code: str
    label: str


class RequirementSetOut(Schema):
    id: int
    code: str
    name: str
    source: str
    position: str | None
    level: str | None
    is_active: bool
    requirements: list[RequirementDefOut]


def credential_out(c: Credential) -> CredentialOut:
    if not hasattr(c, "state"):
        mark_states([c])
    return CredentialOut(
        id=c.pk, person_id=c.person_id, person=c.person.display_name, kind=c.kind, label=str(c.label),
        number=c.number, scheme=c.scheme, level=c.level, certifying_body=c.certifying_body, issuer=c.issuer,
        region_code=c.region_id, issued_on=c.issued_on, valid_until=c.valid_until, status=c.status,
        rejection_reason=c.rejection_reason, state=c.state, days_left=c.days_left, has_document=bool(c.document))


def _page(qs, offset: int, limit: int) -> CredentialPage:
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    count, capped = capped_count(qs)
    items = mark_states(list(qs[offset: offset + limit]))
    return CredentialPage(count=count, count_is_capped=capped, offset=offset, limit=limit,
                          items=[credential_out(c) for c in items])


def _document(encoded: str, name: str) -> SimpleUploadedFile:
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({"document_base64": [_("Isi dokumen bukan base64 yang sah.")]}) from exc
    return SimpleUploadedFile((name or "scan")[:100], content)


@router.get("/credentials", response=CredentialPage, summary="Daftar kredensial profesi (tercakup)")
def certification_list_credentials(request, query: Query[CredentialQuery]):
    require_role(request.auth, REPORT_READERS | {Role.PARTICIPANT})
    filters = CredentialFilters(kind=query.kind, status=query.status, state=query.state, agency=query.agency)
    qs = credential_list(user=request.auth, filters=filters, today=timezone.localdate())
    if query.person_id:
        qs = qs.filter(person_id=query.person_id)
    return _page(qs, query.offset, query.limit)


@router.get("/credentials/expiring", response=CredentialPage, summary="Kredensial yang berakhir kuartal ini")
def certification_list_expiring(request, offset: int = 0, limit: int = 50):
    require_role(request.auth, REPORT_READERS)
    start, end = quarter_bounds(timezone.localdate())
    return _page(expiring_between(user=request.auth, start=start, end=end), offset, limit)


@router.get("/credentials/{credential_id}", response=CredentialOut, summary="Satu kredensial")
def certification_get_credential(request, credential_id: int):
    return credential_out(credential_for_user(request.auth, credential_id))


@router.post("/credentials", response={201: CredentialOut}, summary="Catat kredensial (status: diajukan)")
def certification_create_credential(request, payload: CredentialIn):
    require_role(request.auth, CREDENTIAL_WRITERS)
    person = record_person_for_user(request.auth, payload.person_id)
    region = None
    if payload.region_code:
        region = Region.objects.filter(code=payload.region_code).first()
        if region is None:
            raise ValidationError({"region_code": [_("Kode wilayah %(code)s tidak dikenal.")
                                                   % {"code": payload.region_code}]})
    document = _document(payload.document_base64, payload.document_name) if payload.document_base64 else None
    data = CredentialInput(kind=payload.kind, number=payload.number, issued_on=payload.issued_on,
                           valid_until=payload.valid_until, title=payload.title, scheme=payload.scheme,
                           level=payload.level, certifying_body=payload.certifying_body, issuer=payload.issuer,
                           region=region)
    credential = credential_create(person=person, data=data, document=document, by=request.auth)
    return Status(201, credential_out(credential))


@router.post("/credentials/{credential_id}/document", response=CredentialOut,
             summary="Ganti pindaian kredensial yang menunggu verifikasi")
def certification_attach_document(request, credential_id: int, payload: DocumentIn):
    require_role(request.auth, CREDENTIAL_WRITERS)
    credential = credential_for_user(request.auth, credential_id)
    return credential_out(credential_attach_document(credential=credential,
                                                     document=_document(payload.document_base64,
                                                                        payload.document_name),
                                                     by=request.auth))


@router.post("/credentials/{credential_id}/verify", response=CredentialOut, summary="Verifikasi kredensial")
def certification_verify_credential(request, credential_id: int):
    require_role(request.auth, CREDENTIAL_VERIFIERS)
    credential = credential_for_user(request.auth, credential_id)
    return credential_out(credential_verify(credential=credential, by=request.auth))


@router.post("/credentials/{credential_id}/reject", response=CredentialOut, summary="Tolak kredensial")
def certification_reject_credential(request, credential_id: int, payload: RejectIn):
    require_role(request.auth, CREDENTIAL_VERIFIERS)
    credential = credential_for_user(request.auth, credential_id)
    return credential_out(credential_reject(credential=credential, reason=payload.reason, by=request.auth))


@router.get("/people/{person_id}/requirements", response=PersonRequirementsOut,
            summary="Persyaratan kualifikasi seseorang: terpenuhi atau apa yang kurang")
def certification_person_requirements(request, person_id: int):
    person = record_person_for_user(request.auth, person_id)
    sets = [RequirementSetResultOut(
        code=r.requirement_set.code, name=r.requirement_set.name, source=r.requirement_set.source, met=r.met,
        label=r.label, requirements=[RequirementOut(label=i.requirement.label, kind=i.requirement.kind, met=i.met,
                                                    explanation=i.explanation) for i in r.results])
        for r in evaluate_person(person)]
    return PersonRequirementsOut(person_id=person.pk, sets=sets)


@router.get("/requirement-sets", response=list[RequirementSetOut], summary="Aturan kualifikasi")
def certification_list_requirement_sets(request):
    require_role(request.auth, RULE_READERS)
    sets = RequirementSet.objects.select_related("position", "level").prefetch_related("requirements")
    return [RequirementSetOut(
        id=s.pk, code=s.code, name=s.name, source=s.source, position=s.position.name if s.position else None,
        level=s.level.name if s.level else None, is_active=s.is_active,
        requirements=[RequirementDefOut(kind=r.kind, credential_kind=r.credential_kind, code=r.code, label=r.label)
                      for r in s.requirements.all()]) for s in sets]
