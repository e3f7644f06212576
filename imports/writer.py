"""Writing checked people rows to the registry, fast: one lookup per chunk, ``bulk_create`` for new
people, one ``executemany`` UPDATE per set of changed fields, and the search words
(``people.PersonSearchToken``) and ``sort_name`` kept as ``people.services`` keeps them.

The caller owns the transaction (one per chunk for "valid rows only", one for the whole file for
"all or nothing"). The same rows written twice change nothing the second time."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.validate import ERROR, NEW, UNCHANGED, UPDATE, Issue, RowResult
from people.models import Person, PersonSearchToken
from people.normalize import name_tokens, sort_key

#: Fields compared and written (``birth_date_from_id`` fills an empty birth date only).
COMPARED = ("full_name", "title_prefix", "title_suffix", "sex", "birth_date", "birth_place", "employment_type",
            "nip", "nik", "position_id", "level_id", "rank_grade", "work_unit", "agency_id", "region_id",
            "province_id", "phone", "email")
_LOADED = ("id", *COMPARED)


def display_field(name: str) -> str:
    return name[:-3] if name.endswith("_id") else name


def classify(results: list[RowResult], *, restrict_agency_id: int | None = None) -> None:
    """Set each valid row's status (new / update with its changes / unchanged) against the registry."""
    rows = [r for r in results if r.ok]
    nips = [r.values["nip"] for r in rows if r.values.get("nip")]
    niks = [r.values["nik"] for r in rows if r.values.get("nik")]
    if not nips and not niks:
        for r in rows:
            _as_new(r)
        return
    by_nip: dict[str, dict] = {}
    by_nik: dict[str, dict] = {}
    query = Q(nip__in=nips) if nips else Q()
    if niks:
        query = (query | Q(nik__in=niks)) if nips else Q(nik__in=niks)
    for existing in Person.objects.filter(query).values(*_LOADED):
        if existing["nip"]:
            by_nip[existing["nip"]] = existing
        if existing["nik"]:
            by_nik[existing["nik"]] = existing
    for r in rows:
        nip, nik = r.values.get("nip"), r.values.get("nik")
        a = by_nip.get(nip) if nip else None
        b = by_nik.get(nik) if nik else None
        if a and b and a["id"] != b["id"]:
            r.errors.append(Issue("NIP/NIK", f"{nip} / {nik}", _("NIP dan NIK ini terdaftar untuk dua orang yang "
                                                                 "berbeda di registri; periksa kembali.")))
            r.status = ERROR
            continue
        existing = a or b
        if existing is None:
            _as_new(r)
            continue
        if restrict_agency_id is not None and existing["agency_id"] != restrict_agency_id:
            r.errors.append(Issue("NIP/NIK", nip or nik or "", _("Orang dengan nomor ini terdaftar di instansi lain; "
                                                                "hanya admin instansi itu yang dapat mengubahnya.")))
            r.status = ERROR
            continue
        r.person_id = existing["id"]
        changes = []
        values = r.values
        from_id = values.pop("birth_date_from_id", None)
        if from_id and existing["birth_date"] is None and "birth_date" not in values:
            values["birth_date"] = from_id
        for name in COMPARED:
            if name in values and values[name] != existing[name]:
                if name in {"title_prefix", "title_suffix"} and not values[name]:
                    continue  # a name without titles does not erase the titles already recorded
                changes.append(name)
        r.changes = [display_field(c) for c in changes]
        r.status = UPDATE if changes else UNCHANGED
        r.values = {name: values[name] for name in changes}


def _as_new(r: RowResult) -> None:
    values = r.values
    from_id = values.pop("birth_date_from_id", None)
    if from_id and not values.get("birth_date"):
        values["birth_date"] = from_id
    r.status = NEW
    r.changes = []


_DEFAULTS = {"title_prefix": "", "title_suffix": "", "birth_place": "", "rank_grade": "", "work_unit": "",
             "phone": "", "email": "", "birth_date": None, "nip": None, "nik": None, "position_id": None,
             "level_id": None, "region_id": None, "province_id": None}


