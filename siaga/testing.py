"""Test helpers shared by every app: a named cast of users, factories, URL access rules.

Factories go through the real services so tests exercise the same rules as users."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from accounts.models import User
from accounts.roles import Role
from people.models import Agency, Person, Position, Region
from people.services import PersonInput, person_create

_serial = itertools.count(1)


class _System:
    """Stands for the system itself as the actor of factory-made rows (no permission checks)."""

    is_authenticated = True
    is_superuser = True
    role = Role.CENTRE_ADMIN
    pk = None
    agency_id = None

    def get_username(self) -> str:
        return "factory"


SYSTEM = _System()


def make_nip(*, born: dt.date = dt.date(1985, 3, 14), sex: str = "L", kind: str = "PNS", serial: int | None = None) -> str:
    n = next(_serial) if serial is None else serial
    sex_digit = "1" if sex == "L" else "2"
    # Spread serials over TMT months and serial digits so every NIP is unique.
    month = (n // 999) % 12 + 1
    year = 2010 + (n // (999 * 12)) % 10
    tail = n % 999 + 1
    if kind == "PPPK":
        return f"{born:%Y%m%d}{2020 + (n // 999) % 5}2{(n // 4995) % 9 + 1}{sex_digit}{tail:03d}"
    return f"{born:%Y%m%d}{year}{month:02d}{sex_digit}{tail:03d}"


def make_nik(*, born: dt.date = dt.date(1990, 6, 1), sex: str = "L", regency: str = "32.73") -> str:
    n = next(_serial)
    prov, reg = regency.split(".")
    day = born.day + (40 if sex == "P" else 0)
    return f"{prov}{reg}{n % 30 + 1:02d}{day:02d}{born:%m}{born:%y}{n % 9999 + 1:04d}"


def make_person(*, agency: Agency | str = "kemensos", full_name: str | None = None, sex: str = "L",
                employment_type: str = "PNS", position: str | None = "pekerja-sosial", level: str | None = None,
                region: str = "32.73", born: dt.date = dt.date(1985, 3, 14), **extra) -> Person:
    if isinstance(agency, str):
        agency = Agency.objects.get(code=agency)
    pos = Position.objects.get(code=position) if position else None
    lvl = pos.levels.get(code=level) if (pos and level) else None
    data = PersonInput(
        full_name=full_name or f"Orang Uji {next(_serial)}",
        sex=sex,
        employment_type=employment_type,
        agency=agency,
        birth_date=born,
        nip=extra.pop("nip", None) or (make_nip(born=born, sex=sex, kind=employment_type)
                                       if employment_type != "NON_ASN" else None),
        nik=extra.pop("nik", None) or (make_nik(born=born, sex=sex, regency=region)
                                       if employment_type == "NON_ASN" else None),
        position=pos,
        level=lvl,
        region=Region.objects.get(code=region),
        **extra,
    )
    return person_create(by=SYSTEM, data=data)


def make_user(role: str, *, username: str | None = None, agency: Agency | str | None = None,
              person: Person | None = None) -> User:
    if isinstance(agency, str):
        agency = Agency.objects.get(code=agency)
    return User.objects.create_user(username=username or f"{role}-{next(_serial)}", password="x-test-password",
                                    role=role, agency=agency, person=person)


class Cast:
    """The named cast of permission tests. Built lazily: only what a test touches is created."""

    @cached_property
    def kemensos(self) -> Agency:
        return Agency.objects.get(code="kemensos")

    @cached_property
    def bnpb(self) -> Agency:
        return Agency.objects.get(code="bnpb")

    @cached_property
    def person_a(self) -> Person:
        """A Pekerja Sosial of Kemensos (the participant's own record)."""
        return make_person(agency=self.kemensos, full_name="Siti Aminah", sex="P", level="ahli-pertama")

    @cached_property
    def person_b(self) -> Person:
        """A worker of BNPB (outside the Kemensos admin's scope)."""
        return make_person(agency=self.bnpb, full_name="Budi Santoso", sex="L")

    @cached_property
    def agency_admin(self) -> User:
        return make_user(Role.AGENCY_ADMIN, username="admin-kemensos", agency=self.kemensos)

    @cached_property
    def other_agency_admin(self) -> User:
        return make_user(Role.AGENCY_ADMIN, username="admin-bnpb", agency=self.bnpb)

    @cached_property
    def participant(self) -> User:
        return make_user(Role.PARTICIPANT, username="peserta", agency=self.kemensos, person=self.person_a)

    @cached_property
    def outsider(self) -> User:
        """A participant login with no person record."""
        return make_user(Role.PARTICIPANT, username="outsider")

    def user(self, role: str) -> User:
        if role == Role.AGENCY_ADMIN:
            return self.agency_admin
        if role == Role.PARTICIPANT:
            return self.participant
        attr = f"_user_{role}"
        if not hasattr(self, attr):
            setattr(self, attr, make_user(role, username=role))
        return getattr(self, attr)


@dataclass
class Rule:
    """Who may reach one named URL pattern (``namespace:name``).

    ``allowed``: roles that get ``ok`` statuses; every other role must get 403 or 404.
    ``public``: anonymous visitors are let in too. ``kwargs(cast)`` builds the URL's
    arguments from objects in the allowed roles' scope. ``method``: "get" or "post"."""

    name: str
    allowed: frozenset[str] | set[str] = field(default_factory=frozenset)
    public: bool = False
    kwargs: Callable[[Cast], dict] | None = None
    method: str = "get"
    data: Callable[[Cast], dict] | None = None
    ok: tuple[int, ...] = (200,)
    query: str = ""
