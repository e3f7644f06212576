"""Paging for lists of up to millions of rows: counts are capped so a page never
waits for a full count of a huge table."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet

COUNT_CAP = 10_000


@dataclass
class CappedPage:
    items: list
    number: int
    per_page: int
    count: int
    count_is_capped: bool
    base_query: str

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * self.per_page < self.count

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def start_index(self) -> int:
        return 0 if not self.items else (self.number - 1) * self.per_page + 1

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)

    def url_for(self, number: int) -> str:
        query = self.base_query + ("&" if self.base_query else "")
        return "?" + query + urlencode({"page": number})

    @property
    def previous_url(self) -> str:
        return self.url_for(self.number - 1)

    @property
    def next_url(self) -> str:
        return self.url_for(self.number + 1)


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    count = queryset.order_by()[: cap + 1].count()
    return (cap, True) if count > cap else (count, False)


def paginate(request, queryset: QuerySet, *, per_page: int = 50, cap: int = COUNT_CAP) -> CappedPage:
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    count, capped = capped_count(queryset, cap)
    last = max(1, -(-count // per_page))
    number = min(number, last)
    offset = (number - 1) * per_page
    items = list(queryset[offset : offset + per_page])
    params = request.GET.copy()
    params.pop("page", None)
    return CappedPage(items=items, number=number, per_page=per_page, count=count, count_is_capped=capped,
                      base_query=params.urlencode())
