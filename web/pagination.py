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


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _base_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def paginate(request, queryset: QuerySet, *, per_page: int = 50, cap: int = COUNT_CAP) -> CappedPage:
    count, capped = capped_count(queryset, cap)
    number = min(_page_number(request), max(1, -(-count // per_page)))
    offset = (number - 1) * per_page
    items = list(queryset[offset : offset + per_page])
    return CappedPage(items=items, number=number, per_page=per_page, count=count, count_is_capped=capped,
                      base_query=_base_query(request))


def rows_by_ids(queryset: QuerySet, *, offset: int, limit: int, cap: int = COUNT_CAP) -> tuple[list, int, bool]:
    """Two-step paging for lists of millions: count and page on the primary keys alone (no joins,
    narrow rows to sort), then load only the page's rows with the queryset's ``select_related``.

    Returns ``(rows in the queryset's order, capped count, whether the count is capped)``."""
    bare = queryset.select_related(None).prefetch_related(None)
    count, capped = capped_count(bare.values("pk"), cap)
    ids = list(bare.values_list("pk", flat=True)[offset : offset + limit])
    if not ids:
        return [], count, capped
    by_id = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id], count, capped


def paginate_by_ids(request, queryset: QuerySet, *, per_page: int = 50, cap: int = COUNT_CAP) -> CappedPage:
    """:func:`paginate` with :func:`rows_by_ids`: the same page, for big tables with joins."""
    number = _page_number(request)
    items, count, capped = rows_by_ids(queryset, offset=(number - 1) * per_page, limit=per_page, cap=cap)
    last = max(1, -(-count // per_page))
    if number > last:  # past the end (e.g. an old link): show the last page, as paginate does
        number = last
        items, count, capped = rows_by_ids(queryset, offset=(number - 1) * per_page, limit=per_page, cap=cap)
    return CappedPage(items=items, number=number, per_page=per_page, count=count, count_is_capped=capped,
                      base_query=_base_query(request))
