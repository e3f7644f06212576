"""The person record ("riwayat") is assembled from sections; higher or sibling apps plug theirs in.

``hours`` (JP per year), ``credentials`` (training certificates) and ``readiness`` (deployments) call
``register_record_section(...)`` in their ``AppConfig.ready()``; the record page and its PDF render
whatever is registered, in ``order``. A provider returns a ``RecordTable`` (or None to stay hidden)::

    from certification.record import RecordTable, register_record_section

    def jp_per_year(*, person, user):
        rows = [(str(t.year), t.jp) for t in PersonYearTotal.objects.filter(person=person)]
        return RecordTable(columns=["Tahun", "JP"], rows=rows, empty="Belum ada JP tercatat.")

    register_record_section("hours.jp_per_year", jp_per_year, title=_("JP per tahun"), order=20)

Cells are shown as given; numbers are localised (``1.234``), so pass years and codes as text.
A provider must not fail the page: an exception is logged and the section shows as unavailable."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class RecordTable:
    columns: Sequence[str]
    rows: Sequence[Sequence] = field(default_factory=list)
    empty: str = ""
    note: str = ""


@dataclass(frozen=True)
class RecordSection:
    name: str
    title: str
    provider: Callable[..., RecordTable | None]
    order: int = 100


@dataclass
class RenderedSection:
    name: str
    title: str
    table: RecordTable | None
    failed: bool = False


_sections: dict[str, RecordSection] = {}


def register_record_section(name: str, provider: Callable[..., RecordTable | None], *, title: str,
                            order: int = 100) -> RecordSection:
    """Register (or replace, by ``name``) a section of the person record."""
    section = RecordSection(name=name, title=title, provider=provider, order=order)
    _sections[name] = section
    return section


def unregister_record_section(name: str) -> None:
    _sections.pop(name, None)


def record_sections() -> list[RecordSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


def render_sections(*, person, user) -> list[RenderedSection]:
    rendered = []
    for section in record_sections():
        try:
            table = section.provider(person=person, user=user)
        except Exception:  # noqa: BLE001 - one broken section must not hide the whole record
            logger.exception("record section %s failed for person %s", section.name, person.pk)
            rendered.append(RenderedSection(section.name, str(section.title), None, failed=True))
            continue
        if table is not None:
            rendered.append(RenderedSection(section.name, str(section.title), table))
    return rendered
