"""Demo certificates: a signing key, a template per programme with its signatory, and a certificate
for every completed demo enrolment that has none yet (idempotent)."""

from __future__ import annotations

from django.db import transaction

from credentials.models import Certificate, CertificateTemplate, SigningKey
from credentials.services import certificate_issue, signing_key_generate
from training.models import Enrolment, Programme


class _Demo:
    is_authenticated = True
    is_superuser = True
    role = "centre_admin"
    pk = None

    def get_username(self) -> str:
        return "demo"


SIGNATORY = ("Dr. Bambang Hartono, M.Si.", "Kepala Pusat Pengembangan Profesi Pekerja Sosial dan Penyuluh Sosial",
             "197203151998031002")


def load(*, rng=None, stdout=None, **_kwargs) -> int:
    actor = _Demo()
    if not SigningKey.objects.filter(is_active=True).exists():
        key = signing_key_generate(by=actor)
        if stdout is not None:
            stdout.write(f"  kunci tanda tangan {key.key_id} dibuat")
    for programme in Programme.objects.filter(certificate_template__isnull=True):
        CertificateTemplate.objects.create(programme=programme, signatory_name=SIGNATORY[0],
                                           signatory_title=SIGNATORY[1], signatory_nip=SIGNATORY[2])
    pending = (Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
               .exclude(pk__in=Certificate.objects.live().values("enrolment_id")).order_by("id"))
    count = 0
    for enrolment in pending.iterator(chunk_size=500):
        with transaction.atomic():
            certificate_issue(enrolment=enrolment, by=actor)
        count += 1
    if stdout is not None and count:
        stdout.write(f"  {count} sertifikat diterbitkan (PDF dicetak oleh siaga worker)")
    return count
