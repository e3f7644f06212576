"""Seed the qualification rules (editable afterwards by centre admins on /kualifikasi/aturan/).

Sources: UU 14/2019 tentang Pekerja Sosial, Pasal 28–29 (a Pekerja Sosial practises with an STR and a
SIPPS, both resting on a competency certificate from the uji kompetensi); PermenPANRB 33/2020 and
1/2024 (functional positions Pekerja Sosial and Penyuluh Sosial). The programme codes are the ones
Pusbangprof uses for its basic trainings; change them on the rules page if a programme is renamed."""

from django.db import migrations

SETS = [
    {
        "code": "pekerja-sosial-berpraktik",
        "name": "Pekerja Sosial boleh berpraktik",
        "source": "UU 14/2019 tentang Pekerja Sosial, Pasal 28–29",
        "description": "Pekerja Sosial yang berpraktik wajib memiliki sertifikat kompetensi, STR dan SIPPS "
                       "yang masih berlaku.",
        "position": "pekerja-sosial", "level": None,
        "met_label": "boleh berpraktik", "unmet_label": "belum boleh berpraktik", "order": 10,
        "requirements": [
            ("credential", "competency", "", "Sertifikat kompetensi berlaku"),
            ("credential", "str", "", "STR berlaku"),
            ("credential", "sipps", "", "SIPPS berlaku"),
        ],
    },
    {
        "code": "pekerja-sosial-ahli-pertama",
        "name": "Pelatihan wajib Pekerja Sosial Ahli Pertama",
        "source": "PermenPANRB 33/2020 (pengembangan kompetensi JF Pekerja Sosial)",
        "description": "Pekerja Sosial Ahli Pertama wajib lulus pelatihan dasar fungsional.",
        "position": "pekerja-sosial", "level": "ahli-pertama",
        "met_label": "pelatihan jenjang lengkap", "unmet_label": "pelatihan jenjang belum lengkap", "order": 20,
        "requirements": [
            ("programme", "", "dasar-pekerja-sosial", "Pelatihan Dasar Pekerja Sosial"),
        ],
    },
    {
        "code": "penyuluh-sosial-ahli-pertama",
        "name": "Pelatihan wajib Penyuluh Sosial Ahli Pertama",
        "source": "PermenPANRB 1/2024 (pengembangan kompetensi JF Penyuluh Sosial)",
        "description": "Penyuluh Sosial Ahli Pertama wajib lulus pelatihan dasar fungsional.",
        "position": "penyuluh-sosial", "level": "ahli-pertama",
        "met_label": "pelatihan jenjang lengkap", "unmet_label": "pelatihan jenjang belum lengkap", "order": 30,
        "requirements": [
            ("programme", "", "dasar-penyuluh-sosial", "Pelatihan Dasar Penyuluh Sosial"),
        ],
    },
]


def seed(apps, schema_editor):
    RequirementSet = apps.get_model("certification", "RequirementSet")
    Requirement = apps.get_model("certification", "Requirement")
    Position = apps.get_model("people", "Position")
    PositionLevel = apps.get_model("people", "PositionLevel")
    for spec in SETS:
        position = Position.objects.filter(code=spec["position"]).first()
        if position is None:
            continue
        level = PositionLevel.objects.filter(position=position, code=spec["level"]).first() if spec["level"] else None
        rule_set, created = RequirementSet.objects.get_or_create(code=spec["code"], defaults={
            "name": spec["name"], "source": spec["source"], "description": spec["description"],
            "position": position, "level": level, "met_label": spec["met_label"],
            "unmet_label": spec["unmet_label"], "order": spec["order"],
        })
        if not created:
            continue
        for order, (kind, credential_kind, code, label) in enumerate(spec["requirements"], start=1):
            Requirement.objects.create(requirement_set=rule_set, kind=kind, credential_kind=credential_kind,
                                       code=code, label=label, order=order * 10)


def unseed(apps, schema_editor):
    RequirementSet = apps.get_model("certification", "RequirementSet")
    RequirementSet.objects.filter(code__in=[spec["code"] for spec in SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_credentials_and_rules"),
        ("people", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
