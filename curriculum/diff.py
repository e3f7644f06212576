"""Side-by-side comparison of two versions of a module: objectives, outline, JP and materials."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from curriculum.models import ModuleVersion


@dataclass(frozen=True)
class DiffRow:
    tag: str  # "equal", "changed", "removed", "added"
    left: str
    right: str


@dataclass(frozen=True)
class VersionDiff:
    left: ModuleVersion
    right: ModuleVersion
    objectives: list[DiffRow]
    outline: list[DiffRow]
    materials: list[DiffRow]
    facts: list[DiffRow]  # JP total, pass mark, number of sessions

    @property
    def has_changes(self) -> bool:
        return any(row.tag != "equal" for rows in (self.objectives, self.outline, self.materials, self.facts)
                   for row in rows)


def side_by_side(left: list[str], right: list[str]) -> list[DiffRow]:
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(DiffRow("equal", a, b) for a, b in zip(left[i1:i2], right[j1:j2], strict=True))
        elif op == "delete":
            rows.extend(DiffRow("removed", a, "") for a in left[i1:i2])
        elif op == "insert":
            rows.extend(DiffRow("added", "", b) for b in right[j1:j2])
        else:
            a_part, b_part = left[i1:i2], right[j1:j2]
            for k in range(max(len(a_part), len(b_part))):
                a = a_part[k] if k < len(a_part) else ""
                b = b_part[k] if k < len(b_part) else ""
                rows.append(DiffRow("changed" if a and b else ("removed" if a else "added"), a, b))
    return rows


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def jp_text(minutes: int) -> str:
    value = minutes / 45
    return (f"{value:.1f}".rstrip("0").rstrip(".")).replace(".", ",")


def outline_lines(version: ModuleVersion) -> list[str]:
    return [f"{s.topic} · {s.get_method_display()} · {s.jp} JP" for s in version.sessions.all()]


def material_lines(version: ModuleVersion) -> list[str]:
    lines = []
    for m in version.materials.all():
        detail = m.file_kind.upper() if m.kind == m.Kind.FILE else m.url
        lines.append(f"{m.title} ({detail})")
    return lines


def version_diff(left: ModuleVersion, right: ModuleVersion) -> VersionDiff:
    from django.utils.translation import gettext as _

    facts = [
        (_("Total JP"), jp_text(left.total_minutes), jp_text(right.total_minutes)),
        (_("Nilai lulus post-test"), str(left.pass_mark), str(right.pass_mark)),
        (_("Jumlah sesi"), str(left.sessions.count()), str(right.sessions.count())),
    ]
    return VersionDiff(
        left=left, right=right,
        objectives=side_by_side(_lines(left.objectives), _lines(right.objectives)),
        outline=side_by_side(outline_lines(left), outline_lines(right)),
        materials=side_by_side(material_lines(left), material_lines(right)),
        facts=[DiffRow("equal" if a == b else "changed", f"{label}: {a}", f"{label}: {b}") for label, a, b in facts],
    )
