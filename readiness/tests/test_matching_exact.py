"""The nearest-first walk ranks exactly like a full scan: on random data, every request, filter and limit gives
the same people in the same order as a naive ranking of everyone (computed here through the people table,
not through the readiness table's copies)."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from curriculum.models import ModuleVersion
from people.models import Agency, Person, Position, Region
from readiness import conf
from readiness.geo import haversine_km, regencies_by_distance, regency_centroids
from readiness.matching import Filters, allowed_versions, match_request
from readiness.models import CallUp, Deployment, PersonCompetency, Unavailability
from readiness.testing import coordinator, make_competency, make_incident, make_module, make_request
from siaga.testing import make_person

pytestmark = pytest.mark.django_db

POINTS = ("32.04", "31.71", "91.71")  # Kabupaten Bandung, Jakarta Pusat, Kota Jayapura


def naive_ranking(req, *, filters: Filters, limit: int, today: dt.date) -> list[int]:
    """Everyone, every distance, every rule, then sort: the ranking the walk must reproduce."""
    allowed = allowed_versions(req, today=today)
    centroids = regency_centroids()
    lat0, lng0 = centroids[req.assembly_point_id][:2]
    band, rest = conf.distance_band_km(), dt.timedelta(days=conf.rest_days())
    preferred = set(req.preferred_positions.values_list("pk", flat=True))
    held: dict[int, set[int]] = {}
    for person_id, competency_id, version_id in PersonCompetency.objects.values_list(
            "person_id", "competency_id", "module_version_id"):
        if version_id in allowed.get(competency_id, set()):
            held.setdefault(person_id, set()).add(competency_id)
    called = set(CallUp.objects.filter(request=req).exclude(status=CallUp.Status.CANCELLED)
                 .values_list("person_id", flat=True))
    away = set(Unavailability.objects.filter(start_date__lte=req.end_date, end_date__gte=req.start_date)
               .values_list("person_id", flat=True))
    deployments: dict[int, list[Deployment]] = {}
    for deployment in Deployment.objects.all():
        deployments.setdefault(deployment.person_id, []).append(deployment)
    keys = []
    for person in Person.objects.filter(is_active=True):
        if person.region_id not in centroids or (allowed and held.get(person.pk, set()) != set(allowed)):
            continue
        lat, lng, province = centroids[person.region_id][:3]
        km = haversine_km(lat0, lng0, lat, lng)
        if ((filters.max_km is not None and km > filters.max_km) or (filters.province and province != filters.province)
                or (filters.position_id and person.position_id != filters.position_id)
                or (filters.agency_id and person.agency_id != filters.agency_id)):
            continue
        if person.pk in called or person.pk in away:
            continue
        mine = deployments.get(person.pk, [])
        past = [d.released_on or d.end_date for d in mine]
        if any(d.start_date <= req.end_date and (d.released_on or d.end_date) >= req.start_date for d in mine):
            continue
        if any(until < req.start_date <= until + rest for until in past):
            continue
        is_preferred = bool(preferred) and person.position_id in preferred
        keys.append((int(km // band), not is_preferred, len(past), km, max(past) if past else dt.date.min, person.pk))
    return [key[-1] for key in sorted(keys)[:limit]]


def random_world(cast, seed: int):
    rng = random.Random(seed)
    ldp = make_competency()
    shelter = make_competency("shelter", "Pengelolaan pengungsian")
    now = timezone.now()
    ldp_module = make_module(ldp, versions=[(1, ModuleVersion.Status.RETIRED, now - dt.timedelta(days=50 * 30)),
                                            (2, ModuleVersion.Status.RETIRED, now - dt.timedelta(days=8 * 30)),
                                            (3, ModuleVersion.Status.APPROVED, now - dt.timedelta(days=20))])
    shelter_module = make_module(shelter, title="Pengelolaan Shelter")
    ldp_versions = list(ldp_module.versions.order_by("number"))
    shelter_version = shelter_module.versions.get()
    positions = list(Position.objects.order_by("code").values_list("code", flat=True)[:3])
    agencies = list(Agency.objects.order_by("code")[:3])
    # Dense near the assembly points (so the walk stops early), some anywhere (so it must not stop too early).
    near = [code for point in POINTS for code, _km in regencies_by_distance(point)[:12]]
    anywhere = list(Region.objects.filter(level=2).values_list("code", flat=True))
    people = [make_person(region=rng.choice(near) if rng.random() < 0.8 else rng.choice(anywhere),
                          position=rng.choice(positions), agency=rng.choice(agencies)) for _ in range(160)]
    rows = []
    for person in people:
        if rng.random() < 0.85:
            rows.append(PersonCompetency(person=person, competency=ldp, module_version=rng.choice(ldp_versions),
                                         completed_at=now - dt.timedelta(days=rng.randint(1, 900))))
        if rng.random() < 0.5:
            rows.append(PersonCompetency(person=person, competency=shelter, module_version=shelter_version,
                                         completed_at=now - dt.timedelta(days=rng.randint(1, 900))))
    PersonCompetency.objects.bulk_create(rows)
    for person in rng.sample(people, 12):  # leave the service after qualifying (the triggers follow)
        Person.objects.filter(pk=person.pk).update(is_active=False)
    boss = coordinator(cast)
    incident = make_incident(boss)
    earlier = make_request(boss, incident, start=dt.date(2026, 9, 1))
    for person in rng.sample(people, 60):
        start = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randint(0, 110))
        end = start + dt.timedelta(days=rng.randint(3, 20))
        released = end - dt.timedelta(days=2) if rng.random() < 0.2 else None
        Deployment.objects.create(request=earlier, person=person, role="LDP", start_date=start, end_date=end,
                                  released_on=released)
    for person in rng.sample(people, 15):
        start = dt.date(2026, 12, 1) + dt.timedelta(days=rng.randint(0, 30))
        Unavailability.objects.create(person=person, start_date=start, end_date=start + dt.timedelta(days=5),
                                      reason="cuti")
    requests = []
    for point in POINTS:
        req = make_request(boss, incident, point=point, competencies=("ldp",))
        requests.append(req)
        both = make_request(boss, incident, point=point, competencies=("ldp", "shelter"), max_age=6)
        both.preferred_positions.set(Position.objects.filter(code=positions[0]))
        requests.append(both)
    for person in rng.sample(people, 10):
        CallUp.objects.create(request=requests[0], person=person,
                              status=rng.choice([CallUp.Status.SENT, CallUp.Status.CANCELLED]))
    return requests, positions, agencies


@pytest.mark.parametrize("seed", [1, 2])
def test_the_walk_ranks_exactly_like_a_full_scan(cast, settings, seed):
    requests, positions, agencies = random_world(cast, seed)
    position = Position.objects.get(code=positions[1])
    today = timezone.localdate()
    checked = 0
    for band in (100, 30, 2000):
        settings.READINESS_DISTANCE_BAND_KM = band
        for req in requests:
            for filters in (Filters(), Filters(max_km=250.0), Filters(province=req.assembly_point.province_id),
                            Filters(position_id=position.pk), Filters(agency_id=agencies[0].pk)):
                everyone = naive_ranking(req, filters=filters, limit=1000, today=today)
                for limit in (1, 3, 10, 200):
                    expected = everyone[:limit]  # a full sort's first ``limit``
                    result = match_request(req, filters=filters, limit=limit, today=today)
                    assert [c.person.pk for c in result.candidates] == expected, (band, req.pk, filters, limit)
                    assert [c.rank for c in result.candidates] == list(range(1, len(expected) + 1))
                    checked += bool(expected)
    assert checked > 100  # the random world is not empty


def test_the_walk_stops_before_reading_far_regencies(cast):
    requests, _positions, _agencies = random_world(cast, 3)
    result = match_request(requests[0], limit=3)
    everyone = PersonCompetency.objects.filter(person_active=True).values("person_id").distinct().count()
    assert len(result.candidates) == 3
    assert result.pool_size < everyone / 2
