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


def test_text_is_measured_as_reportlab_measures_it():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from credentials.render import FONTS, text_width

    for font in FONTS:
        for text in ["Kota Bandung, 5 Oktober 2026 – 9 Oktober 2026", "NIP 1985 · Dinas Sosial", "Etika…", "(v1) \\"]:
            assert abs(text_width(text, font, 10.5) - stringWidth(text, font, 10.5)) < 1e-9, (font, text)


def test_every_certificate_of_a_template_reuses_its_static_parts(cast):
    """Fonts, the static form (frame, headings, labels) and the logo are made once per template and
    written as the same bytes into each certificate; what differs is the page's own text and QR."""
    from credentials.render import CertificateData, Look, assets_for, render_pdf

    look = Look(heading="SURAT TANDA TAMAT PELATIHAN (UJI)")
    base = {"serial": "2026/PSD/PSD-01/0001", "code": "ABCDEFGHJK", "person_name": "Siti Aminah", "person_nip": "",
            "agency_name": "Dinas Sosial", "programme_title": "Pelatihan Dasar", "modules": (("Asesmen", "v1", 720),),
            "total_minutes": 720, "start_date": "2026-11-16", "end_date": "2026-11-20", "city_name": "Kota Bandung",
            "issued_on": "2026-11-21", "signatory_name": "", "signatory_title": "Kepala Pusat", "signatory_nip": "",
            "qr_text": "https://siaga.example/v/ABCDEFGHJK/S1.KABCDE.AAAA.BBBB"}
    one = render_pdf(CertificateData(**base), assets_for(look))
    two = render_pdf(CertificateData(**{**base, "person_name": "Budi Santoso", "code": "KMNPQRSTUV",
                                       "qr_text": base["qr_text"].replace("ABCDEFGHJK", "KMNPQRSTUV")}),
                     assets_for(look))
    assets = assets_for(look)
    assert assets.form in one and assets.form in two
    assert all(data in one and data in two for _font, _name, data in assets.fonts)
    assert "SURAT TANDA TAMAT PELATIHAN (UJI)" in _text(one) and "Budi Santoso" in _text(two)
    assert "Siti Aminah" not in _text(two)
