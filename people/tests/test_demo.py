"""The demo loader: valid NIP/NIK for every person, search words written, idempotent."""

from __future__ import annotations

import random

from people import demo
from people.identity import parse_nik, parse_nip
from people.models import Person, PersonSearchToken
from people.normalize import name_tokens, sort_key
from people.selectors import PersonFilters, person_search
from siaga.testing import SYSTEM


def test_every_demo_person_has_valid_numbers_and_search_words(db):
    assert demo.load(count=400, rng=random.Random(5)) == 400
    people = list(Person.objects.all())
    assert len(people) == 400
    for person in people:
        if person.employment_type == "NON_ASN":
            assert person.nip is None
        else:
            info = parse_nip(person.nip, sex=person.sex, employment_type=person.employment_type,
                             birth_date=person.birth_date)
            assert info.birth_date == person.birth_date
        if person.nik:
            assert parse_nik(person.nik, sex=person.sex, birth_date=person.birth_date).regency_code == person.region_id
        assert person.sort_name == sort_key(person.full_name)
        assert person.region.province_id == person.province_id
        assert person.phone.startswith("+628")
        assert person.level_id is None or person.level.position_id == person.position_id
    words = set(PersonSearchToken.objects.filter(person=people[0]).values_list("token", flat=True))
    assert words == set(name_tokens(people[0].full_name))
    assert {"PNS", "PPPK", "NON_ASN"} <= {p.employment_type for p in people}


def test_loading_again_adds_nobody_and_a_larger_count_tops_up(db):
    demo.load(count=50, rng=random.Random(1))
    assert demo.load(count=50, rng=random.Random(1)) == 0
    assert demo.load(count=80, rng=random.Random(2)) == 30
    assert Person.objects.count() == 80
    assert Person.objects.values("nip").exclude(nip=None).distinct().count() == Person.objects.exclude(
        nip=None).count()


def test_demo_people_are_found_by_name_and_new_people_get_fresh_ids(db):
    demo.load(count=60, rng=random.Random(3))
    someone = Person.objects.order_by("id").last()
    word = name_tokens(someone.full_name)[0]
    assert someone in person_search(user=SYSTEM, filters=PersonFilters(q=word))
    from siaga.testing import make_person

    assert make_person().pk > someone.pk
