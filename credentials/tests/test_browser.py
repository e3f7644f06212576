"""A participant downloads their certificate; an anonymous visitor verifies it, and sees the
revocation (with its reason) after an organiser revokes it."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from pathlib import Path

import pytest
from pypdf import PdfReader

from accounts.roles import Role
from credentials.tests.factories import make_certificate
from siaga.testing import Cast, make_user

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "credentials"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x-test-password")
    page.click("button[type=submit]:has-text('Masuk')")
    page.wait_for_url(lambda url: "/akun/masuk/" not in url, timeout=60_000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_participant_downloads_and_a_visitor_verifies_then_sees_the_revocation(live_server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cast = Cast()
    cert = make_certificate(person=cast.person_a)
    participant = cast.participant
    organiser = make_user(Role.ORGANISER, username="penyelenggara-uji")
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            # The participant finds the certificate under "Sertifikat saya" and downloads the PDF.
            me = browser.new_context(accept_downloads=True, locale="id-ID")
            page = me.new_page()
            _login(page, base, participant.username)
            assert "Sertifikat saya" in page.locator("nav.mainnav").inner_text()
            page.goto(f"{base}/sertifikat/saya/")
            assert cert.serial in page.content()
            page.screenshot(path=str(ARTIFACTS / "1-sertifikat-saya.png"), full_page=True)
            with page.expect_download() as info:
                page.click("a.btn:has-text('PDF')")
            target = ARTIFACTS / "sertifikat.pdf"
            info.value.save_as(str(target))
            text = PdfReader(str(target)).pages[0].extract_text()
            assert "Siti Aminah" in text and "40 JP" in text
            me.close()

            # An anonymous visitor types the code printed on the certificate.
            visitor = browser.new_context(locale="id-ID")
            page = visitor.new_page()
            page.goto(f"{base}/v/")
            page.fill("input[name=q]", cert.code)
            page.click("button:has-text('Periksa')")
            result = page.locator("#verify-result")
            assert "SAH" in result.inner_text() and "Siti Aminah" in result.inner_text()
            assert cast.person_a.nip not in page.content()
            page.screenshot(path=str(ARTIFACTS / "2-verifikasi-sah.png"), full_page=True)

            # An organiser revokes it with a reason.
            staff = browser.new_context(locale="id-ID")
            admin_page = staff.new_page()
            admin_page.on("dialog", lambda dialog: dialog.accept())
            _login(admin_page, base, organiser.username)
            admin_page.goto(f"{base}/sertifikat/{cert.pk}/")
            admin_page.fill("#id_revoke-reason", "Data kehadiran tidak sah")
            admin_page.click("button:has-text('Cabut sertifikat')")
            admin_page.wait_for_load_state()
            assert "dicabut" in admin_page.content()
            staff.close()

            # The visitor checks again: revoked, with the date and the reason.
            page.reload()
            result = page.locator("#verify-result")
            assert "DICABUT" in result.inner_text()
            assert "Data kehadiran tidak sah" in result.inner_text()
            page.screenshot(path=str(ARTIFACTS / "3-verifikasi-dicabut.png"), full_page=True)
            visitor.close()
        finally:
            browser.close()
