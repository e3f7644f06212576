"""Two-factor sign-in (TOTP) for admin roles: enrolment, the code step of a login, replay, recovery
codes, turning it off, throttling, the SIAGA_REQUIRE_2FA setting and the Django admin."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from accounts import throttle, totp
from accounts.models import AuditLog, RecoveryCode, User
from accounts.roles import Role
from accounts.services_two_factor import two_factor_enable
from accounts.two_factor import PENDING_SECONDS, SETUP_KEY, VERIFIED_KEY
from siaga.testing import make_user

PASSWORD = "x-test-password"
T0 = 1_800_000_000.0


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """One clock for TOTP steps, the throttle and the pending login's age."""
    now = [T0]
    monkeypatch.setattr(totp, "_now", lambda: now[0])
    monkeypatch.setattr(throttle, "_now", lambda: now[0])
    monkeypatch.setattr("accounts.two_factor.time.time", lambda: now[0])
    return now


def _enrolled(role: str = Role.CENTRE_ADMIN, username: str = "admin-pusat", **extra) -> tuple[User, str]:
    user = make_user(role, username=username, **extra)
    secret = totp.new_secret()
    two_factor_enable(user=user, secret=secret, code=totp.code_at(secret, totp._now()))
    user.refresh_from_db()
    return user, secret


