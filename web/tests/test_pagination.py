"""Paging big lists: capped counts, and two-step paging that gives the same pages."""

from __future__ import annotations

import random

from django.test import RequestFactory

from people import demo
from people.models import Person
from web.pagination import paginate, paginate_by_ids, rows_by_ids


def _request(**params):
    return RequestFactory().get("/sdm/", params)


def test_two_step_pages_are_the_pages_of_one_step_paging(db):
    demo.load(count=130, rng=random.Random(11))
    queryset = Person.objects.select_related("agency", "province").order_by("sort_name", "id")
    for number in ("1", "2", "3", "99", "x"):
        one = paginate(_request(page=number, q="a"), queryset)
        two = paginate_by_ids(_request(page=number, q="a"), queryset)
        assert [p.pk for p in two.items] == [p.pk for p in one.items]
        assert (two.number, two.count, two.count_is_capped, two.base_query) == (
            one.number, one.count, one.count_is_capped, one.base_query)
    assert paginate_by_ids(_request(page="99"), queryset).number == 3


def test_counts_are_capped(db):
    demo.load(count=30, rng=random.Random(12))
    rows, count, capped = rows_by_ids(Person.objects.order_by("-id"), offset=0, limit=5, cap=10)
    assert (count, capped, len(rows)) == (10, True, 5)
    assert [p.pk for p in rows] == sorted((p.pk for p in rows), reverse=True)
    page = paginate(_request(), Person.objects.order_by("id"), cap=10, per_page=4)
    assert (page.count, page.count_is_capped, page.num_pages, page.has_next) == (10, True, 3, True)
    assert page.next_url == "?page=2"


def test_two_step_rows_keep_select_related(db, django_assert_num_queries):
    demo.load(count=12, rng=random.Random(13))
    with django_assert_num_queries(3):  # count, ids, rows with their agency
        rows, _count, _capped = rows_by_ids(Person.objects.select_related("agency").order_by("sort_name"),
                                            offset=0, limit=10)
        assert all(row.agency.name for row in rows)
