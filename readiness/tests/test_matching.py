"""Roster matching: eligibility, availability, fairness, distance ordering and the explanation."""

import datetime as dt

import pytest
from django.utils import timezone

from curriculum.models import ModuleVersion
from readiness import qualifications, services
from readiness.geo import haversine_km, regencies_by_distance
from readiness.matching import Filters, match_request, months_before
from readiness.models import CallUp, Deployment
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

#: person id → {kind: valid until}; read by the fake credential checker.
FAKE_CREDENTIALS: dict[int, dict[str, dt.date]] = {}


def fake_checker(person_ids, kinds, on):
    return {pid: {k for k, until in FAKE_CREDENTIALS.get(pid, {}).items() if k in kinds and until >= on}
            for pid in person_ids}


@pytest.fixture
def checker():
    FAKE_CREDENTIALS.clear()
    qualifications.register_credential_checker(fake_checker)
    yield FAKE_CREDENTIALS
    qualifications.unregister_credential_checker(fake_checker)
    FAKE_CREDENTIALS.clear()


@pytest.fixture
def ldp(cast):
    competency = make_competency()
    module = make_module(competency, title="Layanan Dukungan Psikososial")
    event = make_event(module.versions.get(), name="Pelatihan LDP Angkatan I")
    boss = coordinator(cast)
    incident = make_incident(boss)
    return {"competency": competency, "module": module, "event": event, "boss": boss, "incident": incident}


def _ids(result):
    return [c.person.pk for c in result.candidates]


def test_it_lists_only_people_who_completed_a_module_with_the_competency(ldp):
    trained = make_person(region="32.04")
    make_person(region="32.04")  # never trained
    complete(trained, ldp["event"])
    req = make_request(ldp["boss"], ldp["incident"])
    assert _ids(match_request(req)) == [trained.pk]


def test_an_old_version_counts_only_within_the_allowed_age(ldp):
    competency = make_competency()
    now = timezone.now()
    module = make_module(competency, title="LDP lama", versions=[
        (1, ModuleVersion.Status.RETIRED, now - dt.timedelta(days=40 * 30)),
        (2, ModuleVersion.Status.RETIRED, now - dt.timedelta(days=6 * 30)),
        (3, ModuleVersion.Status.APPROVED, now - dt.timedelta(days=30)),
    ])
    v1, v2, v3 = (module.versions.get(number=n) for n in (1, 2, 3))
    outdated, recent, current = make_person(region="32.04"), make_person(region="32.04"), make_person(region="32.04")
    complete(outdated, make_event(v1))
    complete(recent, make_event(v2))
    complete(current, make_event(v3))
    req = make_request(ldp["boss"], ldp["incident"], max_age=24)
    assert set(_ids(match_request(req))) == {recent.pk, current.pk}
    strict = make_request(ldp["boss"], ldp["incident"], max_age=0)
    assert set(_ids(match_request(strict))) == {current.pk}


def test_an_expired_credential_excludes_and_a_valid_one_qualifies(ldp, checker):
    valid, expired, none = (make_person(region="32.04") for _ in range(3))
    for person in (valid, expired, none):
        complete(person, ldp["event"])
    req = make_request(ldp["boss"], ldp["incident"], credentials=("str",))
    checker[valid.pk] = {"str": req.end_date + dt.timedelta(days=365)}
    checker[expired.pk] = {"str": req.start_date - dt.timedelta(days=1)}
    result = match_request(req)
    assert _ids(result) == [valid.pk]
    assert result.excluded[expired.pk] == "credential" and result.excluded[none.pk] == "credential"
    assert "kredensial berlaku: STR" in result.candidates[0].explanation


def test_without_a_checker_no_one_meets_a_credential_requirement(ldp, monkeypatch):
    from readiness import qualifications

    monkeypatch.setattr(qualifications, "_checkers", {})
    person = make_person(region="32.04")
    complete(person, ldp["event"])
    req = make_request(ldp["boss"], ldp["incident"], credentials=("sipps",))
    result = match_request(req)
    assert result.candidates == [] and "Pemeriksa kredensial belum terpasang" in result.notes[0]


def test_unavailable_deployed_and_resting_people_are_left_out(ldp, settings):
    settings.READINESS_REST_DAYS = 10
    free, away, busy, resting, rested = (make_person(region="32.04") for _ in range(5))
    for person in (free, away, busy, resting, rested):
        complete(person, ldp["event"])
    req = make_request(ldp["boss"], ldp["incident"], start=dt.date(2026, 12, 10), days=14)
    services.unavailability_create(person=away, start_date=dt.date(2026, 12, 20), end_date=dt.date(2026, 12, 30),
                                   reason="Cuti melahirkan", by=SYSTEM)
    other = make_request(ldp["boss"], ldp["incident"], start=dt.date(2026, 11, 1), days=10)
    Deployment.objects.create(request=other, person=resting, role="Petugas LDP", start_date=dt.date(2026, 11, 20),
                              end_date=dt.date(2026, 12, 3))  # ends 7 days before: inside 10 rest days
    Deployment.objects.create(request=other, person=rested, role="Petugas LDP", start_date=dt.date(2026, 11, 1),
                              end_date=dt.date(2026, 11, 25))  # 15 days before: rested
    third = make_request(ldp["boss"], ldp["incident"], start=dt.date(2026, 12, 15), days=5)
    Deployment.objects.create(request=third, person=busy, role="Petugas LDP", start_date=dt.date(2026, 12, 15),
                              end_date=dt.date(2026, 12, 20))
    result = match_request(req)
    assert set(_ids(result)) == {free.pk, rested.pk}
    assert result.excluded[away.pk] == "unavailable"
    assert result.excluded[busy.pk] == "deployed"
    assert result.excluded[resting.pk] == "resting"
    # Fairness: never deployed before the one deployed once (same distance band).
    assert _ids(result) == [free.pk, rested.pk]


