"""State changes of the people registry. Pages, API, imports and the demo call these."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record, changed_fields, snapshot
from people.access import require_person_write
from people.identity import IdentityError, clean_number, parse_nik, parse_nip
from people.models import (
    Agency,
    EmploymentType,
    Person,
    PersonSearchToken,
    Position,
    PositionHistory,
    PositionLevel,
    Region,
    Sex,
)
from people.normalize import (
    PhoneError,
    collapse_spaces,
    name_tokens,
    normalize_phone,
    sort_key,
    split_name_titles,
)


@dataclass
class PersonInput:
    """What a page, the API or an import supplies to create or change a person."""

    full_name: str
    sex: str
    employment_type: str
    agency: Agency
    title_prefix: str = ""
    title_suffix: str = ""
    birth_date: dt.date | None = None
    birth_place: str = ""
    nip: str | None = None
    nik: str | None = None
    position: Position | None = None
    level: PositionLevel | None = None
    rank_grade: str = ""
    work_unit: str = ""
    region: Region | None = None
    province: Region | None = None
    phone: str = ""
    email: str = ""
    warnings: list[str] = field(default_factory=list, compare=False)

    def model_values(self) -> dict:
        values = asdict(self)
        values.pop("warnings")
        # asdict deep-copies model instances; put the originals back.
        for key in ("agency", "position", "level", "region", "province"):
            values[key] = getattr(self, key)
        return values


def person_clean(data: PersonInput, *, instance: Person | None = None) -> PersonInput:
    """Normalise ``data`` in place and check every rule; raise one ValidationError
    holding a message per field (in the active language)."""
    errors: dict[str, list[str]] = {}

    def fail(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    prefix, name, suffix = split_name_titles(data.full_name)
    data.full_name = name
    data.title_prefix = collapse_spaces(data.title_prefix) or prefix
    data.title_suffix = collapse_spaces(data.title_suffix) or suffix
    if not data.full_name:
        fail("full_name", _("Nama lengkap wajib diisi."))
    if data.sex not in Sex.values:
        fail("sex", _("Jenis kelamin harus L (laki-laki) atau P (perempuan)."))
    if data.employment_type not in EmploymentType.values:
        fail("employment_type", _("Status kepegawaian harus PNS, PPPK atau Non-ASN."))
    sex = data.sex if data.sex in Sex.values else None

    data.nip = clean_number(data.nip) or None
    data.nik = clean_number(data.nik) or None
    if data.employment_type in {EmploymentType.PNS, EmploymentType.PPPK} or data.nip:
        try:
            info = parse_nip(data.nip, sex=sex, employment_type=data.employment_type,
                             birth_date=data.birth_date)
            data.birth_date = data.birth_date or info.birth_date
        except IdentityError as exc:
            fail("nip", exc.message)
    if data.employment_type == EmploymentType.NON_ASN or data.nik:
        try:
            nik_info = parse_nik(data.nik, sex=sex, birth_date=data.birth_date)
            data.birth_date = data.birth_date or nik_info.birth_date
        except IdentityError as exc:
            fail("nik", exc.message)
    if data.birth_date and data.birth_date > timezone.localdate():
        fail("birth_date", _("Tanggal lahir tidak boleh di masa depan."))

    if data.level is not None and data.position is not None and data.level.position_id != data.position.pk:
        fail("level", _("Jenjang %(level)s bukan jenjang jabatan %(position)s.")
             % {"level": data.level.name, "position": data.position.name})
    if data.level is not None and data.position is None:
        data.position = data.level.position
    if data.region is not None:
        if data.region.level != Region.Level.REGENCY:
            fail("region", _("Pilih kabupaten/kota, bukan provinsi."))
        elif data.province is not None and data.region.province_id != data.province.pk:
            fail("region", _("%(regency)s tidak berada di provinsi %(province)s.")
                 % {"regency": data.region.name, "province": data.province.name})
        else:
            data.province = data.region.province
    if data.province is not None and data.province.level != Region.Level.PROVINCE:
        fail("province", _("Pilih provinsi."))

    try:
        data.phone = normalize_phone(data.phone)
    except PhoneError:
        fail("phone", _("Nomor HP %(value)s tidak dikenali; tulis seperti 0812-3456-7890 atau +62 812 3456 7890.")
             % {"value": data.phone})
    data.email = (data.email or "").strip().lower()
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            fail("email", _("Alamat email %(value)s tidak sah.") % {"value": data.email})

    others = Person.objects.exclude(pk=instance.pk) if instance else Person.objects.all()
    if data.nip and "nip" not in errors and others.filter(nip=data.nip).exists():
        fail("nip", _("NIP %(nip)s sudah terdaftar untuk orang lain.") % {"nip": data.nip})
    if data.nik and "nik" not in errors and others.filter(nik=data.nik).exists():
        fail("nik", _("NIK ini sudah terdaftar untuk orang lain."))
    if errors:
        raise ValidationError(errors)
    return data


#: A change to any of these starts a new period in the person's position history.
POSITION_FIELDS = {"position", "level", "rank_grade", "agency", "work_unit"}


def _open_position_period(person: Person) -> None:
    PositionHistory.objects.create(person=person, position_id=person.position_id, level_id=person.level_id,
                                   rank_grade=person.rank_grade, agency_id=person.agency_id,
                                   work_unit=person.work_unit, since=person.updated_at)


def _write_tokens(person: Person) -> None:
    PersonSearchToken.objects.filter(person=person).delete()
    PersonSearchToken.objects.bulk_create(
        PersonSearchToken(person=person, token=token) for token in name_tokens(person.full_name)
    )


@transaction.atomic
def person_create(*, by, data: PersonInput) -> Person:
    require_person_write(by, data.agency)
    person_clean(data)
    person = Person(**data.model_values())
    person.sort_name = sort_key(person.full_name)
    person.full_clean(validate_unique=False)
    person.save()
    _write_tokens(person)
    _open_position_period(person)
    audit_record(actor=by, action="person.create", target=person, after=snapshot(person))
    return person


def _require_not_anonymised(person: Person) -> None:
    """An anonymised record (privacy.retention) stays as it is: a person who returns gets a new record."""
    if person.anonymised_at is not None:
        raise ValidationError(_("Data ini sudah dianonimkan karena masa simpannya habis; buat data baru bila "
                                "orang ini kembali."))


@transaction.atomic
def person_update(*, by, person: Person, data: PersonInput) -> tuple[Person, list[str]]:
    """Change ``person`` to ``data``; return the person and the names of the fields that changed."""
    require_person_write(by, person.agency)
    _require_not_anonymised(person)
    require_person_write(by, data.agency)
    person_clean(data, instance=person)
    before = snapshot(person)
    for key, value in data.model_values().items():
        setattr(person, key, value)
    person.sort_name = sort_key(person.full_name)
    after = snapshot(person)
    changed = [name for name in changed_fields(before, after) if name not in {"updated_at"}]
    if not changed:
        return person, []
    person.updated_at = timezone.now()
    person.full_clean(validate_unique=False)
    person.save()
    if "full_name" in changed:
        _write_tokens(person)
    if POSITION_FIELDS & set(changed):
        PositionHistory.objects.filter(person=person, until__isnull=True).update(until=person.updated_at)
        _open_position_period(person)
    audit_record(actor=by, action="person.update", target=person,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return person, changed


@transaction.atomic
def person_set_active(*, by, person: Person, active: bool, reason: str) -> Person:
    require_person_write(by, person.agency)
    _require_not_anonymised(person)
    if person.is_active == active:
        return person
    person.is_active = active
    person.updated_at = timezone.now()
    person.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=by, action="person.activate" if active else "person.deactivate", target=person,
                 before={"is_active": not active}, after={"is_active": active}, note=reason)
    return person