def write(results: list[RowResult]) -> tuple[int, int]:
    """Insert the new rows and apply the updates among ``results``; return (created, updated)."""
    now = timezone.now()
    new = [r for r in results if r.status == NEW]
    updates = [r for r in results if r.status == UPDATE]
    created = 0
    if new:
        _insert_people(new, now)
        created = len(new)
    if updates:
        groups: dict[tuple[str, ...], list[RowResult]] = defaultdict(list)
        for r in updates:
            groups[tuple(sorted(r.values))].append(r)
        ops = connection.ops
        table = connection.ops.quote_name(Person._meta.db_table)
        renamed: list[tuple[int, str]] = []
        stamp = ops.adapt_datetimefield_value(now)
        for fields, rows in groups.items():
            columns = [*fields, "updated_at"] + (["sort_name"] if "full_name" in fields else [])
            sets = ", ".join(f"{ops.quote_name(c)} = %s" for c in columns)
            params = []
            for r in rows:
                row = [ops.adapt_datefield_value(r.values[f]) if f == "birth_date" else r.values[f] for f in fields]
                row.append(stamp)
                if "full_name" in fields:
                    row.append(sort_key(r.values["full_name"]))
                    renamed.append((r.person_id, r.values["full_name"]))
                row.append(r.person_id)
                params.append(row)
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", params)  # noqa: S608 - column names from the model
        if renamed:
            ids = [pid for pid, _name in renamed]
            for start in range(0, len(ids), 500):
                PersonSearchToken.objects.filter(person_id__in=ids[start:start + 500]).delete()
            _insert_tokens(renamed)
    return created, len(updates)


_INSERTED = (*COMPARED, "is_active", "sort_name", "created_at", "updated_at")


def _insert_people(rows: list[RowResult], now) -> None:
    """One executemany INSERT for the chunk, then the new ids looked up by NIP/NIK (both unique)."""
    ops = connection.ops
    table = ops.quote_name(Person._meta.db_table)
    stamp = ops.adapt_datetimefield_value(now)
    adapt_date = ops.adapt_datefield_value
    params = []
    sort_names = []
    for r in rows:
        values = {**_DEFAULTS, **r.values}
        row = [values[name] for name in COMPARED]
        row[4] = adapt_date(row[4])  # birth_date
        sort = sort_key(values["full_name"])
        sort_names.append(sort)
        row += [True, sort, stamp, stamp]
        params.append(row)
    columns = ", ".join(ops.quote_name(c) for c in _INSERTED)
    marks = ", ".join(["%s"] * len(_INSERTED))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", params)  # noqa: S608
    nips = [r.values["nip"] for r in rows if r.values.get("nip")]
    niks = [r.values["nik"] for r in rows if r.values.get("nik") and not r.values.get("nip")]
    ids: dict[tuple[str, str], int] = {}
    with connection.cursor() as cursor:
        for field_name, numbers in (("nip", nips), ("nik", niks)):
            for start in range(0, len(numbers), 500):
                part = numbers[start:start + 500]
                cursor.execute(f"SELECT {field_name}, id FROM {table} WHERE {field_name} IN "  # noqa: S608
                               f"({', '.join(['%s'] * len(part))})", part)
                for number, pk in cursor.fetchall():
                    ids[(field_name, number)] = pk
    for r in rows:
        nip = r.values.get("nip")
        r.person_id = ids[("nip", nip)] if nip else ids[("nik", r.values["nik"])]
    _insert_tokens(((r.person_id, sort) for r, sort in zip(rows, sort_names, strict=True)), sorted_names=True)


def tokens_of_sort_name(sort: str) -> list[str]:
    """``name_tokens(name)`` from an already computed ``sort_key(name)`` (sort_key is idempotent,
    so this is ``name_tokens(sort)`` without normalising the text a second time)."""
    seen: list[str] = []
    for word in sort.split(" "):
        word = word[:40]
        if word and word not in seen:
            seen.append(word)
    return seen


def _insert_tokens(people, *, sorted_names: bool = False) -> None:
    ops = connection.ops
    table = ops.quote_name(PersonSearchToken._meta.db_table)
    split = tokens_of_sort_name if sorted_names else name_tokens
    params = [(pid, token) for pid, name in people for token in split(name)]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} (person_id, token) VALUES (%s, %s)", params)  # noqa: S608
