import io

from django.test import Client
from pypdf import PdfReader

from accounts.roles import Role
from credentials.pdf import pdf_bytes
from credentials.tests.factories import make_certificate
from siaga.testing import make_user


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    return reader.pages[0].extract_text()


def test_the_pdf_holds_the_name_programme_and_jp(cast):
    cert = make_certificate(person=cast.person_a)
    text = _text(pdf_bytes(cert))
    assert "Siti Aminah" in text
    assert cert.programme_title in text
    assert "40 JP" in text
    assert cert.serial in text and cert.code in text
    assert "Asesmen Psikososial" in text and "Manajemen Kasus" in text
    assert "SURAT TANDA TAMAT PELATIHAN" in text and "Certificate of Training Completion" in text


def test_the_pdf_is_rendered_after_commit_and_stored(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cert = make_certificate(person=cast.person_a)
    cert.refresh_from_db()
    assert cert.pdf and cert.pdf_rendered_at
    with cert.pdf.open("rb") as handle:
        assert "Siti Aminah" in _text(handle.read())


def test_only_the_person_their_agency_admin_and_centre_staff_get_the_pdf(cast):
    cert = make_certificate(person=cast.person_a)
    url = f"/sertifikat/{cert.pk}/pdf/"
    allowed = [cast.participant, cast.agency_admin, make_user(Role.CENTRE_ADMIN), make_user(Role.AUDITOR)]
    for user in allowed:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.role
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    someone_else = make_user(Role.PARTICIPANT, person=cast.person_b)
    for user in [cast.other_agency_admin, someone_else, make_user(Role.TRAINER)]:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404, user.role
    assert Client().get(url).status_code == 302  # anonymous: to the login page


def test_my_certificates_lists_only_mine(cast):
    mine = make_certificate(person=cast.person_a)
    other = make_certificate(person=cast.person_b)
    client = Client()
    client.force_login(cast.participant)
    text = client.get("/sertifikat/saya/").content.decode()
    assert mine.serial in text and other.serial not in text
    assert [c["serial"] for c in client.get("/api/v1/certificates/mine").json()] == [mine.serial]


def test_a_programme_template_sets_signatory_wording_and_logo(cast):
    import io as _io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from credentials.services import certificate_template_update

    cert = make_certificate(person=cast.person_a)
    buffer = _io.BytesIO()
    Image.new("RGBA", (120, 120), (11, 83, 148, 255)).save(buffer, "PNG")
    logo = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    certificate_template_update(programme=cert.programme, by=make_user(Role.ORGANISER), logo=logo,
                                data={"signatory_name": "Dr. Budi Hartono, M.Si.", "heading": "SERTIFIKAT PELATIHAN"})
    cert.signatory_name = "Dr. Budi Hartono, M.Si."
    data = pdf_bytes(cert)
    text = _text(data)
    assert "SERTIFIKAT PELATIHAN" in text and "Dr. Budi Hartono" in text
    assert b"/DCTDecode" in data  # the logo, embedded once as a JPEG
    bad = SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png")
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        certificate_template_update(programme=cert.programme, by=make_user(Role.ORGANISER), logo=bad, data={})