def test_nearer_people_rank_first(ldp):
    far = make_person(region="96.71")      # Kota Sorong
    near = make_person(region="32.04")     # Kabupaten Bandung, the assembly point
    middle = make_person(region="33.74")   # Kota Semarang
    for person in (far, near, middle):
        complete(person, ldp["event"])
    req = make_request(ldp["boss"], ldp["incident"], point="32.04")
    result = match_request(req)
    assert _ids(result) == [near.pk, middle.pk, far.pk]
    distances = [c.distance_km for c in result.candidates]
    assert distances == sorted(distances) and distances[0] == 0


def test_filters_limit_by_province_position_and_distance(ldp):
    bandung = make_person(region="32.73")
    jakarta = make_person(region="31.71", position="tksk", employment_type="NON_ASN")
    papua = make_person(region="91.71")
    for person in (bandung, jakarta, papua):
        complete(person, ldp["event"])
    req = make_request(ldp["boss"], ldp["incident"])
    assert set(_ids(match_request(req, filters=Filters(max_km=300)))) == {bandung.pk, jakarta.pk}
    assert _ids(match_request(req, filters=Filters(province="31"))) == [jakarta.pk]
    assert _ids(match_request(req, filters=Filters(position_id=jakarta.position_id))) == [jakarta.pk]


def test_the_explanation_names_training_distance_and_last_deployment(ldp, settings):
    settings.READINESS_REST_DAYS = 0
    person = make_person(region="32.73", full_name="Rahmawati Siregar")
    complete(person, ldp["event"], at=timezone.make_aware(dt.datetime(2025, 3, 6, 10, 0)))
    older = make_request(ldp["boss"], ldp["incident"], start=dt.date(2026, 1, 5), days=10)
    Deployment.objects.create(request=older, person=person, role="Petugas LDP", start_date=dt.date(2026, 1, 5),
                              end_date=dt.date(2026, 1, 15))
    req = make_request(ldp["boss"], ldp["incident"])
    [cand] = match_request(req).candidates
    km = haversine_km(-6.9, 107.6, -7.1, 107.6)  # Kota Bandung ↔ Kabupaten Bandung, about 20 km
    assert 10 < cand.distance_km < 40 and abs(cand.distance_km - km) < 20
    text = cand.explanation
    competency = ldp["event"].programme.items.get().module_version.module.competencies.get()
    assert text.startswith(f"Peringkat 1: Memenuhi kompetensi: {competency.name} lewat modul "
                           "Layanan Dukungan Psikososial versi 1 (lulus 6 Maret 2025), Pelatihan LDP Angkatan I")
    assert f"berjarak {cand.distance_km:.0f} km dari titik kumpul Kabupaten Bandung (domisili Kota Bandung)" in text
    assert "terakhir ditugaskan sampai 15 Januari 2026 (1 kali penugasan)" in text


def test_agency_consent_is_marked_and_holds_the_call(ldp, cast):
    services.agency_policy_set(agency=cast.kemensos, consent_required=True, by=SYSTEM)
    person = cast.person_a
    complete(person, ldp["event"])
    req = make_request(ldp["boss"], ldp["incident"])
    [cand] = match_request(req).candidates
    assert cand.consent_needed and "perlu persetujuan instansi" in cand.explanation
    [callup] = services.callup_send(request=req, person_ids=[person.pk], by=ldp["boss"])
    assert callup.status == CallUp.Status.AWAITING_CONSENT and callup.nonce == ""
    callup = services.callup_consent(callup=callup, approve=True, by=cast.agency_admin)
    assert callup.status == CallUp.Status.SENT and callup.nonce


def test_people_already_called_are_not_offered_twice(ldp):
    person = make_person(region="32.04")
    complete(person, ldp["event"])
    req = make_request(ldp["boss"], ldp["incident"])
    services.callup_send(request=req, person_ids=[person.pk], by=ldp["boss"])
    result = match_request(req)
    assert result.candidates == [] and result.excluded[person.pk] == "called"


def test_regencies_are_ordered_by_haversine_distance_within_the_box():
    rows = regencies_by_distance("32.04", max_km=50)
    assert rows[0] == ("32.04", 0.0) and all(km <= 50 for _code, km in rows)
    assert "32.73" in dict(rows) and "31.71" not in dict(rows)


def test_months_before_clips_to_the_month_length():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 24) == dt.date(2024, 1, 15)
