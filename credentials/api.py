"""Certificates API (``/api/v1/certificates``): the same access rules and services as the pages.
The verification operations need no login (``auth=None``) and are rate-limited per client."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema, Status

from accounts.access import require_role
from credentials import badge, verification
from credentials.access import CERT_MANAGERS, CERT_READERS, certificate_for_user
from credentials.models import Certificate, CertificateJob
from credentials.pdf import ensure_pdf
from credentials.selectors import (
    CertificateFilters,
    certificate_search,
    certificates_of_user,
    jobs_visible_to,
)
from credentials.services import (
    TEMPLATE_FIELDS,
    certificate_issue,
    certificate_job_start,
    certificate_reissue,
    certificate_revoke,
    certificate_template_update,
    template_for,
)
from people.access import can_see_full_identity
from people.identity import mask_identity
from training.models import Enrolment, Event, Programme
from web.files import file_response
from web.pagination import capped_count

router = Router(tags=["certificates"])


class ModuleOut(Schema):
    code: str
    title: str
    version: int
    jp: float


class CertificateOut(Schema):
    id: int
    serial: str
    code: str
    status: str
    kind: str
    person_id: int
    person_name: str
    person_nip: str
    agency_name: str
    programme_code: str
    programme_title: str
    event_code: str
    modules: list[ModuleOut]
    jp: float
    start_date: dt.date
    end_date: dt.date
    city: str
    issued_on: dt.date
    signatory_name: str
    signatory_title: str
    key_id: str
    revoked_at: dt.datetime | None
    revoked_reason: str
    superseded_by_code: str | None
    verification_url: str
    pdf_ready: bool


class CertificatePage(Schema):
    count: int
    count_is_capped: bool
    offset: int
    limit: int
    items: list[CertificateOut]


class ListQuery(Schema):
    q: str = ""
    programme: int | None = None
    event: int | None = None
    status: str = ""
    offset: int = 0
    limit: int = 50


class PublicFacts(Schema):
    serial: str
    code: str
    name: str
    nip_masked: str
    programme: str
    start_date: dt.date
    end_date: dt.date
    issued_on: dt.date
    city: str
    jp: float
    issuer: str


class VerifyOut(Schema):
    status: str
    message: str
    certificate: PublicFacts | None = None
    revoked_at: dt.datetime | None = None
    revoked_reason: str | None = None
    replacement_code: str | None = None
    replacement_url: str | None = None
    signature: str | None = None
    badge_url: str | None = None


class Detail(Schema):
    detail: str


class IssueIn(Schema):
    enrolment_id: int
    reason: str


class RevokeIn(Schema):
    reason: str


class ReissueIn(Schema):
    reason: str
    person_name: str | None = None


class JobIn(Schema):
    action: str
    event_id: int | None = None
    programme_id: int | None = None


class JobOut(Schema):
    id: int
    action: str
    status: str
    event_id: int | None
    programme_id: int | None
    total: int
    done: int
    skipped: int
    percent: int
    error: str
    has_output: bool


class TemplateIO(Schema):
    primary_colour: str = "#0B5394"
    accent_colour: str = "#C9A227"
    issuer_name: str = ""
    unit_name: str = ""
    heading: str = ""
    heading_en: str = ""
    body: str = ""
    body_en: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    signatory_nip: str = ""


class TemplateIn(Schema):
    """Only the fields given are changed."""

    primary_colour: str | None = None
    accent_colour: str | None = None
    issuer_name: str | None = None
    unit_name: str | None = None
    heading: str | None = None
    heading_en: str | None = None
    body: str | None = None
    body_en: str | None = None
    signatory_name: str | None = None
    signatory_title: str | None = None
    signatory_nip: str | None = None


def _out(cert: Certificate, *, full: bool) -> CertificateOut:
    from credentials.signing import verification_url

    return CertificateOut(
        id=cert.pk, serial=cert.serial, code=cert.code, status=cert.status, kind=cert.kind,
        person_id=cert.person_id, person_name=cert.person_name,
        person_nip=cert.person_nip if full else mask_identity(cert.person_nip), agency_name=cert.agency_name,
        programme_code=cert.programme_code, programme_title=cert.programme_title, event_code=cert.event.code,
        modules=[ModuleOut(code=m["code"], title=m["title"], version=m["version"], jp=round(m["minutes"] / 45, 2))
                 for m in cert.modules],
        jp=round(cert.total_minutes / 45, 2), start_date=cert.start_date, end_date=cert.end_date,
        city=cert.city_name, issued_on=cert.issued_on, signatory_name=cert.signatory_name,
        signatory_title=cert.signatory_title, key_id=cert.key_id, revoked_at=cert.revoked_at,
        revoked_reason=cert.revoked_reason,
        superseded_by_code=cert.superseded_by.code if cert.superseded_by_id else None,
        verification_url=verification_url(cert.code), pdf_ready=bool(cert.pdf),
    )


def _job_out(job: CertificateJob) -> JobOut:
    return JobOut(id=job.pk, action=job.action, status=job.status, event_id=job.event_id,
                  programme_id=job.programme_id, total=job.total, done=job.done, skipped=job.skipped,
                  percent=job.percent, error=job.error, has_output=bool(job.output))


# --- Public ---------------------------------------------------------------------------------------------

MESSAGES = {
    verification.VALID: gettext_lazy("Sertifikat ini sah dan berlaku."),
    verification.REVOKED: gettext_lazy("Sertifikat ini telah dicabut."),
    verification.SUPERSEDED: gettext_lazy("Sertifikat ini telah diganti dengan sertifikat baru."),
    verification.NOT_FOUND: gettext_lazy("Tidak ada sertifikat dengan kode ini."),
}


@router.get("/verify", auth=None, response={200: VerifyOut, 429: Detail},
            summary="Verifikasi sertifikat (tanpa login): kode atau teks QR")
def certificates_verify(request, q: str):
    from credentials.signing import verification_url

    if verification.rate_limited(request):
        return Status(429, Detail(detail=_("Terlalu banyak pemeriksaan dari alamat Anda; coba lagi dalam satu menit.")))
    result = verification.lookup(q)
    out = VerifyOut(status=result.status, message=str(MESSAGES[result.status]))
    if result.qr is not None:
        out.signature = str(result.qr.verdict)
    cert = result.certificate
    if cert is not None:
        out.certificate = PublicFacts(**verification.public_facts(cert))
        out.badge_url = f"{verification_url(cert.code)}/badge.json"
        if cert.status == Certificate.Status.REVOKED:
            out.revoked_at, out.revoked_reason = cert.revoked_at, cert.revoked_reason
        if result.replacement is not None:
            out.replacement_code = result.replacement.code
            out.replacement_url = verification_url(result.replacement.code)
    return out


@router.get("/public/{code}/badge", auth=None, summary="Open Badge 3.0 sebuah sertifikat (tanpa login)")
def certificates_public_badge(request, code: str):
    if verification.rate_limited(request):
        return HttpResponse(status=429)
    cert = get_object_or_404(Certificate, code=verification.normalise_code(code))
    return badge.signed_badge(cert)


@router.get("/public-keys", auth=None, summary="Kunci publik Ed25519 penerbit (tanpa login)")
def certificates_public_keys(request):
    return badge.key_document()


# --- Signed-in ------------------------------------------------------------------------------------------

@router.get("/", response=CertificatePage, summary="Daftar sertifikat (disaring sesuai cakupan)")
def certificates_list(request, query: Query[ListQuery]):
    require_role(request.auth, CERT_READERS)
    filters = CertificateFilters(q=query.q, programme=query.programme, event=query.event, status=query.status)
    qs = certificate_search(user=request.auth, filters=filters).select_related("superseded_by")
    limit = max(1, min(query.limit, 200))
    offset = max(0, query.offset)
    count, capped = capped_count(qs)
    full = can_see_full_identity(request.auth)
    return CertificatePage(count=count, count_is_capped=capped, offset=offset, limit=limit,
                           items=[_out(c, full=full) for c in qs[offset: offset + limit]])


@router.get("/mine", response=list[CertificateOut], summary="Sertifikat saya")
def certificates_mine(request):
    return [_out(c, full=True) for c in certificates_of_user(request.auth)]


@router.post("/", response={201: CertificateOut}, summary="Terbitkan sertifikat secara manual (dengan alasan)")
def certificates_issue(request, payload: IssueIn):
    require_role(request.auth, CERT_MANAGERS)
    enrolment = get_object_or_404(Enrolment, pk=payload.enrolment_id)
    cert = certificate_issue(enrolment=enrolment, by=request.auth, kind=Certificate.Kind.MANUAL,
                             reason=payload.reason)
    return Status(201, _out(cert, full=True))


@router.get("/jobs", response=list[JobOut], summary="Pekerjaan massal")
def certificates_job_list(request):
    require_role(request.auth, CERT_MANAGERS)
    return [_job_out(job) for job in jobs_visible_to(request.auth)[:100]]


@router.post("/jobs", response={201: JobOut}, summary="Mulai pekerjaan massal (terbit, gabung PDF, ZIP, email)")
def certificates_job_start(request, payload: JobIn):
    require_role(request.auth, CERT_MANAGERS)
    event = get_object_or_404(Event, pk=payload.event_id) if payload.event_id else None
    programme = get_object_or_404(Programme, pk=payload.programme_id) if payload.programme_id else None
    job = certificate_job_start(action=payload.action, event=event, programme=programme, by=request.auth)
    return Status(201, _job_out(job))


@router.get("/jobs/{job_id}", response=JobOut, summary="Kemajuan pekerjaan massal")
def certificates_job_get(request, job_id: int):
    require_role(request.auth, CERT_MANAGERS)
    return _job_out(get_object_or_404(jobs_visible_to(request.auth), pk=job_id))


@router.get("/templates/{programme_id}", response=TemplateIO, summary="Templat sertifikat sebuah program")
def certificates_template_get(request, programme_id: int):
    require_role(request.auth, CERT_MANAGERS)
    template = template_for(get_object_or_404(Programme, pk=programme_id))
    return TemplateIO(**{name: getattr(template, name) for name in TEMPLATE_FIELDS})


@router.put("/templates/{programme_id}", response=TemplateIO, summary="Ubah templat sertifikat (tanpa logo)")
def certificates_template_update(request, programme_id: int, payload: TemplateIn):
    require_role(request.auth, CERT_MANAGERS)
    programme = get_object_or_404(Programme, pk=programme_id)
    template = certificate_template_update(programme=programme, data=payload.dict(), by=request.auth)
    return TemplateIO(**{name: getattr(template, name) for name in TEMPLATE_FIELDS})


@router.get("/{certificate_id}", response=CertificateOut, summary="Satu sertifikat")
def certificates_get(request, certificate_id: int):
    cert = certificate_for_user(request.auth, certificate_id)
    return _out(cert, full=can_see_full_identity(request.auth) or cert.person_id == request.auth.person_id)


@router.get("/{certificate_id}/pdf", summary="PDF sertifikat")
def certificates_pdf(request, certificate_id: int):
    cert = ensure_pdf(certificate_for_user(request.auth, certificate_id))
    return file_response(cert.pdf, filename=f"sertifikat-{cert.code}.pdf", content_type="application/pdf",
                         attachment=True)


@router.get("/{certificate_id}/badge", summary="Open Badge 3.0 (Verifiable Credential) sertifikat")
def certificates_badge(request, certificate_id: int):
    return badge.signed_badge(certificate_for_user(request.auth, certificate_id))


@router.post("/{certificate_id}/revoke", response=CertificateOut, summary="Cabut sertifikat (dengan alasan)")
def certificates_revoke(request, certificate_id: int, payload: RevokeIn):
    require_role(request.auth, CERT_MANAGERS)
    cert = certificate_for_user(request.auth, certificate_id)
    cert = certificate_revoke(certificate=cert, reason=payload.reason, by=request.auth)
    return _out(cert, full=True)


@router.post("/{certificate_id}/reissue", response={201: CertificateOut},
             summary="Terbitkan ulang (sertifikat baru menggantikan yang lama)")
def certificates_reissue(request, certificate_id: int, payload: ReissueIn):
    require_role(request.auth, CERT_MANAGERS)
    cert = certificate_for_user(request.auth, certificate_id)
    new = certificate_reissue(certificate=cert, reason=payload.reason, by=request.auth,
                              person_name=payload.person_name)
    return Status(201, _out(new, full=True))
