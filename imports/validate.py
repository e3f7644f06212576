"""Checking one row of a people import: every error names the column, the value and what is wrong.

The identity rules are those of the registry (``people.identity.parse_nip`` / ``parse_nik``); names
and phones go through ``people.normalize``; the other field rules follow
``people.services.person_clean`` with the same messages (a parity test keeps them in step). The
registry's per-row uniqueness queries are replaced by one lookup per chunk (``imports.writer``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.normalise import (
    NamedIndex,
    PositionIndex,
    Problem,
    RegionIndex,
    identity_text,
    parse_date,
    parse_employment_type,
    parse_sex,
    split_place_date,
)
from imports.table import cell_text
from people.identity import IdentityError, parse_nik, parse_nip
from people.normalize import PhoneError, collapse_spaces, normalize_phone, split_name_titles

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"

#: Person fields an import may set, in the order the preview shows them.
PERSON_FIELDS = (
    "full_name", "title_prefix", "title_suffix", "sex", "birth_date", "birth_place", "employment_type", "nip",
    "nik", "position_id", "level_id", "rank_grade", "work_unit", "agency_id", "region_id", "province_id", "phone",
    "email",
)
_TEXT_FIELDS = {"rank_grade": 60, "work_unit": 200, "birth_place": 80}


@dataclass
class Issue:
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"column": self.column, "value": self.value, "message": self.message}


@dataclass
class RowResult:
    row: int
    raw: list
    values: dict = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    status: str = NEW
    changes: list[str] = field(default_factory=list)
    person_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"row": self.row, "status": self.status, "changes": self.changes,
                "errors": [i.as_dict() for i in self.errors], "warnings": [i.as_dict() for i in self.warnings]}


class Context:
    """Reference data and scope for one import, loaded once."""

    def __init__(self, *, agency, user=None, restrict_to_agency: bool = False):
        from people.models import Agency

        self.agency = agency
        self.user = user
        self.restrict_to_agency = restrict_to_agency
        self.regions = RegionIndex.from_db()
        self.positions = PositionIndex()
        self.agencies = NamedIndex(list(Agency.objects.values_list("pk", "code", "name", "short_name")))
        self.agency_names = dict(Agency.objects.values_list("pk", "name"))
        self.today = timezone.localdate()
        self._memo: dict[tuple, object] = {}

    def lookup(self, kind: str, *args):
        """Reference lookups repeat across rows (the same city, position, agency): memoised,
        including the problems they raise."""
        key = (kind, *args)
        try:
            outcome = self._memo[key]
        except KeyError:
            function = {"province": self.regions.province, "regency": self._regency, "position": self.positions.parse,
                        "agency": self.agencies.get}[kind]
            try:
                outcome = function(*args)
            except Problem as problem:
                outcome = problem
            if len(self._memo) < 100_000:
                self._memo[key] = outcome
        if isinstance(outcome, Problem):
            raise outcome
        return outcome

    def _regency(self, value, province):
        return self.regions.regency(value, province=province)


class PeopleRowValidator:
    """Turns a raw row into Person values, or says why it cannot."""

    def __init__(self, *, headers: list[str], mapping: dict[int, str], context: Context):
        self.context = context
        self.columns: dict[str, tuple[int, str]] = {}
        for col, name in mapping.items():
            if name and name != "ignore":
                label = headers[col] if col < len(headers) and headers[col] else _column_letter(col)
                self.columns[name] = (int(col), label)

    def _cell(self, row: list, name: str):
        spec = self.columns.get(name)
        if spec is None or spec[0] >= len(row):
            return None
        value = row[spec[0]]
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def label(self, name: str) -> str:
        spec = self.columns.get(name)
        return spec[1] if spec else name

    def check(self, number: int, row: list) -> RowResult:  # noqa: C901, PLR0912, PLR0915 - one rule after another
        result = RowResult(row=number, raw=row)
        values = result.values
        ctx = self.context

        def fail(name: str, value, message: str) -> None:
            result.errors.append(Issue(self.label(name), cell_text(value), message))

        def warn(name: str, value, message: str) -> None:
            result.warnings.append(Issue(self.label(name), cell_text(value), message))

        # Name and titles.
        raw_name = self._cell(row, "full_name")
        prefix, name, suffix = split_name_titles(cell_text(raw_name))
        if not name:
            fail("full_name", raw_name, _("Nama lengkap wajib diisi."))
        elif len(name) > 150:
            fail("full_name", raw_name, _("Nama terlalu panjang (lebih dari 150 huruf)."))
        values["full_name"], values["title_prefix"], values["title_suffix"] = name, prefix[:40], suffix[:60]

        # Sex.
        sex_raw = self._cell(row, "sex")
        sex = ""
        if sex_raw is not None:
            try:
                sex = parse_sex(sex_raw)
            except Problem as problem:
                fail("sex", sex_raw, _("Jenis kelamin %(value)s %(problem)s.") % {"value": cell_text(sex_raw),
                                                                                   "problem": problem.message})
                sex = "?"

        # Birth place and date.
        birth_date: dt.date | None = None
        for source in ("birth_place_date", "birth_date"):
            raw = self._cell(row, source)
            if raw is None:
                continue
            try:
                if source == "birth_place_date":
                    place, birth_date = split_place_date(raw)
                    if place:
                        values["birth_place"] = place
                else:
                    birth_date = parse_date(raw)
            except Problem as problem:
                fail(source, raw, _("Tanggal lahir %(value)s %(problem)s.") % {"value": cell_text(raw),
                                                                              "problem": problem.message})
                birth_date = None
        place = self._cell(row, "birth_place")
        if place is not None:
            values["birth_place"] = collapse_spaces(cell_text(place))
        if birth_date and birth_date > ctx.today:
            fail("birth_date" if "birth_date" in self.columns else "birth_place_date", birth_date,
                 _("Tanggal lahir tidak boleh di masa depan."))

        # Employment type.
        emp_raw = self._cell(row, "employment_type")
        employment_type = ""
        if emp_raw is not None:
            try:
                employment_type = parse_employment_type(emp_raw)
            except Problem as problem:
                fail("employment_type", emp_raw, _("Status kepegawaian %(value)s %(problem)s.")
                     % {"value": cell_text(emp_raw), "problem": problem.message})
                employment_type = "?"

        # NIP and NIK (from their own columns or one "NIP/NIK" column, told apart by length).
        nip = nik = ""
        nip_col = nik_col = None
        for source in ("identity", "nip", "nik"):
            raw = self._cell(row, source)
            if raw is None:
                continue
            try:
                digits = identity_text(raw)
            except Problem as problem:
                label = {"nip": "NIP", "nik": "NIK"}.get(source, "NIP/NIK")
                fail(source, raw, _("%(label)s %(problem)s.") % {"label": label, "problem": problem.message})
                nip_col = nik_col = source
                nip = nik = "!"
                continue
            kind = source
            if source == "identity":
                kind = "nik" if len(digits) == 16 else "nip"
            if kind == "nip":
                nip, nip_col = digits, source
            else:
                nik, nik_col = digits, source

        if not employment_type and nip and nip != "!":
            employment_type = "PPPK" if len(nip) == 18 and nip[12] == "2" else "PNS"
        if not employment_type and nik and nik != "!":
            employment_type = "NON_ASN"
        if not employment_type and nip != "!":
            fail("employment_type", emp_raw, _("Status kepegawaian harus PNS, PPPK atau Non-ASN."))

        check_sex = sex if sex in {"L", "P"} else None
        if nip != "!" and (employment_type in {"PNS", "PPPK"} or nip):
            try:
                info = parse_nip(nip, sex=check_sex, employment_type=employment_type or None, birth_date=birth_date)
            except IdentityError as exc:
                fail(nip_col or "nip", nip, exc.message)
            else:
                values["nip"] = info.nip
                if not sex:
                    sex = info.sex
                    warn(nip_col or "nip", nip, _("Jenis kelamin kosong; diambil dari digit 15 NIP."))
                if birth_date is None:
                    values["birth_date_from_id"] = info.birth_date
        if nik != "!" and (employment_type == "NON_ASN" or nik):
            try:
                nik_info = parse_nik(nik, sex=check_sex, birth_date=birth_date)
            except IdentityError as exc:
                fail(nik_col or "nik", nik, exc.message)
            else:
                values["nik"] = nik_info.nik
                if not sex:
                    sex = nik_info.sex
                    warn(nik_col or "nik", nik, _("Jenis kelamin kosong; diambil dari tanggal di NIK."))
                if birth_date is None and "birth_date_from_id" not in values:
                    values["birth_date_from_id"] = nik_info.birth_date
        if not sex:
            fail("sex", sex_raw, _("Jenis kelamin harus L (laki-laki) atau P (perempuan)."))
        values["sex"] = sex
        values["employment_type"] = employment_type
        if birth_date:
            values["birth_date"] = birth_date

        # Position and level.
        pos_raw, level_raw = self._cell(row, "position"), self._cell(row, "level")
        if pos_raw is not None or level_raw is not None:
            position, level, problem = ctx.lookup("position", cell_text(pos_raw), cell_text(level_raw))
            if problem:
                warn("position" if pos_raw is not None else "level", pos_raw or level_raw,
                     _("%(value)s: %(problem)s.") % {"value": cell_text(pos_raw or level_raw), "problem": problem})
            if position is not None:
                values["position_id"] = position.id
            if level is not None:
                values["level_id"] = level.id

        for name, limit in _TEXT_FIELDS.items():
            if name == "birth_place":
                continue
            raw = self._cell(row, name)
            if raw is not None:
                text = collapse_spaces(cell_text(raw))
                if len(text) > limit:
                    fail(name, raw, _("Isian terlalu panjang (lebih dari %(limit)d huruf).") % {"limit": limit})
                values[name] = text[:limit]
        if len(values.get("birth_place", "")) > 80:
            fail("birth_place", values["birth_place"], _("Isian terlalu panjang (lebih dari %(limit)d huruf).")
                 % {"limit": 80})

        # Agency: the column if there is one, else the agency chosen on upload.
        agency_raw = self._cell(row, "agency")
        agency_id = ctx.agency.pk if ctx.agency is not None else None
        if agency_raw is not None:
            found = ctx.lookup("agency", cell_text(agency_raw))
            if found is None:
                fail("agency", agency_raw, _("Instansi %(value)s tidak dikenal; tulis nama atau singkatan resminya.")
                     % {"value": cell_text(agency_raw)})
            else:
                agency_id = found
        if agency_id is None:
            fail("agency", agency_raw, _("Instansi kosong dan tidak ada instansi tujuan impor."))
        elif ctx.restrict_to_agency and ctx.agency is not None and agency_id != ctx.agency.pk:
            fail("agency", agency_raw, _("Anda hanya boleh mengimpor SDM instansi %(agency)s; baris ini untuk %(other)s.")
                 % {"agency": ctx.agency_names.get(ctx.agency.pk, ""), "other": ctx.agency_names.get(agency_id, "")})
        values["agency_id"] = agency_id

        # Province and regency/city.
        province = ""
        prov_raw = self._cell(row, "province")
        if prov_raw is not None:
            try:
                province = ctx.lookup("province", cell_text(prov_raw))
            except Problem as problem:
                fail("province", prov_raw, _("Provinsi %(value)s %(problem)s.") % {"value": cell_text(prov_raw),
                                                                                  "problem": problem.message})
        reg_raw = self._cell(row, "region")
        if reg_raw is not None:
            try:
                region = ctx.lookup("regency", cell_text(reg_raw), province)
            except Problem as problem:
                fail("region", reg_raw, _("Kabupaten/kota %(value)s %(problem)s.")
                     % {"value": cell_text(reg_raw), "problem": problem.message})
            else:
                values["region_id"] = region
                province = ctx.regions.regencies[region].province_code
        if province:
            values["province_id"] = province

        # Phone and email.
        phone_raw = self._cell(row, "phone")
        if phone_raw is not None:
            text = cell_text(phone_raw)
            try:
                values["phone"] = normalize_phone(text)
            except PhoneError:
                fail("phone", phone_raw, _("Nomor HP %(value)s tidak dikenali; tulis seperti 0812-3456-7890 atau "
                                           "+62 812 3456 7890.") % {"value": text})
        email_raw = self._cell(row, "email")
        if email_raw is not None:
            email = cell_text(email_raw).lower()
            try:
                validate_email(email)
            except ValidationError:
                fail("email", email_raw, _("Alamat email %(value)s tidak sah.") % {"value": email})
            else:
                values["email"] = email
        if result.errors:
            result.status = ERROR
        return result

    def identity_key(self, result: RowResult) -> tuple[str, str]:
        return result.values.get("nip") or "", result.values.get("nik") or ""


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return _("kolom %(letter)s") % {"letter": letters}
