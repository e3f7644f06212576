"""People API: the same scoping, filters and services as the pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from accounts.access import require_role
from accounts.roles import PEOPLE_READERS, PEOPLE_WRITERS
from people.access import can_see_full_identity, person_for_user
from people.identity import mask_identity
from people.models import Agency, Person, Position, PositionLevel, Region
from people.selectors import SORTS, PersonFilters, person_search
from people.services import PersonInput, person_create, person_update
from web.pagination import rows_by_ids

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    full_name: str
    title_prefix: str
    title_suffix: str
    display_name: str
    sex: str
    birth_date: dt.date | None
    employment_type: str
    nip: str | None
    nik: str | None
    position: str | None
    level: str | None
    rank_grade: str
    agency_id: int
    agency: str
    work_unit: str
    region_code: str | None
    province_code: str | None
    phone: str
    email: str
    is_active: bool


class PersonPage(Schema):
    count: int
    count_is_capped: bool
    offset: int
    limit: int
    items: list[PersonOut]


class PersonIn(Schema):
    full_name: str
    sex: str
    employment_type: str
    agency_id: int
    title_prefix: str = ""
    title_suffix: str = ""
    birth_date: dt.date | None = None
    birth_place: str = ""
    nip: str | None = None
    nik: str | None = None
    position_code: str | None = None
    level_code: str | None = None
    rank_grade: str = ""
    work_unit: str = ""
    region_code: str | None = None
    phone: str = ""
    email: str = ""


class ListQuery(Schema):
    q: str = ""
    agency: int | None = None
    province: str = ""
    position: int | None = None
    employment_type: str = ""
    sort: str = "name"
    offset: int = 0
    limit: int = 50


def person_out(person: Person, *, full: bool) -> PersonOut:
    return PersonOut(
        id=person.pk, full_name=person.full_name, title_prefix=person.title_prefix,
        title_suffix=person.title_suffix, display_name=person.display_name, sex=person.sex,
        birth_date=person.birth_date, employment_type=person.employment_type,
        nip=person.nip if full or not person.nip else mask_identity(person.nip),
        nik=person.nik if full or not person.nik else mask_identity(person.nik),
        position=person.position.name if person.position else None,
        level=person.level.name if person.level else None, rank_grade=person.rank_grade,
        agency_id=person.agency_id, agency=str(person.agency), work_unit=person.work_unit,
        region_code=person.region_id, province_code=person.province_id, phone=person.phone, email=person.email,
        is_active=person.is_active,
    )


def _input_from(payload: PersonIn) -> PersonInput:
    errors: dict[str, list[str]] = {}
    agency = Agency.objects.filter(pk=payload.agency_id).first()
    if agency is None:
        errors["agency_id"] = [_("Instansi %(id)s tidak dikenal.") % {"id": payload.agency_id}]
    position = level = region = None
    if payload.position_code:
        position = Position.objects.filter(code=payload.position_code).first()
        if position is None:
            errors["position_code"] = [_("Kode jabatan %(code)s tidak dikenal.") % {"code": payload.position_code}]
    if payload.level_code:
        level = PositionLevel.objects.filter(code=payload.level_code, position=position).first() if position else None
        if level is None:
            errors["level_code"] = [_("Kode jenjang %(code)s tidak dikenal untuk jabatan ini.")
                                    % {"code": payload.level_code}]
    if payload.region_code:
        region = Region.objects.filter(code=payload.region_code, level=2).first()
        if region is None:
            errors["region_code"] = [_("Kode kabupaten/kota %(code)s tidak dikenal.") % {"code": payload.region_code}]
    if errors:
        raise ValidationError(errors)
    return PersonInput(
        full_name=payload.full_name, sex=payload.sex, employment_type=payload.employment_type, agency=agency,
        title_prefix=payload.title_prefix, title_suffix=payload.title_suffix, birth_date=payload.birth_date,
        birth_place=payload.birth_place, nip=payload.nip, nik=payload.nik, position=position, level=level,
        rank_grade=payload.rank_grade, work_unit=payload.work_unit, region=region, phone=payload.phone,
        email=payload.email,
    )


@router.get("/", response=PersonPage, summary="Daftar SDM Kesos (cari dan saring)")
def list_people(request, query: Query[ListQuery]):
    require_role(request.auth, PEOPLE_READERS)
    filters = PersonFilters(q=query.q, agency=query.agency, province=query.province, position=query.position,
                            employment_type=query.employment_type,
                            sort=query.sort if query.sort in SORTS else "name")
    qs = person_search(user=request.auth, filters=filters)
    limit = max(1, min(query.limit, 200))
    offset = max(0, query.offset)
    rows, count, capped = rows_by_ids(qs, offset=offset, limit=limit)
    full = can_see_full_identity(request.auth)
    items = [person_out(p, full=full) for p in rows]
    return PersonPage(count=count, count_is_capped=capped, offset=offset, limit=limit, items=items)


@router.get("/{person_id}", response=PersonOut, summary="Satu orang")
def get_person(request, person_id: int):
    person = person_for_user(request.auth, person_id)
    return person_out(person, full=can_see_full_identity(request.auth))


@router.post("/", response={201: PersonOut}, summary="Tambah orang")
def create_person(request, payload: PersonIn):
    require_role(request.auth, PEOPLE_WRITERS)
    person = person_create(by=request.auth, data=_input_from(payload))
    return Status(201, person_out(person, full=True))


@router.put("/{person_id}", response=PersonOut, summary="Ubah orang")
def update_person(request, person_id: int, payload: PersonIn):
    require_role(request.auth, PEOPLE_WRITERS)
    person = person_for_user(request.auth, person_id)
    person, _changed = person_update(by=request.auth, person=person, data=_input_from(payload))
    return person_out(person, full=True)
