"""Factories for tests of this app and of apps that build on it (through the real services)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from certification.models import CertifyingBody, Credential, CredentialKind
from certification.services import CredentialInput, credential_create, credential_verify
from people.models import Person, Region

_serial = itertools.count(1)

#: The smallest file that passes the content check as a PDF.
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def scan(name: str = "scan.pdf", content: bytes = TINY_PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


_FIVE_YEARS = object()


def credential_input(kind: str, *, issued_on: dt.date | None = None, valid_until=_FIVE_YEARS,
                     number: str | None = None) -> CredentialInput:
    """Valid input of ``kind``; ``valid_until`` defaults to five years after issue (None: lifetime)."""
    issued_on = issued_on or dt.date(2024, 1, 15)
    if valid_until is _FIVE_YEARS:
        valid_until = issued_on.replace(year=issued_on.year + 5) - dt.timedelta(days=1)
    number = number or f"{kind.upper()}-{next(_serial):05d}"
    data = CredentialInput(kind=kind, number=number, issued_on=issued_on, valid_until=valid_until)
    if kind == CredentialKind.COMPETENCY:
        data.scheme, data.level, data.certifying_body = "Pekerja Sosial Generalis", "Ahli", CertifyingBody.LSPS
    elif kind == CredentialKind.STR:
        data.issuer = "Ikatan Pekerja Sosial Profesional Indonesia (IPSPI)"
    elif kind == CredentialKind.SIPPS:
        data.region = Region.objects.get(code="32.73")
        data.issuer = "Dinas Penanaman Modal dan PTSP Kota Bandung"
    else:
        data.title = "Sertifikat Konselor Adiksi"
    return data


def make_credential(person: Person, kind: str = CredentialKind.STR, *, by=None, verified: bool = False,
                    document: bool = True, **dates) -> Credential:
    from siaga.testing import SYSTEM

    actor = by or SYSTEM
    credential = credential_create(person=person, data=credential_input(kind, **dates),
                                   document=scan() if document else None, by=actor)
    if verified:
        credential = credential_verify(credential=credential, by=SYSTEM)
    return credential
