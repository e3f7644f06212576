"""Login throttling: 5 failures per username or per address lock logins for 15 minutes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from accounts import throttle
from accounts.models import AuditLog
from accounts.roles import Role
from siaga.testing import make_user

PASSWORD = "x-test-password"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(throttle, "_now", lambda: now[0])
    return now


def _login(username: str, password: str, ip: str = "10.0.0.1"):
    return Client().post("/akun/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_correct_password_logs_in(db, clock):
    make_user(Role.ORGANISER, username="penyelenggara")
    response = _login("penyelenggara", PASSWORD)
    assert response.status_code == 302


def test_five_failures_lock_the_username_for_fifteen_minutes(db, clock):
    make_user(Role.ORGANISER, username="penyelenggara")
    for n in range(5):
        assert _login("penyelenggara", "salah", ip=f"10.0.0.{n + 1}").status_code == 200
    locked = _login("penyelenggara", PASSWORD, ip="10.0.0.99")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit" in locked.content.decode()
    assert AuditLog.objects.filter(action="login.locked", target_label="penyelenggara").count() == 1
    clock[0] += 14 * 60
    assert _login("PENYELENGGARA", PASSWORD, ip="10.0.0.98").status_code == 429  # usernames are case-blind
    clock[0] += 61
    assert _login("penyelenggara", PASSWORD, ip="10.0.0.97").status_code == 302


def test_five_failures_from_one_address_lock_that_address(db, clock):
    make_user(Role.ORGANISER, username="penyelenggara")
    for n in range(5):
        _login(f"tebakan-{n}", "salah", ip="10.9.9.9")
    assert _login("penyelenggara", PASSWORD, ip="10.9.9.9").status_code == 429
    assert _login("penyelenggara", PASSWORD, ip="10.9.9.10").status_code == 302


def test_a_success_clears_the_usernames_count(db, clock):
    make_user(Role.ORGANISER, username="penyelenggara")
    for _ in range(4):
        _login("penyelenggara", "salah", ip="10.0.0.1")
    assert _login("penyelenggara", PASSWORD, ip="10.0.0.2").status_code == 302
    for _ in range(4):
        _login("penyelenggara", "salah", ip="10.0.0.3")
    assert _login("penyelenggara", PASSWORD, ip="10.0.0.4").status_code == 302


def test_failures_older_than_the_window_do_not_count(db, clock):
    make_user(Role.ORGANISER, username="penyelenggara")
    for _ in range(4):
        _login("penyelenggara", "salah", ip="10.0.0.1")
    clock[0] += 16 * 60
    _login("penyelenggara", "salah", ip="10.0.0.2")
    assert _login("penyelenggara", PASSWORD, ip="10.0.0.3").status_code == 302


def test_the_lock_message_is_translated(db, clock):
    for _ in range(5):
        _login("siapa", "salah")
    client = Client()
    client.post("/bahasa/", {"language": "en", "next": "/akun/masuk/"})
    page = client.post("/akun/masuk/", {"username": "siapa", "password": "x"}, REMOTE_ADDR="10.0.0.1")
    assert page.status_code == 429 and "Too many failed logins" in page.content.decode()
