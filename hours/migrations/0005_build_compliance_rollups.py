"""Build the rollups of every year from the existing cells (decision 0013)."""

from django.db import migrations
from django.db.models import Sum

COUNTERS = ["people", "compliant", "approved_minutes", "pending_minutes", "b0", "b1", "b2", "b3", "b4", "b5"]
COLUMNS = {"agency": "agency_key", "province": "province_key", "position": "position_key", "level": "level_key",
           "employment_type": "employment_type"}


def build(apps, schema_editor):
    Cell = apps.get_model("hours", "ComplianceCell")
    Rollup = apps.get_model("hours", "ComplianceRollup")
    rows = []
    for dimension, column in COLUMNS.items():
        for r in (Cell.objects.values("year", column).annotate(**{f"n_{c}": Sum(c) for c in COUNTERS})
                  .order_by()):
            key = "" if r[column] in (None, 0, "") else str(r[column])
            rows.append(Rollup(year=r["year"], dimension=dimension, key=key,
                               **{c: r[f"n_{c}"] or 0 for c in COUNTERS}))
    Rollup.objects.bulk_create(rows, batch_size=2000)


def unbuild(apps, schema_editor):
    apps.get_model("hours", "ComplianceRollup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("hours", "0004_compliance_rollups_and_deltas")]

    operations = [migrations.RunPython(build, unbuild)]
