"""axe-core in Debian's chromium on the main pages of every role: zero serious or critical violations.

The pages show the demo data set (``siaga demo``, 60 people, plus a completed
training with its certificate for the demo participant) loaded into the test database of this
pass, so tables, charts, maps and forms have rows to show."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

from web.tests.browser import axe_violations, block_outside, describe, launch, login  # noqa: E402

IMPACTS = tuple(os.environ.get("SIAGA_AXE_IMPACTS", "serious,critical").split(","))


def demo_pages() -> dict[str | None, list[str]]:
    """username (None: anonymous) → the pages that role opens most."""
    from credentials.models import Certificate
    from readiness.models import Incident
    from training.models import Event

    event = Event.objects.order_by("-seats").first()
    finished = Event.objects.filter(status="finished").first() or event
    certificate = Certificate.objects.order_by("id").first()
    incident = Incident.objects.order_by("id").first()
    return {
        None: ["/akun/masuk/", "/v/", f"/v/{certificate.code}"],
        "peserta": ["/", "/pelatihan/saya/", "/jp/saya/", "/sertifikat/saya/", "/kualifikasi/saya/"],
        "admin.kemensos": ["/", "/sdm/", f"/pelatihan/angkatan/{event.pk}/usul/", "/jp/dasbor/"],
        "penyelenggara": ["/pelatihan/", f"/pelatihan/angkatan/{event.pk}/",
                          f"/pelatihan/angkatan/{finished.pk}/peserta/", "/sertifikat/massal/"],
        "penyusun": ["/modul/", "/modul/dalam-proses/"],
        "pimpinan": ["/", "/jp/dasbor/"],
        "koordinator": ["/siaga-bencana/", f"/siaga-bencana/kejadian/{incident.pk}/"],
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_main_pages_of_every_role_have_no_serious_accessibility_violations(live_server):
    from playwright.sync_api import sync_playwright

    from accounts.demo import DEMO_PASSWORD
    from accounts.models import User
    from credentials.tests.factories import make_certificate

    call_command("demo", people=60, no_migrate=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    make_certificate(person=User.objects.get(username="peserta").person)
    pages = demo_pages()
    base = live_server.url
    problems: list[str] = []
    visited = 0
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for username, paths in pages.items():
                context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, bypass_csp=True)
                block_outside(context, base)
                page = context.new_page()
                if username:
                    login(page, base, username, DEMO_PASSWORD)
                for path in paths:
                    response = page.goto(f"{base}{path}")
                    assert response.ok, f"{path} as {username}: {response.status}"
                    problems += describe(f"{path} ({username or 'anonim'})", axe_violations(page, IMPACTS))
                    visited += 1
                context.close()
            # The participant's pages again on a 360-px phone, in English.
            context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740}, is_mobile=True,
                                          has_touch=True, bypass_csp=True)
            block_outside(context, base)
            context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
            page = context.new_page()
            login(page, base, "peserta", DEMO_PASSWORD)
            for path in pages["peserta"]:
                page.goto(f"{base}{path}")
                assert page.get_attribute("html", "lang") == "en"
                problems += describe(f"{path} (peserta, 360 px, en)", axe_violations(page, IMPACTS))
            # The phone menu by keyboard: skip link, Siaga, then the menu button; Enter opens it, the next Tab
            # is its first item, Escape closes it and gives the focus back to the button. axe runs on it open.
            page.goto(f"{base}/")
            toggle = page.locator("header.top .menu-toggle")
            for _ in range(3):
                page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")
            assert toggle.get_attribute("aria-expanded") == "false"
            page.keyboard.press("Enter")
            assert toggle.get_attribute("aria-expanded") == "true"
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.closest('nav.mainnav li:first-child') !== null")
            problems += describe("/ (peserta, 360 px, en, menu open)", axe_violations(page, IMPACTS))
            page.keyboard.press("Escape")
            assert toggle.get_attribute("aria-expanded") == "false"
            assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")
            assert not page.locator("nav.mainnav").is_visible()
            context.close()

            # Keyboard only: the first Tab reaches "skip to content", which moves focus to the page's content;
            # the sign-in form (its name field has focus on arrival) is filled and sent without a mouse.
            context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
            block_outside(context, base)
            page = context.new_page()
            page.goto(f"{base}/v/")
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.classList.contains('skip')")
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "main"
            page.goto(f"{base}/akun/masuk/")
            assert page.evaluate("document.activeElement.id") == "id_username"
            page.keyboard.type("peserta")
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.id") == "id_password"
            page.keyboard.type(DEMO_PASSWORD)
            page.keyboard.press("Enter")
            page.wait_for_url(f"{base}/")
            assert "Pelatihan saya" in page.locator("nav.mainnav").inner_text()
            context.close()

            # The check itself works: an unlabelled field and a low-contrast text are caught.
            context = browser.new_context(locale="id-ID", bypass_csp=True)
            block_outside(context, base)
            page = context.new_page()
            page.goto(f"{base}/akun/masuk/")
            page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
                '<input type=text><p style="color:#bbb;background:#fff">pucat</p>')""")
            caught = {v["id"] for v in axe_violations(page)}
            assert {"label", "color-contrast"} <= caught, caught
            context.close()
        finally:
            browser.close()
    assert visited == sum(len(p) for p in pages.values())
    assert not problems, "axe-core found serious/critical violations:\n" + "\n".join(problems)
