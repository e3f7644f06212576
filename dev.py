#!/usr/bin/env python3
"""Set-up and everyday commands for a fresh Linux machine with only Python 3.11+.

    python3 dev.py demo   create .venv, install Siaga, load the demo data, serve http://127.0.0.1:8000
    python3 dev.py test   create .venv, install Siaga and its test tools, run the whole test suite

Anything after the command is passed on (to runserver for ``demo``, to pytest for ``test``).
Set DATABASE_URL to run either against PostgreSQL instead of SQLite."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
STAMP = VENV / ".siaga-installed"


def run(*args: str | Path, **kwargs) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Siaga needs Python 3.11 or newer.")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted)


def ensure_chromium() -> None:
    """Browser tests drive Debian's chromium (never a downloaded browser)."""
    if shutil.which("chromium"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit("Browser tests need Debian's chromium: run `sudo apt-get install -y chromium` once.")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "chromium", env=env)


def demo(extra: list[str]) -> None:
    ensure_venv()
    run(PY, "manage.py", "demo")
    address = extra[0] if extra else "127.0.0.1:8000"
    # Background tasks (certificate PDFs, large imports, recomputes) run in a worker beside the server.
    worker = subprocess.Popen([str(PY), "manage.py", "worker", "--interval", "1",
                               "--worker-id", "dev-demo"], cwd=ROOT)
    print(f"\nSiaga: http://{address}/  (Ctrl+C to stop)\n", flush=True)
    try:
        subprocess.run([str(PY), "manage.py", "runserver", address, "--noreload"], cwd=ROOT)
    except KeyboardInterrupt:
        pass
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test(extra: list[str]) -> None:
    ensure_venv()
    ensure_chromium()
    workers = os.environ.get("SIAGA_TEST_WORKERS", str(max(2, os.cpu_count() or 2)))
    # "load" keeps pytest-django's order on each worker (transactional tests last, after which the
    # database is empty until the next one restores it); "worksteal" would break that order.
    args = [PY, "-m", "pytest", "-n", workers, "--dist", "load", "-q", *extra]
    print("+", " ".join(map(str, args)), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT)
    sys.exit(result.returncode)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        sys.exit(__doc__)
    command, extra = sys.argv[1], sys.argv[2:]
    {"demo": demo, "test": test}[command](extra)


if __name__ == "__main__":
    main()
