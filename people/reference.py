"""Loading the reference data files in ``people/data`` (sources in docs/reference-data.md)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(apps) -> None:
    """Insert or update regions, positions and agencies (idempotent)."""
    Region = apps.get_model("people", "Region")
    Position = apps.get_model("people", "Position")
    PositionLevel = apps.get_model("people", "PositionLevel")
    Agency = apps.get_model("people", "Agency")

    rows = read_csv("regions.csv")
    existing = set(Region.objects.values_list("code", flat=True))
    fresh = [row for row in sorted(rows, key=lambda r: int(r["level"])) if row["code"] not in existing]
    # New rows in two bulk inserts (provinces first): test databases are built often.
    for level in ("1", "2"):
        Region.objects.bulk_create(
            Region(code=row["code"], level=int(row["level"]), name=row["name"],
                   province_id=None if row["level"] == "1" else row["province_code"], lat=float(row["lat"]),
                   lng=float(row["lng"]), utc_offset=int(row["utc_offset"]))
            for row in fresh if row["level"] == level
        )
    for row in rows:
        if row["code"] in existing:
            Region.objects.filter(code=row["code"]).update(
                name=row["name"], lat=float(row["lat"]), lng=float(row["lng"]), utc_offset=int(row["utc_offset"]))
    for row in read_csv("positions.csv"):
        position, _ = Position.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "kind": row["kind"], "source": row["source"]}
        )
        for rank, spec in enumerate(filter(None, (row["levels"] or "").split(";")), start=1):
            track, code, name = spec.split(":")
            PositionLevel.objects.update_or_create(
                position=position, code=code, defaults={"name": name, "track": track, "rank": rank}
            )
    for row in read_csv("agencies.csv"):
        Agency.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "type": row["type"],
                "parent": Agency.objects.get(code=row["parent"]) if row["parent"] else None,
                "region_id": row["region"] or None,
            },
        )
    # One provincial social office (Dinas Sosial) per province.
    for province in Region.objects.filter(level=1):
        Agency.objects.update_or_create(
            code=f"dinsos-{province.code}",
            defaults={
                "name": f"Dinas Sosial Provinsi {province.name}",
                "short_name": f"Dinsos {province.name}",
                "type": "provincial_office",
                "region": province,
            },
        )


def unload_reference_data(apps) -> None:
    for model in ("Agency", "PositionLevel", "Position"):
        apps.get_model("people", model).objects.all().delete()
    Region = apps.get_model("people", "Region")
    Region.objects.filter(level=2).delete()
    Region.objects.all().delete()
