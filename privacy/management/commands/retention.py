from django.core.management.base import BaseCommand, CommandError

from privacy.retention import RULES, retention_run


class _System:
    """The actor of the scheduled run (``siaga retention``): the system itself."""

    is_authenticated = True
    is_superuser = True
    pk = None

    def get_username(self) -> str:
        return "sistem (siaga retention)"


class Command(BaseCommand):
    help = ("Hapus atau anonimkan data yang masa simpannya sudah lewat (aturan di privacy/retention.py). "
            "Jalankan harian; --dry-run hanya menghitung.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="hitung saja, tidak mengubah apa pun")
        parser.add_argument("--rule", action="append", dest="rules", choices=[r.name for r in RULES],
                            help="jalankan aturan ini saja (boleh diulang)")

    def handle(self, *args, dry_run: bool, rules: list[str] | None, **options):
        try:
            report = retention_run(by=_System(), dry_run=dry_run, only=rules)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        verb = "akan dihapus/dianonimkan" if dry_run else "dihapus/dianonimkan"
        mode = " (uji, tidak ada yang diubah)" if dry_run else ""
        self.stdout.write(f"Retensi{mode} {report.at:%Y-%m-%d %H:%M} UTC")
        for result in report.results:
            rule = result.rule
            if result.skipped:
                count = "dilewati"
            else:
                count = str(result.count) + (f" (berkas: {result.files})" if result.files else "")
            self.stdout.write(f"  {rule.name:<18} {rule.period_text():>9}  {count:<18} {rule.title}")
        self.stdout.write(f"Jumlah {verb}: {report.total}")
        if report.audit is not None:
            self.stdout.write(f"Catatan audit #{report.audit.pk}")
