"""A covering index for name search on PostgreSQL: the word index gives person ids, and the page
needs each match's is_active (filter) and sort_name (order). With ``(id) INCLUDE (is_active,
sort_name)`` PostgreSQL reads them with an index-only scan instead of one heap page per match
(decision 0010). Built CONCURRENTLY, so the upgrade does not block writes to the registry. SQLite has
no covering indexes: nothing is done there (its rows live in the id B-tree anyway)."""

from django.db import migrations

INDEX = "person_id_active_name"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
                              "ON people_person (id) INCLUDE (is_active, sort_name)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("people", "0004_person_anonymised"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
