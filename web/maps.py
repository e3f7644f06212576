"""A province map of Indonesia as server-rendered SVG (no JavaScript, no tiles, no CDN).

``province_map_svg(values, ...)`` shades each province by a value in [0, 1] and labels it
for screen readers; the path strings are computed once from web/data/provinces.geojson
(shared/data, MIT; see docs/reference-data.md) and cached."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from django.utils.html import escape

GEOJSON = Path(__file__).parent / "data" / "provinces.geojson"
WIDTH = 1000
# Indonesia's bounding box (lon/lat), a little padded.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 94.5, 141.5, -11.5, 6.5


def _project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular with the latitude scale of the equator (good enough at these latitudes)."""
    scale = WIDTH / (LON_MAX - LON_MIN)
    return (lon - LON_MIN) * scale, (LAT_MAX - lat) * scale


HEIGHT = round(_project(LON_MIN, LAT_MIN)[1])


@cache
def province_paths() -> dict[str, tuple[str, str]]:
    """code → (name, SVG path data), with points closer than two pixels dropped (the map is drawn about 1000 px wide)."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    paths: dict[str, tuple[str, str]] = {}
    for feature in data["features"]:
        parts: list[str] = []
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                points: list[tuple[float, float]] = []
                for lon, lat in ring:
                    x, y = _project(lon, lat)
                    if not points or math.hypot(x - points[-1][0], y - points[-1][1]) >= 2.0:
                        points.append((x, y))
                if len(points) >= 3:
                    parts.append("M" + "L".join(f"{x:.0f},{y:.0f}" for x, y in points) + "Z")
        props = feature["properties"]
        paths[str(props["code"])] = (props["name"], "".join(parts))
    return paths


#: Light to dark blue, readable with black text in the legend; 6 steps.
SHADES = ("#eef4fb", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#e5e7eb"


def shade(value: float | None) -> str:
    if value is None:
        return NO_DATA
    step = min(len(SHADES) - 1, max(0, int(value * len(SHADES))))
    return SHADES[step]


def province_map_svg(values: dict[str, float | None], *, labels: dict[str, str] | None = None,
                     title: str = "", link: str | None = None) -> str:
    """An SVG map: ``values`` maps province code → share in [0, 1] (None: no data);
    ``labels`` gives each province's tooltip/accessible text; ``link`` is a URL pattern
    with ``{code}`` to drill down."""
    labels = labels or {}
    # With links it is a group of links, not an image: an image's content is hidden from keyboards.
    role = "group" if link else "img"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="{role}" '
           f'aria-label="{escape(title)}" class="map">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for code, (name, path) in province_paths().items():
        text = labels.get(code, name)
        shape = (f'<path d="{path}" fill="{shade(values.get(code))}" stroke="#ffffff" stroke-width="0.6">'
                 f"<title>{escape(text)}</title></path>")
        if link:
            shape = f'<a href="{escape(link.format(code=code))}" aria-label="{escape(text)}">{shape}</a>'
        out.append(shape)
    out.append("</svg>")
    return "".join(out)
