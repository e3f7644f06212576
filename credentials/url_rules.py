from accounts.roles import ALL_ROLES, Role
from credentials.access import CERT_MANAGERS, CERT_READERS, KEY_MANAGERS
from siaga.testing import Rule


def _cert(cast):
    from credentials.tests.factories import certificate_for_cast

    return certificate_for_cast(cast)


def _cert_id(cast):
    return {"certificate_id": _cert(cast).pk}


def _code(cast):
    return {"code": _cert(cast).code}


def _signed(cast):
    from credentials.signing import signed_part

    cert = _cert(cast)
    return {"code": cert.code, "signed": signed_part(key_id=cert.key_id, claims=cert.claims,
                                                     signature=cert.signature)}


def _programme(cast):
    return {"programme_id": _cert(cast).programme_id}


def _job(cast):
    from credentials.models import CertificateJob

    if not hasattr(cast, "_job"):
        cast._job = CertificateJob.objects.create(action=CertificateJob.Action.ISSUE, event=_cert(cast).event)
    return {"job_id": cast._job.pk}


def _issue_data(cast):
    from credentials.tests.factories import make_enrolment

    return {"enrolment_id": make_enrolment(person=cast.person_a).pk, "reason": "Lulus ujian susulan"}


#: The certificate belongs to person_a (Kemensos), linked to the participant: the participant, the
#: Kemensos admin and centre staff see it; the BNPB admin does not (404).
OWNERS = CERT_READERS | {Role.PARTICIPANT}

RULES = [
    Rule("credentials:list", allowed=CERT_READERS),
    Rule("credentials:mine", allowed=ALL_ROLES),
    Rule("credentials:issue", allowed=CERT_MANAGERS),
    Rule("credentials:detail", allowed=OWNERS, kwargs=_cert_id),
    Rule("credentials:pdf", allowed=OWNERS, kwargs=_cert_id),
    Rule("credentials:badge", allowed=OWNERS, kwargs=_cert_id),
    Rule("credentials:revoke", allowed=CERT_MANAGERS, kwargs=_cert_id, method="post",
         data=lambda c: {"revoke-reason": "Data kelulusan salah"}, ok=(302,)),
    Rule("credentials:reissue", allowed=CERT_MANAGERS, kwargs=_cert_id, method="post",
         data=lambda c: {"reissue-reason": "Nama salah ketik", "reissue-person_name": "Siti Aminah, S.Sos."},
         ok=(302,)),
    Rule("credentials:templates", allowed=CERT_MANAGERS),
    Rule("credentials:template_edit", allowed=CERT_MANAGERS, kwargs=_programme),
    Rule("credentials:jobs", allowed=CERT_MANAGERS),
    Rule("credentials:job", allowed=CERT_MANAGERS, kwargs=_job),
    Rule("credentials:job_progress", allowed=CERT_MANAGERS, kwargs=_job),
    # No output yet: 404 for everybody allowed in, 403 for the others.
    Rule("credentials:job_download", allowed=CERT_MANAGERS, kwargs=_job, ok=(404,)),
    Rule("credentials:keys", allowed=KEY_MANAGERS),
    Rule("credentials:key_rotate", allowed=KEY_MANAGERS, method="post", ok=(302,)),
    # Public verification under /v/.
    Rule("verify:form", public=True, query="?q=ABCDEFGHJK"),
    Rule("verify:code", public=True, kwargs=_code),
    Rule("verify:signed", public=True, kwargs=_signed),
    Rule("verify:badge", public=True, kwargs=_code),
    Rule("verify:keys", public=True),
    Rule("verify:issuer", public=True),
    # API.
    Rule("api:certificates_verify", public=True, query="?q=ABCDEFGHJK"),
    Rule("api:certificates_public_badge", public=True, kwargs=_code),
    Rule("api:certificates_public_keys", public=True),
    Rule("api:certificates_list", allowed=CERT_READERS),
    Rule("api:certificates_mine", allowed=ALL_ROLES),
    Rule("api:certificates_issue", allowed=CERT_MANAGERS, method="post", data=_issue_data, ok=(201,)),
    Rule("api:certificates_job_list", allowed=CERT_MANAGERS),
    Rule("api:certificates_job_start", allowed=CERT_MANAGERS, method="post",
         data=lambda c: {"action": "zip", "event_id": _cert(c).event_id}, ok=(201,)),
    Rule("api:certificates_job_get", allowed=CERT_MANAGERS, kwargs=_job),
    Rule("api:certificates_template_get", allowed=CERT_MANAGERS, kwargs=_programme),
    Rule("api:certificates_template_update", allowed=CERT_MANAGERS, method="put", kwargs=_programme,
         data=lambda c: {"signatory_name": "Dr. Budi Hartono, M.Si.", "signatory_nip": "197001011995031001"}),
    Rule("api:certificates_get", allowed=OWNERS, kwargs=_cert_id),
    Rule("api:certificates_pdf", allowed=OWNERS, kwargs=_cert_id),
    Rule("api:certificates_badge", allowed=OWNERS, kwargs=_cert_id),
    Rule("api:certificates_revoke", allowed=CERT_MANAGERS, method="post", kwargs=_cert_id,
         data=lambda c: {"reason": "Data kelulusan salah"}),
    Rule("api:certificates_reissue", allowed=CERT_MANAGERS, method="post", kwargs=_cert_id,
         data=lambda c: {"reason": "Nama salah ketik"}, ok=(201,)),
]
