"""Journey: an agency admin uploads a worker's STR, a centre admin verifies it, and the worker's
own record then says "boleh berpraktik" (may practise)."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from accounts.roles import Role  # noqa: E402
from certification.models import Credential, CredentialKind  # noqa: E402
from certification.testing import TINY_PDF, make_credential  # noqa: E402
from siaga.testing import make_user  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "certification"
PASSWORD = "x-test-password"  # noqa: S105 - siaga.testing.make_user's test password


def _login(page, base, username):
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
def test_agency_admin_uploads_str_centre_admin_verifies_worker_may_practise(live_server, cast):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    worker = cast.person_a
    make_credential(worker, CredentialKind.COMPETENCY, verified=True, valid_until=None)
    make_credential(worker, CredentialKind.SIPPS, verified=True, issued_on=dt.date(2025, 2, 1))
    agency_admin, participant = cast.agency_admin, cast.participant
    centre_admin = make_user(Role.CENTRE_ADMIN, username="admin-pusat")
    scan = ARTIFACTS / "str-scan.pdf"
    scan.write_bytes(TINY_PDF)
    base = live_server.url
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
        page = context.new_page()

        _login(page, base, agency_admin.username)
        page.goto(f"{base}/kualifikasi/orang/{worker.pk}/")
        expect(page.locator("h1")).to_contain_text("Siti Aminah")
        expect(page.get_by_text("belum boleh berpraktik")).to_be_visible()
        page.get_by_role("link", name="Tambah kredensial").click()
        page.select_option("#id_kind", "str")
        page.fill("#id_number", "STR-PS.2025.004711")
        page.fill("#id_issuer", "Ikatan Pekerja Sosial Profesional Indonesia (IPSPI)")
        page.fill("#id_issued_on", "2025-03-04")
        page.fill("#id_valid_until", "2030-03-03")
        page.set_input_files("#id_document", str(scan))
        page.screenshot(path=str(ARTIFACTS / "1-agency-admin-uploads-str.png"), full_page=True)
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_text("menunggu verifikasi Pusbangprof")).to_be_visible()
        expect(page.get_by_text("STR STR-PS.2025.004711 masih menunggu verifikasi")).to_be_visible()
        context.clear_cookies()

        _login(page, base, centre_admin.username)
        page.goto(f"{base}/kualifikasi/?status=claimed")
        page.get_by_role("link", name="STR").first.click()
        expect(page.get_by_role("link", name="Buka pindaian")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "2-centre-admin-verifies.png"), full_page=True)
        page.get_by_role("button", name="Verifikasi").click()
        expect(page.get_by_text("terverifikasi.", exact=False).first).to_be_visible()
        context.clear_cookies()

        _login(page, base, participant.username)
        page.locator("nav.mainnav").get_by_role("link", name="Riwayat saya").click()
        expect(page.locator(".qualification .badge.ok", has_text="boleh berpraktik")).to_be_visible()
        expect(page.get_by_text("berlaku sampai 3 Maret 2030")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "3-worker-may-practise.png"), full_page=True)
        browser.close()
    assert Credential.objects.get(number="STR-PS.2025.004711").status == Credential.Status.VERIFIED
