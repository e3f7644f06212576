"""A backup and restore round trip gives back identical data and files (issue 10, point 9)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django, json, sys
django.setup()
from django.core.management import call_command
from people.models import Person
from ops.backup import table_counts, media_hashes
from django.conf import settings
from pathlib import Path
step = sys.argv[1]
if step == "prepare":
    call_command("migrate", verbosity=0)
    from people.demo import load
    load(count=40)
    media = Path(settings.MEDIA_ROOT); (media / "bukti").mkdir(parents=True, exist_ok=True)
    (media / "bukti" / "sertifikat.pdf").write_bytes(b"%PDF-1.4 contoh")
elif step == "backup":
    call_command("backup", output=sys.argv[2])
elif step == "damage":
    Person.objects.filter(pk__in=list(Person.objects.values_list("pk", flat=True)[:10])).delete()
    (Path(settings.MEDIA_ROOT) / "bukti" / "sertifikat.pdf").write_bytes(b"rusak")
elif step == "restore":
    call_command("restore", sys.argv[2], yes=True)
print("STATE " + json.dumps({"tables": table_counts(), "media": media_hashes(Path(settings.MEDIA_ROOT)),
                             "names": sorted(Person.objects.values_list("full_name", "nip"))}))
"""


def _run(env, *args) -> dict:
    result = subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    line = [x for x in result.stdout.splitlines() if x.startswith("STATE ")][-1]
    return json.loads(line[6:])


def _env(tmp_path, database_url: str = "") -> dict:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DJANGO_SETTINGS_MODULE": "siaga.settings",
           "SIAGA_DATA_DIR": str(tmp_path / "data")}
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _round_trip(env, tmp_path):
    before = _run(env, "prepare")
    archive_dir = tmp_path / "backups"
    _run(env, "backup", str(archive_dir))
    damaged = _run(env, "damage")
    assert damaged != before
    archive = next(archive_dir.glob("siaga-backup-*.tar.gz"))
    after = _run(env, "restore", str(archive))
    assert after == before


def test_sqlite_round_trip_restores_identical_data_and_files(tmp_path):
    _round_trip(_env(tmp_path), tmp_path)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="runs in the PostgreSQL pass of .ci/run")
def test_postgresql_round_trip_restores_identical_data_and_files(tmp_path):
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"siaga_backup_{uuid.uuid4().hex[:8]}"
    admin = [sys.executable, "-c", "import psycopg,sys; c=psycopg.connect(sys.argv[1], autocommit=True);"
             "c.execute(sys.argv[2])"]
    subprocess.run([*admin, f"{base}/postgres", f"CREATE DATABASE {name}"], check=True)
    try:
        _round_trip(_env(tmp_path, f"{base}/{name}"), tmp_path)
    finally:
        subprocess.run([*admin, f"{base}/postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
