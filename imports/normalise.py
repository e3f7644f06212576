"""Normalising cell values as people write them: identity numbers, sex, dates, places, regions,
positions and agencies. Each function returns the clean value or raises :class:`Problem` with a
message in Indonesian saying what is wrong. Names and phones use ``people.normalize``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from people.normalize import collapse_spaces

EXCEL_EPOCH = dt.date(1899, 12, 30)


class Problem(Exception):  # noqa: N818 - it is a finding for the user, not a program error
    def __init__(self, message: str, *, warning: bool = False):
        super().__init__(message)
        self.message = message
        self.warning = warning


# --- identity numbers -----------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*[eE]\s*\+?\s*\d+\s*$")
_NUMBER_SEPARATORS = re.compile(r"[\s.\-_/]+")


def identity_text(value) -> str:
    """NIP/NIK as digits. A number Excel stored as a float (18 or 16 digits do not fit in its 15
    significant digits) or in scientific notation has lost digits: say so, never guess them."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        raise Problem(_("bukan nomor"))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise Problem(_("tersimpan sebagai angka desimal, bukan nomor; format kolom sebagai Teks dan ketik ulang"))
        digits = str(int(value))
        if len(digits) > 15:
            raise Problem(_("Excel menyimpannya sebagai angka sehingga digit terakhir hilang (%(digits)s); format "
                            "kolom sebagai Teks lalu ketik ulang nomornya") % {"digits": digits})
        return digits
    text = str(value).strip().lstrip("'")
    if _SCIENTIFIC.match(text):
        raise Problem(_("tertulis dalam notasi ilmiah (%(text)s) sehingga digitnya hilang; format kolom sebagai Teks "
                        "lalu ketik ulang nomornya") % {"text": text})
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return _NUMBER_SEPARATORS.sub("", text)


# --- sex --------------------------------------------------------------------------------------------

_SEX = {
    "l": "L", "lk": "L", "laki": "L", "laki laki": "L", "lakilaki": "L", "pria": "L", "m": "L", "male": "L",
    "man": "L", "1": "L",
    "p": "P", "pr": "P", "pr.": "P", "perempuan": "P", "wanita": "P", "w": "P", "f": "P", "female": "P",
    "woman": "P", "2": "P",
}


def parse_sex(value) -> str:
    text = re.sub(r"[-_.]+", " ", str(value if value is not None else "")).strip().lower()
    text = collapse_spaces(text)
    if text.endswith(".0"):
        text = text[:-2]
    if not text:
        return ""
    if text in _SEX:
        return _SEX[text]
    raise Problem(_("tidak dikenali; tulis L/P, Laki-laki/Perempuan atau M/F"))


# --- dates ------------------------------------------------------------------------------------------

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11, "desember": 12, "des": 12, "dec": 12,
    "december": 12,
}
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})[\s\-./]*([A-Za-z]+)\.?[\s\-./,]*(\d{4})$")
_DMY_TIME = re.compile(r"^(\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4})\s+\d{1,2}:\d{2}(?::\d{2})?$")


def _two_digit_year(year: int) -> int:
    this = dt.datetime.now(dt.UTC).year % 100
    return 2000 + year if year <= this else 1900 + year


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise Problem(_("bukan tanggal yang ada di kalender")) from exc


