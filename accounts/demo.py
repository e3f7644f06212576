"""One demo login per role (password printed by ``siaga demo``)."""

from __future__ import annotations

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from people.models import Agency, Person

DEMO_PASSWORD = "siaga-demo-2026"

#: username, role, first name, last name, agency code (for agency admins and linked people)
DEMO_USERS = [
    ("admin", Role.CENTRE_ADMIN, "Admin", "Pusbangprof", None),
    ("penyelenggara", Role.ORGANISER, "Rina", "Penyelenggara", None),
    ("penyusun", Role.AUTHOR, "Dewi", "Penyusun", None),
    ("penelaah", Role.REVIEWER, "Bambang", "Penelaah", None),
    ("pengesah", Role.APPROVER, "Hendra", "Pengesah", None),
    ("admin.kemensos", Role.AGENCY_ADMIN, "Sari", "Admin Kemensos", "kemensos"),
    ("admin.kemenkumham", Role.AGENCY_ADMIN, "Agus", "Admin Kemenkumham", "kemenkumham"),
    ("admin.bnpb", Role.AGENCY_ADMIN, "Wahyu", "Admin BNPB", "bnpb"),
    ("admin.rscm", Role.AGENCY_ADMIN, "Fitri", "Admin RSCM", "rs-cipto"),
    ("pengajar", Role.TRAINER, "Yohanes", "Pengajar", None),
    ("peserta", Role.PARTICIPANT, "", "", "kemensos"),
    ("auditor", Role.AUDITOR, "Lukman", "Auditor", None),
    ("pimpinan", Role.LEADERSHIP, "Ratna", "Pimpinan", None),
    ("koordinator", Role.COORDINATOR, "Marthen", "Koordinator", None),
]


def load(*, stdout=None, **_kwargs) -> list[tuple[str, str]]:
    created = []
    for username, role, first, last, agency_code in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        agency = Agency.objects.get(code=agency_code) if agency_code else None
        person = None
        if role == Role.PARTICIPANT:
            person = (Person.objects.filter(agency=agency, employment_type="PNS", position__code="pekerja-sosial",
                                            user__isnull=True).order_by("id").first())
            first, last = (person.full_name.split(" ", 1) + [""])[:2] if person else ("Peserta", "Demo")
        user_create(by=None, username=username, password=DEMO_PASSWORD, role=role,
                    agency=agency if role in {Role.AGENCY_ADMIN, Role.PARTICIPANT} else None, person=person,
                    first_name=first, last_name=last, email=f"{username}@contoh.go.id")
        created.append((username, str(role.label)))
    return created
