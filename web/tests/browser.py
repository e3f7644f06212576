"""Helpers of the browser tests that walk Siaga's main pages: Debian's chromium through Playwright,
sign-in, axe-core (vendored from npm into siaga/tests/vendor/) and where screenshots go.

Everything runs against pytest-django's ``live_server``, so the pages read the test database of the
current pass (SQLite or PostgreSQL) and nothing else; chromium is told not to reach the network."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "siaga" / "tests" / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps"]
#: The impacts that fail a page (axe also reports "moderate" and "minor").
BLOCKING = ("serious", "critical")
#: WCAG 2.1 A and AA rules plus axe's best practices (landmarks, one h1, region…).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def artefacts(name: str) -> Path:
    """Where a test saves its screenshots: ``$SIAGA_TEST_ARTIFACTS/<name>`` or a fresh temp folder."""
    base = os.environ.get("SIAGA_TEST_ARTIFACTS")
    folder = Path(base) / name if base else Path(tempfile.mkdtemp(prefix=f"siaga-{name}-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def block_outside(context, base: str) -> None:
    """Abort every request that does not go to the live server: a page that needs the network fails."""
    context.route(lambda url: not url.startswith(base), lambda route: route.abort())


def login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """Run axe-core on the page (its context needs ``bypass_csp=True``: Siaga's CSP forbids the injected
    script); return its serious and critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(url: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(node["target"]) for node in v["nodes"][:4])
        summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")[:200] if v["nodes"] else ""
        lines.append(f"{url}: {v['id']} ({v['impact']}, {len(v['nodes'])}×) {targets} — {summary}")
    return lines
