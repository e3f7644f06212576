from accounts.roles import Role
from readiness.access import DEPLOYMENT_READERS, MANAGERS, READERS, UNAVAILABILITY_WRITERS
from readiness.testing import world
from siaga.testing import Rule

AGENCY_ADMIN = frozenset({Role.AGENCY_ADMIN})


def _incident(cast):
    return {"incident_id": world(cast).incident.pk}


def _request(cast):
    return {"request_id": world(cast).request.pk}


def _reply_token(cast):
    from readiness.services import make_reply_token

    return {"token": make_reply_token(world(cast).sent_callup())}


def _accepted(cast):
    return {"callup_id": world(cast).accepted_callup().pk}


def _awaiting_consent(cast):
    from readiness.services import agency_policy_set
    from siaga.testing import SYSTEM

    w = world(cast)
    agency_policy_set(agency=cast.kemensos, consent_required=True, by=SYSTEM)
    return {"callup_id": w.sent_callup().pk}


def _deployment(cast):
    from readiness.services import callup_confirm

    w = world(cast)
    return {"deployment_id": callup_confirm(callup=w.accepted_callup(), by=w.coordinator).pk}


def _unavailability(cast):
    import datetime as dt

    from readiness.services import unavailability_create
    from siaga.testing import SYSTEM

    item = unavailability_create(person=cast.person_a, start_date=dt.date(2026, 12, 1),
                                 end_date=dt.date(2026, 12, 5), reason="Cuti tahunan", by=SYSTEM)
    return {"unavailability_id": item.pk}


def _new_incident(cast):
    return {"title": "Gempa Cianjur", "type": "earthquake", "regencies": ["32.03"], "start_date": "2026-12-01",
            "services": ["psychosocial_support", "shelter"]}


def _new_request(cast):
    return {"service": "psychosocial_support", "role": "Petugas LDP", "people_needed": 5,
            "competencies": ["ldp"], "start_date": "2026-12-10", "end_date": "2026-12-20",
            "assembly_point": "32.04"}


RULES = [
    Rule("readiness:dashboard", allowed=READERS),
    Rule("readiness:gap", allowed=READERS, kwargs=lambda c: {"province": "32"}),
    Rule("readiness:incidents", allowed=READERS),
    Rule("readiness:incident_create", allowed=MANAGERS),
    Rule("readiness:incident", allowed=READERS, kwargs=_incident),
    Rule("readiness:incident_transition", allowed=MANAGERS, kwargs=_incident, method="post",
         data=lambda c: {"action": "recovery"}, ok=(302,)),
    Rule("readiness:request_create", allowed=MANAGERS, kwargs=_incident),
    Rule("readiness:request", allowed=READERS, kwargs=_request),
    Rule("readiness:board", allowed=READERS, kwargs=_request),
    Rule("readiness:request_call", allowed=MANAGERS, kwargs=_request, method="post",
         data=lambda c: {"person": [c.person_a.pk]}, ok=(302,)),
    Rule("readiness:request_override", allowed=MANAGERS, kwargs=_request, method="post",
         data=lambda c: {"person_id": c.person_b.pk, "reason": "Ahli trauma anak, dibutuhkan segera"}, ok=(302,)),
    Rule("readiness:request_close", allowed=MANAGERS, kwargs=_request, method="post", ok=(302,)),
    Rule("readiness:callup_confirm", allowed=MANAGERS, kwargs=_accepted, method="post",
         data=lambda c: {"team": "Tim LDP 1"}, ok=(302,)),
    Rule("readiness:consents", allowed=AGENCY_ADMIN),
    # Only the admin of the person's own agency (Kemensos) decides; everyone else gets 403/404.
    Rule("readiness:callup_consent", allowed=AGENCY_ADMIN, kwargs=_awaiting_consent, method="post",
         data=lambda c: {"decision": "approve"}, ok=(302,)),
    Rule("readiness:policy", allowed=frozenset({Role.CENTRE_ADMIN, Role.AGENCY_ADMIN})),
    Rule("readiness:deployments", allowed=DEPLOYMENT_READERS),
    Rule("readiness:deployment_release", allowed=MANAGERS, kwargs=_deployment, method="post", ok=(302,)),
    Rule("readiness:unavailability", allowed=UNAVAILABILITY_WRITERS),
    Rule("readiness:unavailability_delete", allowed=UNAVAILABILITY_WRITERS, kwargs=_unavailability, method="post",
         ok=(302,)),
    # The signed reply link: no login; a valid link shows the call.
    Rule("readiness:reply", public=True, kwargs=_reply_token),
    Rule("api:readiness_list_incidents", allowed=READERS),
    Rule("api:readiness_create_incident", allowed=MANAGERS, method="post", data=_new_incident, ok=(201,)),
    Rule("api:readiness_get_incident", allowed=READERS, kwargs=_incident),
    Rule("api:readiness_list_requests", allowed=READERS, kwargs=_incident),
    Rule("api:readiness_create_request", allowed=MANAGERS, kwargs=_incident, method="post", data=_new_request,
         ok=(201,)),
    Rule("api:readiness_match_request", allowed=READERS, kwargs=_request),
    Rule("api:readiness_list_replies", allowed=READERS, kwargs=_request),
    Rule("api:readiness_list_deployments", allowed=DEPLOYMENT_READERS),
]
