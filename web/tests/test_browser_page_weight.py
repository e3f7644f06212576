"""Pages stay light and fit a cheap phone.

1. The bytes of HTML + CSS + JS a cold load of the heaviest pages transfers (cache off, every
   request counted as served, i.e. before gzip) stay under ``BUDGET``; the gzip sizes are printed.
2. A participant's pages and the QR check-in, on a 360-px-wide screen, never scroll sideways.

The data is the demo set (``siaga demo``, 60 people) in the test database of this pass, a completed
training with its certificate for the demo participant and a session of their event to check in to."""

import datetime as dt
import gzip
import os
import zoneinfo
from urllib.parse import urlparse

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

from web.tests.browser import launch, login  # noqa: E402

#: Budget of one cold page load: HTML + CSS + JS, uncompressed.
BUDGET = 300 * 1024
#: Resource types counted (images are the certificate QR and icons, none on these pages).
COUNTED = {"document", "stylesheet", "script", "fetch", "xhr"}


def _load_demo():
    from accounts.models import User
    from credentials.tests.factories import make_certificate
    from siaga.testing import SYSTEM
    from training.models import Enrolment
    from training.services_event import SessionInput, event_start, session_add

    call_command("demo", people=60, no_migrate=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    participant = User.objects.get(username="peserta")
    certificate = make_certificate(person=participant.person)
    event = Enrolment.objects.filter(person=participant.person, status="confirmed").first().event
    version = event.programme.items.order_by("order").first().module_version
    begins = dt.datetime.combine(event.start_date, dt.time(8), tzinfo=zoneinfo.ZoneInfo(event.time_zone))
    session = session_add(event=event, data=SessionInput(module_version=version, starts_at=begins,
                                                         ends_at=begins + dt.timedelta(hours=2), jp=2), by=SYSTEM)
    event_start(event=event, by=SYSTEM)
    return event, session, certificate


def _context(browser, base, **options):
    context = browser.new_context(locale="id-ID", **options)
    # Routing every request turns the HTTP cache off (each load is cold) and keeps the network out.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    return context


def _weigh(page, url: str) -> tuple[int, int]:
    bodies: list[bytes] = []

    def keep(response):
        if response.request.resource_type in COUNTED and response.status < 300:
            bodies.append(response.body())

    page.on("response", keep)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("response", keep)
    return sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_heaviest_pages_stay_under_the_budget_and_fit_a_360_px_phone(live_server):
    from playwright.sync_api import sync_playwright

    from accounts.demo import DEMO_PASSWORD
    from training import qr

    event, session, certificate = _load_demo()
    base = live_server.url
    heavy = {
        "pimpinan": ["/", "/jp/dasbor/", "/siaga-bencana/", "/sdm/", f"/pelatihan/angkatan/{event.pk}/peserta/",
                     "/sertifikat/", "/modul/"],
        "penyelenggara": [f"/pelatihan/angkatan/{event.pk}/"],
    }
    checkin = urlparse(qr.checkin_url(session.pk))
    phone_pages = ["/", "/pelatihan/saya/", "/jp/saya/", "/sertifikat/saya/", "/kualifikasi/saya/",
                   f"{checkin.path}?{checkin.query}"]
    weights: dict[str, tuple[int, int]] = {}
    too_wide: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for username, paths in heavy.items():
                context = _context(browser, base, viewport={"width": 1280, "height": 900})
                page = context.new_page()
                login(page, base, username, DEMO_PASSWORD)
                for path in paths:
                    weights[f"{path} ({username})"] = _weigh(page, f"{base}{path}")
                context.close()

            phone = _context(browser, base, viewport={"width": 360, "height": 740}, device_scale_factor=2,
                             is_mobile=True, has_touch=True)
            page = phone.new_page()
            for path in ["/akun/masuk/", f"/v/{certificate.code}"]:
                weights[f"{path} (anonim, 360 px)"] = _weigh(page, f"{base}{path}")
                if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                    too_wide.append(path)
            login(page, base, "peserta", DEMO_PASSWORD)
            for path in phone_pages:
                weights[f"{path} (peserta, 360 px)"] = _weigh(page, f"{base}{path}")
                if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                    too_wide.append(path)
            page.click("#checkin-button")
            page.wait_for_selector("#checkin-result")
            if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                too_wide.append("check-in result")
            phone.close()
        finally:
            browser.close()
    for path, (raw, packed) in sorted(weights.items(), key=lambda item: -item[1][0]):
        print(f"page-weight {path:<60} {raw / 1024:7.1f} KB  gzip {packed / 1024:6.1f} KB")
    heaviest = max(weights, key=lambda path: weights[path][0])
    # Baseline: the lightest page, i.e. what the shared layout, CSS, htmx and siaga.js cost on their own.
    lightest = min(weights, key=lambda path: weights[path][0])
    print(f"RESULT page_weight heaviest={heaviest.split()[0]} bytes={weights[heaviest][0]} gzip={weights[heaviest][1]} "
          f"baseline_lightest={lightest.split()[0]} baseline_bytes={weights[lightest][0]} "
          f"budget={BUDGET} pages={len(weights)}")
    over = {path: raw for path, (raw, _) in weights.items() if raw > BUDGET}
    assert not over, f"over the {BUDGET // 1024} KB budget: {over}"
    assert not too_wide, f"these pages scroll sideways on a 360-px screen: {too_wide}"
