"""Server-rendered SVG charts (no JavaScript, no CDN, no inline style: presentation attributes
only, so the strict CSP holds). Every chart on a page sits next to its table view."""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from web import maps

#: Compliance colour scale, low to high (colour-blind-safe-ish red → green), with the bounds.
SCALE = [(0.2, "#b2182b"), (0.4, "#ef8a62"), (0.6, "#fddbc7"), (0.8, "#a6dba0"), (1.01, "#1b7837")]
NO_DATA = "#d9dde3"


def colour_for(rate: float | None) -> str:
    if rate is None:
        return NO_DATA
    for bound, colour in SCALE:
        if rate < bound:
            return colour
    return SCALE[-1][1]


def _role(has_links: bool) -> str:
    """An image, or a group when it holds links (an image's content is not reachable by keyboard)."""
    return "group" if has_links else "img"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %".replace(".", ",")


def bar_chart(rows: list[tuple[str, float | None, str]], *, title: str, width: int = 640) -> SafeString:
    """Horizontal bars of rates 0..1: ``(label, rate, href)``."""
    bar_h, gap, left = 20, 6, 220
    height = max(1, len(rows)) * (bar_h + gap) + 30
    inner = width - left - 60
    parts = [format_html('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="{}" '
                         'aria-label="{}"><title>{}</title>', width, height, _role(any(r[2] for r in rows)), title,
                         title)]
    for i, (label, rate, href) in enumerate(rows):
        y = i * (bar_h + gap) + 4
        w = round(inner * (rate or 0), 1)
        short = label if len(label) <= 32 else label[:31] + "…"
        bar = format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                          left, y, w, bar_h, colour_for(rate), label, _pct(rate))
        text = format_html('<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
                           '<text x="{}" y="{}" font-size="12">{}</text>',
                           left - 6, y + 14, short, left + w + 4, y + 14, _pct(rate))
        parts.append(format_html('<a href="{}">{}{}</a>', href, bar, text) if href else bar + text)
    target_x = left + inner * 1.0
    parts.append(format_html('<line x1="{}" y1="0" x2="{}" y2="{}" stroke="#555" stroke-dasharray="4 3"/>',
                             target_x, target_x, height - 24))
    parts.append(format_html('<text x="{}" y="{}" font-size="11" text-anchor="end">100 %</text>', target_x,
                             height - 8))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def histogram(labels: list[str], counts: list[int], *, title: str, width: int = 480, height: int = 220) -> SafeString:
    top = max(counts) if counts and max(counts) else 1
    n = max(1, len(counts))
    slot = (width - 40) / n
    parts = [format_html('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
                         'aria-label="{}"><title>{}</title>', width, height, title, title)]
    for i, (label, count) in enumerate(zip(labels, counts, strict=False)):
        h = round((height - 50) * count / top, 1)
        x = round(20 + i * slot + 4, 1)
        y = height - 30 - h
        fill = "#1b7837" if i == n - 1 else "#3b6ea8"
        parts.append(format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} JP: {}</title></rect>'
            '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>'
            '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
            x, y, round(slot - 8, 1), h, fill, label, count, x + (slot - 8) / 2, height - 14, label,
            x + (slot - 8) / 2, y - 4, f"{count:,}".replace(",", "."),
        ))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def line_chart(points: list[tuple[str, float | None]], *, title: str, width: int = 480,
               height: int = 200) -> SafeString:
    """Rates 0..1 over years."""
    n = len(points)
    parts = [format_html('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
                         'aria-label="{}"><title>{}</title>', width, height, title, title)]
    parts.append(format_html('<line x1="40" y1="{}" x2="{}" y2="{}" stroke="#999"/>', height - 30, width - 10,
                             height - 30))
    coords = []
    for i, (label, rate) in enumerate(points):
        x = 40 + (width - 60) * (i / (n - 1) if n > 1 else 0.5)
        y = (height - 30) - (height - 60) * (rate or 0)
        coords.append((round(x, 1), round(y, 1)))
        parts.append(format_html(
            '<circle cx="{}" cy="{}" r="4" fill="#3b6ea8"><title>{}: {}</title></circle>'
            '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>'
            '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
            round(x, 1), round(y, 1), label, _pct(rate), round(x, 1), height - 12, label, round(x, 1),
            round(y - 8, 1), _pct(rate)))
    if len(coords) > 1:
        path = " ".join(f"{x},{y}" for x, y in coords)
        parts.insert(2, format_html('<polyline points="{}" fill="none" stroke="#3b6ea8" stroke-width="2"/>', path))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


# --- the province map ---------------------------------------------------------------------------

def province_map(rates: dict[str, float | None], *, hrefs: dict[str, str], title: str) -> SafeString:
    height, paths = maps.HEIGHT, maps.province_paths()
    parts = [format_html('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="{}" '
                         'aria-label="{}"><title>{}</title>', maps.WIDTH, height, _role(bool(hrefs)), title, title)]
    for code, (name, d) in sorted(paths.items()):
        rate = rates.get(code)
        shape = format_html('<path d="{}" fill="{}" stroke="#fff" stroke-width="0.6"><title>{}: {}</title></path>',
                            d, colour_for(rate), name, _pct(rate))
        href = hrefs.get(code)
        parts.append(format_html('<a href="{}" aria-label="{}: {}">{}</a>', href, name, _pct(rate), shape)
                     if href else shape)
    # legend
    for i, (bound, colour) in enumerate(SCALE):
        low = 0 if i == 0 else SCALE[i - 1][0]
        parts.append(format_html('<rect x="{}" y="{}" width="18" height="12" fill="{}"/>'
                                 '<text x="{}" y="{}" font-size="12">{}–{} %</text>',
                                 20 + i * 95, height - 24, colour, 42 + i * 95, height - 14,
                                 round(low * 100), min(100, round(bound * 100))))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def progress_bar(value: int, target: int, *, label: str) -> SafeString:
    """A progress bar drawn in SVG (width as an attribute: no inline style under the CSP)."""
    share = 1.0 if target <= 0 else min(1.0, value / target)
    colour = "#1b7837" if share >= 1 else "#3b6ea8"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 22" role="img" aria-label="{}" '
        'class="jp-progress"><rect x="0" y="0" width="400" height="22" rx="11" fill="#e5e9ef"/>'
        '<rect x="0" y="0" width="{}" height="22" rx="11" fill="{}"/></svg>',
        label, round(400 * share, 1), colour)


__all__ = ["bar_chart", "escape", "histogram", "line_chart", "progress_bar", "province_map"]
