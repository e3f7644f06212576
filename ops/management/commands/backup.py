from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ops.backup import backup


class Command(BaseCommand):
    help = "Cadangkan basis data dan berkas unggahan ke satu arsip .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.DATA_DIR) / "backups"),
                            help="folder tujuan (default: $SIAGA_DATA_DIR/backups)")

    def handle(self, *args, output: str, **options):
        path = backup(Path(output))
        self.stdout.write(str(path))
