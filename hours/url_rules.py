from accounts.roles import PEOPLE_READERS, Role
from hours.access import DASHBOARD_ROLES, LEDGER_MANAGERS, NOMINATORS, RULE_EDITORS
from siaga.testing import Rule

SIASN_EXPORTERS = frozenset({Role.CENTRE_ADMIN, Role.AGENCY_ADMIN})
ENTRY_READERS = PEOPLE_READERS | {Role.PARTICIPANT}
WRITE_MANAGERS = LEDGER_MANAGERS


def _person_a(cast):
    return {"person_id": cast.person_a.pk}


def _entry(cast):
    from hours.tests.factories import make_entry

    if not hasattr(cast, "_hours_entry"):
        cast._hours_entry = make_entry(person=cast.person_a, with_evidence=True)
    return {"entry_id": cast._hours_entry.pk}


def _job(cast):
    from hours.models import RuleRecompute

    job = RuleRecompute.objects.create(year=2026, employment_type="PNS", status="done")
    return {"job_id": job.pk}


def _nomination(cast):
    from hours.tests.factories import make_event

    return {"person_id": cast.person_a.pk, "event_id": make_event().pk}


def _requirement(cast):
    return {"year": 2026, "employment_type": "PPPK", "minimum_jp": 20, "legal_source": "UU 20/2023"}


RULES = [
    Rule("hours:mine", allowed={Role.PARTICIPANT}),
    Rule("hours:person", allowed=ENTRY_READERS, kwargs=_person_a),
    Rule("hours:entry_add", allowed={Role.PARTICIPANT, Role.AGENCY_ADMIN, Role.CENTRE_ADMIN}, kwargs=_person_a),
    Rule("hours:entry", allowed=ENTRY_READERS, kwargs=_entry),
    Rule("hours:evidence", allowed=ENTRY_READERS, kwargs=_entry),
    Rule("hours:entry_approve", allowed=LEDGER_MANAGERS, kwargs=_entry, method="post", ok=(302,)),
    Rule("hours:entry_reject", allowed=LEDGER_MANAGERS, kwargs=_entry, method="post", ok=(302,),
         data=lambda c: {"reason": "Bukti tidak terbaca"}),
    Rule("hours:entry_void", allowed=LEDGER_MANAGERS, kwargs=_entry, method="post", ok=(302,),
         data=lambda c: {"reason": "Tercatat dua kali"}),
    Rule("hours:pending", allowed=LEDGER_MANAGERS),
    Rule("hours:dashboard", allowed=DASHBOARD_ROLES),
    Rule("hours:dashboard_people", allowed=DASHBOARD_ROLES),
    Rule("hours:agency_pdf", allowed=DASHBOARD_ROLES, kwargs=lambda c: {"agency_id": c.kemensos.pk}),
    Rule("hours:siasn_export", allowed=SIASN_EXPORTERS),
    Rule("hours:at_risk", allowed=DASHBOARD_ROLES),
    Rule("hours:nominate", allowed=NOMINATORS, method="post", data=_nomination, ok=(302,)),
    Rule("hours:rules", allowed=DASHBOARD_ROLES),
    Rule("hours:rule_requirement", allowed=RULE_EDITORS, method="post", data=_requirement, ok=(302,)),
    Rule("hours:rule_share", allowed=RULE_EDITORS, method="post", ok=(302,),
         data=lambda c: {"year": 2026, "entry_type": "seminar", "percent": 50, "legal_source": "PerLAN 10/2018"}),
    Rule("hours:recompute_status", allowed=DASHBOARD_ROLES, kwargs=_job),
    # xAPI authenticates platforms itself (HTTP Basic): without credentials every caller gets 401.
    Rule("xapi:statements", public=True, method="post", ok=(401,)),
    Rule("api:hours_person_year", allowed=ENTRY_READERS, kwargs=lambda c: {"person_id": c.person_a.pk,
                                                                           "year": 2026}),
    Rule("api:hours_dashboard", allowed=DASHBOARD_ROLES),
    Rule("api:hours_pending_entries", allowed=LEDGER_MANAGERS),
    Rule("api:hours_approve_entry", allowed=WRITE_MANAGERS, method="post", kwargs=_entry),
    Rule("api:hours_reject_entry", allowed=WRITE_MANAGERS, method="post", kwargs=_entry,
         data=lambda c: {"reason": "Bukti tidak terbaca"}),
    Rule("api:hours_rules", allowed=DASHBOARD_ROLES),
]
