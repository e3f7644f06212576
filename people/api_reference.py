"""Reference data API: regions, agencies, positions and levels (readable by any logged-in user)."""

from ninja import Router, Schema

from people.models import Agency, Position, Region

router = Router(tags=["reference"])


class RegionOut(Schema):
    code: str
    level: int
    name: str
    province_code: str | None
    lat: float
    lng: float
    utc_offset: int


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    type: str
    region_code: str | None


class LevelOut(Schema):
    code: str
    name: str
    track: str


class PositionOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    source: str
    levels: list[LevelOut]


@router.get("/regions", response=list[RegionOut], summary="Provinsi dan kabupaten/kota (Kemendagri 2025)")
def regions(request, level: int | None = None, province: str | None = None):
    qs = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if province:
        qs = qs.filter(province_id=province)
    return [RegionOut(code=r.code, level=r.level, name=r.name, province_code=r.province_id, lat=r.lat, lng=r.lng,
                      utc_offset=r.utc_offset) for r in qs]


@router.get("/agencies", response=list[AgencyOut], summary="Instansi")
def agencies(request):
    return [AgencyOut(id=a.pk, code=a.code, name=a.name, short_name=a.short_name, type=a.type,
                      region_code=a.region_id) for a in Agency.objects.all()]


@router.get("/positions", response=list[PositionOut], summary="Jabatan dan jenjangnya")
def positions(request):
    return [
        PositionOut(id=p.pk, code=p.code, name=p.name, kind=p.kind, source=p.source,
                    levels=[LevelOut(code=lv.code, name=lv.name, track=lv.track) for lv in p.levels.all()])
        for p in Position.objects.prefetch_related("levels")
    ]
