from accounts.roles import Role
from siaga.testing import Rule

#: person_a works at Kemensos: the centre admin, the Kemensos admin and person_a themself (the participant).
EXPORTERS = {Role.CENTRE_ADMIN, Role.AGENCY_ADMIN, Role.PARTICIPANT}


def _person_a(cast):
    return {"person_id": cast.person_a.pk}


RULES = [
    Rule("privacy:person_export", allowed=EXPORTERS, kwargs=_person_a),
    Rule("api:privacy_person_data", allowed=EXPORTERS, kwargs=_person_a),
]
