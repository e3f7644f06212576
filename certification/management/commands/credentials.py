"""``siaga credentials remind``: send the expiry reminders that are due (run it daily from cron or a
systemd timer; running it twice sends nothing twice). ``--enqueue`` hands it to the task worker instead."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from certification.tasks import send_expiry_reminders_task


class Command(BaseCommand):
    help = "Kredensial profesi: 'remind' mengirim pengingat masa berlaku (90, 60 dan 30 hari)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        remind = sub.add_parser("remind", help="kirim pengingat yang jatuh tempo")
        remind.add_argument("--enqueue", action="store_true", help="antrekan ke worker alih-alih menjalankan sekarang")

    def handle(self, *args, action=None, enqueue=False, **options):
        if action != "remind":
            raise CommandError("Pakai: siaga credentials remind [--enqueue]")
        if enqueue:
            result = send_expiry_reminders_task.enqueue()
            self.stdout.write(f"Diantrekan: {result.id}")
            return
        outcome = send_expiry_reminders_task.call()
        self.stdout.write(f"Pengingat: {outcome['sent']} terkirim dari {outcome['checked']} kredensial jatuh tempo.")
