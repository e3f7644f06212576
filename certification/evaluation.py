"""The qualification rule evaluator: per person, each requirement met or not, with what is missing.

Works on a whole page of people at once with a fixed number of queries (rules, credentials,
completed programmes, completed modules), never one query per person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from certification.models import Credential, CredentialKind, Requirement, RequirementSet
from certification.validity import person_today
from people.models import Person


#: Short names used inside explanations ("STR berakhir 3 Maret 2026").
def kind_short(kind: str) -> str:
    return {
        CredentialKind.COMPETENCY: _("Sertifikat kompetensi"),
        CredentialKind.STR: _("STR"),
        CredentialKind.SIPPS: _("SIPPS"),
        CredentialKind.OTHER: _("Lisensi"),
    }.get(kind, kind)


def _date(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


@dataclass
class RequirementResult:
    requirement: Requirement
    met: bool
    explanation: str


@dataclass
class SetResult:
    requirement_set: RequirementSet
    results: list[RequirementResult] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return all(result.met for result in self.results)

    @property
    def label(self) -> str:
        if self.met:
            return self.requirement_set.met_label or _("terpenuhi")
        return self.requirement_set.unmet_label or _("belum terpenuhi")

    @property
    def missing(self) -> list[RequirementResult]:
        return [result for result in self.results if not result.met]


@dataclass
class PersonFacts:
    """What the evaluator knows about one person, loaded in bulk."""

    today: dt.date
    credentials: list[Credential] = field(default_factory=list)
    programmes: dict[str, dt.datetime | None] = field(default_factory=dict)
    modules: dict[str, dt.datetime | None] = field(default_factory=dict)


def active_sets() -> list[RequirementSet]:
    return list(RequirementSet.objects.filter(is_active=True).select_related("position", "level")
                .prefetch_related("requirements"))


def applies_to(requirement_set: RequirementSet, person: Person) -> bool:
    if requirement_set.position_id and requirement_set.position_id != person.position_id:
        return False
    return not (requirement_set.level_id and requirement_set.level_id != person.level_id)


def load_facts(people: list[Person], *, now: dt.datetime | None = None) -> dict[int, PersonFacts]:
    from training.models import Enrolment

    moment = now or timezone.now()
    facts = {person.pk: PersonFacts(today=person_today(person, now=moment)) for person in people}
    ids = list(facts)
    if not ids:
        return facts
    for credential in Credential.objects.filter(person_id__in=ids).order_by("-valid_until", "-id"):
        facts[credential.person_id].credentials.append(credential)
    completed = Enrolment.objects.filter(person_id__in=ids, status=Enrolment.Status.COMPLETED)
    for person_id, code, at in completed.values_list("person_id", "event__programme__code", "completed_at"):
        facts[person_id].programmes.setdefault(code, at)
    for person_id, code, at in completed.values_list(
            "person_id", "event__programme__items__module_version__module__code", "completed_at"):
        if code:
            facts[person_id].modules.setdefault(code, at)
    return facts


def _credential_result(requirement: Requirement, facts: PersonFacts) -> RequirementResult:
    today = facts.today
    name = kind_short(requirement.credential_kind)
    mine = [c for c in facts.credentials if c.kind == requirement.credential_kind]
    verified = [c for c in mine if c.status == Credential.Status.VERIFIED]
    valid = [c for c in verified if c.is_valid_on(today)]
    if valid:
        best = max(valid, key=lambda c: c.valid_until or dt.date.max)
        if best.valid_until is None:
            text = _("%(name)s %(number)s berlaku seumur hidup") % {"name": name, "number": best.number}
        else:
            text = _("%(name)s %(number)s berlaku sampai %(date)s") % {
                "name": name, "number": best.number, "date": _date(best.valid_until)}
        return RequirementResult(requirement, True, text)
    pending = [c for c in mine if c.status == Credential.Status.CLAIMED and c.is_valid_on(today)]
    if pending:
        return RequirementResult(requirement, False, _("%(name)s %(number)s masih menunggu verifikasi") % {
            "name": name, "number": pending[0].number})
    expired = [c for c in verified if c.is_expired_on(today)]
    if expired:
        last = max(expired, key=lambda c: c.valid_until)
        return RequirementResult(requirement, False, _("%(name)s berakhir %(date)s") % {
            "name": name, "date": _date(last.valid_until)})
    later = [c for c in verified if c.issued_on > today]
    if later:
        return RequirementResult(requirement, False, _("%(name)s baru berlaku mulai %(date)s") % {
            "name": name, "date": _date(later[0].issued_on)})
    rejected = [c for c in mine if c.status == Credential.Status.REJECTED]
    if rejected:
        return RequirementResult(requirement, False, _("%(name)s ditolak: %(reason)s") % {
            "name": name, "reason": rejected[0].rejection_reason})
    return RequirementResult(requirement, False, _("belum memiliki %(name)s") % {"name": name})


def _training_result(requirement: Requirement, facts: PersonFacts) -> RequirementResult:
    done = facts.programmes if requirement.kind == Requirement.Kind.PROGRAMME else facts.modules
    if requirement.code in done:
        at = done[requirement.code]
        if at:
            return RequirementResult(requirement, True, _("lulus %(label)s pada %(date)s") % {
                "label": requirement.label, "date": _date(timezone.localdate(at))})
        return RequirementResult(requirement, True, _("lulus %(label)s") % {"label": requirement.label})
    return RequirementResult(requirement, False, _("belum mengikuti %(label)s") % {"label": requirement.label})


def evaluate(requirement_set: RequirementSet, facts: PersonFacts) -> SetResult:
    result = SetResult(requirement_set)
    for requirement in requirement_set.requirements.all():
        if requirement.kind == Requirement.Kind.CREDENTIAL:
            result.results.append(_credential_result(requirement, facts))
        else:
            result.results.append(_training_result(requirement, facts))
    return result


def evaluate_people(people: list[Person], *, sets: list[RequirementSet] | None = None,
                    now: dt.datetime | None = None) -> dict[int, list[SetResult]]:
    """Every applicable active requirement set of each person, evaluated."""
    sets = active_sets() if sets is None else sets
    facts = load_facts(people, now=now)
    out: dict[int, list[SetResult]] = defaultdict(list)
    for person in people:
        for requirement_set in sets:
            if applies_to(requirement_set, person):
                out[person.pk].append(evaluate(requirement_set, facts[person.pk]))
    return out


def evaluate_person(person: Person, *, now: dt.datetime | None = None) -> list[SetResult]:
    return evaluate_people([person], now=now).get(person.pk, [])
