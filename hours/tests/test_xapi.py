import base64
import json
import uuid

import pytest

from hours.models import LedgerEntry, PersonYearTotal
from hours.tests.factories import make_platform
from hours.xapi import VERB_COMPLETED, VERB_PASSED, duration_minutes

pytestmark = pytest.mark.django_db
HOME = "https://belajar.contoh.go.id"


def _auth(platform, secret="rahasia-platform"):
    token = base64.b64encode(f"{platform.username}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


def _statement(person, *, verb=VERB_COMPLETED, duration="PT2H15M", sid=None, by="account"):
    actor = ({"objectType": "Agent", "account": {"homePage": HOME, "name": person.nip}} if by == "account"
             else {"objectType": "Agent", "mbox": f"mailto:{person.email}"})
    return {"id": str(sid or uuid.uuid4()), "actor": actor, "verb": {"id": verb, "display": {"en-US": "completed"}},
            "object": {"id": "https://belajar.contoh.go.id/kursus/ldp-dasar",
                       "definition": {"name": {"id-ID": "Dukungan Psikososial Dasar"}}},
            "result": {"completion": True, "duration": duration}, "timestamp": "2026-03-02T03:00:00Z"}


def _post(client, body, **headers):
    return client.post("/xapi/statements", data=json.dumps(body), content_type="application/json", **headers)


def test_a_completed_statement_becomes_an_approved_elearning_entry(client, cast):
    platform = make_platform()
    statement = _statement(cast.person_a)
    response = _post(client, statement, **_auth(platform))
    assert response.status_code == 200, response.content
    assert response.json() == [statement["id"]]
    entry = LedgerEntry.objects.get(statement_id=statement["id"])
    assert (entry.minutes, entry.entry_type, entry.source, entry.status, entry.year) == (
        135, "elearning", "platform", "approved", 2026)
    assert entry.title == "Dukungan Psikososial Dasar"
    assert PersonYearTotal.objects.get(person=cast.person_a, year=2026).approved_minutes == 135


def test_a_list_is_accepted_matching_by_mbox_and_duplicates_are_ignored(client, cast):
    platform = make_platform()
    from people.models import Person

    Person.objects.filter(pk=cast.person_a.pk).update(email="siti@contoh.go.id")
    cast.person_a.refresh_from_db()
    first = _statement(cast.person_a, verb=VERB_PASSED, by="mbox")
    other = {**_statement(cast.person_a), "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}}
    response = _post(client, [first, other], **_auth(platform))
    assert response.status_code == 200
    assert response.json() == [first["id"], other["id"]]
    again = _post(client, [first], **_auth(platform))
    assert again.status_code == 200
    assert LedgerEntry.objects.filter(person=cast.person_a).count() == 1


def test_the_version_header_is_required(client, cast):
    platform = make_platform()
    headers = _auth(platform)
    del headers["HTTP_X_EXPERIENCE_API_VERSION"]
    response = _post(client, _statement(cast.person_a), **headers)
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.json()["error"]["message"]


def test_wrong_credentials_are_refused(client, cast):
    platform = make_platform()
    response = _post(client, _statement(cast.person_a), **_auth(platform, secret="salah"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert not LedgerEntry.objects.exists()


def test_an_unknown_person_rejects_the_whole_batch(client, cast):
    platform = make_platform()
    good = _statement(cast.person_a)
    unknown = _statement(cast.person_a)
    unknown["actor"]["account"]["name"] = "199001012015031999"
    response = _post(client, [good, unknown], **_auth(platform))
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["statement"] == 1 and "unknown person" in body["message"]
    assert not LedgerEntry.objects.exists()
    assert not PersonYearTotal.objects.exists()


@pytest.mark.parametrize("breakage", ["no_verb", "bad_id", "bad_duration", "no_duration", "not_object",
                                      "foreign_home_page", "bad_timestamp"])
def test_malformed_statements_are_rejected_with_nothing_written(client, cast, breakage):
    platform = make_platform()
    statement = _statement(cast.person_a)
    if breakage == "no_verb":
        del statement["verb"]
    elif breakage == "bad_id":
        statement["id"] = "not-a-uuid"
    elif breakage == "bad_duration":
        statement["result"]["duration"] = "two hours"
    elif breakage == "no_duration":
        del statement["result"]["duration"]
    elif breakage == "not_object":
        statement = "completed"
    elif breakage == "foreign_home_page":
        statement["actor"]["account"]["homePage"] = "https://lain.example"
    else:
        statement["timestamp"] = "kemarin"
    response = _post(client, statement, **_auth(platform))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 400
    assert not LedgerEntry.objects.exists()


def test_a_body_that_is_not_json_is_rejected(client, cast):
    platform = make_platform()
    response = client.post("/xapi/statements", data="{", content_type="application/json", **_auth(platform))
    assert response.status_code == 400


@pytest.mark.parametrize(("value", "minutes"), [("PT45M", 45), ("PT1H30M", 90), ("PT5400S", 90), ("P1DT1H", 1500),
                                                 ("PT1.5H", 90), ("PT29S", 0)])
def test_iso_8601_durations_become_minutes(value, minutes):
    assert duration_minutes(value) == minutes


@pytest.mark.parametrize("value", ["", "P", "PT", "1H", "PT1H30"])
def test_invalid_durations_are_refused(value):
    with pytest.raises(ValueError):
        duration_minutes(value)
