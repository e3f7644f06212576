"""The journey of a flood response: a coordinator records a flood in Kabupaten Bandung, requests ten
psychosocial-support workers, sends the call; two people accept through their links (no login); the
coordinator sees the replies arrive on the board and confirms both."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from readiness import services  # noqa: E402
from readiness.models import CallUp, Deployment  # noqa: E402
from readiness.testing import complete, make_competency, make_event, make_module  # noqa: E402
from siaga.testing import make_person, make_user  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "readiness"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield instance
        instance.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_fields_a_psychosocial_team_for_a_flood(live_server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    module = make_module(make_competency(), title="Layanan Dukungan Psikososial")
    event = make_event(module.versions.get(), name="Pelatihan LDP Angkatan II")
    regions = ["32.04", "32.73", "32.04", "32.17", "32.03", "32.73", "32.04", "32.06", "32.05", "32.73", "32.02",
               "32.04"]
    workers = [make_person(region=code, full_name=f"Petugas LDP {n:02d}") for n, code in enumerate(regions, 1)]
    for person in workers:
        complete(person, event)
    make_user("coordinator", username="koordinator")

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", "x-test-password")
    page.click("button[type=submit]:has-text('Masuk')")

    page.goto(f"{live_server.url}/siaga-bencana/kejadian/baru/")
    page.fill("#id_title", "Banjir Bandung Selatan")
    page.select_option("#id_type", "flood")
    page.select_option("#id_regencies", ["32.04"])
    page.fill("#id_start_date", "2026-12-01")
    page.check("input[name=services][value=psychosocial_support]")
    page.screenshot(path=str(ARTIFACTS / "01-incident-form.png"), full_page=True)
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("h1:has-text('Banjir Bandung Selatan')")

    page.click("a:has-text('Minta tenaga')")
    page.select_option("#id_service", "psychosocial_support")
    page.fill("#id_role", "Petugas LDP")
    page.fill("#id_people_needed", "10")
    start = dt.date.today() + dt.timedelta(days=3)
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", (start + dt.timedelta(days=14)).isoformat())
    page.click("button:has-text('Buat permintaan')")
    page.wait_for_selector("#roster")
    assert page.locator("#roster tbody tr").count() == 12
    assert page.locator("#roster input[type=checkbox]:checked").count() == 10
    page.screenshot(path=str(ARTIFACTS / "02-roster.png"), full_page=True)
    page.click("#send-call")
    page.wait_for_selector("#board [data-status=sent]")
    assert CallUp.objects.filter(status=CallUp.Status.SENT).count() == 10

    # Two people answer from their phones: a fresh browser context, no login.
    for callup in CallUp.objects.order_by("rank")[:2]:
        phone = browser.new_context(locale="id-ID").new_page()
        phone.goto(f"{live_server.url}/siaga-bencana/jawab/{services.make_reply_token(callup)}/")
        phone.fill("#note", "Siap berangkat")
        if callup.rank == 1:
            phone.screenshot(path=str(ARTIFACTS / "03-reply-link.png"), full_page=True)
        phone.click("#accept")
        phone.wait_for_selector("h1:has-text('Jawaban Anda tercatat')")
        phone.context.close()

    # The board polls: both replies appear without reloading the page.
    expect(page.locator("#board [data-status=accepted]")).to_have_count(2, timeout=20000)
    page.screenshot(path=str(ARTIFACTS / "04-board-replies.png"), full_page=True)
    for remaining in (1, 0):
        row = page.locator("#board [data-status=accepted]").first
        row.locator("input[name=team]").fill("Tim LDP Baleendah")
        row.locator("button:has-text('Konfirmasi')").click()
        expect(page.locator("#board [data-status=accepted]")).to_have_count(remaining, timeout=20000)
    expect(page.locator("#board [data-status=confirmed]")).to_have_count(2, timeout=20000)
    page.screenshot(path=str(ARTIFACTS / "05-confirmed.png"), full_page=True)
    assert set(Deployment.objects.values_list("team", flat=True)) == {"Tim LDP Baleendah"}
    assert Deployment.objects.count() == 2
