"""Roster matching: who is qualified, available and near for a deployment request, ranked and explained.

An exact nearest-first walk (docs/decisions/0007-roster-exact-walk.md; 0006 for the ranking itself):
1. Regencies ordered by distance from the assembly point (``readiness.geo.distances_from``, cached per
   point), within the filters (province, maximum distance).
2. Regency batches, nearest first (1, 2, 4, ... regencies): the qualified people of the batch from the
   readiness table alone (``PersonCompetency`` carries the person's regency, position, agency and active
   flag, kept by triggers), then their availability in one query (``check_people``).
3. The walk stops as soon as the ``limit``-th best ranking key found so far is better than the best key any
   person farther away could have; the result is exactly the ranking of a full scan (tested against one).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from curriculum.models import Competency, Module, ModuleVersion
from people.models import Person
from readiness import conf, qualifications
from readiness.geo import regencies_by_distance, regency_centroids
from readiness.models import (
    AgencyReadinessPolicy,
    CallUp,
    CredentialKind,
    DeploymentRequest,
    PersonCompetency,
)

#: Why a person of the pool is not on the roster.
EXCLUDED_REASONS = {
    "deployed": gettext_lazy("sedang/akan bertugas pada rentang tanggal ini"),
    "resting": gettext_lazy("masih dalam masa istirahat setelah penugasan"),
    "unavailable": gettext_lazy("menyatakan tidak bersedia pada rentang tanggal ini"),
    "credential": gettext_lazy("kredensial wajib tidak berlaku"),
    "called": gettext_lazy("sudah dipanggil untuk permintaan ini"),
}
#: Availability of a batch of people in one query; ``{ids}`` becomes their integer ids (see ``_by_ids``).
#: Rows: ("c", person) called for this request, ("d", person, start, end, released) a deployment,
#: ("u", person) unavailable in the request's range.
CHECK_SQL = (
    "SELECT 'c', person_id, CAST(NULL AS date), CAST(NULL AS date), CAST(NULL AS date) FROM readiness_callup "
    "WHERE request_id = %s AND status <> %s AND person_id IN ({ids}) "
    "UNION ALL SELECT 'd', person_id, start_date, end_date, released_on FROM readiness_deployment "
    "WHERE person_id IN ({ids}) "
    "UNION ALL SELECT 'u', person_id, CAST(NULL AS date), CAST(NULL AS date), CAST(NULL AS date) "
    "FROM readiness_unavailability WHERE start_date <= %s AND end_date >= %s AND person_id IN ({ids})"
)
#: The walk's first batch of regencies; each next batch is twice as large.
FIRST_BATCH = 1


@dataclass(frozen=True)
class Filters:
    province: str = ""
    position_id: int | None = None
    max_km: float | None = None
    agency_id: int | None = None  # agency admins see only their agency's people


@dataclass
class Qualification:
    competency: str
    module: str
    version: int
    completed_at: dt.datetime
    event: str = ""


@dataclass
class Candidate:
    person: Person
    distance_km: float
    deployments: int = 0
    last_deployed_until: dt.date | None = None
    qualifications: list[Qualification] = field(default_factory=list)
    credentials: list[str] = field(default_factory=list)
    consent_needed: bool = False
    preferred: bool = False
    rank: int = 0
    explanation: str = ""


@dataclass
class MatchResult:
    candidates: list[Candidate]
    excluded: dict[int, str]
    pool_size: int
    notes: list[str] = field(default_factory=list)

    def excluded_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for reason in self.excluded.values():
            counts[reason] += 1
        return dict(counts)


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back ``months`` calendar months (the day clipped to the month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def allowed_versions(req: DeploymentRequest, *, today: dt.date | None = None) -> dict[int, set[int]]:
    """competency id → module version ids that count for it: the module's current approved version,
    or an older one approved within ``req.max_version_age_months``."""
    today = today or timezone.localdate()
    competency_ids = [c.pk for c in req.competencies.all()]
    return allowed_versions_for(competency_ids, max_age_months=req.max_version_age_months, today=today)


def allowed_versions_for(competency_ids: list[int], *, max_age_months: int, today: dt.date) -> dict[int, set[int]]:
    links = list(Module.competencies.through.objects.filter(competency_id__in=competency_ids)
                 .values_list("module_id", "competency_id"))
    modules: dict[int, list[int]] = defaultdict(list)
    for module_id, competency_id in links:
        modules[module_id].append(competency_id)
    cutoff = timezone.make_aware(dt.datetime.combine(months_before(today, max_age_months), dt.time.min))
    versions = (ModuleVersion.objects.filter(module_id__in=modules, approved_at__isnull=False)
                .filter(status__in=[ModuleVersion.Status.APPROVED, ModuleVersion.Status.RETIRED])
                .values_list("pk", "module_id", "number", "status", "approved_at"))
    current: dict[int, tuple[int, int]] = {}
    recent: dict[int, set[int]] = defaultdict(set)
    for pk, module_id, number, status, approved_at in versions:
        if status == ModuleVersion.Status.APPROVED and (module_id not in current or number > current[module_id][0]):
            current[module_id] = (number, pk)
        if approved_at >= cutoff:
            recent[module_id].add(pk)
    out: dict[int, set[int]] = {cid: set() for cid in competency_ids}
    for module_id, competencies in modules.items():
        ids = set(recent[module_id])
        if module_id in current:
            ids.add(current[module_id][1])
        for competency_id in competencies:
            out[competency_id] |= ids
    return out


def _qualified_query(allowed: dict[int, set[int]], *, regencies: list[str] | None, filters: Filters,
                     person_ids: list[int] | None = None):
    """(person_id, region_id, position_id, agency_id) of active people holding every competency in
    ``allowed``, from the readiness table alone (its copies of the person's columns)."""
    if allowed:
        condition = Q()
        for competency_id, versions in allowed.items():
            condition |= Q(competency_id=competency_id, module_version_id__in=sorted(versions) or [0])
        qs = PersonCompetency.objects.filter(condition, person_active=True)
        columns = ("person_id", "person_region_id", "person_position_id", "person_agency_id")
        region, position, agency, person = "person_region_id", "person_position_id", "person_agency_id", "person_id"
    else:
        qs = Person.objects.filter(is_active=True)
        columns = ("pk", "region_id", "position_id", "agency_id")
        region, position, agency, person = "region_id", "position_id", "agency_id", "pk"
    if regencies is not None:
        qs = qs.filter(**{f"{region}__in": regencies})
    if filters.position_id:
        qs = qs.filter(**{position: filters.position_id})
    if filters.agency_id:
        qs = qs.filter(**{agency: filters.agency_id})
    if person_ids is not None:
        qs = qs.filter(**{f"{person}__in": person_ids})
    if len(allowed) > 1:
        return (qs.values(*columns).annotate(n=Count("competency_id", distinct=True))
                .filter(n=len(allowed)).values_list(*columns))
    return qs.values_list(*columns)  # duplicates (two versions of a module) collapse in the caller


def _batches(regencies: list[tuple[str, float]]):
    """Regencies nearest first in batches of 1, 2, 4, ...: (codes of the batch, distance of the next regency
    or None when none is left)."""
    start, size = 0, FIRST_BATCH
    while start < len(regencies):
        batch = regencies[start : start + size]
        start += size
        size *= 2
        yield [code for code, _km in batch], (regencies[start][1] if start < len(regencies) else None)


def _ranking_key(band: int, preferred: set[int]):
    """The ranking: distance band → preferred position → fewer deployments → distance → earlier last
    deployment → id (smaller is better)."""

    def key(pid: int, km: float, position_id: int | None, past: list[dt.date]):
        is_preferred = bool(preferred) and position_id in preferred
        return (int(km // band), not is_preferred, len(past), km, max(past) if past else dt.date.min, pid)

    return key


def _best_possible(km: float, band: int, preferred: set[int]) -> tuple:
    """The best ranking key (its first five parts) of anyone at ``km`` or farther."""
    return (int(km // band), not preferred, 0, km, dt.date.min)


def match_request(req: DeploymentRequest, *, filters: Filters | None = None, limit: int = 50,
                  today: dt.date | None = None) -> MatchResult:
    """Rank eligible people for ``req`` and explain each rank (the best ``limit``, exactly)."""
    filters = filters or Filters()
    today = today or timezone.localdate()
    allowed = allowed_versions(req, today=today)
    notes: list[str] = []
    if any(not versions for versions in allowed.values()):
        notes.append(_("Belum ada versi modul yang disahkan untuk salah satu kompetensi wajib."))
        return MatchResult(candidates=[], excluded={}, pool_size=0, notes=notes)
    kinds = set(req.credential_kinds)
    if kinds and not qualifications.has_checker():
        notes.append(_("Pemeriksa kredensial belum terpasang: tidak ada yang dapat memenuhi kredensial wajib."))
        return MatchResult(candidates=[], excluded={}, pool_size=0, notes=notes)
    regencies = regencies_by_distance(req.assembly_point_id, max_km=filters.max_km, province=filters.province)
    distance = dict(regencies)
    band = conf.distance_band_km()
    preferred = set(req.preferred_positions.values_list("pk", flat=True))
    key = _ranking_key(band, preferred)
    excluded: dict[int, str] = {}
    eligible: dict[int, str] = {}
    history: dict[int, list[dt.date]] = {}
    facts: dict[int, tuple[int | None, int]] = {}
    keys: list[tuple] = []
    for codes, next_km in _batches(regencies):
        found: dict[int, str] = {}
        for pid, region, position, agency in _qualified_query(allowed, regencies=codes, filters=filters):
            if pid not in facts:
                found[pid] = region
                facts[pid] = (position, agency)
        ok, out, seen = check_people(req, found, today=today)
        excluded.update(out)
        eligible.update(ok)
        history.update(seen)
        keys.extend(key(pid, distance[region], facts[pid][0], seen.get(pid, [])) for pid, region in ok.items())
        if next_km is None or not keys or len(keys) < limit:
            continue
        keys.sort()
        del keys[limit:]  # only the best ``limit`` can still be on the roster
        if keys[-1][:5] < _best_possible(next_km, band, preferred):
            break  # nobody farther can rank above the last one kept
    chosen_ids = [k[-1] for k in sorted(keys)[:limit]]
    return _rank(req, allowed, chosen_ids, eligible, excluded, history, distance, facts, pool_size=len(facts),
                 notes=notes)


def check_people(req: DeploymentRequest, people: dict[int, str], *, today: dt.date):
    """Split ``people`` (id → regency) into (eligible, excluded with a reason, past deployments' last days)
    by calls for this request, deployments, rest time and unavailability (one query), then credentials."""
    ids = list(people)
    if not ids:
        return {}, {}, {}
    excluded: dict[int, str] = {}
    history: dict[int, list[dt.date]] = defaultdict(list)
    rest = dt.timedelta(days=conf.rest_days())
    called: set[int] = set()
    away: set[int] = set()
    params = [req.pk, CallUp.Status.CANCELLED, _param(req.end_date), _param(req.start_date)]
    for kind, person_id, start, end, released in _by_ids(CHECK_SQL, ids, params):
        if kind == "c":
            called.add(person_id)
        elif kind == "u":
            away.add(person_id)
        else:
            start, end, released = _date(start), _date(end), _date(released)
            until = released or end
            history[person_id].append(until)
            if start <= req.end_date and until >= req.start_date:
                excluded[person_id] = "deployed"  # stronger than resting after another deployment
            elif until < req.start_date <= until + rest:
                excluded.setdefault(person_id, "resting")
    for person_id in called:
        excluded[person_id] = "called"  # the strongest reason
    for person_id in away:
        excluded.setdefault(person_id, "unavailable")
    kinds = set(req.credential_kinds)
    if kinds:
        rest_ids = [pid for pid in ids if pid not in excluded]
        held = qualifications.valid_credentials(rest_ids, kinds, max(req.end_date, today))
        for pid in rest_ids:
            if not kinds <= held.get(pid, set()):
                excluded[pid] = "credential"
    eligible = {pid: region for pid, region in people.items() if pid not in excluded}
    return eligible, excluded, dict(history)


def _by_ids(sql: str, ids: list[int], params: list) -> list[tuple]:
    """Run ``sql`` with ``{ids}`` replaced by the integer ids inlined (Django's IN lookup prepares each of
    hundreds of values one by one; integers from the database need no quoting)."""
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 2000):
            chunk = ",".join(str(int(i)) for i in ids[start : start + 2000])
            cursor.execute(sql.replace("{ids}", chunk), params)
            rows.extend(cursor.fetchall())
    return rows


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _param(day: dt.date):
    return day if connection.vendor == "postgresql" else day.isoformat()


def _rank(req: DeploymentRequest, allowed: dict[int, set[int]], chosen_ids: list[int], eligible: dict[int, str],
          excluded: dict[int, str], history: dict[int, list[dt.date]], distance: dict[str, float],
          facts: dict[int, tuple[int | None, int]], *, pool_size: int, notes: list[str]) -> MatchResult:
    """Candidates for ``chosen_ids`` (already in ranking order), with their explanation."""
    if not chosen_ids:
        return MatchResult(candidates=[], excluded=excluded, pool_size=pool_size, notes=notes)
    band = conf.distance_band_km()
    preferred = set(req.preferred_positions.values_list("pk", flat=True))
    people = {p.pk: p for p in Person.objects.filter(pk__in=chosen_ids).select_related("agency", "position",
                                                                                        "region")}
    consent_agencies = set(AgencyReadinessPolicy.objects.filter(
        consent_required=True, agency_id__in={facts[pid][1] for pid in chosen_ids}).values_list("agency_id",
                                                                                                flat=True))
    chosen: list[Candidate] = []
    for pid in chosen_ids:
        person = people[pid]
        past = history.get(pid, [])
        chosen.append(Candidate(person=person, distance_km=distance.get(eligible[pid], 0.0), deployments=len(past),
                                last_deployed_until=max(past) if past else None,
                                consent_needed=person.agency_id in consent_agencies,
                                preferred=bool(preferred) and person.position_id in preferred))
    _attach_qualifications(allowed, chosen)
    kinds = set(req.credential_kinds)
    if kinds:
        held = qualifications.valid_credentials([c.person.pk for c in chosen], kinds,
                                                max(req.end_date, timezone.localdate()))
        for cand in chosen:
            cand.credentials = sorted(held.get(cand.person.pk, set()) & kinds)
    assembly = regency_name(req.assembly_point_id)
    for number, cand in enumerate(chosen, start=1):
        cand.rank = number
        cand.explanation = explain(cand, assembly=assembly, band_km=band)
    return MatchResult(candidates=chosen, excluded=excluded, pool_size=pool_size, notes=notes)


def _attach_qualifications(allowed: dict[int, set[int]], chosen: list[Candidate]) -> None:
    if not chosen or not allowed:
        return
    by_person = {c.person.pk: c for c in chosen}
    condition = Q()
    for competency_id, versions in allowed.items():
        condition |= Q(competency_id=competency_id, module_version_id__in=sorted(versions) or [0])
    rows = list(PersonCompetency.objects.filter(condition, person_id__in=list(by_person))
                .select_related("competency", "module_version__module").order_by("person_id", "competency__name",
                                                                                  "-completed_at"))
    events = _event_names([r.enrolment_id for r in rows if r.enrolment_id])
    seen: set[tuple[int, int]] = set()
    for row in rows:
        if (row.person_id, row.competency_id) in seen:
            continue
        seen.add((row.person_id, row.competency_id))
        by_person[row.person_id].qualifications.append(Qualification(
            competency=row.competency.name, module=row.module_version.module.title,
            version=row.module_version.number, completed_at=row.completed_at,
            event=events.get(row.enrolment_id, "")))


def _event_names(enrolment_ids: list[int]) -> dict[int, str]:
    if not enrolment_ids:
        return {}
    from training.models import Enrolment

    return dict(Enrolment.objects.filter(pk__in=enrolment_ids).values_list("pk", "event__name"))


def regency_name(code: str) -> str:
    centroid = regency_centroids().get(code)
    return centroid[3] if centroid else code


def explain(cand: Candidate, *, assembly: str, band_km: int) -> str:
    """One Indonesian sentence per reason: qualifications, credentials, distance, fairness, consent."""
    parts: list[str] = []
    if cand.qualifications:
        trainings = []
        for q in cand.qualifications:
            text = _("%(competency)s lewat modul %(module)s versi %(version)s (lulus %(date)s)") % {
                "competency": q.competency, "module": q.module, "version": q.version,
                "date": date_format(timezone.localtime(q.completed_at).date(), "j F Y")}
            if q.event:
                text += _(", %(event)s") % {"event": q.event}
            trainings.append(text)
        parts.append(_("Memenuhi kompetensi: %(list)s") % {"list": "; ".join(trainings)})
    else:
        parts.append(_("Tidak ada kompetensi wajib untuk permintaan ini"))
    if cand.credentials:
        labels = [str(CredentialKind(k).label) for k in cand.credentials]
        parts.append(_("kredensial berlaku: %(list)s") % {"list": ", ".join(labels)})
    home = cand.person.region.name if cand.person.region else "—"
    parts.append(_("berjarak %(km)s km dari titik kumpul %(assembly)s (domisili %(home)s)") % {
        "km": f"{cand.distance_km:,.0f}".replace(",", "."), "assembly": assembly, "home": home})
    if cand.deployments:
        parts.append(ngettext(
            "terakhir ditugaskan sampai %(date)s (%(count)d kali penugasan)",
            "terakhir ditugaskan sampai %(date)s (%(count)d kali penugasan)", cand.deployments) % {
            "date": date_format(cand.last_deployed_until, "j F Y"), "count": cand.deployments})
    else:
        parts.append(_("belum pernah ditugaskan"))
    if cand.preferred and cand.person.position:
        parts.append(_("jabatan diutamakan (%(position)s)") % {"position": cand.person.position.name})
    if cand.consent_needed:
        parts.append(_("perlu persetujuan instansi"))
    return _("Peringkat %(rank)d: %(reasons)s.") % {"rank": cand.rank, "reasons": "; ".join(parts)}


def check_person(req: DeploymentRequest, person: Person, *, today: dt.date | None = None) -> list[str]:
    """Why ``person`` would not be on the roster of ``req`` (empty: eligible), in Indonesian."""
    today = today or timezone.localdate()
    problems: list[str] = []
    allowed = allowed_versions(req, today=today)
    if allowed and not list(_qualified_query(allowed, regencies=None, filters=Filters(), person_ids=[person.pk])):
        names = ", ".join(Competency.objects.filter(pk__in=allowed).values_list("name", flat=True))
        problems.append(_("belum memenuhi kompetensi wajib (%(list)s) pada versi modul yang diakui") % {"list": names})
    if not person.is_active:
        problems.append(_("tidak aktif"))
    region = person.region_id if person.region_id in regency_centroids() else req.assembly_point_id
    _ok, out, _seen = check_people(req, {person.pk: region}, today=today)
    if person.pk in out:
        problems.append(str(EXCLUDED_REASONS[out[person.pk]]))
    return problems
