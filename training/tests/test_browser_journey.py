"""The whole journey in a real browser: an organiser creates a programme with four city events,
an agency admin nominates by uploading a sheet, a participant checks in by the session QR, and
the organiser finishes the event and sees who completed."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import datetime as dt  # noqa: E402
import zoneinfo  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlparse  # noqa: E402

import pytest  # noqa: E402

from siaga.testing import SYSTEM, make_person, make_user  # noqa: E402
from training import qr  # noqa: E402
from training.models import Enrolment, Event, Programme  # noqa: E402
from training.services_attendance import scores_record  # noqa: E402
from training.services_enrolment import enrolment_confirm  # noqa: E402
from training.services_event import SessionInput, event_start, session_add  # noqa: E402
from training.tests.factories import make_version  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "training"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "x-test-password"


def _login(page, base, username):
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn >> nth=-1")
    page.wait_for_load_state()


def _logout(page):
    page.context.clear_cookies()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_organiser_admin_and_participant_run_a_four_city_programme(live_server, cast):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    version = make_version(jp=2, sessions=1, pass_mark=70)
    organiser = make_user("organiser", username="rina")
    participant = cast.participant
    colleague = make_person(full_name="Dewi Lestari", sex="P")
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        page.set_default_timeout(60_000)
        page.on("dialog", lambda dialog: dialog.accept())

        # 1. The organiser creates the programme and its events in four cities.
        _login(page, base, organiser.username)
        page.goto(f"{base}/pelatihan/program/baru/")
        page.fill("#id_code", "bimtek-jf-2020")
        page.fill("#id_title", "Bimbingan dan Pemantapan JF Pekerja Sosial dan Penyuluh Sosial")
        page.select_option("#id_module_1", str(version.pk))
        page.click("text=Simpan program")
        page.wait_for_url("**/angkatan/")
        page.fill("#id_start_date", "2027-03-01")
        page.fill("#id_end_date", "2027-03-03")
        page.fill("#id_cap_percent", "50")
        for i, (city, capacity) in enumerate([("32.73", 200), ("34.71", 150), ("73.71", 120), ("31.71", 100)], 1):
            page.select_option(f"#id_city_{i}", city)
            page.fill(f"#id_venue_{i}", f"Aula {city}")
            page.fill(f"#id_capacity_{i}", str(capacity))
        page.click("button:has-text('Buat angkatan')")
        page.wait_for_url("**/program/*/")
        assert page.locator("table.data tbody tr").count() == 4
        page.screenshot(path=str(ARTIFACTS / "1-programme-four-cities.png"), full_page=True)
        programme = Programme.objects.get(code="bimtek-jf-2020")
        event = Event.objects.get(programme=programme, city_id="32.73")
        assert event.seats == 100
        page.goto(f"{base}/pelatihan/angkatan/{event.pk}/")
        page.click("button:has-text('Buka pendaftaran')")
        page.wait_for_load_state()
        _logout(page)

        # 2. The Kemensos admin nominates by uploading a sheet of NIPs.
        sheet = ARTIFACTS / "nominasi.csv"
        sheet.write_text(f"Nama;NIP\nSiti Aminah;{participant.person.nip}\nDewi Lestari;{colleague.nip}\n"
                         "Salah Ketik;123\n", encoding="utf-8")
        _login(page, base, cast.agency_admin.username)
        page.goto(f"{base}/pelatihan/angkatan/{event.pk}/usul/")
        page.set_input_files("#id_sheet", str(sheet))
        page.click("button:has-text('Unggah dan usulkan')")
        page.wait_for_url("**/peserta/")
        assert page.locator("text=Siti Aminah").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "2-nominated-by-sheet.png"), full_page=True)
        _logout(page)
        assert Enrolment.objects.filter(event=event, status="nominated").count() == 2

        # The organiser confirms the nominations, schedules a session and starts the event.
        for enrolment in Enrolment.objects.filter(event=event):
            enrolment_confirm(enrolment=enrolment, by=SYSTEM)
        zone = zoneinfo.ZoneInfo(event.time_zone)
        begins = dt.datetime.combine(event.start_date, dt.time(8), tzinfo=zone)
        session = session_add(event=event, data=SessionInput(module_version=version, starts_at=begins,
                                                             ends_at=begins + dt.timedelta(hours=2), jp=2), by=SYSTEM)
        event_start(event=event, by=SYSTEM)

        # 3. The participant scans the projector's QR and checks in on the phone.
        _login(page, base, participant.username)
        path = urlparse(qr.checkin_url(session.pk))
        page.goto(f"{base}{path.path}?{path.query}")
        page.click("#checkin-button")
        page.wait_for_selector("#checkin-result")
        page.screenshot(path=str(ARTIFACTS / "3-participant-checked-in.png"), full_page=True)
        _logout(page)

        # 4. The organiser enters post-test scores, finishes the event and sees who completed.
        mine = Enrolment.objects.get(event=event, person=participant.person)
        other = Enrolment.objects.get(event=event, person=colleague)
        scores_record(event=event, scores={mine.pk: (60, 85), other.pk: (55, 90)}, by=SYSTEM)
        _login(page, base, organiser.username)
        page.goto(f"{base}/pelatihan/angkatan/{event.pk}/")
        page.click("button:has-text('Selesaikan angkatan')")
        page.wait_for_url("**/peserta/?status=completed")
        assert page.locator("table.data tbody", has_text="Siti Aminah").count() == 1
        page.screenshot(path=str(ARTIFACTS / "4-finished-who-completed.png"), full_page=True)
        page.goto(f"{base}/pelatihan/angkatan/{event.pk}/peserta/?status=not_completed")
        assert page.locator("text=Dewi Lestari").count() == 1
        browser.close()
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status == "completed"
    assert other.status == "not_completed" and "Kehadiran" in other.not_completed_reason
