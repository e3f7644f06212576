"""The readiness table's copies of the person's regency, position, agency and active flag follow the person:
written by database triggers on insert and whenever the person's row changes, however it changes."""

import pytest
from django.db import connection

from people.models import Agency, Person, Position, Region
from people.services import PersonInput, person_set_active, person_update
from readiness.matching import Filters, match_request
from readiness.models import PersonCompetency
from readiness.testing import (
    complete,
    coordinator,
    make_competency,
    make_event,
    make_incident,
    make_module,
    make_request,
)
from siaga.testing import SYSTEM, make_person

pytestmark = pytest.mark.django_db


def copies(person: Person) -> set[tuple]:
    return set(PersonCompetency.objects.filter(person=person).values_list(
        "person_region_id", "person_position_id", "person_agency_id", "person_active"))


def expected(person: Person) -> set[tuple]:
    person.refresh_from_db()
    return {(person.region_id, person.position_id, person.agency_id, person.is_active)}


@pytest.fixture
def trained():
    competency = make_competency()
    module = make_module(competency)
    shelter = make_module(make_competency("shelter", "Pengelolaan pengungsian"), title="Shelter")
    person = make_person(region="32.04")
    complete(person, make_event(module.versions.get()))
    complete(person, make_event(shelter.versions.get()))
    return person


def _input(person: Person, **changes) -> PersonInput:
    values = {"full_name": person.full_name, "sex": person.sex, "employment_type": person.employment_type,
              "agency": person.agency, "birth_date": person.birth_date, "nip": person.nip, "nik": person.nik,
              "position": person.position, "level": person.level, "region": person.region,
              "province": person.province}
    if "region" in changes:
        changes.setdefault("province", changes["region"].province)
    values.update(changes)
    return PersonInput(**values)


def test_new_rows_copy_the_person(trained):
    assert PersonCompetency.objects.filter(person=trained).count() == 2
    assert copies(trained) == expected(trained)
    assert copies(trained) == {("32.04", trained.position_id, trained.agency_id, True)}


def test_moving_regency_position_or_agency_through_the_service_updates_every_row(trained):
    other_position = Position.objects.exclude(pk=trained.position_id).order_by("code").first()
    other_agency = Agency.objects.exclude(pk=trained.agency_id).order_by("code").first()
    person_update(by=SYSTEM, person=trained, data=_input(trained, region=Region.objects.get(code="31.71")))
    assert copies(trained) == expected(trained) == {("31.71", trained.position_id, trained.agency_id, True)}
    person_update(by=SYSTEM, person=trained, data=_input(trained, position=other_position, level=None))
    assert copies(trained) == expected(trained)
    assert {row[1] for row in copies(trained)} == {other_position.pk}
    person_update(by=SYSTEM, person=trained, data=_input(trained, agency=other_agency))
    assert copies(trained) == expected(trained)
    assert {row[2] for row in copies(trained)} == {other_agency.pk}


def test_deactivating_and_reactivating_is_followed(trained):
    person_set_active(by=SYSTEM, person=trained, active=False, reason="pensiun")
    assert copies(trained) == expected(trained) == {("32.04", trained.position_id, trained.agency_id, False)}
    person_set_active(by=SYSTEM, person=trained, active=True, reason="kembali")
    assert copies(trained) == expected(trained)


def test_bulk_updates_and_raw_sql_are_followed_too(trained):
    Person.objects.filter(pk=trained.pk).update(region_id="73.71", is_active=False)
    assert copies(trained) == expected(trained) == {("73.71", trained.position_id, trained.agency_id, False)}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET region_id = %s, is_active = %s WHERE id = %s",
                       ["32.73", True, trained.pk])
    assert copies(trained) == expected(trained) == {("32.73", trained.position_id, trained.agency_id, True)}


def test_the_copies_cannot_be_written_stale_from_python(trained):
    row = PersonCompetency.objects.filter(person=trained).first()
    Person.objects.filter(pk=trained.pk).update(region_id="31.71")
    row.save()  # the instance still holds 32.04; saving it rewrites person_id, so the copies are refilled
    assert copies(trained) == expected(trained) == {("31.71", trained.position_id, trained.agency_id, True)}


def test_other_people_rows_are_left_alone(trained):
    other = make_person(region="32.04")
    complete(other, make_event(make_module(make_competency()).versions.get()))
    Person.objects.filter(pk=trained.pk).update(region_id="31.71")
    assert copies(other) == expected(other)


def test_matching_follows_a_person_who_moves_or_leaves(cast, trained):
    boss = coordinator(cast)
    incident = make_incident(boss)
    jakarta = make_request(boss, incident, point="31.71")
    assert [c.person.pk for c in match_request(jakarta).candidates] == [trained.pk]
    assert match_request(jakarta, filters=Filters(max_km=40.0)).candidates == []
    person_update(by=SYSTEM, person=trained, data=_input(trained, region=Region.objects.get(code="31.71")))
    [cand] = match_request(jakarta, filters=Filters(max_km=40.0)).candidates
    assert cand.person.pk == trained.pk and "domisili" in cand.explanation
    person_set_active(by=SYSTEM, person=trained, active=False, reason="pensiun")
    assert match_request(jakarta).candidates == []


def test_the_triggers_exist_after_all_migrations():
    """A later migration that rebuilds people_person on SQLite drops its triggers: this catches it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"readiness_personcompetency_fill", "readiness_person_sync"} <= names
