"""From a Certificate row to its stored PDF (the drawing itself is in ``credentials.render``)."""

from __future__ import annotations

from functools import lru_cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from credentials import render, signing
from credentials.models import Certificate, CertificateTemplate


@lru_cache(maxsize=64)
def _look(template_pk: int | None, updated_at: str, programme_id: int) -> render.Look:
    template = CertificateTemplate.objects.filter(pk=template_pk).first() if template_pk else None
    if template is None:
        return render.Look()
    logo = b""
    if template.logo:
        try:
            with template.logo.open("rb") as handle:
                logo = handle.read()
        except OSError:
            logo = b""
    return render.Look(primary=template.primary_colour, accent=template.accent_colour,
                       issuer_name=template.issuer_name, unit_name=template.unit_name, heading=template.heading,
                       heading_en=template.heading_en, body=template.body, body_en=template.body_en, logo=logo)


def look_for_programme(programme_id: int) -> render.Look:
    row = CertificateTemplate.objects.filter(programme_id=programme_id).values_list("pk", "updated_at").first()
    if row is None:
        return _look(None, "", programme_id)
    return _look(row[0], row[1].isoformat(), programme_id)


def certificate_data(cert: Certificate) -> render.CertificateData:
    note = ""
    if cert.status == Certificate.Status.REVOKED:
        note = "DICABUT / REVOKED"
    elif cert.status == Certificate.Status.SUPERSEDED:
        note = "DIGANTI / SUPERSEDED"
    return render.CertificateData(
        serial=cert.serial, code=cert.code, person_name=cert.person_name, person_nip=cert.person_nip,
        agency_name=cert.agency_name, programme_title=cert.programme_title,
        modules=tuple((m["title"], f"v{m['version']}", int(m["minutes"])) for m in cert.modules),
        total_minutes=cert.total_minutes, start_date=cert.start_date.isoformat(),
        end_date=cert.end_date.isoformat(), city_name=cert.city_name, issued_on=cert.issued_on.isoformat(),
        signatory_name=cert.signatory_name, signatory_title=cert.signatory_title,
        signatory_nip=cert.signatory_nip,
        qr_text=signing.qr_text(code=cert.code, key_id=cert.key_id, claims=cert.claims, signature=cert.signature),
        status_note=note,
    )


def pdf_bytes(cert: Certificate) -> bytes:
    return render.render_pdf(certificate_data(cert), render.assets_for(look_for_programme(cert.programme_id)))


def pdf_name(cert: Certificate) -> str:
    return f"credentials/pdf/{cert.issued_on:%Y}/{cert.code}.pdf"


def store_pdf(cert: Certificate) -> Certificate:
    """Render and store the PDF (replacing an earlier file of the same certificate). Idempotent."""
    data = pdf_bytes(cert)
    name = pdf_name(cert)
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    now = timezone.now()
    Certificate.objects.filter(pk=cert.pk).update(pdf=saved, pdf_rendered_at=now)
    cert.pdf.name = saved
    cert.pdf_rendered_at = now
    return cert


def ensure_pdf(cert: Certificate) -> Certificate:
    if not cert.pdf or not default_storage.exists(cert.pdf.name):
        return store_pdf(cert)
    return cert
