"""NIP and NIK: clean, validate and explain (see ../shared/GLOSSARY.md).

Every failure has its own code and its own message, so a user (or an import
preview) is told exactly what is wrong with the number they typed."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-_/]+")


@dataclass(frozen=True)
class IdentityError(Exception):
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class NipInfo:
    nip: str
    kind: str  # "PNS" or "PPPK"
    birth_date: dt.date
    sex: str  # "L" or "P"
    tmt_year: int
    tmt_month: int | None


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province_code: str
    regency_code: str
    birth_date: dt.date
    sex: str


def clean_number(value: str | int | None) -> str:
    """Drop the spaces, dots and dashes people type inside NIP/NIK."""
    if value is None:
        return ""
    return _SEPARATORS.sub("", str(value).strip())


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@cache
def _province_codes() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "regions.csv"
    with path.open(encoding="utf-8") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle) if row["level"] == "1")


def parse_nip(value: str | int | None, *, sex: str | None = None, employment_type: str | None = None,
              birth_date: dt.date | None = None) -> NipInfo:
    nip = clean_number(value)
    if not nip:
        raise IdentityError("nip_required", _("NIP wajib diisi untuk ASN (PNS/PPPK)."))
    if not nip.isdigit():
        raise IdentityError("nip_not_digits", _("NIP hanya boleh berisi angka (spasi dan titik diabaikan)."))
    if len(nip) != 18:
        raise IdentityError(
            "nip_length", _("NIP harus 18 digit; yang diisi %(count)d digit.") % {"count": len(nip)}
        )
    born = _date_or_none(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    today = _today()
    if born is None or born.year < 1930 or born > today:
        raise IdentityError(
            "nip_birth_date",
            _("Digit 1–8 NIP (%(part)s) bukan tanggal lahir yang sah (TTTTBBHH).") % {"part": nip[0:8]},
        )
    is_pppk = nip[12] == "2"
    tmt_year = int(nip[8:12])
    tmt_month: int | None
    if is_pppk:
        tmt_month = None
        if not ("1" <= nip[13] <= "9"):
            raise IdentityError("nip_pppk_round", _("Digit 14 NIP PPPK (tahap pengangkatan) harus 1–9."))
        if tmt_year < born.year + 15 or tmt_year > today.year + 1:
            raise IdentityError(
                "nip_tmt",
                _("Digit 9–12 NIP (%(part)s) bukan tahun pengangkatan yang mungkin.") % {"part": nip[8:12]},
            )
    else:
        tmt_month = int(nip[12:14])
        if not (1 <= tmt_month <= 12) or tmt_year < born.year + 15 or (tmt_year, tmt_month) > (
            today.year + 1, 12
        ):
            raise IdentityError(
                "nip_tmt",
                _("Digit 9–14 NIP (%(part)s) bukan TMT CPNS yang mungkin (TTTTBB, setelah usia 15 tahun).")
                % {"part": nip[8:14]},
            )
    if employment_type == "PNS" and is_pppk:
        raise IdentityError("nip_type_mismatch", _("NIP ini berformat PPPK, tetapi status kepegawaiannya PNS."))
    if employment_type == "PPPK" and not is_pppk:
        raise IdentityError("nip_type_mismatch", _("NIP ini berformat PNS, tetapi status kepegawaiannya PPPK."))
    sex_digit = nip[14]
    if sex_digit not in {"1", "2"}:
        raise IdentityError("nip_sex_digit", _("Digit 15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan)."))
    nip_sex = "L" if sex_digit == "1" else "P"
    if sex and sex != nip_sex:
        raise IdentityError(
            "nip_sex_mismatch",
            _("Digit 15 NIP menunjukkan %(nip_sex)s, tetapi jenis kelamin diisi %(sex)s.")
            % {"nip_sex": _sex_label(nip_sex), "sex": _sex_label(sex)},
        )
    if nip[15:18] == "000":
        raise IdentityError("nip_serial", _("Nomor urut NIP (digit 16–18) tidak boleh 000."))
    if birth_date and birth_date != born:
        raise IdentityError(
            "nip_birth_mismatch",
            _("Tanggal lahir di NIP (%(nip_date)s) berbeda dengan tanggal lahir yang diisi (%(date)s).")
            % {"nip_date": born.strftime("%d-%m-%Y"), "date": birth_date.strftime("%d-%m-%Y")},
        )
    return NipInfo(nip=nip, kind="PPPK" if is_pppk else "PNS", birth_date=born, sex=nip_sex,
                   tmt_year=tmt_year, tmt_month=tmt_month)


def parse_nik(value: str | int | None, *, sex: str | None = None, birth_date: dt.date | None = None) -> NikInfo:
    nik = clean_number(value)
    if not nik:
        raise IdentityError("nik_required", _("NIK wajib diisi untuk non-ASN."))
    if not nik.isdigit():
        raise IdentityError("nik_not_digits", _("NIK hanya boleh berisi angka (spasi dan titik diabaikan)."))
    if len(nik) != 16:
        raise IdentityError(
            "nik_length", _("NIK harus 16 digit; yang diisi %(count)d digit.") % {"count": len(nik)}
        )
    if nik[0:2] not in _province_codes():
        raise IdentityError(
            "nik_province", _("Digit 1–2 NIK (%(part)s) bukan kode provinsi Kemendagri.") % {"part": nik[0:2]}
        )
    regency = int(nik[2:4])
    if regency == 0 or regency == 70:
        raise IdentityError(
            "nik_regency",
            _("Digit 3–4 NIK (%(part)s) bukan kode kabupaten (01–69) atau kota (71–99).") % {"part": nik[2:4]},
        )
    if nik[4:6] == "00":
        raise IdentityError("nik_district", _("Digit 5–6 NIK (kode kecamatan) tidak boleh 00."))
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    nik_sex = "P" if day > 40 else "L"
    if day > 40:
        day -= 40
    today = _today()
    year = 2000 + year2 if 2000 + year2 <= today.year else 1900 + year2
    born = _date_or_none(year, month, day)
    if born is None:
        raise IdentityError(
            "nik_birth_date",
            _("Digit 7–12 NIK (%(part)s) bukan tanggal lahir yang sah (HHBBTT; perempuan: hari + 40).")
            % {"part": nik[6:12]},
        )
    if sex and sex != nik_sex:
        raise IdentityError(
            "nik_sex_mismatch",
            _("Tanggal di NIK menunjukkan %(nik_sex)s, tetapi jenis kelamin diisi %(sex)s.")
            % {"nik_sex": _sex_label(nik_sex), "sex": _sex_label(sex)},
        )
    if nik[12:16] == "0000":
        raise IdentityError("nik_serial", _("Nomor urut NIK (digit 13–16) tidak boleh 0000."))
    if birth_date and birth_date != born:
        raise IdentityError(
            "nik_birth_mismatch",
            _("Tanggal lahir di NIK (%(nik_date)s) berbeda dengan tanggal lahir yang diisi (%(date)s).")
            % {"nik_date": born.strftime("%d-%m-%Y"), "date": birth_date.strftime("%d-%m-%Y")},
        )
    return NikInfo(nik=nik, province_code=nik[0:2], regency_code=f"{nik[0:2]}.{nik[2:4]}", birth_date=born,
                   sex=nik_sex)


def _sex_label(sex: str) -> str:
    return _("laki-laki") if sex == "L" else _("perempuan")


def mask_identity(number: str | None) -> str:
    """``198001012005011001`` → ``1980•••••••••••001``: enough to tell people apart, not to reuse."""
    if not number:
        return ""
    if len(number) <= 8:
        return "•" * len(number)
    return number[:4] + "•" * (len(number) - 7) + number[-3:]
