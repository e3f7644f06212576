from accounts.roles import ALL_ROLES, PEOPLE_READERS, PEOPLE_WRITERS, Role
from siaga.testing import Rule


def _person_a(cast):
    return {"person_id": cast.person_a.pk}


def _new_person(cast):
    return {"full_name": "Orang Baru", "sex": "L", "employment_type": "NON_ASN", "agency_id": cast.kemensos.pk,
            "nik": "3273011503850001"}


RULES = [
    Rule("people:list", allowed=PEOPLE_READERS),
    Rule("people:create", allowed=PEOPLE_WRITERS),
    Rule("people:export", allowed=PEOPLE_READERS, kwargs=lambda c: {"fmt": "csv"}, query="?q=siti"),
    # person_a works at Kemensos: the Kemensos admin and the person themself may see them.
    Rule("people:detail", allowed=PEOPLE_READERS | {Role.PARTICIPANT}, kwargs=_person_a),
    Rule("people:edit", allowed=PEOPLE_WRITERS, kwargs=_person_a),
    Rule("api:list_people", allowed=PEOPLE_READERS),
    Rule("api:create_person", allowed=PEOPLE_WRITERS - {Role.AUDITOR}, method="post", data=_new_person,
         ok=(201,)),
    Rule("api:get_person", allowed=PEOPLE_READERS | {Role.PARTICIPANT}, kwargs=_person_a),
    Rule("api:update_person", allowed=PEOPLE_WRITERS, method="put", kwargs=_person_a,
         data=lambda c: {"full_name": "Siti Aminah", "sex": "P", "employment_type": "PNS",
                         "agency_id": c.kemensos.pk, "nip": c.person_a.nip}),
    Rule("api:regions", allowed=ALL_ROLES),
    Rule("api:agencies", allowed=ALL_ROLES),
    Rule("api:positions", allowed=ALL_ROLES),
]
