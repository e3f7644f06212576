"""Demo readiness data: a flood in Kabupaten Bandung with a request for 10 LDP workers.

Competencies come from completed enrolments when the training demo made some (the readiness table is
rebuilt from them); otherwise a realistic share of demo people get competency rows directly."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from curriculum.models import Competency, CompetencyArea, Institution, Module, ModuleVersion
from people.models import Agency, Person
from readiness import conf, services
from readiness.models import AgencyReadinessPolicy, Incident, PersonCompetency
from siaga.testing import SYSTEM

#: competency code → (name, module title, share of people holding it)
COMPETENCIES = {
    "ldp": ("Dukungan psikososial", "Layanan Dukungan Psikososial (LDP) bagi Penyintas Bencana",
                             0.12),
    "dapur-umum": ("Pengelolaan dapur umum", "Manajemen Dapur Umum Lapangan", 0.08),
    "shelter": ("Pengelolaan pengungsian", "Pengelolaan Shelter dan Tempat Pengungsian", 0.06),
    "logistik-bencana": ("Logistik bencana", "Logistik dan Distribusi Bantuan Sosial", 0.05),
    "kaji-cepat": ("Kaji cepat kebutuhan", "Kaji Cepat Kebutuhan Pascabencana", 0.05),
    "data-korban": ("Pendataan korban", "Pendataan dan Verifikasi Korban Bencana", 0.05),
    "perlindungan-rentan": ("Perlindungan kelompok rentan",
                                     "Perlindungan Anak, Perempuan, Lansia dan Penyandang Disabilitas", 0.04),
}
INCIDENT_TITLE = "Banjir Bandung Selatan (Dayeuhkolot, Baleendah, Bojongsoang)"


def _modules() -> dict[str, ModuleVersion]:
    area, _ = CompetencyArea.objects.get_or_create(code="kebencanaan", defaults={"name": "Kebencanaan", "order": 90})
    owner, _ = Institution.objects.get_or_create(code="pusbangprof",
                                                 defaults={"name": "Pusbangprof Peksos dan Pensos", "kind": "centre"})
    versions: dict[str, ModuleVersion] = {}
    for code, (name, title, _share) in COMPETENCIES.items():
        competency, _ = Competency.objects.get_or_create(code=code, defaults={"name": name, "area": area})
        module = competency.modules.first()
        if module is None:
            module = Module.objects.create(code=f"bencana-{code}"[:40], title=title, owner=owner)
            module.competencies.add(competency)
        version = module.current_version
        if version is None:
            version = ModuleVersion.objects.create(module=module, number=1, status=ModuleVersion.Status.APPROVED,
                                                   approved_at=timezone.now() - dt.timedelta(days=200),
                                                   total_minutes=24 * 45)
        versions[code] = version
    return versions


def _competency_rows(versions: dict[str, ModuleVersion], rng: random.Random, stdout) -> int:
    if PersonCompetency.objects.exists():
        return 0
    made = services.person_competency_rebuild(by=SYSTEM)
    if made:
        return made
    ids = list(Person.objects.filter(is_active=True).values_list("pk", flat=True))
    rows = []
    now = timezone.now()
    ldp = set()
    cids = dict(Competency.objects.filter(code__in=list(COMPETENCIES)).values_list("code", "pk"))
    for code, (_name, _title, share) in COMPETENCIES.items():
        version = versions[code]
        chosen = rng.sample(ids, k=int(len(ids) * share))
        if code == "ldp":
            ldp.update(chosen)
        for pid in chosen:
            rows.append(PersonCompetency(person_id=pid, competency_id=cids[code],
                                         module_version=version,
                                         completed_at=now - dt.timedelta(days=rng.randint(10, 500))))
    # Make sure the flood's assembly point has LDP workers nearby.
    near = list(Person.objects.filter(region__province_id="32").exclude(pk__in=ldp).values_list("pk", flat=True)[:40])
    version = versions["ldp"]
    competency_id = cids["ldp"]
    rows += [PersonCompetency(person_id=pid, competency_id=competency_id, module_version=version,
                              completed_at=now - dt.timedelta(days=rng.randint(10, 300))) for pid in near]
    for start in range(0, len(rows), 5000):
        PersonCompetency.objects.bulk_create(rows[start : start + 5000], ignore_conflicts=True)
    if stdout is not None:
        stdout.write(f"  {len(rows):,} baris kompetensi SDM")
    return len(rows)


@transaction.atomic
def load(*, rng: random.Random | None = None, stdout=None, **_kwargs) -> None:
    rng = rng or random.Random(2020)
    versions = _modules()
    _competency_rows(versions, rng, stdout)
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    if coordinator is None or Incident.objects.filter(title=INCIDENT_TITLE).exists():
        return
    bnpb = Agency.objects.filter(code="bnpb").first()
    if bnpb and not AgencyReadinessPolicy.objects.filter(agency=bnpb).exists():
        services.agency_policy_set(agency=bnpb, consent_required=True, by=SYSTEM)
    today = timezone.localdate()
    incident = services.incident_create(
        by=coordinator, title=INCIDENT_TITLE, type="flood", regency_codes=["32.04"],
        start_date=today - dt.timedelta(days=2),
        services=["psychosocial_support", "public_kitchen", "shelter", "victim_data", "protection"],
        description="Luapan Sungai Citarum merendam permukiman; sekitar 12.000 jiwa mengungsi di 24 titik.")
    services.request_create(
        by=coordinator, incident=incident, service="psychosocial_support", role="Petugas LDP (dipimpin Peksos)",
        people_needed=10, competency_codes=list(conf.service_competencies()["psychosocial_support"]),
        credential_kinds=[], start_date=today + dt.timedelta(days=1), end_date=today + dt.timedelta(days=15),
        assembly_point_code="32.04")
    services.request_create(
        by=coordinator, incident=incident, service="public_kitchen", role="Pengelola dapur umum",
        people_needed=6, competency_codes=["dapur-umum"], credential_kinds=[],
        start_date=today, end_date=today + dt.timedelta(days=10), assembly_point_code="32.04")
    if stdout is not None:
        stdout.write(f"  kejadian demo: {incident.title}")
