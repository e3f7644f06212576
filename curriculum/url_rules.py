"""Who may reach each curriculum page and API operation (walked by siaga/tests/test_url_access.py).

The objects are made through the services for the cast: the cast's author writes for a university,
its reviewer reviews for the certification body, and its approver approves."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.roles import ALL_ROLES, Role
from curriculum.access import APPROVER_ROLES, AUTHOR_ROLES, CURRICULUM_READERS, MANAGER_ROLES
from curriculum.models import Competency, InstitutionMember, Material, ModuleVersion
from siaga.testing import Rule

REFRESHER_READERS = {Role.CENTRE_ADMIN, Role.ORGANISER, Role.APPROVER, Role.AUDITOR, Role.LEADERSHIP}
WALK_FILE = "curriculum/materials/url-walk.pdf"


def _team(cast):
    from curriculum.tests.factories import make_team

    if not hasattr(cast, "_curriculum_team"):
        cast._curriculum_team = make_team(cast)
    return cast._curriculum_team


def _published(cast):
    """An approved module with a stored PDF material."""
    from curriculum.services import material_add_link
    from curriculum.tests.factories import approve_all

    if hasattr(cast, "_curriculum_published"):
        return cast._curriculum_published
    team = _team(cast)
    module = team.module(title="Modul Terbit")
    version = module.versions.get()
    if not default_storage.exists(WALK_FILE):
        default_storage.save(WALK_FILE, ContentFile(b"%PDF-1.4\n%walk\n"))
    Material.objects.create(version=version, kind=Material.Kind.FILE, title="Bahan", file=WALK_FILE,
                            file_kind="pdf", size=15, original_name="bahan.pdf")
    material_add_link(version=version, title="Video", url="https://video.example.org/1", by=team.author)
    approve_all(team, version)
    cast._curriculum_published = module
    return module


def _draft(cast):
    from curriculum.services import material_add_link

    if hasattr(cast, "_curriculum_draft"):
        return cast._curriculum_draft
    team = _team(cast)
    module = team.module(title="Modul Draf")
    material_add_link(version=module.versions.get(), title="Video", url="https://video.example.org/2",
                      by=team.author)
    cast._curriculum_draft = module
    return module


def _in_review(cast):
    from curriculum.tests.factories import submit

    team = _team(cast)
    module = team.module(title="Modul Ditelaah")
    submit(team, module.versions.get())
    return module


def _ready(cast):
    from curriculum.services import review_decide

    module = _in_review(cast)
    assignment = module.versions.get().review_rounds.get().assignments.get()
    review_decide(assignment=assignment, decision="approved", comment="", by=_team(cast).reviewer)
    return module


def _v(module_fn):
    def kwargs(cast):
        module = module_fn(cast)
        return {"module_id": module.pk, "number": module.versions.order_by("-number").first().number}
    return kwargs


def _m(module_fn):
    return lambda cast: {"module_id": module_fn(cast).pk}


def _draft_session(cast):
    version = _draft(cast).versions.get()
    return {"module_id": version.module_id, "number": version.number, "session_id": version.sessions.first().pk}


def _draft_material(cast):
    version = _draft(cast).versions.get()
    return {"module_id": version.module_id, "number": version.number, "material_id": version.materials.first().pk}


def _published_file(cast):
    version = _published(cast).versions.get(status=ModuleVersion.Status.APPROVED)
    return {"material_id": version.materials.get(kind=Material.Kind.FILE).pk}


def _member(cast):
    team = _team(cast)
    member = InstitutionMember.objects.get(institution=team.owner, user=team.author)
    return {"institution_id": team.owner.pk, "member_id": member.pk}


def _new_module(cast):
    team = _team(cast)
    return {"code": "modul-walk", "title": "Modul Walk", "owner": team.owner.pk, "review_days": 14}


def _new_module_api(cast):
    return {"code": "modul-walk", "title": "Modul Walk", "owner_code": _team(cast).owner.code}


RULES = [
    Rule("curriculum:catalogue", allowed=ALL_ROLES),
    Rule("curriculum:module_create", allowed=AUTHOR_ROLES),
    Rule("curriculum:board", allowed=CURRICULUM_READERS),
    Rule("curriculum:competencies", allowed=CURRICULUM_READERS),
    Rule("curriculum:area_create", allowed=MANAGER_ROLES, method="post", ok=(302,),
         data=lambda c: {"code": "bidang-walk", "name": "Bidang Walk", "order": 90}),
    Rule("curriculum:competency_create", allowed=MANAGER_ROLES),
    Rule("curriculum:competency_edit", allowed=MANAGER_ROLES,
         kwargs=lambda c: {"competency_id": Competency.objects.get(code="ldp").pk}),
    Rule("curriculum:institutions", allowed=CURRICULUM_READERS),
    Rule("curriculum:institution_detail", allowed=CURRICULUM_READERS,
         kwargs=lambda c: {"institution_id": _team(c).owner.pk}),
    Rule("curriculum:member_remove", allowed=MANAGER_ROLES, method="post", ok=(302,), kwargs=_member),
    Rule("curriculum:material_download", allowed=ALL_ROLES, kwargs=_published_file),
    Rule("curriculum:module_detail", allowed=ALL_ROLES, kwargs=_m(_published)),
    # The cast's author writes for the owner institution; the centre admin may edit any module.
    Rule("curriculum:module_edit", allowed=AUTHOR_ROLES, kwargs=_m(_draft)),
    Rule("curriculum:version_new", allowed=AUTHOR_ROLES, method="post", ok=(302,), kwargs=_m(_published)),
    Rule("curriculum:version_compare", allowed=CURRICULUM_READERS, kwargs=_m(_published)),
    Rule("curriculum:version_detail", allowed=ALL_ROLES, kwargs=_v(_published)),
    Rule("curriculum:version_edit", allowed=AUTHOR_ROLES, kwargs=_v(_draft)),
    Rule("curriculum:session_add", allowed=AUTHOR_ROLES, method="post", ok=(302,), kwargs=_v(_draft),
         data=lambda c: {"topic": "Sesi walk", "method": "classroom", "jp": 1}),
    Rule("curriculum:session_remove", allowed=AUTHOR_ROLES, method="post", ok=(302,), kwargs=_draft_session),
    Rule("curriculum:material_add", allowed=AUTHOR_ROLES, method="post", ok=(302,), kwargs=_v(_draft),
         data=lambda c: {"kind": "video", "title": "Video walk", "url": "https://video.example.org/w"}),
    Rule("curriculum:material_remove", allowed=AUTHOR_ROLES, method="post", ok=(302,), kwargs=_draft_material),
    Rule("curriculum:version_submit", allowed=AUTHOR_ROLES, kwargs=_v(_draft)),
    # Only the reviewer assigned to the round decides.
    Rule("curriculum:review_decide", allowed={Role.REVIEWER}, method="post", ok=(302,), kwargs=_v(_in_review),
         data=lambda c: {"decision": "approved", "comment": ""}),
    Rule("curriculum:version_approve", allowed=APPROVER_ROLES, method="post", ok=(302,), kwargs=_v(_ready)),
    Rule("curriculum:version_retire", allowed=APPROVER_ROLES, method="post", ok=(302,), kwargs=_v(_published)),
    Rule("curriculum:version_pdf", allowed=ALL_ROLES, kwargs=_v(_published)),
    Rule("curriculum:refresher_list", allowed=REFRESHER_READERS, kwargs=_v(_published)),
    # API
    Rule("api:curriculum_list_competencies", allowed=ALL_ROLES),
    Rule("api:curriculum_create_competency", allowed=MANAGER_ROLES, method="post", ok=(201,),
         data=lambda c: {"area_code": "tanggap-bencana", "code": "logistik", "name": "Logistik bencana"}),
    Rule("api:curriculum_list_modules", allowed=ALL_ROLES),
    Rule("api:curriculum_create_module", allowed=AUTHOR_ROLES, method="post", ok=(201,), data=_new_module_api),
    Rule("api:curriculum_get_module", allowed=ALL_ROLES, kwargs=_m(_published)),
    Rule("api:curriculum_get_version", allowed=ALL_ROLES, kwargs=_v(_published)),
    Rule("api:curriculum_new_version", allowed=AUTHOR_ROLES, method="post", ok=(201,), kwargs=_m(_published),
         data=lambda c: {"note": "Pembaruan"}),
    Rule("api:curriculum_update_version", allowed=AUTHOR_ROLES, method="put", kwargs=_v(_draft),
         data=lambda c: {"objectives": "Tujuan baru", "pass_mark": 75}),
    Rule("api:curriculum_add_session", allowed=AUTHOR_ROLES, method="post", ok=(201,), kwargs=_v(_draft),
         data=lambda c: {"topic": "Sesi API", "method": "elearning", "jp": 2}),
    Rule("api:curriculum_remove_session", allowed=AUTHOR_ROLES, method="post", kwargs=_draft_session),
    Rule("api:curriculum_add_link", allowed=AUTHOR_ROLES, method="post", ok=(201,), kwargs=_v(_draft),
         data=lambda c: {"title": "Video", "url": "https://video.example.org/api"}),
    Rule("api:curriculum_submit_version", allowed=AUTHOR_ROLES, method="post", kwargs=_v(_draft),
         data=lambda c: {"reviewers": [_team(c).reviewer.username]}),
    Rule("api:curriculum_review_version", allowed={Role.REVIEWER}, method="post", kwargs=_v(_in_review),
         data=lambda c: {"decision": "approved"}),
    Rule("api:curriculum_approve_version", allowed=APPROVER_ROLES, method="post", kwargs=_v(_ready),
         data=lambda c: {"note": ""}),
    Rule("api:curriculum_retire_version", allowed=APPROVER_ROLES, method="post", kwargs=_v(_published),
         data=lambda c: {"note": ""}),
    Rule("api:curriculum_diff_versions", allowed=CURRICULUM_READERS, kwargs=_m(_published), query="?a=1&b=1"),
    Rule("api:curriculum_list_reviews", allowed=CURRICULUM_READERS),
    Rule("api:curriculum_board", allowed=CURRICULUM_READERS),
]
