"""Reference data: Kemendagri 2025 regions, functional positions and levels, agencies.

Sources are named in docs/reference-data.md; the files live in people/data/."""

from django.db import migrations


def forwards(apps, schema_editor):
    from people.reference import load_reference_data

    load_reference_data(apps)


def backwards(apps, schema_editor):
    from people.reference import unload_reference_data

    unload_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
