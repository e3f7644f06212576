from accounts.roles import PEOPLE_READERS, Role
from certification.access import CREDENTIAL_VERIFIERS, CREDENTIAL_WRITERS, REPORT_READERS, RULE_READERS
from siaga.testing import Rule

#: person_a works at Kemensos: centre staff, the Kemensos admin and person_a themself may see them.
RECORD_READERS = PEOPLE_READERS | {Role.PARTICIPANT}


def _person_a(cast):
    return {"person_id": cast.person_a.pk}


def _credential_of_a(cast):
    from certification.testing import make_credential

    return {"credential_id": make_credential(cast.person_a).pk}


def _rule_set(cast):
    from certification.models import RequirementSet

    return {"set_id": RequirementSet.objects.get(code="pekerja-sosial-berpraktik").pk}


def _new_str(cast):
    return {"person_id": cast.person_a.pk, "kind": "str", "number": "STR-API-0001", "issued_on": "2024-02-01",
            "valid_until": "2029-01-31", "issuer": "IPSPI"}


def _scan_payload(cast):
    import base64

    from certification.testing import TINY_PDF

    return {"document_base64": base64.b64encode(TINY_PDF).decode(), "document_name": "str.pdf"}


RULES = [
    Rule("certification:credentials", allowed=REPORT_READERS),
    Rule("certification:me", allowed={Role.PARTICIPANT}, ok=(302,)),
    Rule("certification:expiring", allowed=REPORT_READERS),
    Rule("certification:gaps", allowed=REPORT_READERS),
    Rule("certification:rules", allowed=RULE_READERS),
    Rule("certification:rule_set", allowed=RULE_READERS, kwargs=_rule_set),
    Rule("certification:record", allowed=RECORD_READERS, kwargs=_person_a),
    Rule("certification:record_pdf", allowed=RECORD_READERS, kwargs=_person_a),
    Rule("certification:credential_create", allowed=CREDENTIAL_WRITERS, kwargs=_person_a),
    Rule("certification:credential", allowed=RECORD_READERS, kwargs=_credential_of_a),
    Rule("certification:credential_document", allowed=RECORD_READERS, kwargs=_credential_of_a),
    Rule("certification:credential_verify", allowed=CREDENTIAL_VERIFIERS, method="post", kwargs=_credential_of_a,
         ok=(302,)),
    Rule("certification:credential_reject", allowed=CREDENTIAL_VERIFIERS, method="post", kwargs=_credential_of_a,
         data=lambda c: {"reason": "Pindaian tidak terbaca"}, ok=(302,)),
    Rule("api:certification_list_credentials", allowed=REPORT_READERS | {Role.PARTICIPANT}),
    Rule("api:certification_list_expiring", allowed=REPORT_READERS),
    Rule("api:certification_get_credential", allowed=RECORD_READERS, kwargs=_credential_of_a),
    Rule("api:certification_create_credential", allowed=CREDENTIAL_WRITERS, method="post", data=_new_str,
         ok=(201,)),
    Rule("api:certification_attach_document", allowed=CREDENTIAL_WRITERS, method="post",
         kwargs=_credential_of_a, data=_scan_payload),
    Rule("api:certification_verify_credential", allowed=CREDENTIAL_VERIFIERS, method="post",
         kwargs=_credential_of_a),
    Rule("api:certification_reject_credential", allowed=CREDENTIAL_VERIFIERS, method="post",
         kwargs=_credential_of_a, data=lambda c: {"reason": "Nomor tidak cocok"}),
    Rule("api:certification_person_requirements", allowed=RECORD_READERS, kwargs=_person_a),
    Rule("api:certification_list_requirement_sets", allowed=RULE_READERS),
]
