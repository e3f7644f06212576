"""Health, readiness and metrics endpoints (issue 12, point 3)."""

import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_without_login(db):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_database_and_queue(db):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "task_queue": "ok"}


def test_readyz_reports_a_stopped_database_as_not_ready(tmp_path):
    """A database nobody listens on (port 9 on loopback) makes /readyz answer 503."""
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/readyz');"
        "print(r.status_code, r.json()['status'], r.json()['checks']['database'][:5])"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "siaga.settings", "SIAGA_DATA_DIR": str(tmp_path),
           "DATABASE_URL": "postgres://postgres@127.0.0.1:9/stopped?connect_timeout=2"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "503 not ready error", result.stdout + result.stderr


def test_metrics_are_scraped_with_requests_and_queue_depth(db):
    client = Client()
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert 'siaga_http_requests_total{method="GET",route="web:healthz",status="200"}' in body
    assert "siaga_http_request_seconds_bucket" in body
    assert "siaga_task_queue_oldest_ready_seconds" in body


def test_metrics_token_is_required_when_configured(db, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    client = Client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "SIAGA_PRODUCTION": "true",
        "SIAGA_SECRET_KEY": "x" * 30 + "production-secret-key-for-the-check-0123456789",
        "SIAGA_ALLOWED_HOSTS": "siaga.kemensos.go.id",
        "SIAGA_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "siaga.settings",
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_id_too_large_for_the_database_is_not_found(cast):
    client = Client()
    client.force_login(cast.user("organiser"))
    assert client.get("/sdm/99999999999999999999999/").status_code == 404
    response = client.get("/api/v1/people/99999999999999999999999")
    assert response.status_code in (404, 422)


def _client_address(settings, remote, forwarded=None):
    from django.test import RequestFactory

    from siaga.middleware import ForwardedForMiddleware

    seen = {}
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/healthz", **extra)
    ForwardedForMiddleware(lambda r: seen.setdefault("ip", r.META["REMOTE_ADDR"]))(request)
    return seen["ip"]


def test_client_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # nginx appended the address it saw; what the client sent before it is not believed.
    assert _client_address(settings, "127.0.0.1", "10.9.9.9, 203.0.113.7") == "203.0.113.7"
    assert _client_address(settings, "127.0.0.1", "203.0.113.7, 127.0.0.1") == "203.0.113.7"
    assert _client_address(settings, "127.0.0.1") == "127.0.0.1"
    # A request that did not come through the proxy keeps its own address whatever it claims.
    assert _client_address(settings, "198.51.100.4", "203.0.113.7") == "198.51.100.4"
    settings.TRUSTED_PROXIES = []
    assert _client_address(settings, "127.0.0.1", "203.0.113.7") == "127.0.0.1"


def test_a_deferred_task_is_not_late_before_it_may_run(db):
    import datetime as dt
    import re

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    def oldest_ready() -> float:
        body = Client().get("/metrics").content.decode()
        return float(re.search(r"^siaga_task_queue_oldest_ready_seconds (\S+)$", body, re.M).group(1))

    def row(**fields):
        return DBTaskResult.objects.create(status="READY", args_kwargs={"args": [], "kwargs": {}}, priority=0,
                                           task_path="hours.tasks.compact_rollups", queue_name="default",
                                           backend_name="default", **fields)

    now = timezone.now()
    deferred = row(run_after=now + dt.timedelta(seconds=30))
    DBTaskResult.objects.filter(pk=deferred.pk).update(enqueued_at=now - dt.timedelta(minutes=10))
    assert oldest_ready() == 0.0  # due only in 30 s: nobody is waiting for it yet
    DBTaskResult.objects.filter(pk=deferred.pk).update(run_after=now - dt.timedelta(seconds=60))
    assert 59 <= oldest_ready() < 120  # late since its run_after, not since it was queued
    waiting = row(run_after=get_date_max())
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=now - dt.timedelta(minutes=5))
    assert 299 <= oldest_ready() < 360
