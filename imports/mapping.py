"""Matching column headers to fields by their Indonesian and English synonyms.

A :class:`FieldSet` is the list of fields one kind of import knows (people here; event nominations
later) with the header names people write for each. The user can correct the mapping afterwards."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

IGNORE = "ignore"
NUMBERING = "numbering"

_PUNCT = re.compile(r"[^\w/ ]+")
_SPACES = re.compile(r"\s+")


def header_key(text) -> str:
    """``" Tgl. Lahir "`` → ``"tgl lahir"``; ``"NIP / NIK"`` → ``"nip/nik"``."""
    value = str(text or "").replace("\n", " ").lower()
    value = _PUNCT.sub(" ", value)
    value = re.sub(r"\s*/\s*", "/", value)
    return _SPACES.sub(" ", value).strip()


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class FieldSet:
    fields: tuple[Field, ...]
    numbering: tuple[str, ...] = ("no", "no urut", "nomor urut", "nomor", "#", "no.", "urut")

    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def choices(self) -> list[tuple[str, str]]:
        return [(IGNORE, str(_("(abaikan kolom ini)")))] + [(f.name, str(f.label)) for f in self.fields]

    def _index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for f in self.fields:
            for synonym in (f.name, *f.synonyms):
                index.setdefault(header_key(synonym), f.name)
        for synonym in self.numbering:
            index.setdefault(header_key(synonym), NUMBERING)
        return index

    def match(self, header) -> str | None:
        """The field a header names, ``NUMBERING`` for a numbering column, or None."""
        key = header_key(header)
        if not key:
            return None
        index = _INDEX_CACHE.get(id(self))
        if index is None:
            index = _INDEX_CACHE[id(self)] = self._index()
        if key in index:
            return index[key]
        # "Nama Lengkap (dengan gelar)", "No. HP/WA aktif": try the words before a bracket, then prefixes.
        trimmed = header_key(re.split(r"[(\[]", str(header))[0])
        if trimmed in index:
            return index[trimmed]
        words = key.split(" ")
        for size in range(len(words) - 1, 0, -1):
            candidate = " ".join(words[:size])
            if candidate in index and index[candidate] != NUMBERING:
                return index[candidate]
        return None

    def map_headers(self, headers: list) -> dict[int, str]:
        """Column index → field for each recognised header (first match wins, numbering ignored)."""
        mapping: dict[int, str] = {}
        taken: set[str] = set()
        for col, header in enumerate(headers):
            name = self.match(header)
            if name is None or name == NUMBERING or name in taken:
                continue
            mapping[col] = name
            taken.add(name)
        return mapping


_INDEX_CACHE: dict[int, dict[str, str]] = {}

PEOPLE_FIELDS = FieldSet(fields=(
    Field("full_name", _("Nama lengkap"), (
        "nama", "nama lengkap", "nama pegawai", "nama peserta", "nama lengkap dan gelar", "nama dan gelar",
        "nama asn", "nama sdm", "name", "full name", "participant name", "employee name")),
    Field("identity", _("NIP/NIK"), (
        "nip/nik", "nik/nip", "nip atau nik", "no identitas", "nomor identitas", "nomor induk", "id",
        "identity number")),
    Field("nip", _("NIP"), ("nip", "nip baru", "nomor induk pegawai", "no induk pegawai", "employee id",
                            "employee number")),
    Field("nik", _("NIK"), ("nik", "no ktp", "nomor ktp", "ktp", "no nik", "nomor induk kependudukan",
                            "national id", "id card number")),
    Field("sex", _("Jenis kelamin"), ("jenis kelamin", "jk", "l/p", "lp", "p/l", "kelamin", "gender", "sex")),
    Field("birth_place_date", _("Tempat, tanggal lahir"), (
        "tempat tanggal lahir", "tempat/tanggal lahir", "tempat/tgl lahir", "tempat tgl lahir", "ttl",
        "tempat dan tanggal lahir", "place and date of birth")),
    Field("birth_date", _("Tanggal lahir"), ("tanggal lahir", "tgl lahir", "tgl lhr", "tanggal lhr",
                                             "date of birth", "birth date", "dob", "birthdate")),
    Field("birth_place", _("Tempat lahir"), ("tempat lahir", "tmp lahir", "place of birth", "birth place")),
    Field("employment_type", _("Status kepegawaian"), (
        "status kepegawaian", "status pegawai", "status", "jenis pegawai", "status asn", "employment type",
        "employment status")),
    Field("position", _("Jabatan"), ("jabatan", "jabatan fungsional", "nama jabatan", "jf", "position",
                                     "job title")),
    Field("level", _("Jenjang jabatan"), ("jenjang", "jenjang jabatan", "level", "jenjang jf")),
    Field("rank_grade", _("Pangkat/golongan"), (
        "pangkat/gol", "pangkat/golongan", "pangkat gol", "pangkat golongan", "golongan", "gol", "gol ruang",
        "pangkat", "golongan ruang", "rank", "grade")),
    Field("work_unit", _("Unit kerja"), ("unit kerja", "satuan kerja", "satker", "unit", "work unit",
                                         "bagian", "bidang")),
    Field("agency", _("Instansi"), ("instansi", "nama instansi", "instansi asal", "asal instansi", "lembaga",
                                    "agency", "organisation", "organization")),
    Field("province", _("Provinsi"), ("provinsi", "propinsi", "prov", "province")),
    Field("region", _("Kabupaten/kota"), (
        "kab/kota", "kabupaten/kota", "kota/kabupaten", "kota/kab", "kab kota", "kabupaten", "kota",
        "kab", "regency", "city", "regency/city", "district")),
    Field("phone", _("Nomor HP"), ("no hp", "nomor hp", "hp", "no hp/wa", "no wa", "nomor wa", "whatsapp",
                                   "telepon", "no telepon", "no telp", "telp", "nomor telepon", "phone",
                                   "mobile", "phone number")),
    Field("email", _("Email"), ("email", "e mail", "alamat email", "surel", "e-mail")),
))
