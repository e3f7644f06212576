"""Reading the JP rules (data in ``JPRequirement`` and ``ConversionShare``).

A year without its own row follows the latest earlier year that has one; with no row at
all a type counts in full and an employment type has no minimum. Seed values and their
legal sources are in ``SEED_REQUIREMENTS`` / ``SEED_SHARES`` (migration 0002)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hours.models import MINUTES_PER_JP, ConversionShare, EntryType, JPRequirement

SOURCE_PNS = ("PP 11/2017 tentang Manajemen PNS Pasal 203 ayat (4) sebagaimana diubah dengan PP 17/2020: "
              "setiap PNS memiliki hak dan kesempatan pengembangan kompetensi paling sedikit 20 JP dalam 1 tahun.")
SOURCE_PPPK = ("UU 20/2023 tentang ASN: pengembangan kompetensi adalah kewajiban PNS dan PPPK. Besaran untuk "
               "PPPK dapat diatur instansi; PerLAN 15/2020 menyebut paling banyak 24 JP per tahun (perlu dicek).")
SOURCE_NON_ASN = "Tidak diwajibkan: kewajiban 20 JP berlaku bagi ASN (PNS dan PPPK)."
SOURCE_SHARES = ("PerLAN 10/2018 tentang Pengembangan Kompetensi PNS (jalur pelatihan klasikal dan nonklasikal). "
                 "Besaran pengakuan jam nonklasikal mengikuti tabel konversi instansi pembina (perlu dicek).")

#: (employment type, minimum JP, legal source, needs check)
SEED_REQUIREMENTS = [
    ("PNS", 20, SOURCE_PNS, False),
    ("PPPK", 20, SOURCE_PPPK, True),
    ("NON_ASN", 0, SOURCE_NON_ASN, False),
]
#: (entry type, percent counted, needs check). Classroom is counted in full by definition.
SEED_SHARES = [
    (EntryType.CLASSROOM, 100, False),
    (EntryType.ELEARNING, 100, True),
    (EntryType.DISTANCE, 100, True),
    (EntryType.COACHING, 100, True),
    (EntryType.MENTORING, 100, True),
    (EntryType.INTERNSHIP, 100, True),
    (EntryType.SEMINAR, 50, True),
    (EntryType.COURSE, 100, True),
    (EntryType.SELF_STUDY, 50, True),
    (EntryType.OTHER, 50, True),
]
SEED_YEARS = range(2020, 2028)


def requirement_row(year: int, employment_type: str) -> JPRequirement | None:
    return (JPRequirement.objects.filter(employment_type=employment_type, year__lte=year)
            .order_by("-year").first())


def required_minutes(year: int, employment_type: str) -> int:
    row = requirement_row(year, employment_type)
    return row.minimum_minutes if row else 0


def share_row(year: int, entry_type: str) -> ConversionShare | None:
    return ConversionShare.objects.filter(entry_type=entry_type, year__lte=year).order_by("-year").first()


def share_percent(year: int, entry_type: str) -> int:
    row = share_row(year, entry_type)
    return row.percent if row else 100


def credited(minutes: int, percent: int) -> int:
    return minutes * percent // 100


def year_of(moment: dt.datetime | dt.date, time_zone: str) -> tuple[int, dt.date]:
    """The calendar year (and date) of ``moment`` in the person's time zone."""
    if isinstance(moment, dt.datetime):
        local = moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    else:
        local = moment
    return local.year, local


def today_in(time_zone: str) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(time_zone)).date()


def days_left_in_year(time_zone: str, today: dt.date | None = None) -> int:
    today = today or today_in(time_zone)
    return (dt.date(today.year, 12, 31) - today).days


def governed_years(model, *, year: int, key: dict, years: set[int]) -> list[int]:
    """The years among ``years`` whose rule resolves to the row of ``year`` (no own later row)."""
    later = set(model.objects.filter(year__gt=year, **key).values_list("year", flat=True))
    result = []
    for y in sorted(years):
        if y < year:
            continue
        if any(year < other <= y for other in later):
            continue
        result.append(y)
    return result


def jp(minutes: int) -> float:
    return minutes / MINUTES_PER_JP
