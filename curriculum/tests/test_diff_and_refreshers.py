from __future__ import annotations

import pytest

from curriculum import hooks
from curriculum.diff import version_diff
from curriculum.selectors import refresher_candidates
from curriculum.services import (
    material_add_link,
    session_add,
    session_remove,
    version_new_draft,
    version_update,
)
from curriculum.tests.factories import approve_all, make_team
from siaga.testing import make_person


@pytest.fixture
def team(db):
    return make_team()


def test_the_diff_shows_objectives_outline_jp_and_materials_side_by_side(team):
    module = team.module(objectives="Memahami LDP\nMenerapkan PFA")
    v1 = approve_all(team, module.versions.get())
    v2 = version_new_draft(module=module, by=team.author)
    version_update(version=v2, objectives="Memahami LDP\nMenerapkan PFA daring\nMerujuk kasus berat",
                   change_note="Pandemi", pass_mark=75, by=team.author)
    session_remove(session=v2.sessions.get(topic="Praktik lapangan"), by=team.author)
    session_add(version=v2, topic="Praktik daring", method="elearning", jp=4, by=team.author)
    material_add_link(version=v2, title="Video PFA", url="https://video.example.org/pfa", by=team.author)
    diff = version_diff(v1, v2)
    assert diff.has_changes
    tags = [(r.tag, r.left, r.right) for r in diff.objectives]
    assert ("equal", "Memahami LDP", "Memahami LDP") in tags
    assert ("changed", "Menerapkan PFA", "Menerapkan PFA daring") in tags
    assert ("added", "", "Merujuk kasus berat") in tags
    assert ("changed", "Praktik lapangan · Praktik · 3 JP", "Praktik daring · E-learning · 4 JP") in \
        [(r.tag, r.left, r.right) for r in diff.outline]
    assert [r.right for r in diff.materials] == ["Video PFA (https://video.example.org/pfa)"]
    jp_row = diff.facts[0]
    assert jp_row.tag == "changed" and jp_row.left.endswith(": 5") and jp_row.right.endswith(": 6")


def test_two_equal_versions_have_no_changes(team):
    module = team.module()
    v1 = approve_all(team, module.versions.get())
    v2 = version_new_draft(module=module, by=team.author)
    assert not version_diff(v1, v2).has_changes


def test_people_trained_on_older_versions_are_refresher_candidates(team):
    module = team.module()
    v1 = approve_all(team, module.versions.get())
    v2 = version_new_draft(module=module, by=team.author)
    session_add(version=v2, topic="Protokol kesehatan", method="classroom", jp=1, by=team.author)
    approve_all(team, v2)
    old_only, both = make_person(full_name="Rina Lestari"), make_person(full_name="Yusuf Maulana")
    trained = {v1.pk: [old_only, both], v2.pk: [both]}

    def provider(*, versions):
        for version in versions:
            for person in trained.get(version.pk, []):
                yield hooks.TrainedPerson(person_id=person.pk, name=person.full_name, version_id=version.pk,
                                          agency=person.agency.name)

    hooks.register_trained_provider(provider)
    try:
        people = refresher_candidates(v2)
    finally:
        hooks.unregister_trained_provider(provider)
    assert [p.name for p in people] == ["Rina Lestari"]
    assert people[0].version_id == v1.pk


def test_without_providers_or_older_versions_the_list_is_empty(team):
    v1 = approve_all(team, team.module().versions.get())
    assert refresher_candidates(v1) == []


def test_the_refresher_page_lists_the_candidates(team, client, cast):
    module = team.module()
    v1 = approve_all(team, module.versions.get())
    v2 = version_new_draft(module=module, by=team.author)
    approve_all(team, v2)
    person = make_person(full_name="Dewi Kartika")

    def provider(*, versions):
        return [hooks.TrainedPerson(person_id=person.pk, name=person.full_name, version_id=v.pk,
                                    source="Angkatan I Bandung") for v in versions if v.pk == v1.pk]

    hooks.register_trained_provider(provider)
    try:
        client.force_login(cast.user("organiser"))
        response = client.get(f"/modul/{module.pk}/v2/penyegaran/")
    finally:
        hooks.unregister_trained_provider(provider)
    assert response.status_code == 200
    assert "Dewi Kartika" in response.content.decode() and "Angkatan I Bandung" in response.content.decode()
