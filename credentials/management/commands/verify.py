"""``siaga verify "<QR text>" [--keys FILE]``: check a certificate's QR code offline.

With ``--keys`` only the exported public-key file is used (no database, no network); without it the
keys in this installation's database. Exit status: 0 valid, 1 tampered, 2 unknown key, 3 unreadable."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from credentials import signing

EXIT = {signing.Verdict.VALID: 0, signing.Verdict.TAMPERED: 1, signing.Verdict.UNKNOWN_KEY: 2,
        signing.Verdict.MALFORMED: 3}
LABEL = {
    signing.Verdict.VALID: "SAH: tanda tangan cocok (valid)",
    signing.Verdict.TAMPERED: "DIUBAH: tanda tangan tidak cocok dengan isinya (tampered)",
    signing.Verdict.UNKNOWN_KEY: "KUNCI TIDAK DIKENAL: bukan kunci penerbit yang diketahui (unknown key)",
    signing.Verdict.MALFORMED: "TIDAK TERBACA: bukan teks QR sertifikat Siaga (malformed)",
}


class Command(BaseCommand):
    help = "Periksa keaslian teks QR sertifikat secara luring dengan kunci publik."

    def add_arguments(self, parser):
        parser.add_argument("text", help="teks hasil pindai kode QR (seluruh URL)")
        parser.add_argument("--keys", help="berkas kunci publik (siaga certificates export-keys)")

    def handle(self, *args, text: str, keys: str | None = None, **options):
        public_keys = signing.public_keys_from_file(keys) if keys else signing.database_public_keys()
        check = signing.verify_qr_text(text, public_keys)
        self.stdout.write(LABEL[check.verdict])
        if check.claims:
            self.stdout.write(f"  kode      {check.code}   kunci {check.key_id}")
            for field, label in [("serial", "nomor"), ("name", "nama"), ("identity", "NIP/NIK"),
                                 ("programme", "program"), ("jp", "JP"), ("end_date", "selesai")]:
                self.stdout.write(f"  {label:<9} {check.claims[field]}")
        if check.verdict != signing.Verdict.VALID:
            sys.exit(EXIT[check.verdict])
