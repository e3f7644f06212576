"""The default competency framework of the centre (areas and competencies).

Taken from the services the ministry deploys in disaster response (displacement and protection
cluster: LDP, dapur umum, shelter, kaji cepat, data korban, protection of vulnerable groups) and the
centre's other training lines. Centre admins edit it afterwards through the competency pages; the data
is frozen here so this migration always does the same thing."""

from django.db import migrations

AREAS = [
    ("tanggap-bencana", "Tanggap darurat bencana", 10, [
        ("ldp", "Layanan dukungan psikososial (LDP)",
         "Memberikan dukungan psikososial awal kepada penyintas bencana dan memimpin tim LDP."),
        ("dapur-umum", "Pengelolaan dapur umum",
         "Mendirikan dan menjalankan dapur umum: logistik bahan, kebersihan, distribusi makanan."),
        ("shelter", "Pengelolaan shelter (hunian sementara)",
         "Menata dan mengelola tempat pengungsian yang aman dan layak."),
        ("kaji-cepat", "Kaji cepat (rapid assessment)",
         "Melakukan kaji cepat kebutuhan dan kerusakan dalam 72 jam pertama."),
        ("data-korban", "Pendataan korban bencana",
         "Mengumpulkan, memverifikasi dan melaporkan data korban dan pengungsi."),
        ("perlindungan-rentan", "Perlindungan kelompok rentan",
         "Melindungi anak, ibu hamil, lanjut usia dan penyandang disabilitas di pengungsian."),
    ]),
    ("pengawasan-bansos", "Pengawasan bantuan sosial", 20, [
        ("verifikasi-penerima", "Verifikasi dan validasi penerima bantuan",
         "Memeriksa ketepatan sasaran penerima bantuan sosial."),
        ("pengaduan-bansos", "Penanganan pengaduan bantuan sosial",
         "Menerima, menelusuri dan menindaklanjuti pengaduan masyarakat."),
    ]),
    ("manajemen-kasus", "Manajemen kasus", 30, [
        ("asesmen-kasus", "Asesmen dan rencana intervensi",
         "Menilai kebutuhan klien dan menyusun rencana intervensi."),
        ("rujukan-layanan", "Rujukan dan koordinasi layanan",
         "Merujuk klien dan mengoordinasikan layanan lintas lembaga."),
    ]),
    ("dasar-jabatan-fungsional", "Dasar jabatan fungsional", 40, [
        ("dasar-jf-peksos", "Dasar jabatan fungsional Pekerja Sosial",
         "Tugas, jenjang dan angka kredit Jabatan Fungsional Pekerja Sosial."),
        ("dasar-jf-penyuluh", "Dasar jabatan fungsional Penyuluh Sosial",
         "Tugas, jenjang dan angka kredit Jabatan Fungsional Penyuluh Sosial."),
        ("etika-profesi", "Nilai dan etika profesi pekerjaan sosial",
         "Menerapkan kode etik pekerjaan sosial dalam praktik."),
    ]),
]


def forwards(apps, schema_editor):
    Area = apps.get_model("curriculum", "CompetencyArea")
    Competency = apps.get_model("curriculum", "Competency")
    for code, name, order, competencies in AREAS:
        area, _ = Area.objects.get_or_create(code=code, defaults={"name": name, "order": order})
        for c_code, c_name, description in competencies:
            Competency.objects.get_or_create(code=c_code, defaults={"area": area, "name": c_name,
                                                                    "description": description})


def backwards(apps, schema_editor):
    Area = apps.get_model("curriculum", "CompetencyArea")
    Competency = apps.get_model("curriculum", "Competency")
    codes = [c[0] for _code, _name, _order, items in AREAS for c in items]
    Competency.objects.filter(code__in=codes, modules__isnull=True).delete()
    Area.objects.filter(code__in=[a[0] for a in AREAS], competencies__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0002_reviews_members_materials")]

    operations = [migrations.RunPython(forwards, backwards)]
