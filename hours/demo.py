"""Demo ledger: a few years of learning for the demo people, bulk-inserted, with totals
rebuilt from those rows in the same pass (so ``siaga hours verify`` finds nothing)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from hours import cells, rules
from hours.models import EntryType, LearningPlatform, LedgerEntry, PersonYearTotal
from hours.services import dimensions, ledger_sums, totals_ensure_year
from people.models import Person

DEMO_PLATFORM_SECRET = "xapi-demo-2026"
TITLES = {
    EntryType.CLASSROOM: ["Bimtek Pendampingan Sosial Keluarga", "Pelatihan Manajemen Kasus",
                          "Pelatihan Layanan Dukungan Psikososial", "Bimtek Penanganan Anak Berhadapan dengan Hukum"],
    EntryType.ELEARNING: ["E-learning Etika Pekerjaan Sosial", "E-learning Perlindungan Data Pribadi",
                          "E-learning Kaji Cepat Pascabencana"],
    EntryType.DISTANCE: ["Pelatihan Jarak Jauh Asesmen Lansia", "PJJ Penyuluhan Sosial Digital"],
    EntryType.COACHING: ["Coaching Penyusunan Rencana Intervensi"],
    EntryType.MENTORING: ["Mentoring Supervisi Kasus"],
    EntryType.SEMINAR: ["Seminar Nasional Kesejahteraan Sosial", "Lokakarya Tagana dan Kesiapsiagaan Bencana"],
    EntryType.COURSE: ["Kursus Bahasa Isyarat Dasar", "Kursus Pertolongan Pertama Psikologis"],
    EntryType.SELF_STUDY: ["Belajar mandiri: Modul Rehabilitasi Sosial"],
}
ORGANISERS = ["Pusbangprof Kemensos", "Poltekesos Bandung", "BBPPKS Makassar", "BBPPKS Yogyakarta",
              "IPSPI", "Universitas Indonesia", "LAN RI"]
WEIGHTS = [(EntryType.CLASSROOM, 5), (EntryType.ELEARNING, 4), (EntryType.DISTANCE, 2), (EntryType.COACHING, 1),
           (EntryType.MENTORING, 1), (EntryType.SEMINAR, 2), (EntryType.COURSE, 1), (EntryType.SELF_STUDY, 1)]
BATCH = 5000


def _platform(stdout) -> LearningPlatform:
    platform, created = LearningPlatform.objects.get_or_create(
        code="lms-kemensos", defaults={"name": "LMS Kemensos", "username": "lms-kemensos",
                                       "secret_digest": LearningPlatform.hash_secret(DEMO_PLATFORM_SECRET),
                                       "home_page": "https://lms.kemensos.go.id"})
    if created and stdout is not None:
        stdout.write(f"  xAPI demo: POST /xapi/statements, Basic lms-kemensos:{DEMO_PLATFORM_SECRET}")
    return platform


def load(*, rng: random.Random | None = None, stdout=None, people: int = 5000, **_kwargs) -> int:
    rng = rng or random.Random(2020)
    platform = _platform(stdout)
    if LedgerEntry.objects.filter(source__in=[LedgerEntry.Source.EXTERNAL, LedgerEntry.Source.PLATFORM]).exists():
        return 0
    this_year = rules.today_in("Asia/Jakarta").year
    years = list(range(this_year - 3, this_year + 1))
    shares = {(y, t): rules.share_percent(y, t) for y in years for t in EntryType.values}
    types, weights = zip(*WEIGHTS, strict=True)
    now = timezone.now()
    today = rules.today_in("Asia/Jakarta")
    chosen = list(Person.objects.filter(is_active=True).order_by("id").values_list("id", flat=True)[:people])
    rows: list[LedgerEntry] = []
    for person_id in chosen:
        diligence = rng.random()
        for year in years:
            last_day = today if year == this_year else dt.date(year, 12, 31)
            span = (last_day - dt.date(year, 1, 1)).days
            for _ in range(rng.choices([0, 1, 2, 3, 4, 5], [1, 2, 3, 3, 2, 1])[0] if diligence > 0.15 else 0):
                etype = rng.choices(types, weights)[0]
                day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, max(0, span)))
                jp = rng.choice([2, 4, 6, 8, 10, 16, 24]) if etype == EntryType.CLASSROOM else rng.choice([2, 3, 4, 6])
                minutes = jp * 45
                source = LedgerEntry.Source.PLATFORM if etype == EntryType.ELEARNING else LedgerEntry.Source.EXTERNAL
                roll = rng.random()
                status = ("approved" if source == "platform" or roll < 0.8 else "pending" if roll < 0.93
                          else "rejected")
                rows.append(LedgerEntry(
                    person_id=person_id, year=year, date=day, start_date=day - dt.timedelta(days=min(jp // 8, 4)),
                    end_date=day, minutes=minutes, credited_minutes=rules.credited(minutes, shares[(year, etype)]),
                    entry_type=etype, source=source, title=rng.choice(TITLES[etype]),
                    organiser=platform.name if source == "platform" else rng.choice(ORGANISERS),
                    location="Daring" if source == "platform" else rng.choice(["Jakarta", "Bandung", "Makassar",
                                                                               "Yogyakarta", "Daring"]),
                    certificate_number=f"STTPP/{year}/{rng.randint(1000, 99999)}" if status == "approved" else "",
                    platform=platform if source == "platform" else None, status=status,
                    rejection_reason="Bukti tidak memuat jumlah JP." if status == "rejected" else "",
                    decided_at=now if status != "pending" else None, created_at=now,
                ))
    with transaction.atomic():
        for start in range(0, len(rows), BATCH):
            LedgerEntry.objects.bulk_create(rows[start:start + BATCH], batch_size=1000)
        for year in years:
            _rebuild_year(year)
    if stdout is not None:
        stdout.write(f"  {len(rows):,} catatan JP untuk {len(chosen):,} orang, {years[0]}–{years[-1]}")
    return len(rows)


def _rebuild_year(year: int) -> None:
    """Totals of ``year`` from the ledger in one grouped query and bulk writes."""
    sums = ledger_sums(year=year)
    existing = {t.person_id: t for t in PersonYearTotal.objects.filter(year=year, person_id__in=list(sums))}
    people = Person.objects.in_bulk(list(sums))
    required = {et: rules.required_minutes(year, et) for et in ("PNS", "PPPK", "NON_ASN")}
    new, changed = [], []
    for person_id, (approved, pending) in sums.items():
        person = people[person_id]
        need = required[person.employment_type]
        values = {"approved_minutes": approved, "pending_minutes": pending, "required_minutes": need,
                  "compliant": approved >= need, **dimensions(person)}
        total = existing.get(person_id)
        if total is None:
            new.append(PersonYearTotal(person_id=person_id, year=year, **values))
        else:
            for key, value in values.items():
                setattr(total, key, value)
            changed.append(total)
    PersonYearTotal.objects.bulk_create(new, batch_size=2000)
    PersonYearTotal.objects.bulk_update(changed, ["approved_minutes", "pending_minutes", "required_minutes",
                                                  "compliant", "agency", "province", "position", "level",
                                                  "employment_type"], batch_size=2000)
    totals_ensure_year(year=year)
    cells.rebuild_year(year)
