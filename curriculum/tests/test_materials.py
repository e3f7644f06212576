from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from curriculum.models import Material
from curriculum.services import material_add_file, material_add_link, version_new_draft
from curriculum.tests.factories import approve_all, make_team

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def team(db):
    return make_team()


def test_it_stores_a_pdf_under_a_random_name_and_keeps_the_original_as_a_label(team):
    version = team.module().versions.get()
    material = material_add_file(version=version, title="Modul LDP",
                                 upload=SimpleUploadedFile("modul ldp.pdf", PDF), by=team.author)
    assert material.file_kind == "pdf" and material.size == len(PDF)
    assert material.original_name == "modul ldp.pdf"
    assert material.file.name.startswith("curriculum/materials/") and "ldp" not in material.file.name


def test_it_accepts_a_docx_by_its_content(team):
    version = team.module().versions.get()
    material = material_add_file(version=version, title="", upload=SimpleUploadedFile("bahan.docx", _docx()),
                                 by=team.author)
    assert material.file_kind == "docx" and material.title == "bahan.docx"


def test_it_refuses_a_file_whose_content_is_not_an_office_document_or_pdf(team):
    version = team.module().versions.get()
    with pytest.raises(ValidationError):
        material_add_file(version=version, title="Palsu", upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary"),
                          by=team.author)
    with pytest.raises(ValidationError):
        material_add_file(version=version, title="CSV", upload=SimpleUploadedFile("data.xlsx", b"a,b\n1,2\n"),
                          by=team.author)
    assert not Material.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(team, settings):
    settings.UPLOAD_MAX_BYTES = 40
    version = team.module().versions.get()
    with pytest.raises(ValidationError) as exc:
        material_add_file(version=version, title="Besar", upload=SimpleUploadedFile("besar.pdf", PDF), by=team.author)
    assert "MB" in exc.value.messages[0]


def test_video_links_must_be_http_addresses(team):
    version = team.module().versions.get()
    material_add_link(version=version, title="Video", url="https://www.youtube.com/watch?v=abc", by=team.author)
    with pytest.raises(ValidationError):
        material_add_link(version=version, title="Skrip", url="javascript:alert(1)", by=team.author)


def test_materials_are_downloaded_only_through_the_checked_view(team, client, cast):
    module = team.module()
    version = module.versions.get()
    material = material_add_file(version=version, title="Modul", upload=SimpleUploadedFile("m.pdf", PDF),
                                 by=team.author)
    client.force_login(cast.participant)
    assert client.get(f"/modul/bahan/{material.pk}/unduh/").status_code == 404  # draft: not visible
    approve_all(team, version)
    response = client.get(f"/modul/bahan/{material.pk}/unduh/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


def test_a_new_draft_shares_the_materials_of_the_approved_version(team):
    module = team.module()
    version = module.versions.get()
    material_add_file(version=version, title="Modul", upload=SimpleUploadedFile("m.pdf", PDF), by=team.author)
    approve_all(team, version)
    draft = version_new_draft(module=module, by=team.author)
    copied = draft.materials.get()
    assert copied.file.name == version.materials.get().file.name and copied.file.read() == PDF
