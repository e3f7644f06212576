"""The journey of a module: an author of a university drafts it, a reviewer of the certification body
requests changes, the author revises and resubmits, the reviewer and the approver approve, and the
module appears in the catalogue."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from curriculum.models import ModuleVersion  # noqa: E402
from curriculum.tests.factories import make_team  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "curriculum"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield instance
        instance.close()


def _login(browser, base: str, username: str):
    page = browser.new_context(viewport={"width": 1300, "height": 1000}, locale="id-ID").new_page()
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x-test-password")
    page.click("button[type=submit]:has-text('Masuk')")
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_module_is_drafted_reviewed_revised_approved_and_catalogued(live_server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    team = make_team()
    base = live_server.url

    author = _login(browser, base, team.author.username)
    author.goto(f"{base}/modul/baru/")
    author.fill("#id_code", "dapur-umum-lapangan")
    author.fill("#id_title", "Dapur Umum Lapangan")
    author.fill("#id_summary", "Mendirikan dapur umum untuk pengungsi dengan protokol kesehatan.")
    author.select_option("#id_owner", str(team.owner.pk))
    author.click("button:has-text('Simpan')")
    author.wait_for_url("**/v1/ubah/")
    author.fill("#id_objectives", "Merencanakan logistik dapur umum\nMenyajikan makanan yang aman")
    author.click("button:has-text('Simpan isi')")
    author.fill("#session-form #id_topic", "Perencanaan logistik")
    author.fill("#session-form #id_jp", "2")
    author.click("button:has-text('Tambah sesi')")
    author.fill("#session-form #id_topic", "Simulasi dapur umum")
    author.select_option("#session-form #id_method", "practice")
    author.fill("#session-form #id_jp", "3")
    author.click("button:has-text('Tambah sesi')")
    assert "5 JP" in author.inner_text("#total-jp")
    author.screenshot(path=str(ARTIFACTS / "01-author-drafts.png"), full_page=True)
    author.click("a:has-text('Lanjut: ajukan untuk ditelaah')")
    author.check(f"input[name=reviewers][value='{team.reviewer.pk}']")
    author.click("button:has-text('Ajukan')")
    author.wait_for_selector("text=Dalam telaah")

    reviewer = _login(browser, base, team.reviewer.username)
    reviewer.goto(f"{base}/modul/dalam-proses/")
    reviewer.screenshot(path=str(ARTIFACTS / "02-board-waiting-for-reviewer.png"), full_page=True)
    reviewer.click("section.panel a:has-text('Dapur Umum Lapangan')")
    reviewer.check("input[name=decision][value=changes_requested]")
    reviewer.fill("#id_comment", "Tambahkan sesi menu untuk balita dan lansia.")
    reviewer.screenshot(path=str(ARTIFACTS / "03-reviewer-requests-changes.png"), full_page=True)
    reviewer.click("button:has-text('Kirim keputusan')")
    reviewer.wait_for_selector("text=Keputusan telaah Anda dicatat.")

    author.goto(f"{base}/modul/")
    assert "Dapur Umum Lapangan" not in author.inner_text("#module-rows")  # not approved yet
    version = ModuleVersion.objects.get(module__code="dapur-umum-lapangan")
    author.goto(f"{base}/modul/{version.module_id}/v1/ubah/")
    assert "Tambahkan sesi menu untuk balita dan lansia." in author.inner_text("main")
    author.fill("#session-form #id_topic", "Menu balita dan lansia")
    author.fill("#session-form #id_jp", "1")
    author.click("button:has-text('Tambah sesi')")
    author.screenshot(path=str(ARTIFACTS / "04-author-revises.png"), full_page=True)
    author.click("a:has-text('Lanjut: ajukan untuk ditelaah')")
    assert author.is_checked(f"input[name=reviewers][value='{team.reviewer.pk}']")  # same reviewer again
    author.click("button:has-text('Ajukan')")
    author.wait_for_selector("text=Dalam telaah")

    reviewer.goto(f"{base}/modul/{version.module_id}/v1/")
    reviewer.check("input[name=decision][value=approved]")
    reviewer.fill("#id_comment", "Sudah lengkap.")
    reviewer.click("button:has-text('Kirim keputusan')")
    reviewer.wait_for_selector("text=Keputusan telaah Anda dicatat.")

    approver = _login(browser, base, team.approver.username)
    approver.goto(f"{base}/modul/{version.module_id}/v1/")
    approver.fill("#approve-note", "Disahkan untuk tanggap darurat.")
    approver.screenshot(path=str(ARTIFACTS / "05-approver-approves.png"), full_page=True)
    approver.click("button:has-text('Sahkan versi ini')")
    approver.wait_for_selector("text=disahkan dan dapat dijadwalkan")

    approver.goto(f"{base}/modul/?q=dapur")
    rows = approver.inner_text("#module-rows")
    assert "Dapur Umum Lapangan" in rows and "6" in rows
    approver.screenshot(path=str(ARTIFACTS / "06-catalogue.png"), full_page=True)
    version.refresh_from_db()
    assert version.status == ModuleVersion.Status.APPROVED and version.total_minutes == 6 * 45
