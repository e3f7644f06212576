"""Numbers a browser sends back (form values, links, htmx addresses) are never written with Indonesian
thousand separators: with ``USE_THOUSAND_SEPARATOR`` a bare ``{{ person.pk }}`` renders 12345 as
"12.345", which the view cannot parse, and a year as "2.026". Display text keeps the separators.

Every table's id sequence is moved past 10,000 first, so every id the pages write has five digits."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from siaga.tests.test_url_access import RULES

#: Attributes whose value goes back to the server (not aria-label or title, which people read).
MACHINE_ATTRIBUTE = re.compile(r'\s(value|href|action|name|id|for|hx-[a-z]+|data-[a-z-]+)="([^"]*)"')
GROUPED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.])")


def bump_id_sequences(start: int) -> None:
    """The next id of every table of this pass's test database is above ``start``.

    Only real sequences are touched: on PostgreSQL the ones the introspection finds (asking
    ``pg_get_serial_sequence(table, 'id')`` of a table without an ``id`` column, such as django_session,
    raises and aborts the test's transaction), on SQLite the AUTOINCREMENT counters."""
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor)
                  if not t.startswith(("sqlite_", "django_migrations"))]
        if connection.vendor == "sqlite":
            for table in tables:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start])
            return
        for table in tables:
            for sequence in connection.introspection.get_sequences(cursor, table):
                name = connection.ops.quote_name(sequence["name"])
                cursor.execute(f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {name})))",  # noqa: S608
                               [sequence["name"], start])


def grouped_numbers_in_attributes(html: str) -> list[str]:
    found = []
    for match in MACHINE_ATTRIBUTE.finditer(html):
        attribute, value = match.groups()
        if GROUPED_NUMBER.search(value):
            found.append(f'{attribute}="{value[:80]}"')
    return found


@pytest.mark.django_db
def test_no_page_writes_a_number_it_reads_back_with_thousand_separators(cast):
    bump_id_sequences(10_000)
    assert cast.person_a.pk > 10_000 and cast.participant.pk > 10_000
    problems: dict[str, list[str]] = {}
    for name, rule in sorted(RULES.items()):
        if rule.method != "get" or name.startswith("api:"):
            continue
        url = reverse(rule.name, kwargs=rule.kwargs(cast) if rule.kwargs else None) + rule.query
        client = Client()
        if rule.allowed:
            client.force_login(cast.user(sorted(rule.allowed)[0]))
        elif not rule.public:
            continue
        response = client.get(url, data=rule.data(cast) if rule.data else {})
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        found = grouped_numbers_in_attributes(response.content.decode())
        if found:
            problems[name] = sorted(set(found))[:5]
    assert not problems, "numbers with thousand separators in attributes:\n" + "\n".join(
        f"{name}: {found}" for name, found in problems.items())


def test_the_check_finds_a_grouped_id_and_leaves_display_text_alone():
    assert grouped_numbers_in_attributes('<input value="12.345"><a href="?year=2.026">') == [
        'value="12.345"', 'href="?year=2.026"']
    assert grouped_numbers_in_attributes('<svg aria-label="1.665 peserta"><a href="/sdm/12345/">x</a>') == []
    assert grouped_numbers_in_attributes('<a href="/modul/1/v2.1/">') == []
