from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import restore


class Command(BaseCommand):
    help = "Pulihkan basis data dan berkas unggahan dari arsip buatan `siaga backup` (menimpa data sekarang)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="jangan bertanya dulu")

    def handle(self, *args, archive: str, yes: bool, **options):
        if not yes:
            answer = input("Semua data sekarang akan ditimpa. Ketik 'ya' untuk lanjut: ")
            if answer.strip().lower() != "ya":
                raise CommandError("dibatalkan")
        manifest = restore(Path(archive))
        total = sum(manifest["tables"].values())
        self.stdout.write(f"dipulihkan: {total} baris, {len(manifest['media'])} berkas ({manifest['created']})")
