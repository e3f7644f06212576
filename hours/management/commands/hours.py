"""``siaga hours verify [--year Y] [--fix]`` and ``siaga hours recompute [--year Y]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from hours import rules
from hours.services import totals_ensure_year
from hours.verify import find_differences, fix


class Command(BaseCommand):
    help = "Periksa atau hitung ulang total JP per orang per tahun dari buku JP."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="bandingkan total dengan buku JP; keluar dengan kode 1 bila beda")
        verify.add_argument("--year", type=int)
        verify.add_argument("--fix", action="store_true", help="perbaiki total yang berbeda")
        verify.add_argument("--show", type=int, default=20, help="jumlah perbedaan yang ditampilkan")
        recompute = sub.add_parser("recompute", help="hitung ulang semua total dari buku JP")
        recompute.add_argument("--year", type=int)

    def handle(self, *args, action: str, year: int | None = None, **options):
        if action == "recompute":
            year = year or rules.today_in("Asia/Jakarta").year
            created = totals_ensure_year(year=year)
            differences = list(find_differences(year=year))
            changed = fix(differences)
            self.stdout.write(f"recompute {year}: {created} total baru, {changed} total diperbaiki")
            return
        differences = list(find_differences(year=year))
        people = {(d.person_id, d.year) for d in differences}
        for d in differences[: options["show"]]:
            self.stdout.write(f"person={d.person_id} year={d.year} {d.field}: tersimpan={d.stored!r} "
                              f"seharusnya={d.expected!r}")
        if not differences:
            self.stdout.write(self.style.SUCCESS("verify: semua total sesuai dengan buku JP"))
            return
        self.stdout.write(f"verify: {len(differences)} perbedaan pada {len(people)} total")
        if options["fix"]:
            changed = fix(differences)
            self.stdout.write(self.style.SUCCESS(f"verify --fix: {changed} total diperbaiki"))
            return
        raise CommandError("total JP berbeda dengan buku JP; jalankan dengan --fix", returncode=1)
