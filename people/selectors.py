"""Reads of the people registry: the scoped, filtered, searched list."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import QuerySet

from people.access import people_visible_to
from people.identity import clean_number
from people.models import Person, PersonSearchToken
from people.normalize import name_tokens

#: Largest code point, so ``[word, word + MAX)`` is the range of all strings starting with ``word``.
_TOP = "\U0010ffff"


#: The orders the people list offers (``?sort=``; a leading ``-`` reverses). Province sorts in
#: Kemendagri code order (Aceh … Papua Barat Daya), as official tables list provinces, and is
#: served by the ``(province, sort_name)`` index; agency sorts by the agency's name.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "agency": ("agency__name", "agency_id", "sort_name", "id"),
    "-agency": ("-agency__name", "-agency_id", "sort_name", "id"),
    "province": ("province_id", "sort_name", "id"),
    "-province": ("-province_id", "sort_name", "id"),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    agency: int | None = None
    province: str = ""
    position: int | None = None
    employment_type: str = ""
    active: bool | None = True
    sort: str = DEFAULT_SORT

    def as_dict(self) -> dict:
        """The filters in effect (for audit rows and export names), without empty ones."""
        return {key: value for key, value in asdict(self).items() if value not in ("", None)}


def person_search(*, user, filters: PersonFilters) -> QuerySet[Person]:
    """People ``user`` may see that match ``filters``, in the order ``filters.sort`` names.

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
            # One set of person ids per word, intersected inside the word index, so a search on two
            # common words looks up only the people who have both (not every holder of the first).
            sets = [PersonSearchToken.objects.filter(token__gte=word, token__lt=word + _TOP).values("person_id")
                    for word in name_tokens(text)[:4]]
            if sets:
                qs = qs.filter(pk__in=sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0])
    return qs.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
