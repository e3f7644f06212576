"""Demo people: realistic names, valid NIP/NIK, spread over agencies and provinces.

``load(count=N)`` scales to 1,000,000 rows: rows are built as plain tuples (no model instances)
and written in batches with ``executemany`` on SQLite and ``COPY`` on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from people import demo_names as names
from people.models import Agency, Person, PersonSearchToken, Position, PositionLevel, Region
from people.normalize import name_tokens, sort_key

BATCH = 20_000


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


#: The columns of ``people_person`` the loader writes, in order (checked against the model at run time).
PERSON_COLUMNS = [
    "id", "full_name", "title_prefix", "title_suffix", "sex", "birth_date", "birth_place", "employment_type",
    "nip", "nik", "position_id", "level_id", "rank_grade", "agency_id", "work_unit", "region_id", "province_id",
    "phone", "email", "is_active", "sort_name", "created_at", "updated_at", "anonymised_at",
]


@dataclass(frozen=True)
class _Reference:
    agencies: list
    weights: list[float]
    by_province: dict[str, list[tuple[str, str]]]
    provinces: list[str]
    positions: dict[str, tuple[int, list[int]]]


def _reference() -> _Reference:
    agencies = list(Agency.objects.select_related("region"))
    by_province: dict[str, list[tuple[str, str]]] = {}
    for code, province_id, name in Region.objects.filter(level=2).values_list("code", "province_id", "name"):
        place = name.replace("Kabupaten ", "").replace("Kota ", "")
        by_province.setdefault(province_id, []).append((code, place))
    levels: dict[int, list[int]] = {}
    for level_id, position_id in PositionLevel.objects.values_list("id", "position_id"):
        levels.setdefault(position_id, []).append(level_id)
    positions = {code: (pk, levels.get(pk, [])) for pk, code in Position.objects.values_list("id", "code")}
    return _Reference(agencies=agencies, weights=_agency_weights(agencies), by_province=by_province,
                      provinces=list(by_province), positions=positions)


@lru_cache(maxsize=300_000)
def _name_keys(full_name: str) -> tuple[str, tuple[str, ...]]:
    """The sort key and search words of a name (names repeat a lot: computed once each)."""
    return sort_key(full_name), tuple(name_tokens(full_name))


def build_rows(count: int, *, rng: random.Random, first_id: int, numbers: _Numbers, ref: _Reference,
               now: dt.datetime) -> tuple[list[tuple], list[tuple[int, str]]]:
    """``count`` realistic people as rows of :data:`PERSON_COLUMNS`, and their search words.

    Names, titles, ranks and units come from ``people.demo_names``; every NIP and NIK is valid for
    the person's birth date, sex and regency (``people.identity`` accepts each one)."""
    male, female, family = names.MALE, names.FEMALE, names.FAMILY
    prefixes, suffixes, ranks, units = names.TITLES_PREFIX, names.TITLES_SUFFIX, names.RANKS, names.UNITS
    non_asn = [ref.positions[code] for code in ("tksk", "pendamping-pkh", "tagana", "psm", "karang-taruna")]
    peksos, penyuluh, pelaksana = (ref.positions[c] for c in ("pekerja-sosial", "penyuluh-sosial", "pelaksana"))
    random_ = rng.random
    choice = rng.choice
    randint = rng.randint
    agencies = rng.choices(ref.agencies, ref.weights, k=count)
    people: list[tuple] = []
    tokens: list[tuple[int, str]] = []
    for offset in range(count):
        pk = first_id + offset
        sex = "L" if random_() < 0.5 else "P"
        given_names = male if sex == "L" else female
        given = choice(given_names)
        roll = random_()
        if roll < 0.3:
            full_name = f"{given} {choice(given_names)} {choice(family)}"
        elif roll < 0.895:
            full_name = f"{given} {choice(family)}"
        else:
            full_name = given
        agency = agencies[offset]
        province_code = (agency.region.province_id or agency.region_id) if agency.region else None
        if agency.type in {"ministry", "agency"} or province_code not in ref.by_province:
            province_code = choice(ref.provinces)
        region_code, place = choice(ref.by_province[province_code])
        born = dt.date(randint(1965, 2000), randint(1, 12), randint(1, 28))
        roll = random_()
        emp = "PNS" if roll < 0.6 else "PPPK" if roll < 0.75 else "NON_ASN"
        if emp == "NON_ASN":
            position_id, level_ids = choice(non_asn)
            level_id = None
            title_prefix = title_suffix = rank = ""
            nip = None
            nik = numbers.nik(born, sex, region_code)
        else:
            position_id, level_ids = peksos if random_() < 0.6 else penyuluh if random_() < 0.6 else pelaksana
            level_id = choice(level_ids) if level_ids else None
            title_prefix, title_suffix = choice(prefixes), choice(suffixes)
            rank = choice(ranks) if emp == "PNS" else ""
            nip = numbers.nip(born, sex, emp)
            nik = numbers.nik(born, sex, region_code) if random_() < 0.3 else None
        sort_name, words = _name_keys(full_name)
        people.append((
            pk, full_name, title_prefix, title_suffix, sex, born, place, emp, nip, nik, position_id, level_id,
            rank, agency.pk, choice(units), region_code, province_code,
            f"+628{randint(11, 59)}{randint(10_000_000, 99_999_999)}",
            f"{sort_name.replace(' ', '.')}{randint(1, 999)}@contoh.go.id", True, sort_name, now, now, None,
        ))
        tokens.extend((pk, word) for word in words)
    return people, tokens


