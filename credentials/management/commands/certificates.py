"""``siaga certificates keygen | rotate | list-keys | export-keys FILE | render [--missing]``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from credentials.badge import key_document
from credentials.models import Certificate, SigningKey
from credentials.services import signing_key_generate


class _System:
    is_authenticated = True
    is_superuser = True
    role = "centre_admin"
    pk = None

    def get_username(self) -> str:
        return "perintah:certificates"


class Command(BaseCommand):
    help = "Kunci tanda tangan sertifikat (Ed25519) dan pencetakan ulang PDF."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        keygen = sub.add_parser("keygen", help="buat kunci bila belum ada kunci aktif")
        keygen.add_argument("--force", action="store_true", help="buat kunci baru walau sudah ada (= rotate)")
        sub.add_parser("rotate", help="buat kunci baru dan jadikan aktif; kunci lama tetap memverifikasi")
        sub.add_parser("list-keys", help="tampilkan semua kunci")
        export = sub.add_parser("export-keys", help="tulis kunci publik ke berkas JSON untuk pemeriksa luar")
        export.add_argument("path")
        render = sub.add_parser("render", help="cetak ulang PDF sertifikat")
        render.add_argument("--missing", action="store_true", help="hanya yang belum punya PDF")

    def handle(self, *args, action: str, **options):
        if action == "keygen":
            active = SigningKey.objects.filter(is_active=True).first()
            if active and not options["force"]:
                self.stdout.write(f"Kunci aktif sudah ada: {active.key_id}")
                return
            action = "rotate"
        if action == "rotate":
            key = signing_key_generate(by=_System())
            self.stdout.write(self.style.SUCCESS(f"Kunci baru aktif: {key.key_id} ({key.public_key})"))
        elif action == "list-keys":
            for key in SigningKey.objects.order_by("created_at"):
                state = "aktif" if key.is_active else "verifikasi saja"
                self.stdout.write(f"{key.key_id}  {key.public_key}  {state}  {key.created_at:%Y-%m-%d}")
        elif action == "export-keys":
            document = key_document()
            if not document["keys"]:
                raise CommandError("Belum ada kunci; jalankan dulu: siaga certificates keygen")
            with open(options["path"], "w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, indent=2)
            self.stdout.write(self.style.SUCCESS(f"{len(document['keys'])} kunci publik ditulis ke {options['path']}"))
        elif action == "render":
            from credentials.bulk import heap_frozen, render_and_store

            qs = Certificate.objects.order_by("event_id", "sequence")
            if options["missing"]:
                qs = qs.filter(pdf="")
            ids = list(qs.values_list("pk", flat=True))
            count = 0
            with heap_frozen():
                for start in range(0, len(ids), 5000):
                    count += render_and_store(list(qs.filter(pk__in=ids[start:start + 5000])))
            self.stdout.write(self.style.SUCCESS(f"{count} PDF dicetak."))
