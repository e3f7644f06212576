"""``siaga hours verify [--year Y] [--fix]``, ``siaga hours recompute [--year Y]`` and
``siaga hours compact`` (move pending dashboard deltas into the rollups now)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from hours import cells, rules
from hours.services import totals_ensure_year
from hours.verify import find_differences, fix, years_checked


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
        sub.add_parser("compact", help="pindahkan delta dasbor yang tertunda ke rekap (rollup)")

    def handle(self, *args, action: str, year: int | None = None, **options):
        if action == "compact":
            moved = cells.compact()
            self.stdout.write(f"compact: {moved} delta dipindahkan ke rekap")
            return
        if action == "recompute":
            year = year or rules.today_in("Asia/Jakarta").year
            created = totals_ensure_year(year=year)
            differences = list(find_differences(year=year))
            changed = fix(differences)
            cells.rebuild_year(year)
            self.stdout.write(f"recompute {year}: {created} total baru, {changed} total diperbaiki")
            return
        differences = list(find_differences(year=year))
        people = {(d.person_id, d.year) for d in differences}
        for d in differences[: options["show"]]:
            self.stdout.write(f"person={d.person_id} year={d.year} {d.field}: tersimpan={d.stored!r} "
                              f"seharusnya={d.expected!r}")
        if options["fix"] and differences:
            changed = fix(differences)
            self.stdout.write(self.style.SUCCESS(f"verify --fix: {changed} total diperbaiki"))
        cell_diffs = {y: cells.differences(y) for y in years_checked(year)}
        bad_years = [y for y, found in cell_diffs.items() if found]
        for y in bad_years:
            for key, field, have, want in cell_diffs[y][: options["show"]]:
                self.stdout.write(f"cell={key} {field}: tersimpan={have!r} seharusnya={want!r}")
            if options["fix"]:
                cells.rebuild_year(y)
                self.stdout.write(self.style.SUCCESS(f"verify --fix: sel dan rekap dasbor {y} dibangun ulang"))
        if not differences and not bad_years:
            self.stdout.write(self.style.SUCCESS("verify: semua total sesuai dengan buku JP"))
            return
        self.stdout.write(f"verify: {len(differences)} perbedaan pada {len(people)} total; "
                          f"sel atau rekap dasbor berbeda pada tahun {bad_years or '-'}")
        if options["fix"]:
            return
        raise CommandError("total JP berbeda dengan buku JP; jalankan dengan --fix", returncode=1)
