"""The record shows what the lower apps hold: position history (people), JP per year (hours)
and training certificates (credentials)."""

from django.test import Client

from people.models import Position, PositionHistory
from people.services import PersonInput, person_update
from siaga.testing import SYSTEM


def _as_input(person, **changes) -> PersonInput:
    values = {name: getattr(person, name) for name in (
        "full_name", "sex", "employment_type", "agency", "title_prefix", "title_suffix", "birth_date", "birth_place",
        "nip", "nik", "position", "level", "rank_grade", "work_unit", "region", "province", "phone", "email")}
    values.update(changes)
    return PersonInput(**values)


def test_a_change_of_level_closes_one_period_and_opens_the_next(cast):
    person = cast.person_a
    assert PositionHistory.objects.filter(person=person, until__isnull=True).count() == 1
    muda = Position.objects.get(code="pekerja-sosial").levels.get(code="ahli-muda")
    person_update(by=SYSTEM, person=person, data=_as_input(person, level=muda, rank_grade="Penata (III/c)"))
    periods = list(PositionHistory.objects.filter(person=person).order_by("since", "id"))
    assert [p.level.code for p in periods] == ["ahli-pertama", "ahli-muda"]
    assert periods[0].until is not None and periods[1].until is None
    person_update(by=SYSTEM, person=person, data=_as_input(person, phone="0812-1111-2222"))
    assert PositionHistory.objects.filter(person=person).count() == 2  # a phone number is not a position


def test_the_record_page_lists_the_position_history(cast):
    person = cast.person_a
    muda = Position.objects.get(code="pekerja-sosial").levels.get(code="ahli-muda")
    person_update(by=SYSTEM, person=person, data=_as_input(person, level=muda))
    client = Client()
    client.force_login(cast.participant)
    page = client.get(f"/kualifikasi/orang/{person.pk}/").content.decode()
    assert "Riwayat jabatan" in page and "Ahli Pertama" in page and "Ahli Muda" in page
