"""Helpers of the kill -9 fault tests (issue 10, point 8; decision 0008): real processes on the test
database, one of them killed with SIGKILL at a named pause point (``ops.faults``).

Use from a transactional test (``transactional_db``): the processes must see committed rows, and the
test database is flushed after the test. Each step runs ``python -c SCRIPT step ...`` with the
production settings (database task queue) and prints its findings as a ``STATE {json}`` line.

- SQLite: the processes work on a file copy of the test database (SQLite's online backup of the
  in-memory test database: schema and seeded rows), under the test's own temporary folder.
- PostgreSQL: the processes use the test database itself."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]

#: The start of every step script: Django set up with the production settings.
PRELUDE = """
import json, sys
import django
django.setup()
from django.core.management import call_command

def state(**values):
    print("STATE " + json.dumps(values, default=str), flush=True)

def worker(worker_id):
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", "--worker-id", worker_id,
                 verbosity=0)

step = sys.argv[1]
"""


@dataclass
class LiveDatabase:
    env: dict
    folder: Path
    vendor: str


def live_database(tmp_path: Path) -> LiveDatabase:
    """The test database as another process sees it (see the module's docstring)."""
    from django.db import connection

    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "siaga.settings",
        "SIAGA_DATA_DIR": str(data),
        "SIAGA_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "SIAGA_CERTIFICATE_WORKERS": "1",
        "SIAGA_LOG_LEVEL": "WARNING",
    }
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(data / "siaga.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        s = connection.settings_dict
        auth = quote(s["USER"] or "", safe="")
        if s.get("PASSWORD"):
            auth += ":" + quote(s["PASSWORD"], safe="")
        host = s["HOST"] or "127.0.0.1"
        port = f":{s['PORT']}" if s.get("PORT") else ""
        options = {k: v for k, v in (s.get("OPTIONS") or {}).items() if isinstance(v, str)}  # e.g. sslmode
        query = f"?{urlencode(options)}" if options else ""
        env["DATABASE_URL"] = f"postgres://{auth}@{host}{port}/{quote(s['NAME'], safe='')}{query}"
    return LiveDatabase(env=env, folder=tmp_path, vendor=connection.vendor)


def _state(output: str) -> dict:
    lines = [line for line in output.splitlines() if line.startswith("STATE ")]
    return json.loads(lines[-1][6:]) if lines else {}


def run_step(db: LiveDatabase, script: str, *args: str, timeout: float = 120) -> dict:
    """Run one step to its end; returns what it printed with ``state(...)``."""
    result = subprocess.run([sys.executable, "-c", PRELUDE + script, *args], cwd=ROOT, env=db.env,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"step {args} failed:\n{result.stdout}\n{result.stderr}"
    return _state(result.stdout)


def kill_at(db: LiveDatabase, script: str, *args: str, point: str, timeout: float = 120) -> str:
    """Start a step with the pause ``point`` (``name`` or ``name@n``), wait until the process pauses
    there and kill it (and any process it started) with SIGKILL. Returns the pause marker's text."""
    marker = db.folder / f"paused-{uuid.uuid4().hex[:8]}"
    log = db.folder / f"{marker.name}.log"
    env = {**db.env, "SIAGA_FAULT_PAUSE": point, "SIAGA_FAULT_MARKER": str(marker)}
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-c", PRELUDE + script, *args], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not marker.exists():
            if process.poll() is not None:
                raise AssertionError(f"the process ended (code {process.returncode}) before reaching {point}:\n"
                                     + log.read_text())
            if time.monotonic() > deadline:
                raise AssertionError(f"the process did not reach {point} in {timeout} s:\n" + log.read_text())
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL, process.returncode
        return marker.read_text()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


__all__ = ["PRELUDE", "LiveDatabase", "kill_at", "live_database", "run_step"]
