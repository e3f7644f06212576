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


def bounding_box(lat: float, lng: float, km: float) -> tuple[float, float, float, float]:
    """(lat_min, lat_max, lng_min, lng_max) that contains every point within ``km``."""
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    dlng = math.degrees(km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 0.01)))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def regencies_by_distance(origin: str, *, max_km: float | None = None,
                          province: str = "") -> list[tuple[str, float]]:
    """Regencies ordered by distance from ``origin``'s centroid, within ``max_km`` and ``province``.

    A bounding box on the centroids drops far regencies before the exact haversine distance."""
    centroids = regency_centroids()
    lat0, lng0, _prov, _name = centroids[origin]
    box = bounding_box(lat0, lng0, max_km) if max_km is not None else None
    out: list[tuple[str, float]] = []
    for code, (lat, lng, prov, _name) in centroids.items():
        if province and prov != province:
            continue
        if box and not (box[0] <= lat <= box[1] and box[2] <= lng <= box[3]):
            continue
        km = haversine_km(lat0, lng0, lat, lng)
        if max_km is None or km <= max_km:
            out.append((code, km))
    out.sort(key=lambda item: (item[1], item[0]))
    return out
