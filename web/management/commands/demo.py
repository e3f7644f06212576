"""``siaga demo [--people N]``: load the demo data set (idempotent; safe to run twice)."""

from __future__ import annotations

import random
import time
from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

#: Apps whose ``demo.load(...)`` runs, lowest layer first.
DEMO_APPS = ["people", "accounts", "imports", "curriculum", "training", "credentials", "hours", "certification", "readiness"]


class Command(BaseCommand):
    help = "Muat data demo: instansi, SDM Kesos, satu pengguna per peran, dan data contoh tiap modul."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=2000, help="jumlah SDM Kesos (default 2.000; sampai 1.000.000+)")
        parser.add_argument("--no-migrate", action="store_true", help="jangan jalankan migrate dulu")
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, people: int, no_migrate: bool, seed: int, **options):
        started = time.monotonic()
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        rng = random.Random(seed)
        # Notifications the demo's own actions trigger are kept in memory, not printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._load_apps(rng, people)
        from accounts.demo import DEMO_PASSWORD, DEMO_USERS

        self.stdout.write(self.style.SUCCESS(f"Data demo siap dalam {time.monotonic() - started:.0f} s."))
        self.stdout.write(f"Login demo (kata sandi semua akun: {DEMO_PASSWORD}):")
        for username, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<20} {role.label}")

    def _load_apps(self, rng: random.Random, people: int) -> None:
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            t0 = time.monotonic()
            kwargs = {"rng": rng, "stdout": self.stdout}
            if app == "people":
                kwargs["count"] = people
            module.load(**kwargs)
            self.stdout.write(f"demo {app}: {time.monotonic() - t0:.1f} s")
