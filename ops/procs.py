"""Real processes on this machine for the multi-process proof and the load benchmark: throwaway
PostgreSQL databases, gunicorn servers and ``siaga worker`` processes started from this checkout,
and HTTP clients that log in like a browser. Everything started here is stopped by ``Stack.stop``
(whole process groups: gunicorn's workers too), which the callers run in ``finally``."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


# --- PostgreSQL -------------------------------------------------------------------------------------

def server_url(database_url: str) -> str:
    """``postgres://user@host:port`` of a database URL (without the database name)."""
    return database_url.rsplit("/", 1)[0]


def admin_sql(database_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server_url(database_url) + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"


def create_database(database_url: str, name: str, *, template: str | None = None) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(name)
    admin_sql(database_url, f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return f"{server_url(database_url)}/{name}"


def drop_database(database_url: str, name: str) -> None:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(name)
    admin_sql(database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- processes --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(*, database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of every process of one deployment: this checkout's code, one database,
    one shared data folder (uploads and generated files), mail kept in memory."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SIAGA_", "PYTEST", "DJANGO"))}
    env.update({
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "siaga.settings",
        "DATABASE_URL": database_url,
        "SIAGA_DATA_DIR": str(data_dir),
        "SIAGA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SIAGA_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "SIAGA_LOG_LEVEL": "WARNING",
        "SIAGA_DB_CONN_MAX_AGE": "60",
        "SIAGA_CERTIFICATE_WORKERS": "1",
    })
    env.update(extra)
    return env


def run_python(env: dict, *args: str, timeout: float = 900) -> str:
    """Run ``python args`` in this checkout with ``env``; its stdout (fails loudly)."""
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout[-4000:]}\n"
                           f"{result.stderr[-8000:]}")
    return result.stdout


@dataclass
class Stack:
    """The processes of one deployment; ``stop`` ends all of them (always call it)."""

    env: dict
    logs: Path
    procs: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)

    def _spawn(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        self.logs.mkdir(parents=True, exist_ok=True)
        out = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # its own process group, ended as a whole
        out.close()
        self.procs.append((name, proc))
        return proc

    def start_web(self, *, workers: int = 2, threads: int = 2, timeout: int = 120) -> int:
        """One gunicorn application server with ``deploy/gunicorn.conf.py``; waits for /healthz."""
        port = free_port()
        env = self.env | {"SIAGA_BIND": f"127.0.0.1:{port}", "SIAGA_WEB_WORKERS": str(workers),
                          "SIAGA_WEB_THREADS": str(threads)}
        metrics_dir = self.logs / f"metrics-{port}"
        metrics_dir.mkdir(parents=True, exist_ok=True)
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        self._spawn(f"web-{port}", [sys.executable, "-m", "gunicorn", "siaga.wsgi", "-c", str(GUNICORN_CONF),
                                    "--timeout", str(timeout), "--access-logfile", "/dev/null",
                                    "--backlog", "2048"], env)
        self.ports.append(port)
        return port

    def start_worker(self, name: str) -> subprocess.Popen:
        """``siaga worker`` (django-tasks' db_worker) with a fixed worker id."""
        return self._spawn(f"worker-{name}", [sys.executable, "-m", "siaga.cli", "worker", "--interval", "0.2",
                                              "--worker-id", name, "--no-startup-delay", "--no-reload"], self.env)

    def wait_ready(self, timeout: float = 180) -> None:
        import requests

        deadline = time.monotonic() + timeout
        for port in self.ports:
            while True:
                self.check_alive()
                try:
                    if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server on {port} did not start:\n{self.tail()}")
                time.sleep(0.2)

    def check_alive(self) -> None:
        dead = [(name, p.returncode) for name, p in self.procs if p.poll() is not None]
        if dead:
            raise RuntimeError(f"processes ended early: {dead}\n{self.tail()}")

    def tail(self, chars: int = 3000) -> str:
        parts = []
        for name, _proc in self.procs:
            path = self.logs / f"{name}.log"
            if path.exists():
                parts.append(f"--- {name}\n{path.read_text(errors='replace')[-chars:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        """SIGTERM each process group, then SIGKILL whatever is left after a grace period."""
        for _name, proc in self.procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _name, proc in self.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # the group: gunicorn workers or render children left over
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        self.procs.clear()


# --- HTTP clients -----------------------------------------------------------------------------------

class Client:
    """A browser-like client (session cookie and CSRF token) or an API client (bearer token)."""

    def __init__(self, base: str, *, token: str | None = None):
        import requests

        self.base = base.rstrip("/")
        self.http = requests.Session()
        # One connection per request, as nginx talks to its upstreams (HTTP/1.0 by default): no race
        # between a reused keep-alive connection and the server closing it.
        self.http.headers["Connection"] = "close"
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def login(self, username: str, password: str) -> None:
        page = self.http.get(f"{self.base}/akun/masuk/", timeout=30)
        page.raise_for_status()
        response = self.http.post(f"{self.base}/akun/masuk/", timeout=60, allow_redirects=False, data={
            "username": username, "password": password, "csrfmiddlewaretoken": self.http.cookies["csrftoken"]},
            headers={"Referer": f"{self.base}/akun/masuk/"})
        if response.status_code != 302 or "/akun/masuk" in response.headers.get("Location", ""):
            raise RuntimeError(f"login of {username} failed: {response.status_code}")

    def get(self, path: str, **kwargs):
        return self.http.get(self.base + path, timeout=kwargs.pop("timeout", 120), allow_redirects=False, **kwargs)

    def post(self, path: str, **kwargs):
        headers = kwargs.pop("headers", {})
        if "csrftoken" in self.http.cookies:
            headers = {"X-CSRFToken": self.http.cookies["csrftoken"], "Referer": self.base + path, **headers}
        return self.http.post(self.base + path, timeout=kwargs.pop("timeout", 120), allow_redirects=False,
                              headers=headers, **kwargs)


class Flow:
    """Requests that keep flowing while something else happens: ``threads`` threads, each going round
    its share of ``plan`` (a list of (client, path)) until ``stop``. Every outcome is kept:
    (path, status, seconds); status 0 is a connection error or time-out."""

    def __init__(self, plan: list[tuple[Client, str]], *, threads: int = 2):
        import threading

        self.plan = plan
        self.results: list[tuple[str, int, float]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i, threads), daemon=True) for i in range(threads)]

    def _run(self, offset: int, step: int) -> None:
        import requests

        index = offset
        while not self._stop.is_set():
            client, path = self.plan[index % len(self.plan)]
            index += step
            started = time.perf_counter()
            try:
                response = client.get(path, timeout=60)
                status = response.status_code
            except requests.RequestException:
                status = 0
            with self._lock:
                self.results.append((path, status, time.perf_counter() - started))

    def start(self) -> Flow:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> list[tuple[str, int, float]]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=90)
        return list(self.results)

    def failures(self) -> list[tuple[str, int, float]]:
        return [r for r in self.results if not 200 <= r[1] < 400]