def _password(client: Client, username: str, ip: str = "10.0.0.1", next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/akun/masuk/", data, REMOTE_ADDR=ip)


def _code(client: Client, code: str, ip: str = "10.0.0.1"):
    return client.post("/akun/masuk/kode/", {"code": code}, REMOTE_ADDR=ip)


def _logged_in(client: Client) -> bool:
    return client.get("/akun/").status_code == 200


# --- enrolment -----------------------------------------------------------------------------------------

def test_an_admin_enrols_from_the_account_page_with_a_scanned_qr_and_a_code(db, clock):
    user = make_user(Role.AGENCY_ADMIN, username="admin-kemensos", agency="kemensos")
    client = Client()
    client.force_login(user)
    assert "Aktifkan verifikasi dua langkah" in client.get("/akun/").content.decode()
    page = client.get("/akun/2fa/aktifkan/")
    html = page.content.decode()
    qr = html.split('<figure class="qr">')[1].split("</figure>")[0]
    assert page.status_code == 200 and qr.startswith("<svg") and "style=" not in qr and "<script" not in qr
    secret = client.session[SETUP_KEY]
    assert totp.secret_for_display(secret) in html

    wrong = client.post("/akun/2fa/aktifkan/", {"code": "000000" if totp.code_at(secret, T0) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Kode salah" in wrong.content.decode()
    user.refresh_from_db()
    assert user.totp_enabled_at is None

    done = client.post("/akun/2fa/aktifkan/", {"code": totp.code_at(secret, T0)})
    html = done.content.decode()
    assert done.status_code == 200 and "Kode pemulihan" in html
    user.refresh_from_db()
    assert user.totp_enabled_at is not None
    assert secret not in user.totp_secret and totp.decrypt_secret(user.totp_secret, user_id=user.pk) == secret
    codes = [line.split("<code>")[1].split("</code>")[0] for line in html.split("<li>")[1:] if "<code>" in line]
    assert len(codes) == 10 and RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() == 10
    assert not RecoveryCode.objects.filter(digest__in=codes).exists()  # stored hashed only
    row = AuditLog.objects.get(action="2fa.enable")
    assert (row.actor, row.target_type, row.target_id) == (user, "accounts.user", str(user.pk))
    # The session that enrolled stays logged in.
    assert _logged_in(client)


def test_the_secret_is_bound_to_its_account():
    sealed = totp.encrypt_secret("JBSWY3DPEHPK3PXP", user_id=1)
    assert totp.decrypt_secret(sealed, user_id=1) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(Exception):  # noqa: B017 - AES-GCM refuses another account's secret
        totp.decrypt_secret(sealed, user_id=2)


def test_roles_that_are_not_admin_roles_are_not_offered_two_factor(db):
    client = Client()
    client.force_login(make_user(Role.PARTICIPANT, username="peserta-x"))
    assert "Verifikasi dua langkah" not in client.get("/akun/").content.decode()
    assert client.get("/akun/2fa/aktifkan/").status_code == 403


# --- the login's code step -----------------------------------------------------------------------------

def test_without_two_factor_the_password_alone_logs_in(db, clock):
    make_user(Role.CENTRE_ADMIN, username="admin-pusat")
    client = Client()
    assert _password(client, "admin-pusat")["Location"] == "/"
    assert _logged_in(client)


def test_with_two_factor_the_session_is_not_logged_in_until_the_code_is_right(db, clock):
    user, secret = _enrolled()
    clock[0] += 30
    client = Client()
    response = _password(client, "admin-pusat", next_url="/sdm/")
    assert response.status_code == 302 and response["Location"] == "/akun/masuk/kode/"
    assert not _logged_in(client)
    assert client.get("/api/v1/accounts/me").status_code == 401

    wrong = _code(client, "12345x")
    assert wrong.status_code == 200 and "Kode salah" in wrong.content.decode()
    assert not _logged_in(client)

    right = _code(client, totp.code_at(secret, clock[0]))
    assert right.status_code == 302 and right["Location"] == "/sdm/"
    assert _logged_in(client)
    assert client.get("/api/v1/accounts/me").json()["username"] == "admin-pusat"


def test_a_code_from_the_previous_step_is_accepted_for_clock_drift_but_not_older(db, clock):
    _user, secret = _enrolled()
    clock[0] += 300
    client = Client()
    _password(client, "admin-pusat")
    assert _code(client, totp.code_at(secret, clock[0] - 90)).status_code == 200
    assert _code(client, totp.code_at(secret, clock[0] - 30)).status_code == 302


def test_a_replayed_code_is_refused_in_the_same_time_step(db, clock):
    _user, secret = _enrolled()
    clock[0] += 30
    code = totp.code_at(secret, clock[0])
    first = Client()
    _password(first, "admin-pusat")
    assert _code(first, code).status_code == 302

    second = Client()
    _password(second, "admin-pusat")
    replay = _code(second, code)
    assert replay.status_code == 200 and "sudah dipakai" in replay.content.decode()
    assert not _logged_in(second)
    clock[0] += 30
    assert _code(second, totp.code_at(secret, clock[0])).status_code == 302


def test_the_enrolment_code_cannot_be_replayed_to_log_in(db, clock):
    _user, secret = _enrolled()
    client = Client()
    _password(client, "admin-pusat")
    assert _code(client, totp.code_at(secret, clock[0])).status_code == 200


def test_the_code_step_without_a_password_first_goes_back_to_the_login(db, clock):
    response = Client().post("/akun/masuk/kode/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == "/akun/masuk/"


def test_a_pending_login_expires_after_five_minutes(db, clock):
    _user, secret = _enrolled()
    client = Client()
    _password(client, "admin-pusat")
    clock[0] += PENDING_SECONDS + 1
    response = _code(client, totp.code_at(secret, clock[0]))
    assert response.status_code == 302 and response["Location"] == "/akun/masuk/"
    assert not _logged_in(client)


# --- recovery codes ------------------------------------------------------------------------------------

def test_a_recovery_code_logs_in_once(db, clock):
    user = make_user(Role.ORGANISER, username="penyelenggara")
    secret = totp.new_secret()
    codes = two_factor_enable(user=user, secret=secret, code=totp.code_at(secret, T0))
    client = Client()
    _password(client, "penyelenggara")
    response = _code(client, codes[0].upper().replace("-", " "))  # as typed from paper
    assert response.status_code == 302 and _logged_in(client)
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1
    row = AuditLog.objects.get(action="2fa.recovery_used")
    assert row.actor == user and row.after == {"recovery_codes_left": 9}

    again = Client()
    _password(again, "penyelenggara")
    assert _code(again, codes[0]).status_code == 200
    assert not _logged_in(again)
    assert _code(again, codes[1]).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(db, clock):
    user, secret = _enrolled()
    old = list(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    client = Client()
    client.force_login(user)
    session = client.session
    session[VERIFIED_KEY] = user.totp_enabled_at.isoformat()
    session.save()
    clock[0] += 30
    page = client.post("/akun/2fa/kode-pemulihan/", {"code": totp.code_at(secret, clock[0])})
    assert page.status_code == 200 and page.content.decode().count("<li><code>") == 10
    assert not RecoveryCode.objects.filter(digest__in=old).exists()
    assert AuditLog.objects.filter(action="2fa.recovery_regenerate", actor=user).count() == 1


# --- turning it off ------------------------------------------------------------------------------------

def _verified_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[VERIFIED_KEY] = user.totp_enabled_at.isoformat()
    session.save()
    return client


def test_disabling_needs_a_current_code(db, clock):
    user, secret = _enrolled()
    client = _verified_client(user)
    clock[0] += 30
    refused = client.post("/akun/2fa/matikan/", {"code": "999999" if totp.code_at(secret, clock[0]) != "999999"
                                                 else "888888"}, follow=True)
    assert "Kode salah" in refused.content.decode()
    user.refresh_from_db()
    assert user.totp_enabled_at is not None

    done = client.post("/akun/2fa/matikan/", {"code": totp.code_at(secret, clock[0])})
    assert done.status_code == 302 and done["Location"] == "/akun/"
    user.refresh_from_db()
    assert user.totp_enabled_at is None and user.totp_secret == ""
    assert not RecoveryCode.objects.filter(user=user).exists()
    row = AuditLog.objects.get(action="2fa.disable")
    assert row.actor == user and row.before == {"enabled": True} and row.after == {"enabled": False}
    # Logging in is back to the password alone.
    fresh = Client()
    assert _password(fresh, "admin-pusat")["Location"] == "/"


# --- throttling ----------------------------------------------------------------------------------------

def test_five_wrong_codes_lock_the_code_step_and_the_password_does_not_reset_it(db, clock):
    user, secret = _enrolled()
    clock[0] += 30
    client = Client()
    _password(client, "admin-pusat")
    wrong = "000000" if totp.code_at(secret, clock[0]) != "000000" else "111111"
    statuses = [_code(client, wrong).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert AuditLog.objects.filter(action="login.2fa_locked", target_id=str(user.pk)).count() == 1

    # A right code is refused while locked, also after typing the password again and from another address.
    other = Client()
    _password(other, "admin-pusat", ip="10.0.0.2")
    locked = _code(other, totp.code_at(secret, clock[0]), ip="10.0.0.2")
    assert locked.status_code == 429 and "Terlalu banyak kode yang salah" in locked.content.decode()
    assert not _logged_in(other)

    clock[0] += throttle.LOCK_SECONDS + 1
    _password(other, "admin-pusat", ip="10.0.0.2")
    assert _code(other, totp.code_at(secret, clock[0]), ip="10.0.0.2").status_code == 302


# --- policy: sessions, the required setting, the Django admin ------------------------------------------

def test_a_session_opened_before_two_factor_was_turned_on_is_logged_out(db, clock):
    user = make_user(Role.CENTRE_ADMIN, username="admin-pusat")
    old = Client()
    assert _password(old, "admin-pusat")["Location"] == "/"
    secret = totp.new_secret()
    two_factor_enable(user=user, secret=secret, code=totp.code_at(secret, clock[0]))
    response = old.get("/sdm/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/?next=")
    assert not _logged_in(old)


def test_required_two_factor_enrols_an_admin_at_the_next_login(db, clock, settings):
    settings.REQUIRE_TWO_FACTOR = True
    user = make_user(Role.AGENCY_ADMIN, username="admin-kemensos", agency="kemensos")
    already = Client()
    already.force_login(user)
    assert already.get("/sdm/").status_code == 302  # an old session is logged out

    client = Client()
    response = _password(client, "admin-kemensos")
    assert response.status_code == 302 and response["Location"] == "/akun/masuk/aktifkan-2fa/"
    assert not _logged_in(client)
    page = client.get("/akun/masuk/aktifkan-2fa/")
    assert page.status_code == 200 and "<svg" in page.content.decode() and "wajib" in page.content.decode()
    secret = client.session[SETUP_KEY]
    assert not _logged_in(client)
    done = client.post("/akun/masuk/aktifkan-2fa/", {"code": totp.code_at(secret, clock[0])})
    assert done.status_code == 200 and "Kode pemulihan" in done.content.decode()
    assert _logged_in(client)
    user.refresh_from_db()
    assert user.totp_enabled_at is not None
    # While required, it cannot be turned off.
    clock[0] += 30
    client.post("/akun/2fa/matikan/", {"code": totp.code_at(secret, clock[0])})
    user.refresh_from_db()
    assert user.totp_enabled_at is not None


def test_required_two_factor_leaves_non_admin_roles_alone(db, clock, settings):
    settings.REQUIRE_TWO_FACTOR = True
    make_user(Role.TRAINER, username="pengajar")
    client = Client()
    assert _password(client, "pengajar")["Location"] == "/"
    assert _logged_in(client)


def test_the_django_admin_login_goes_through_siagas_login_and_code(db, clock):
    superuser = User.objects.create_superuser(username="root", password=PASSWORD, email="root@example.test")
    secret = totp.new_secret()
    two_factor_enable(user=superuser, secret=secret, code=totp.code_at(secret, clock[0]))
    clock[0] += 30
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/?next=/admin/")
    assert client.post("/admin/login/", {"username": "root", "password": PASSWORD}).status_code == 302
    assert not _logged_in(client)

    unverified = Client()
    unverified.force_login(superuser)  # a session that skipped the code
    response = unverified.get("/admin/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]

    _password(client, "root", next_url="/admin/")
    assert _code(client, totp.code_at(secret, clock[0]))["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_logged_in_user_who_is_not_staff_gets_403_from_the_admin_login(db):
    client = Client()
    client.force_login(make_user(Role.ORGANISER, username="penyelenggara"))
    assert client.get("/admin/login/").status_code == 403