def _copy_rows(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _sqlite_rows(rows: list[tuple]) -> list[tuple]:
    """Values as Django stores them in SQLite: ISO dates, UTC datetimes, 1/0 booleans."""
    ops = connection.ops
    stamp_cache: dict = {}

    def stamp(value):
        if value not in stamp_cache:
            stamp_cache[value] = ops.adapt_datetimefield_value(value)
        return stamp_cache[value]

    return [(*row[:5], row[5].isoformat(), *row[6:19], 1 if row[19] else 0, row[20], stamp(row[21]), stamp(row[22]),
             row[23]) for row in rows]


def insert_rows(people: list[tuple], tokens: list[tuple[int, str]]) -> None:
    """Insert prepared rows in one transaction: COPY on PostgreSQL, executemany on SQLite."""
    person_table = Person._meta.db_table
    token_table = PersonSearchToken._meta.db_table
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy_rows(person_table, PERSON_COLUMNS, people)
            _copy_rows(token_table, ["person_id", "token"], tokens)
            return
        marks = ", ".join(["%s"] * len(PERSON_COLUMNS))
        with connection.cursor() as cursor:
            # Table and column names come from the models, never from input.
            cursor.executemany(f"INSERT INTO {person_table} ({', '.join(PERSON_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                               _sqlite_rows(people))
            cursor.executemany(f"INSERT INTO {token_table} (person_id, token) VALUES (%s, %s)", tokens)  # noqa: S608


def _check_columns() -> None:
    model_columns = {field.column for field in Person._meta.concrete_fields}
    if model_columns != set(PERSON_COLUMNS):
        raise RuntimeError(f"people.demo.PERSON_COLUMNS is out of date: {sorted(model_columns ^ set(PERSON_COLUMNS))}")


def _after_bulk_load(first_id: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Person, PersonSearchToken):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - model table
                               f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
            # VACUUM (outside a transaction only) also marks the fresh pages all-visible, so searches can
            # use index-only scans at once, and sets the rows' hint bits instead of the first readers.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} {Person._meta.db_table}")
            cursor.execute(f"{command} {PersonSearchToken._meta.db_table}")
        else:
            # Fresh planner statistics, so SQLite picks the word index for rare names.
            cursor.execute("ANALYZE")


def load(*, count: int = 2000, rng: random.Random | None = None, stdout=None) -> int:
    """Top the registry up to ``count`` people (idempotent: a second run adds nobody)."""
    rng = rng or random.Random(2020)
    have = Person.objects.count()
    missing = max(0, count - have)
    if not missing:
        return 0
    _check_columns()
    ref = _reference()
    numbers = _Numbers(rng, set(Person.objects.exclude(nip=None).values_list("nip", flat=True)),
                       set(Person.objects.exclude(nik=None).values_list("nik", flat=True)))
    first_id = (Person.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    now = timezone.now()
    done = 0
    while done < missing:
        step = min(BATCH, missing - done)
        insert_rows(*build_rows(step, rng=rng, first_id=first_id + done, numbers=numbers, ref=ref, now=now))
        done += step
        if stdout is not None and missing > 100_000 and (done % 100_000 == 0 or done == missing):
            stdout.write(f"  {have + done:,} people\n")
    if missing >= 1000 or connection.vendor == "postgresql":
        _after_bulk_load(first_id)
    return missing
