"""Files on S3-compatible object storage (issue 12, point 1): a real S3 server (moto's, on
127.0.0.1, in a thread) behind django-storages. Evidence, certificate PDFs, imports and backups go
through the storage API; protected files are delivered only after the access check."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import tarfile
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from credentials.tests.factories import make_certificate
from hours.tests.factories import PNG, make_entry
from imports.tests import samples
from people.models import Person

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
KEYS = {"aws_access_key_id": "siaga-test", "aws_secret_access_key": "siaga-test-secret", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh bucket, and Siaga's default storage pointed at it (as settings.py does for SIAGA_S3_*)."""
    name = f"siaga-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, **KEYS)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": name, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
        "access_key": KEYS["aws_access_key_id"], "secret_key": KEYS["aws_secret_access_key"],
        "location": "media", "addressing_style": "path", "signature_version": "s3v4", "default_acl": None,
        "querystring_auth": True, "querystring_expire": 60, "file_overwrite": False}}}
    settings.FILE_DELIVERY = "stream"

    def names() -> set[str]:
        return {item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])}

    def read(key: str) -> bytes:
        return client.get_object(Bucket=name, Key=key)["Body"].read()

    return type("Bucket", (), {"name": name, "client": client, "names": staticmethod(names),
                               "read": staticmethod(read)})


def _not_on_disk(name: str) -> bool:
    return not (Path(django_settings.MEDIA_ROOT) / name).exists()


def test_evidence_is_stored_in_the_bucket_and_served_only_after_the_access_check(bucket, client, cast):
    entry = make_entry(person=cast.person_a)
    key = f"media/{entry.evidence.name}"
    assert key in bucket.names() and bucket.read(key) == PNG
    assert _not_on_disk(entry.evidence.name)
    client.force_login(cast.participant)
    response = client.get(reverse("hours:evidence", args=[entry.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(cast.other_agency_admin)
    assert client.get(reverse("hours:evidence", args=[entry.pk])).status_code == 404


def test_the_certificate_pdf_is_rendered_into_the_bucket_and_downloaded(bucket, client, cast,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cert = make_certificate(person=cast.person_a)
    cert.refresh_from_db()
    key = f"media/{cert.pdf.name}"
    assert key in bucket.names() and bucket.read(key).startswith(b"%PDF-")
    assert _not_on_disk(cert.pdf.name)
    client.force_login(cast.participant)
    page = client.get(reverse("credentials:pdf", args=[cert.pk]))
    assert page.status_code == 200 and b"".join(page.streaming_content) == bucket.read(key)
    assert page["Content-Disposition"] == f'attachment; filename="sertifikat-{cert.code}.pdf"'
    api = client.get(f"/api/v1/certificates/{cert.pk}/pdf")
    assert api.status_code == 200 and b"".join(api.streaming_content) == bucket.read(key)
    client.force_login(cast.other_agency_admin)
    assert client.get(reverse("credentials:pdf", args=[cert.pk])).status_code == 404


def test_redirect_delivery_answers_a_short_lived_presigned_url_after_the_check(bucket, client, cast, settings,
                                                                             django_capture_on_commit_callbacks):
    settings.FILE_DELIVERY = "redirect"
    with django_capture_on_commit_callbacks(execute=True):
        cert = make_certificate(person=cast.person_a)
    client.force_login(cast.other_agency_admin)
    assert client.get(reverse("credentials:pdf", args=[cert.pk])).status_code == 404
    client.force_login(cast.participant)
    response = client.get(reverse("credentials:pdf", args=[cert.pk]))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    url = response["Location"]
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - the local S3 server
        body = answer.read()
        assert answer.headers["Content-Type"] == "application/pdf"
        assert answer.headers["Content-Disposition"] == f'attachment; filename="sertifikat-{cert.code}.pdf"'
    cert.refresh_from_db()
    assert body == bucket.read(f"media/{cert.pdf.name}")


def test_an_import_reads_its_upload_and_keeps_its_preview_in_the_bucket(bucket, client, cast):
    client.force_login(cast.agency_admin)
    data = samples.csv_bytes(samples.rows_basic(), delimiter="\t")
    response = client.post("/api/v1/imports/people", {"file": samples.upload("a.csv", data)})
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["status"] == "checked" and run["rows_new"] == 2
    stages = {k for k in bucket.names() if k.endswith(".stage.jsonl")}
    assert len(stages) == 1 and bucket.read(stages.pop()).count(b"\n") == 2
    commit = client.post(f"/api/v1/imports/{run['id']}/commit", data={"mode": "valid_only"},
                         content_type="application/json")
    assert commit.status_code == 200 and commit.json()["created"] == 2
    assert Person.objects.count() == 2
    assert not {k for k in bucket.names() if k.endswith(".stage.jsonl")}  # removed once written
    assert any(k.endswith(".csv") and bucket.read(k) == data for k in bucket.names())


def test_a_backup_archives_the_bucket_and_a_restore_puts_the_same_files_back(bucket, cast, tmp_path):
    from django.core.files.storage import default_storage

    from ops.backup import _archive_media, _restore_media, stored_hashes

    make_entry(person=cast.person_a)
    make_entry(person=cast.person_b)
    before = stored_hashes(default_storage)
    assert len(before) == 2
    archive_path = tmp_path / "media.tar"
    with tarfile.open(archive_path, "w") as archive:
        _archive_media(archive, default_storage)
    name = next(iter(before))
    default_storage.delete(name)
    default_storage.save("hours/stray.png", io.BytesIO(b"stray"))
    with tarfile.open(archive_path) as archive:
        archive.extractall(tmp_path / "out", filter="data")
    _restore_media(tmp_path / "out" / "media", default_storage)
    assert stored_hashes(default_storage) == before


def test_the_settings_choose_object_storage_from_the_environment_with_secrets_from_files(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("from-a-file\n")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DJANGO_SETTINGS_MODULE": "siaga.settings",
           "SIAGA_DATA_DIR": str(tmp_path / "data"), "SIAGA_S3_BUCKET": "siaga-berkas",
           "SIAGA_S3_ENDPOINT_URL": "https://s3.kemensos.go.id", "SIAGA_S3_ACCESS_KEY_ID": "siaga",
           "SIAGA_S3_SECRET_ACCESS_KEY_FILE": str(secret), "SIAGA_S3_PREFIX": "/media/",
           "SIAGA_FILE_DELIVERY": "redirect"}
    script = ("import django, json; django.setup(); from django.conf import settings as s; "
              "from django.core.files.storage import storages; d = storages['default']; "
              "print(json.dumps([s.STORAGES['default'], s.FILE_DELIVERY, type(d).__name__, "
              "getattr(d, 'bucket_name', ''), getattr(d, 'location', '')]))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=True)
    storage, delivery, backend, bucket_name, location = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage" and backend == "S3Storage"
    assert storage["OPTIONS"]["secret_key"] == "from-a-file" and storage["OPTIONS"]["access_key"] == "siaga"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.kemensos.go.id"
    assert (bucket_name, location, delivery) == ("siaga-berkas", "media", "redirect")
    env.pop("SIAGA_S3_BUCKET")
    plain = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=60, check=True)
    storage, delivery, backend, _, location = json.loads(plain.stdout)
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"} and backend == "FileSystemStorage"
    assert location == str(tmp_path / "data" / "media")
