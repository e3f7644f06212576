import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from certification.evaluation import evaluate_people, evaluate_person
from certification.models import CredentialKind
from certification.services import credential_reject
from certification.testing import make_credential
from siaga.testing import SYSTEM, make_person

NOW = dt.datetime(2026, 4, 10, 5, 0, tzinfo=dt.UTC)


def _practice(results):
    return next(r for r in results if r.requirement_set.code == "pekerja-sosial-berpraktik")


def _explanations(result):
    return {item.requirement.credential_kind or item.requirement.code: (item.met, item.explanation)
            for item in result.results}


def test_a_worker_with_all_three_valid_verified_papers_may_practise(cast):
    for kind in (CredentialKind.COMPETENCY, CredentialKind.STR, CredentialKind.SIPPS):
        make_credential(cast.person_a, kind, verified=True, valid_until=dt.date(2028, 1, 14))
    with translation.override("id"):
        result = _practice(evaluate_person(cast.person_a, now=NOW))
    assert result.met
    assert result.label == "boleh berpraktik"
    met, text = _explanations(result)["str"]
    assert met and text.endswith("berlaku sampai 14 Januari 2028")


def test_it_explains_what_is_missing(cast):
    make_credential(cast.person_a, CredentialKind.COMPETENCY, verified=True, valid_until=None)
    make_credential(cast.person_a, CredentialKind.STR, verified=True, issued_on=dt.date(2021, 3, 4),
                    valid_until=dt.date(2026, 3, 3))
    with translation.override("id"):
        results = evaluate_person(cast.person_a, now=NOW)
    practice = _practice(results)
    assert not practice.met and practice.label == "belum boleh berpraktik"
    why = _explanations(practice)
    assert why["competency"][0] is True and "seumur hidup" in why["competency"][1]
    assert why["str"] == (False, "STR berakhir 3 Maret 2026")
    assert why["sipps"] == (False, "belum memiliki SIPPS")
    level = next(r for r in results if r.requirement_set.code == "pekerja-sosial-ahli-pertama")
    assert [m.explanation for m in level.missing] == ["belum mengikuti Pelatihan Dasar Pekerja Sosial"]


def test_claimed_and_rejected_papers_do_not_count_and_say_why(cast):
    make_credential(cast.person_a, CredentialKind.STR, number="STR-111")
    sipps = make_credential(cast.person_a, CredentialKind.SIPPS)
    credential_reject(credential=sipps, reason="Pindaian buram", by=SYSTEM)
    with translation.override("id"):
        why = _explanations(_practice(evaluate_person(cast.person_a, now=NOW)))
    assert why["str"] == (False, "STR STR-111 masih menunggu verifikasi")
    assert why["sipps"] == (False, "SIPPS ditolak: Pindaian buram")


def test_a_completed_programme_meets_the_level_requirement(cast, completed_training):
    completed_training(cast.person_a)
    with translation.override("id"):
        results = evaluate_person(cast.person_a, now=NOW)
    level = next(r for r in results if r.requirement_set.code == "pekerja-sosial-ahli-pertama")
    assert level.met
    assert level.results[0].explanation == "lulus Pelatihan Dasar Pekerja Sosial pada 20 Mei 2025"


def test_a_module_requirement_is_met_by_any_completed_programme_containing_it(cast, completed_training):
    from certification.models import RequirementSet
    from certification.services import requirement_add

    rule_set = RequirementSet.objects.get(code="pekerja-sosial-ahli-pertama")
    requirement_add(requirement_set=rule_set, kind="module", code="etika-01", label="Modul Etika Pekerjaan Sosial",
                    by=SYSTEM)
    completed_training(cast.person_a, code="penyegaran-2025", title="Penyegaran", module_code="etika-01")
    with translation.override("id"):
        level = next(r for r in evaluate_person(cast.person_a, now=NOW)
                     if r.requirement_set.code == "pekerja-sosial-ahli-pertama")
    why = {i.requirement.code: (i.met, i.explanation) for i in level.results}
    assert why["etika-01"][0] is True
    assert why["dasar-pekerja-sosial"] == (False, "belum mengikuti Pelatihan Dasar Pekerja Sosial")


def test_rules_apply_only_to_their_position_and_level(db):
    pelaksana = make_person(position="pelaksana")
    muda = make_person(level="ahli-muda")
    results = evaluate_people([pelaksana, muda], now=NOW)
    assert results.get(pelaksana.pk, []) == []
    assert [r.requirement_set.code for r in results[muda.pk]] == ["pekerja-sosial-berpraktik"]


def test_a_page_of_people_is_evaluated_in_a_fixed_number_of_queries(db, completed_training):
    people = [make_person(level="ahli-pertama") for _ in range(3)]
    for person in people:
        make_credential(person, CredentialKind.STR, verified=True)
    completed_training(people[0])
    with CaptureQueriesContext(connection) as few:
        evaluate_people(people, now=NOW)
    more = people + [make_person(level="ahli-pertama") for _ in range(5)]
    for person in more[3:]:
        make_credential(person, CredentialKind.SIPPS)
    with CaptureQueriesContext(connection) as many:
        evaluate_people(more, now=NOW)
    assert len(many) == len(few) <= 6
