"""Distances between regencies, by their centroids (Region.lat/lng, 2025 Kemendagri data)."""

from __future__ import annotations

import math
from functools import cache

from people.models import Region

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@cache
def regency_centroids() -> dict[str, tuple[float, float, str, str]]:
    """code → (lat, lng, province code, name) of every regency/city; reference data, read once per process."""
    return {code: (lat, lng, prov, name) for code, lat, lng, prov, name in
            Region.objects.filter(level=2).values_list("code", "lat", "lng", "province_id", "name")}


@cache
def distances_from(origin: str) -> tuple[tuple[str, float, str, float, float], ...]:
    """Every regency as ``(code, km, province code, lat, lng)``, nearest to ``origin`` first (ties by code).

    The regency-distance table: 514 haversines and one sort per assembly point, once per process."""
    centroids = regency_centroids()
    lat0, lng0, _prov, _name = centroids[origin]
    rows = [(code, haversine_km(lat0, lng0, lat, lng), prov, lat, lng)
            for code, (lat, lng, prov, _name) in centroids.items()]
    rows.sort(key=lambda row: (row[1], row[0]))
    return tuple(rows)


def regencies_by_distance(origin: str, *, max_km: float | None = None,
                          province: str = "") -> list[tuple[str, float]]:
    """Regencies ordered by distance from ``origin``'s centroid, within ``max_km`` and ``province``."""
    out: list[tuple[str, float]] = []
    for code, km, prov, _lat, _lng in distances_from(origin):
        if max_km is not None and km > max_km:
            break  # the table is ordered by distance
        if province and prov != province:
            continue
        out.append((code, km))
    return out
