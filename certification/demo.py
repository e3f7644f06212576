"""Demo credentials: Pekerja Sosial with valid, expiring (within 90 days) and expired papers, some still
waiting for verification; the ``peserta`` demo user's person holds a verified competency certificate,
STR and SIPPS, so they "may practise". Idempotent: once any demo worker has credentials, nothing more is added."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from certification.models import CertifyingBody, Credential, CredentialKind
from certification.services import CredentialInput, credential_create, credential_reject, credential_verify
from certification.testing import TINY_PDF
from people.models import Person, Region

STR_ISSUER = "Ikatan Pekerja Sosial Profesional Indonesia (IPSPI)"
SCHEMES = ["Pekerja Sosial Generalis", "Pekerja Sosial Anak", "Pekerja Sosial Lanjut Usia",
           "Pekerja Sosial Penyandang Disabilitas", "Pekerja Sosial Bencana"]


def _scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("pindaian.pdf", TINY_PDF, content_type="application/pdf")


def _years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _input(kind: str, *, person: Person, rng: random.Random, issued: dt.date, until: dt.date | None,
           serial: int) -> CredentialInput:
    if kind == CredentialKind.COMPETENCY:
        body = rng.choice([CertifyingBody.LSPS, CertifyingBody.LSP_KEMENSOS])
        prefix = "LSPS" if body == CertifyingBody.LSPS else "LSP-KMS"
        return CredentialInput(kind=kind, number=f"{prefix}/{issued:%Y}/{serial:05d}", issued_on=issued,
                               valid_until=until, scheme=rng.choice(SCHEMES),
                               level=rng.choice(["Generalis", "Spesialis"]), certifying_body=body)
    if kind == CredentialKind.STR:
        return CredentialInput(kind=kind, number=f"STR-PS.{issued:%Y}.{serial:06d}", issued_on=issued,
                               valid_until=until, issuer=STR_ISSUER)
    region = person.region or Region.objects.filter(level=2).order_by("code").first()
    return CredentialInput(kind=kind, number=f"503/{serial:04d}/SIPPS/{issued:%Y}", issued_on=issued,
                           valid_until=until, region=region,
                           issuer=f"DPMPTSP {region.name.replace('Kabupaten ', 'Kab. ')}")


def _add(person, kind, *, rng, issued, until, serial, by, verifier, verify=True):
    credential = credential_create(person=person, data=_input(kind, person=person, rng=rng, issued=issued,
                                                              until=until, serial=serial),
                                   document=_scan(), by=by)
    if verify:
        credential = credential_verify(credential=credential, by=verifier)
    return credential


@transaction.atomic
def load(*, rng: random.Random | None = None, stdout=None, **_kwargs) -> int:
    from siaga.testing import SYSTEM

    rng = rng or random.Random(2020)
    verifier = User.objects.filter(username="admin", role=Role.CENTRE_ADMIN).first() or SYSTEM
    today = timezone.localdate()
    created = 0
    serial = 1000 + Credential.objects.count()

    peserta = User.objects.filter(username="peserta").select_related("person").first()
    if peserta and peserta.person and not Credential.objects.filter(person=peserta.person).exists():
        person = peserta.person
        for kind, issued_years_ago, valid_years in [(CredentialKind.COMPETENCY, 2, 5), (CredentialKind.STR, 1, 5),
                                                    (CredentialKind.SIPPS, 1, 3)]:
            issued = _years(today, -issued_years_ago)
            serial += 1
            _add(person, kind, rng=rng, issued=issued, until=_years(issued, valid_years) - dt.timedelta(days=1),
                 serial=serial, by=peserta, verifier=verifier)
            created += 1

    others = Credential.objects.exclude(person__user__username="peserta")
    workers = [] if others.exists() else list(
        Person.objects.filter(position__code="pekerja-sosial", is_active=True)
                   .exclude(user__username="peserta").select_related("region", "province", "agency")
                   .order_by("id")[:60])
    for index, person in enumerate(workers):
        # Roughly: a third fully valid, a quarter with something ending within 90 days, a fifth with
        # an expired STR or SIPPS, the rest with papers still waiting for (or refused at) verification.
        profile = index % 6
        for kind in (CredentialKind.COMPETENCY, CredentialKind.STR, CredentialKind.SIPPS):
            serial += 1
            issued = today - dt.timedelta(days=rng.randint(400, 1500))
            until = _years(issued, 5) - dt.timedelta(days=1)
            if until <= today:
                until = today + dt.timedelta(days=rng.randint(200, 1200))
            verify = True
            if profile == 2 and kind == CredentialKind.STR:
                until = today + dt.timedelta(days=rng.choice([12, 27, 44, 58, 73, 88]))
            elif profile == 3 and kind == CredentialKind.SIPPS:
                until = today + dt.timedelta(days=rng.choice([20, 35, 64, 81]))
            elif profile == 4 and kind in {CredentialKind.STR, CredentialKind.SIPPS}:
                until = today - dt.timedelta(days=rng.randint(5, 300))
                issued = min(issued, until - dt.timedelta(days=365))
            elif profile == 5 and kind == CredentialKind.STR:
                verify = False
            elif profile == 5 and kind == CredentialKind.SIPPS:
                continue
            agency_admin = User.objects.filter(role=Role.AGENCY_ADMIN, agency_id=person.agency_id).first()
            credential = _add(person, kind, rng=rng, issued=issued, until=until, serial=serial,
                              by=agency_admin or verifier, verifier=verifier, verify=verify)
            if profile == 5 and index % 12 == 5 and kind == CredentialKind.STR:
                credential_reject(credential=credential, reason="Nomor STR tidak ditemukan di data IPSPI; "
                                  "unggah pindaian yang terbaca.", by=verifier)
            created += 1
    if stdout is not None:
        stdout.write(f"  {created} kredensial profesi")
    return created
