"""Reads of the people registry: the scoped, filtered, searched list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from people.access import people_visible_to
from people.identity import clean_number
from people.models import Person, PersonSearchToken
from people.normalize import name_tokens

#: Largest code point, so ``[word, word + MAX)`` is the range of all strings starting with ``word``.
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    agency: int | None = None
    province: str = ""
    position: int | None = None
    employment_type: str = ""
    active: bool | None = True


def person_search(*, user, filters: PersonFilters) -> QuerySet[Person]:
    """People ``user`` may see that match ``filters``, ordered by name.

    A query of digits (spaces and dots allowed) matches NIP or NIK exactly; other
    text matches people having a name word that starts with each word typed."""
    qs = people_visible_to(user).select_related("agency", "position", "level", "province", "region")
    if filters.agency:
        qs = qs.filter(agency_id=filters.agency)
    if filters.province:
        qs = qs.filter(province_id=filters.province)
    if filters.position:
        qs = qs.filter(position_id=filters.position)
    if filters.employment_type:
        qs = qs.filter(employment_type=filters.employment_type)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    text = (filters.q or "").strip()
    if text:
        number = clean_number(text)
        if number.isdigit() and len(number) >= 8:
            qs = qs.filter(nip=number) if len(number) == 18 else qs.filter(nik=number) if len(
                number) == 16 else qs.filter(nip__startswith=number)
        else:
            for word in name_tokens(text)[:4]:
                ids = PersonSearchToken.objects.filter(token__gte=word, token__lt=word + _TOP).values("person_id")
                qs = qs.filter(pk__in=ids)
    return qs.order_by("sort_name", "id")