def parse_date(value) -> dt.date | None:
    """dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd, "1 Januari 1980", "01-Jan-80", Excel serial numbers,
    and date cells → a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise Problem(_("bukan tanggal"))
    if isinstance(value, int | float):
        return _serial(float(value))
    text = collapse_spaces(str(value)).strip()
    if not text:
        return None
    if text.replace(".", "", 1).isdigit():
        number = float(text)
        if number >= 10_000_000:  # 19800101
            digits = str(int(number))
            if len(digits) == 8:
                return _date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        return _serial(number)
    if match := _DMY_TIME.match(text):
        text = match.group(1)
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year = _two_digit_year(year)
        if month > 12 and day <= 12:
            raise Problem(_("urutan bulan/hari tidak jelas; tulis hari dulu (HH-BB-TTTT)"))
        return _date(year, month, day)
    if match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _date(year, month, day)
    if match := _D_MONTH_Y.match(text):
        day, month_name, year = match.groups()
        month = MONTHS.get(month_name.lower())
        if month is None:
            raise Problem(_("nama bulan %(month)s tidak dikenali") % {"month": month_name})
        return _date(int(year), month, int(day))
    raise Problem(_("format tanggal tidak dikenali; tulis seperti 31-12-1980 atau 31 Desember 1980"))


def _serial(number: float) -> dt.date:
    if not (1 <= number < 80_000):
        raise Problem(_("angka ini bukan tanggal Excel"))
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def split_place_date(value) -> tuple[str, dt.date | None]:
    """ "Bandung, 1 Januari 1980" → ("Bandung", 1980-01-01); "Bandung 01-01-1980" works too."""
    if value is None:
        return "", None
    if isinstance(value, dt.date | int | float):
        return "", parse_date(value)
    text = collapse_spaces(str(value))
    if not text:
        return "", None
    if "," in text:
        place, _sep, when = text.rpartition(",")
        if not place.strip():
            return "", parse_date(when.strip())
        return place.strip(), parse_date(when.strip())
    match = re.match(r"^(.*?)[\s/]+(\d{1,2}[\s\-./]+\w+[\s\-./]+\d{2,4}|\d{4}-\d{2}-\d{2})$", text)
    if match:
        return match.group(1).strip(), parse_date(match.group(2))
    raise Problem(_("tulis seperti \"Bandung, 1 Januari 1980\""))


# --- employment type --------------------------------------------------------------------------------

_EMPLOYMENT = {
    "pns": "PNS", "cpns": "PNS", "asn pns": "PNS", "pegawai negeri sipil": "PNS",
    "pppk": "PPPK", "p3k": "PPPK", "asn pppk": "PPPK", "pppk paruh waktu": "PPPK",
    "pegawai pemerintah dengan perjanjian kerja": "PPPK",
    "non asn": "NON_ASN", "nonasn": "NON_ASN", "non pns": "NON_ASN", "honorer": "NON_ASN", "kontrak": "NON_ASN",
    "relawan": "NON_ASN", "non_asn": "NON_ASN", "ptt": "NON_ASN", "thl": "NON_ASN", "volunteer": "NON_ASN",
}


def parse_employment_type(value) -> str:
    text = collapse_spaces(re.sub(r"[-.]+", " ", str(value or "")).lower())
    if not text:
        return ""
    if text in _EMPLOYMENT:
        return _EMPLOYMENT[text]
    if text.replace(" ", "_").upper() in {"PNS", "PPPK", "NON_ASN"}:
        return text.replace(" ", "_").upper()
    raise Problem(_("tidak dikenali; tulis PNS, PPPK atau Non-ASN"))


# --- lookups built once per import ------------------------------------------------------------------

def _key(text: str) -> str:
    text = str(text or "").lower().replace("’", "'")
    return collapse_spaces(re.sub(r"[^\w ]+", " ", text))


PROVINCE_ALIASES = {
    "nad": "11", "nanggroe aceh darussalam": "11", "sumut": "12", "sumbar": "13", "sumsel": "16", "babel": "19",
    "bangka belitung": "19", "kepri": "21", "dki": "31", "dki jakarta": "31", "jakarta": "31",
    "jabar": "32", "jateng": "33", "diy": "34", "yogyakarta": "34", "jogja": "34", "jogjakarta": "34",
    "di yogyakarta": "34", "jatim": "35", "ntb": "52", "ntt": "53", "kalbar": "61", "kalteng": "62",
    "kalsel": "63", "kaltim": "64", "kaltara": "65", "sulut": "71", "sulteng": "72", "sulsel": "73",
    "sultra": "74", "sulbar": "76", "malut": "82", "pabar": "92", "papua barat daya": "96", "pbd": "96",
    "papua selatan": "93", "papua tengah": "94", "papua pegunungan": "95",
}
_PROVINCE_PREFIX = re.compile(r"^(provinsi|propinsi|prov|prop|daerah khusus ibukota|daerah khusus|"
                              r"daerah istimewa)\s+")
_REGENCY_PREFIX = re.compile(r"^(kabupaten administrasi|kota administrasi|kab adm|kota adm|kabupaten|kab|kotamadya|"
                             r"kodya|kota|kot)\s+")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    province_code: str


class RegionIndex:
    """Province and regency/city names in their common forms → Kemendagri codes."""

    def __init__(self, regions: list[tuple[str, int, str, str | None]]):
        self.provinces: dict[str, Place] = {}
        self.province_by_key: dict[str, str] = {}
        self.regencies: dict[str, Place] = {}
        #: bare name ("bandung") → every regency and city carrying it.
        self.regency_by_bare: dict[str, list[str]] = {}
        self.regency_by_full: dict[str, str] = {}
        for code, level, name, province in regions:
            if level == 1:
                self.provinces[code] = Place(code, name, code)
                key = _key(name)
                self.province_by_key[key] = code
                self.province_by_key[_PROVINCE_PREFIX.sub("", key)] = code
            else:
                place = Place(code, name, province or code[:2])
                self.regencies[code] = place
                key = _key(name)
                kind = "kota" if key.startswith("kota") else "kabupaten"
                bare = _REGENCY_PREFIX.sub("", key)
                self.regency_by_full[f"{kind} {bare}"] = code
                self.regency_by_bare.setdefault(bare, []).append(code)
        for alias, code in PROVINCE_ALIASES.items():
            self.province_by_key.setdefault(alias, code)

    @classmethod
    def from_db(cls) -> RegionIndex:
        from people.models import Region

        return cls(list(Region.objects.values_list("code", "level", "name", "province_id")))

    def province(self, value) -> str:
        raw = str(value or "").strip()
        if not raw:
            return ""
        digits = raw[:-2] if raw.endswith(".0") else raw
        if digits.isdigit() and digits in self.provinces:
            return digits
        key = _key(raw)
        for candidate in (key, _PROVINCE_PREFIX.sub("", key)):
            if candidate in self.province_by_key:
                return self.province_by_key[candidate]
        raise Problem(_("bukan nama provinsi yang dikenal"))

    def regency(self, value, *, province: str = "") -> str:
        raw = str(value or "").strip()
        if not raw:
            return ""
        compact = raw.replace(".", "").replace(" ", "")
        if compact.isdigit() and len(compact) == 4:
            code = f"{compact[:2]}.{compact[2:]}"
            if code in self.regencies:
                return code
        if raw in self.regencies:
            return raw
        key = _key(raw)
        match = _REGENCY_PREFIX.match(key + " ")
        prefix = match.group(1) if match else ""
        bare = _REGENCY_PREFIX.sub("", key)
        if prefix:
            kind = "kabupaten" if prefix.startswith("kab") else "kota"
            code = self.regency_by_full.get(f"{kind} {bare}")
            if code is None:
                raise Problem(_("bukan nama kabupaten/kota yang dikenal"))
            if province and self.regencies[code].province_code != province:
                raise Problem(_("%(name)s tidak berada di provinsi %(province)s")
                              % {"name": self.regencies[code].name, "province": self.provinces[province].name})
            return code
        codes = self.regency_by_bare.get(bare, [])
        if province:
            codes = [c for c in codes if self.regencies[c].province_code == province] or codes
        if len(codes) == 1:
            return codes[0]
        if not codes:
            raise Problem(_("bukan nama kabupaten/kota yang dikenal"))
        options = " atau ".join(f"{self.regencies[c].name} ({c})" for c in codes)
        raise Problem(_("tidak jelas: bisa %(options)s; tulis \"Kab.\" atau \"Kota\" di depannya")
                      % {"options": options})


class NamedIndex:
    """Lookup of reference rows (agencies, positions, levels) by code, name and short name."""

    def __init__(self, rows: list[tuple]):
        self.by_key: dict[str, object] = {}
        for pk, *names in rows:
            for name in names:
                if name:
                    self.by_key.setdefault(_key(name), pk)

    def get(self, value):
        return self.by_key.get(_key(value))


class PositionIndex:
    """ "Pekerja Sosial Ahli Pertama" → (position, level); "Pekerja Sosial" → (position, None)."""

    def __init__(self):
        from people.models import Position, PositionLevel

        self.positions = {_key(p.name): p for p in Position.objects.all()}
        self.positions.update({_key(p.code.replace("-", " ")): p for p in self.positions.values()})
        for short, code in (("peksos", "pekerja-sosial"), ("pensos", "penyuluh-sosial"),
                            ("jf pekerja sosial", "pekerja-sosial"), ("jf penyuluh sosial", "penyuluh-sosial"),
                            ("tksk", "tksk"), ("pendamping pkh", "pendamping-pkh"), ("tagana", "tagana"),
                            ("psm", "psm"), ("karang taruna", "karang-taruna")):
            match = next((p for p in self.positions.values() if p.code == code), None)
            if match:
                self.positions.setdefault(short, match)
        self.levels: dict[tuple[int, str], PositionLevel] = {}
        for level in PositionLevel.objects.all():
            self.levels[(level.position_id, _key(level.name))] = level
            self.levels[(level.position_id, _key(level.code.replace("-", " ")))] = level

    def parse(self, position_text, level_text=None):
        """(position, level, warning): an unknown position or level is left empty with a warning."""
        key = _key(position_text)
        position = None
        rest = ""
        if key:
            if key in self.positions:
                position = self.positions[key]
            else:
                for name in sorted(self.positions, key=len, reverse=True):
                    if key.startswith(name + " "):
                        position, rest = self.positions[name], key[len(name) + 1:]
                        break
            if position is None:
                return None, None, _("jabatan tidak dikenal; dibiarkan kosong")
        level_key = _key(level_text) or rest
        if not level_key:
            return position, None, None
        if position is None:
            return None, None, _("jenjang diisi tetapi jabatannya kosong; dibiarkan kosong")
        level = self.levels.get((position.pk, level_key))
        if level is None:
            return position, None, (_("jenjang %(level)s bukan jenjang jabatan %(position)s; dibiarkan kosong")
                                    % {"level": level_key, "position": position.name})
        return position, level, None
