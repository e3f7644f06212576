"""Seed the JP rules (minimum per employment type, conversion shares) for 2020–2027,
with their legal sources; rows marked ``needs_check`` must be confirmed against the official text."""

from django.db import migrations

from hours.rules import SEED_REQUIREMENTS, SEED_SHARES, SEED_YEARS, SOURCE_SHARES

CLASSROOM_SOURCE = "PerLAN 10/2018: pelatihan klasikal dihitung penuh sesuai JP kurikulum."


def seed(apps, schema_editor):
    JPRequirement = apps.get_model("hours", "JPRequirement")
    ConversionShare = apps.get_model("hours", "ConversionShare")
    for year in SEED_YEARS:
        for employment_type, minimum_jp, source, check in SEED_REQUIREMENTS:
            JPRequirement.objects.get_or_create(
                year=year, employment_type=employment_type,
                defaults={"minimum_minutes": minimum_jp * 45, "legal_source": source, "needs_check": check},
            )
        for entry_type, percent, check in SEED_SHARES:
            ConversionShare.objects.get_or_create(
                year=year, entry_type=str(entry_type),
                defaults={"percent": percent, "needs_check": check,
                          "legal_source": CLASSROOM_SOURCE if entry_type == "classroom" else SOURCE_SHARES},
            )


def unseed(apps, schema_editor):
    apps.get_model("hours", "JPRequirement").objects.filter(year__in=list(SEED_YEARS)).delete()
    apps.get_model("hours", "ConversionShare").objects.filter(year__in=list(SEED_YEARS)).delete()


class Migration(migrations.Migration):
    dependencies = [("hours", "0001_ledger_totals_rules_cells")]
    operations = [migrations.RunPython(seed, unseed)]
