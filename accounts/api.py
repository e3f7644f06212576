from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    name: str
    role: str
    agency_id: int | None
    person_id: int | None


@router.get("/me", response=MeOut, summary="Pengguna yang sedang masuk")
def me(request):
    user = request.auth
    return MeOut(username=user.username, name=user.display_name(), role=user.role, agency_id=user.agency_id,
                 person_id=user.person_id)
