"""Demo people: realistic names, valid NIP/NIK, spread over agencies and provinces.

``load(count=N)`` scales to 1,000,000 rows with bulk inserts (COPY on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from people import demo_names as names
from people.models import Agency, Person, PersonSearchToken, Position, PositionLevel, Region
from people.normalize import name_tokens, sort_key

BATCH = 5000


class _Numbers:
    """Unique, valid NIPs and NIKs."""

    def __init__(self, rng: random.Random, taken_nip: set[str], taken_nik: set[str]):
        self.rng = rng
        self.nips = taken_nip
        self.niks = taken_nik

    def nip(self, born: dt.date, sex: str, kind: str) -> str:
        rng = self.rng
        while True:
            year = min(2024, born.year + rng.randint(22, 35))
            sex_digit = "1" if sex == "L" else "2"
            if kind == "PPPK":
                value = f"{born:%Y%m%d}{max(year, 2019)}2{rng.randint(1, 9)}{sex_digit}{rng.randint(1, 999):03d}"
            else:
                value = f"{born:%Y%m%d}{year}{rng.randint(1, 12):02d}{sex_digit}{rng.randint(1, 999):03d}"
            if value not in self.nips:
                self.nips.add(value)
                return value

    def nik(self, born: dt.date, sex: str, regency: str) -> str:
        rng = self.rng
        prov, reg = regency.split(".")
        day = born.day + (40 if sex == "P" else 0)
        while True:
            value = f"{prov}{reg}{rng.randint(1, 30):02d}{day:02d}{born:%m}{born:%y}{rng.randint(1, 9999):04d}"
            if value not in self.niks:
                self.niks.add(value)
                return value


def _agency_weights(agencies: list[Agency]) -> list[float]:
    weights = {"ministry": 4, "ministry_unit": 3, "agency": 3, "hospital": 2, "provincial_office": 1.5}
    return [weights.get(a.type, 1) for a in agencies]


def build_people(count: int, *, rng: random.Random) -> list[Person]:
    agencies = list(Agency.objects.select_related("region"))
    weights = _agency_weights(agencies)
    regencies = list(Region.objects.filter(level=2).only("code", "province_id"))
    by_province: dict[str, list[Region]] = {}
    for region in regencies:
        by_province.setdefault(region.province_id, []).append(region)
    positions = {p.code: p for p in Position.objects.all()}
    levels = {}
    for level in PositionLevel.objects.all():
        levels.setdefault(level.position_id, []).append(level)
    numbers = _Numbers(rng, set(Person.objects.exclude(nip=None).values_list("nip", flat=True)),
                       set(Person.objects.exclude(nik=None).values_list("nik", flat=True)))
    non_asn = ["tksk", "pendamping-pkh", "tagana", "psm", "karang-taruna"]
    now = timezone.now()
    people: list[Person] = []
    for _ in range(count):
        sex = rng.choice("LP")
        given = rng.choice(names.MALE if sex == "L" else names.FEMALE)
        full_name = f"{given} {rng.choice(names.FAMILY)}" if rng.random() < 0.85 else given
        if rng.random() < 0.3:
            full_name = f"{given} {rng.choice(names.MALE if sex == 'L' else names.FEMALE)} {rng.choice(names.FAMILY)}"
        agency = rng.choices(agencies, weights)[0]
        province_code = agency.region.province_id or agency.region_id if agency.region else None
        if agency.type in {"ministry", "agency"} or province_code is None:
            province_code = rng.choice(list(by_province))
        region = rng.choice(by_province[province_code])
        born = dt.date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
        roll = rng.random()
        emp = "PNS" if roll < 0.6 else "PPPK" if roll < 0.75 else "NON_ASN"
        if emp == "NON_ASN":
            position = positions[rng.choice(non_asn)]
            level = None
        else:
            position = positions["pekerja-sosial"] if rng.random() < 0.6 else (
                positions["penyuluh-sosial"] if rng.random() < 0.6 else positions["pelaksana"])
            level = rng.choice(levels[position.pk]) if position.pk in levels else None
        people.append(Person(
            full_name=full_name,
            title_prefix=rng.choice(names.TITLES_PREFIX) if emp != "NON_ASN" else "",
            title_suffix=rng.choice(names.TITLES_SUFFIX) if emp != "NON_ASN" else "",
            sex=sex, birth_date=born, birth_place=region.name.replace("Kabupaten ", "").replace("Kota ", ""),
            employment_type=emp,
            nip=numbers.nip(born, sex, emp) if emp != "NON_ASN" else None,
            nik=numbers.nik(born, sex, region.code) if emp == "NON_ASN" or rng.random() < 0.3 else None,
            position=position, level=level,
            rank_grade=rng.choice(names.RANKS) if emp == "PNS" else "",
            agency=agency, work_unit=rng.choice(names.UNITS), region=region, province_id=province_code,
            phone=f"+628{rng.randint(11, 59)}{rng.randint(10_000_000, 99_999_999)}",
            email=f"{sort_key(full_name).replace(' ', '.')}{rng.randint(1, 999)}@contoh.go.id",
            sort_name=sort_key(full_name), created_at=now, updated_at=now,
        ))
    return people


def _copy_rows(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_people(people: list[Person]) -> None:
    """Insert people and their search tokens in batches (COPY on PostgreSQL)."""
    for start in range(0, len(people), BATCH):
        chunk = people[start : start + BATCH]
        with transaction.atomic():
            Person.objects.bulk_create(chunk, batch_size=1000)
            tokens = [(p.pk, token) for p in chunk for token in name_tokens(p.full_name)]
            if connection.vendor == "postgresql":
                _copy_rows(PersonSearchToken._meta.db_table, ["person_id", "token"], tokens)
            else:
                PersonSearchToken.objects.bulk_create(
                    (PersonSearchToken(person_id=pk, token=token) for pk, token in tokens), batch_size=2000
                )


def load(*, count: int = 2000, rng: random.Random | None = None, stdout=None) -> int:
    rng = rng or random.Random(2020)
    have = Person.objects.count()
    missing = max(0, count - have)
    done = 0
    while done < missing:
        step = min(50_000, missing - done)
        insert_people(build_people(step, rng=rng))
        done += step
        if stdout is not None and missing > 50_000:
            stdout.write(f"  {have + done:,} people")
    return missing
