"""English catalogues are complete and compiled, and the header's language switch works.

Source strings are Indonesian; every app with ``locale/en/LC_MESSAGES/django.po`` must translate
every one of them (a missing translation would show Indonesian on an English page), none fuzzy,
and the committed ``django.mo`` must hold exactly the msgids of the ``.po``."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client


def _catalogue_dirs() -> list[Path]:
    dirs = [Path(config.path) / "locale" for config in apps.get_app_configs()
            if not config.name.startswith("django")]
    dirs += [Path(p) for p in settings.LOCALE_PATHS]
    return [d for d in dirs if (d / "en" / "LC_MESSAGES" / "django.po").exists()]


CATALOGUES = _catalogue_dirs()


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgstr (plural forms as ``msgstr[n]``) and flags."""
    entries: list[dict] = []
    entry: dict = {"flags": set()}
    key = None

    def finish() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {"flags": set()}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if key is not None and key.startswith("msgstr"):
                finish()
                key = None
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            entry[key] += ast.literal_eval(line)
            continue
        name, _, rest = line.partition(" ")
        if name in {"msgid", "msgctxt"} and key is not None and key.startswith("msgstr"):
            finish()
        key = name
        entry[key] = ast.literal_eval(rest)
    finish()
    return entries


def _label(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


def test_the_foundation_apps_have_english_catalogues():
    found = {_label(d) for d in CATALOGUES}
    assert {"accounts/locale", "people/locale", "web/locale"} <= found


@pytest.mark.parametrize("locale_dir", CATALOGUES, ids=_label)
def test_every_msgstr_is_filled_and_none_is_fuzzy(locale_dir):
    entries = parse_po(locale_dir / "en" / "LC_MESSAGES" / "django.po")
    real = [e for e in entries if e["msgid"]]
    assert real, "an empty catalogue"
    empty = [e["msgid"] for e in real if not all(v for k, v in e.items() if k.startswith("msgstr"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not empty, f"untranslated: {empty}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


@pytest.mark.parametrize("locale_dir", CATALOGUES, ids=_label)
def test_the_committed_mo_holds_the_msgids_of_the_po(locale_dir):
    messages = locale_dir / "en" / "LC_MESSAGES"
    assert (messages / "django.mo").exists(), "run compilemessages and commit django.mo"
    with (messages / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # msgid -> msgstr; plural entries are keyed (msgid, n)
    compiled_ids = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    po_ids = {(e["msgctxt"] + "\x04" if "msgctxt" in e else "") + e["msgid"]
              for e in parse_po(messages / "django.po") if e["msgid"]}
    assert compiled_ids == po_ids, "django.mo is out of date: run compilemessages"
    for entry in parse_po(messages / "django.po"):
        if entry["msgid"] and "msgctxt" not in entry and "msgid_plural" not in entry:
            assert catalog[entry["msgid"]] == entry["msgstr"], entry["msgid"]


def test_the_header_switch_turns_a_page_english_and_back(cast):
    client = Client()
    client.force_login(cast.user("organiser"))
    page = client.get("/sdm/").content.decode()
    assert "Keluar" in page and "Cari nama, NIP atau NIK" in page

    response = client.post("/bahasa/", {"language": "en", "next": "/sdm/"})
    assert response.status_code == 302 and response["Location"] == "/sdm/"
    page = client.get("/sdm/").content.decode()
    assert '<html lang="en">' in page
    assert "Log out" in page and "Search by name, NIP or NIK" in page and "Keluar" not in page

    client.post("/bahasa/", {"language": "id", "next": "/sdm/"})
    page = client.get("/sdm/").content.decode()
    assert '<html lang="id">' in page and "Keluar" in page and "Log out" not in page
