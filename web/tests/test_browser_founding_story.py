"""The founding story of Siaga, end to end in Debian's chromium (issue 11, point 6).

September 2020: partner institutions write a Covid-19 module in two weeks; Pusbangprof runs the
"Bimbingan dan Pemantapan Jabatan Fungsional" programme in four cities with seats capped at 50 %; four
agencies nominate their staff by sheet; participants check in by QR; the events finish; certificates are
issued and one is verified by the public; leadership sees compliance rise and exports it; a disaster
coordinator finds the newly trained workers near a flood.

Scale: the real programme certified 1,665 people; this test uses **2 staff per agency per city: 8 per
city, 32 participants and 32 certificates** (plus 8 staff who are not nominated, so the compliance rate
has a baseline), to stay well under two minutes. The bulk path for 1,665 is measured by
``bench/certificates.py`` and ``bench/enrolment_rush.py``.

What goes through the browser: every decision a person takes (writing, reviewing and approving the
module, creating the programme and events, opening registration, uploading the nomination sheets,
confirming, the QR check-in on a 360-px phone, finishing the events, the bulk certificate job, public
verification, the dashboard and its export, the flood, the request and the roster). What goes through the
services (as the organiser's tools would, to keep the test short): scheduling one session per event,
starting the events, ticking the other 31 participants present and recording post-test scores.

axe-core also runs on the story's pages that test_browser_accessibility.py does not walk (module editor,
review board, nomination page, QR projector page, check-in on the phone, bulk job, roster): zero serious or
critical violations.

Screenshots of each step go to ``$SIAGA_TEST_ARTIFACTS/founding-story`` (a temp folder by default); the
copies in docs/guide/img/ come from a run of this test. Everything runs against ``live_server``, i.e. the
test database of the current pass (SQLite or PostgreSQL); chromium is kept off the network."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import csv  # noqa: E402
import datetime as dt  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402
import zoneinfo  # noqa: E402
from urllib.parse import urlparse  # noqa: E402

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from web.tests.browser import artefacts, axe_violations, block_outside, describe, launch  # noqa: E402

PASSWORD = "x-test-password"  # siaga.testing.make_user's password
#: city code, venue, venue capacity (seats = capacity × 50 %)
CITIES = [("32.73", "Aula Poltekesos Bandung", 200), ("34.71", "Balai Besar Diklat Kesos Yogyakarta", 150),
          ("73.71", "BBPPKS Makassar", 120), ("31.71", "Gedung Aneka Bhakti Kemensos", 100)]
AGENCIES = ["kemensos", "kemenkumham", "bnpb", "rs-cipto"]
PER_AGENCY_AND_CITY = 2


def _people():
    """2 staff of each agency in each city (nominated) and 2 more per agency (not nominated)."""
    from siaga.testing import make_person

    first = ["Siti", "Dewi", "Agus", "Rina", "Budi", "Wayan", "Nur", "Yohana", "Made", "Fajar", "Intan", "Hasan"]
    last = ["Aminah", "Lestari", "Saputra", "Wulandari", "Santoso", "Sudarma", "Hidayah", "Pattipeilohy",
            "Siregar", "Nainggolan", "Rahmawati"]  # 12 × 11 first/last names: 32 distinct pairs
    staff: dict[tuple[str, str], list] = {}
    n = 0
    for city, *_rest in CITIES:
        for agency in AGENCIES:
            staff[agency, city] = []
            for _i in range(PER_AGENCY_AND_CITY):
                name = f"{first[n % len(first)]} {last[n % len(last)]}"
                staff[agency, city].append(make_person(agency=agency, region=city, full_name=name,
                                                       sex="P" if n % 2 else "L"))
                n += 1
    others = [make_person(agency=agency, region="32.73", full_name=f"Pegawai Lain {i}")
              for agency in AGENCIES for i in range(2)]
    return staff, others


def _login(browser, base, username, *, phone: bool = False):
    size = {"width": 360, "height": 740} if phone else {"width": 1366, "height": 900}
    extra = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2} if phone else {}
    # bypass_csp: axe-core is injected on the pages the accessibility walk does not reach.
    context = browser.new_context(locale="id-ID", viewport=size, accept_downloads=True, bypass_csp=True, **extra)
    block_outside(context, base)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)
    return page


def _check(page, problems: list[str]) -> None:
    """axe-core on a page of the story that test_browser_accessibility.py does not walk."""
    problems += describe(page.url, axe_violations(page))


def _rate(page) -> float:
    text = page.locator(".cards .card strong").first.inner_text()
    return float(re.sub(r"[^\d,]", "", text).replace(",", ".") or 0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_founding_story_from_module_to_flood_roster(live_server):
    from playwright.sync_api import expect, sync_playwright

    from accounts.roles import Role
    from credentials.models import Certificate
    from curriculum.models import Competency, Institution, ModuleVersion
    from curriculum.services import institution_create, institution_member_add
    from hours import rules
    from siaga.testing import SYSTEM, make_user
    from training import qr
    from training.models import Enrolment, Event, Programme
    from training.services_attendance import attendance_mark, scores_record
    from training.services_event import SessionInput, event_start, session_add

    shots = artefacts("founding-story")
    problems: list[str] = []
    base = live_server.url
    year = rules.today_in("Asia/Jakarta").year

    # The cast: two partner institutions, their authors and reviewer, Pusbangprof's approver and
    # organiser, four agencies' HR admins, leadership and a disaster coordinator.
    poltekesos = institution_create(code="poltekesos", name="Politeknik Kesejahteraan Sosial Bandung",
                                    kind=Institution.Kind.TRAINING_SCHOOL, by=SYSTEM)
    unpad = institution_create(code="unpad", name="Universitas Padjadjaran", kind=Institution.Kind.UNIVERSITY,
                               by=SYSTEM)
    ipspi = institution_create(code="ipspi", name="Ikatan Pekerja Sosial Profesional Indonesia",
                               kind=Institution.Kind.ASSOCIATION, by=SYSTEM)
    author = make_user(Role.AUTHOR, username="penyusun.poltekesos")
    coauthor = make_user(Role.AUTHOR, username="penyusun.unpad")
    reviewer = make_user(Role.REVIEWER, username="penelaah.ipspi")
    make_user(Role.APPROVER, username="pengesah")
    make_user(Role.ORGANISER, username="penyelenggara")
    make_user(Role.LEADERSHIP, username="pimpinan")
    make_user(Role.COORDINATOR, username="koordinator")
    for code in AGENCIES:
        make_user(Role.AGENCY_ADMIN, username=f"admin.{code}", agency=code)
    institution_member_add(institution=poltekesos, user=author, role="author", by=SYSTEM)
    # The Unpad lecturer co-authors for the owner institution too (authors are its members).
    institution_member_add(institution=unpad, user=coauthor, role="author", by=SYSTEM)
    institution_member_add(institution=poltekesos, user=coauthor, role="author", by=SYSTEM)
    institution_member_add(institution=ipspi, user=reviewer, role="reviewer", by=SYSTEM)
    staff, others = _people()
    call_command("hours", "recompute", "--year", str(year), stdout=io.StringIO())

    with sync_playwright() as p:
        browser = launch(p)
        try:
            # 0. Leadership's dashboard before the programme: the year's baseline.
            leader = _login(browser, base, "pimpinan")
            leader.goto(f"{base}/jp/dasbor/")
            before = _rate(leader)
            leader.screenshot(path=str(shots / "00-pimpinan-dasbor-sebelum.png"), full_page=True)

            # 1. Partner institutions co-author the Covid-19 module ...
            page = _login(browser, base, author.username)
            page.goto(f"{base}/modul/baru/")
            page.fill("#id_code", "ldp-covid19")
            page.fill("#id_title", "Layanan Dukungan Psikososial pada Masa Pandemi Covid-19")
            page.fill("#id_summary", "Dukungan psikososial bagi korban dan keluarga terdampak Covid-19 dengan "
                                     "protokol kesehatan, tatap muka dan jarak jauh.")
            page.select_option("#id_owner", str(poltekesos.pk))
            page.select_option("#id_competencies", str(Competency.objects.get(code="ldp").pk))
            page.click("button:has-text('Simpan')")
            page.wait_for_url("**/v1/ubah/")
            page.fill("#id_objectives", "Menerapkan protokol kesehatan dalam layanan\n"
                                        "Memberikan dukungan psikososial awal jarak jauh")
            page.click("button:has-text('Simpan isi')")
            page.fill("#session-form #id_topic", "Covid-19 dan protokol kesehatan dalam layanan sosial")
            page.fill("#session-form #id_jp", "8")
            page.click("button:has-text('Tambah sesi')")
            expect(page.locator("#total-jp")).to_contain_text("8 JP")
            module_id = ModuleVersion.objects.get(module__code="ldp-covid19").module_id
            page.context.close()

            page = _login(browser, base, coauthor.username)
            page.goto(f"{base}/modul/{module_id}/v1/ubah/")
            page.fill("#session-form #id_topic", "Dukungan psikososial awal jarak jauh")
            page.fill("#session-form #id_jp", "8")
            page.click("button:has-text('Tambah sesi')")
            expect(page.locator("#total-jp")).to_contain_text("16 JP")
            page.fill("#session-form #id_topic", "Praktik layanan di shelter dengan protokol kesehatan")
            page.select_option("#session-form #id_method", "practice")
            page.fill("#session-form #id_jp", "8")
            page.click("button:has-text('Tambah sesi')")
            expect(page.locator("#total-jp")).to_contain_text("24 JP")
            page.screenshot(path=str(shots / "01-penyusun-menyusun-modul.png"), full_page=True)
            _check(page, problems)
            page.click("a:has-text('Lanjut: ajukan untuk ditelaah')")
            page.check(f"input[name=reviewers][value='{reviewer.pk}']")
            page.click("button:has-text('Ajukan')")
            page.wait_for_selector("text=Dalam telaah")
            page.context.close()

            # ... another partner reviews it within the 14-day window, and Pusbangprof approves it.
            page = _login(browser, base, reviewer.username)
            page.goto(f"{base}/modul/dalam-proses/")
            expect(page.locator("main")).to_contain_text("14 hari lagi")
            page.screenshot(path=str(shots / "02-penelaah-papan-telaah.png"), full_page=True)
            _check(page, problems)
            page.goto(f"{base}/modul/{module_id}/v1/")
            page.check("input[name=decision][value=approved]")
            page.fill("#id_comment", "Sesuai kebutuhan tanggap Covid-19; protokol kesehatan jelas.")
            page.click("button:has-text('Kirim keputusan')")
            page.wait_for_selector("text=Keputusan telaah Anda dicatat.")
            page.context.close()

            page = _login(browser, base, "pengesah")
            page.goto(f"{base}/modul/{module_id}/v1/")
            page.fill("#approve-note", "Disahkan untuk Bimbingan dan Pemantapan Jabatan Fungsional 2020.")
            page.click("button:has-text('Sahkan versi ini')")
            page.wait_for_selector("text=disahkan dan dapat dijadwalkan")
            page.screenshot(path=str(shots / "03-pengesah-mengesahkan.png"), full_page=True)
            page.context.close()
            version = ModuleVersion.objects.get(module__code="ldp-covid19")
            review = version.review_rounds.get()
            assert version.status == ModuleVersion.Status.APPROVED and version.total_minutes == 24 * 45
            assert review.due_date == timezone.localdate(review.opened_at) + dt.timedelta(days=14)
            assert timezone.localdate() <= review.due_date  # approved inside the 14-day window

            # 2. The centre creates the programme in four cities, seats capped at 50 %.
            organiser = _login(browser, base, "penyelenggara")
            organiser.goto(f"{base}/pelatihan/program/baru/")
            organiser.fill("#id_code", "bimtek-jf-2020")
            organiser.fill("#id_title", "Bimbingan dan Pemantapan Jabatan Fungsional")
            organiser.select_option("#id_module_1", str(version.pk))
            organiser.click("text=Simpan program")
            organiser.wait_for_url("**/angkatan/")
            start = timezone.localdate() + dt.timedelta(days=7)
            organiser.fill("#id_start_date", start.isoformat())
            organiser.fill("#id_end_date", (start + dt.timedelta(days=3)).isoformat())
            organiser.fill("#id_cap_percent", "50")
            for i, (city, venue, capacity) in enumerate(CITIES, 1):
                organiser.select_option(f"#id_city_{i}", city)
                organiser.fill(f"#id_venue_{i}", venue)
                organiser.fill(f"#id_capacity_{i}", str(capacity))
            organiser.click("button:has-text('Buat angkatan')")
            organiser.wait_for_url("**/program/*/")
            expect(organiser.locator("table.data tbody tr")).to_have_count(4)
            organiser.screenshot(path=str(shots / "04-penyelenggara-program-empat-kota.png"), full_page=True)
            programme = Programme.objects.get(code="bimtek-jf-2020")
            events = {e.city_id: e for e in Event.objects.filter(programme=programme)}
            assert {c: e.seats for c, e in events.items()} == {c: cap // 2 for c, _v, cap in CITIES}
            for event in events.values():
                organiser.goto(f"{base}/pelatihan/angkatan/{event.pk}/")
                organiser.click("button:has-text('Buka pendaftaran')")
                organiser.wait_for_selector("button:has-text('Mulai angkatan')")

            # 3. The four agencies nominate their staff by sheet, one sheet per city.
            for agency in AGENCIES:
                page = _login(browser, base, f"admin.{agency}")
                for city, *_rest in CITIES:
                    sheet = shots / f"usulan-{agency}-{city}.csv"
                    rows = "".join(f"{p.full_name};{p.nip}\n" for p in staff[agency, city])
                    sheet.write_text(f"Nama;NIP\n{rows}", encoding="utf-8")
                    page.goto(f"{base}/pelatihan/angkatan/{events[city].pk}/usul/")
                    if agency == "kemenkumham" and city == "32.73":
                        page.screenshot(path=str(shots / "05-admin-instansi-unggah-usulan.png"), full_page=True)
                        _check(page, problems)
                    page.set_input_files("#id_sheet", str(sheet))
                    page.click("button:has-text('Unggah dan usulkan')")
                    page.wait_for_url("**/peserta/")
                    expect(page.locator("#toasts")).to_contain_text(f"{PER_AGENCY_AND_CITY} orang diusulkan")
                if agency == "kemenkumham":
                    page.screenshot(path=str(shots / "06-admin-instansi-usulan-terkirim.png"), full_page=True)
                page.context.close()
            assert Enrolment.objects.filter(status="nominated").count() == 32

            # The organiser confirms every nomination, city by city.
            for event in events.values():
                organiser.goto(f"{base}/pelatihan/angkatan/{event.pk}/peserta/")
                for box in organiser.locator("input[name=enrolment]").all():
                    box.check()
                organiser.click("button:has-text('Konfirmasi yang dipilih')")
                organiser.wait_for_load_state()
            assert Enrolment.objects.filter(status="confirmed").count() == 32

            # One session per event and the events start (the organiser's schedule, through services).
            sessions = {}
            for city, event in events.items():
                zone = zoneinfo.ZoneInfo(event.time_zone)
                begins = dt.datetime.combine(event.start_date, dt.time(8), tzinfo=zone)
                sessions[city] = session_add(event=event, data=SessionInput(
                    module_version=version, starts_at=begins, ends_at=begins + dt.timedelta(hours=6), jp=8,
                    title="Covid-19 dan protokol kesehatan"), by=SYSTEM)
                event_start(event=event, by=SYSTEM)
            organiser.goto(f"{base}/pelatihan/sesi/{sessions['32.73'].pk}/qr/")
            organiser.screenshot(path=str(shots / "07-penyelenggara-qr-di-layar.png"), full_page=True)
            _check(organiser, problems)

            # 4. A participant in Bandung checks in on the phone; the others are ticked present.
            siti = staff["kemensos", "32.73"][0]
            make_user(Role.PARTICIPANT, username="peserta.bandung", agency="kemensos", person=siti)
            phone = _login(browser, base, "peserta.bandung", phone=True)
            link = urlparse(qr.checkin_url(sessions["32.73"].pk))
            phone.goto(f"{base}{link.path}?{link.query}")
            phone.click("#checkin-button")
            phone.wait_for_selector("#checkin-result")
            assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            phone.screenshot(path=str(shots / "08-peserta-hadir-lewat-qr.png"), full_page=True)
            _check(phone, problems)
            for city, event in events.items():
                event.refresh_from_db()
                sessions[city].event = event
                others_here = {e.pk: "present" for e in Enrolment.objects.filter(event=event).exclude(person=siti)}
                attendance_mark(session=sessions[city], marks=others_here, by=SYSTEM)
                scores_record(event=event, scores={e.pk: (55, 80 + e.pk % 15)
                                                   for e in Enrolment.objects.filter(event=event)}, by=SYSTEM)

            # 5. The events finish; certificates are issued on completion and printed in one bulk job.
            for event in events.values():
                organiser.goto(f"{base}/pelatihan/angkatan/{event.pk}/")
                organiser.click("button:has-text('Selesaikan angkatan')")
                organiser.wait_for_url("**/peserta/?status=completed")
            expect(organiser.locator("table.data tbody tr")).to_have_count(8)
            organiser.screenshot(path=str(shots / "09-penyelenggara-angkatan-selesai.png"), full_page=True)
            assert Enrolment.objects.filter(status="completed").count() == 32
            organiser.goto(f"{base}/sertifikat/massal/")
            organiser.select_option("#j-action", "issue")
            organiser.select_option("#j-programme", str(programme.pk))
            organiser.click("main form.panel button:has-text('Mulai')")
            organiser.wait_for_url("**/massal/*/")
            expect(organiser.locator("main")).to_contain_text("32 / 32", timeout=60_000)
            organiser.screenshot(path=str(shots / "10-penyelenggara-cetak-sertifikat-massal.png"), full_page=True)
            _check(organiser, problems)
            assert Certificate.objects.live().filter(enrolment__event__programme=programme).count() == 32

            # The participant finds the certificate on the phone, through the menu behind the header's button.
            phone.goto(f"{base}/")
            phone.click("header.top .menu-toggle")
            expect(phone.locator("nav.mainnav")).to_be_visible()
            phone.screenshot(path=str(shots / "11a-peserta-menu-ponsel.png"))
            phone.locator("nav.mainnav").get_by_role("link", name="Sertifikat saya").click()
            phone.wait_for_url(f"{base}/sertifikat/saya/")
            certificate = Certificate.objects.live().get(enrolment__person=siti)
            expect(phone.locator("main")).to_contain_text(certificate.serial)
            assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            phone.screenshot(path=str(shots / "11-peserta-sertifikat-saya.png"), full_page=True)
            phone.goto(f"{base}/jp/saya/")
            expect(phone.locator("main")).to_contain_text("24")
            assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            phone.screenshot(path=str(shots / "11b-peserta-jp-saya.png"), full_page=True)
            phone.context.close()

            # 6. Anyone verifies it with the code printed on the certificate.
            visitor = browser.new_context(locale="id-ID", viewport={"width": 1024, "height": 800})
            block_outside(visitor, base)
            page = visitor.new_page()
            page.goto(f"{base}/v/")
            page.fill("input[name=q]", certificate.code)
            page.click("button:has-text('Periksa')")
            result = page.locator("#verify-result")
            expect(result).to_contain_text("SAH")
            expect(result).to_contain_text(siti.full_name)
            assert siti.nip not in page.content()
            page.screenshot(path=str(shots / "12-publik-verifikasi-sah.png"), full_page=True)
            visitor.close()

            # 7. Leadership sees compliance rise and exports it.
            leader.goto(f"{base}/jp/dasbor/")
            after = _rate(leader)
            assert after > before, (before, after)
            leader.screenshot(path=str(shots / "13-pimpinan-dasbor-sesudah.png"), full_page=True)
            with leader.expect_download() as download:
                leader.locator("a:has-text('Unduh CSV')").first.click()
            exported = download.value.path().read_text(encoding="utf-8-sig")
            table = list(csv.reader(io.StringIO(exported), delimiter=";" if ";" in exported.splitlines()[0] else ","))
            assert len(table) == 1 + len(AGENCIES), table
            leader.context.close()

            # 8. A flood in Kabupaten Bandung: the coordinator finds the trained workers nearby.
            page = _login(browser, base, "koordinator")
            page.goto(f"{base}/siaga-bencana/kejadian/baru/")
            page.fill("#id_title", "Banjir Bandung Selatan")
            page.select_option("#id_type", "flood")
            page.select_option("#id_regencies", ["32.04"])
            page.fill("#id_start_date", timezone.localdate().isoformat())
            page.check("input[name=services][value=psychosocial_support]")
            page.click("button:has-text('Simpan')")
            page.wait_for_selector("h1:has-text('Banjir Bandung Selatan')")
            page.click("a:has-text('Minta tenaga')")
            page.select_option("#id_service", "psychosocial_support")
            page.fill("#id_role", "Petugas LDP")
            page.fill("#id_people_needed", "6")
            page.fill("#id_start_date", (timezone.localdate() + dt.timedelta(days=2)).isoformat())
            page.fill("#id_end_date", (timezone.localdate() + dt.timedelta(days=16)).isoformat())
            page.click("button:has-text('Buat permintaan')")
            page.wait_for_selector("#roster")
            roster = page.locator("#roster tbody").inner_text()
            trained_in_bandung = [p.full_name for agency in AGENCIES for p in staff[agency, "32.73"]]
            assert all(name in roster for name in trained_in_bandung), roster
            assert not any(p.full_name in roster for p in others)  # untrained staff are not offered
            first_rows = page.locator("#roster tbody tr").first.inner_text()
            assert any(name in first_rows for name in trained_in_bandung), first_rows  # the nearest come first
            page.screenshot(path=str(shots / "14-koordinator-tenaga-terlatih-dekat-banjir.png"), full_page=True)
            _check(page, problems)
            page.context.close()
        finally:
            browser.close()
    assert not problems, "axe-core found serious/critical violations:\n" + "\n".join(problems)
