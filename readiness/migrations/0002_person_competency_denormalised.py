"""The readiness table carries the person's regency, position, agency and active flag, kept by triggers.

Roster matching then reads qualification rows alone (no join with people), nearest regencies first
(docs/decisions/0007-roster-exact-walk.md). The copies are written only by the database:
- on insert into ``readiness_personcompetency`` (and when its ``person_id`` is written), from the person's row;
- after an update of a person's ``region_id``, ``position_id``, ``agency_id`` or ``is_active``, to all their rows.
PostgreSQL uses PL/pgSQL functions; SQLite plain triggers. Each has its reverse."""

import django.db.models.deletion
from django.db import migrations, models


POSTGRES_FORWARD = [
    """
    CREATE FUNCTION readiness_personcompetency_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT p.region_id, p.position_id, p.agency_id, p.is_active
          INTO NEW.person_region_id, NEW.person_position_id, NEW.person_agency_id, NEW.person_active
          FROM people_person p WHERE p.id = NEW.person_id;
        IF NOT FOUND THEN
            NEW.person_active := FALSE;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER readiness_personcompetency_fill
    BEFORE INSERT OR UPDATE OF person_id ON readiness_personcompetency
    FOR EACH ROW EXECUTE FUNCTION readiness_personcompetency_fill()
    """,
    """
    CREATE FUNCTION readiness_person_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE readiness_personcompetency
           SET person_region_id = NEW.region_id, person_position_id = NEW.position_id,
               person_agency_id = NEW.agency_id, person_active = NEW.is_active
         WHERE person_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER readiness_person_sync
    AFTER UPDATE OF region_id, position_id, agency_id, is_active ON people_person
    FOR EACH ROW
    WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id OR OLD.position_id IS DISTINCT FROM NEW.position_id
          OR OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION readiness_person_sync()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS readiness_person_sync ON people_person",
    "DROP FUNCTION IF EXISTS readiness_person_sync()",
    "DROP TRIGGER IF EXISTS readiness_personcompetency_fill ON readiness_personcompetency",
    "DROP FUNCTION IF EXISTS readiness_personcompetency_fill()",
]
_SQLITE_FILL = """
    BEGIN
        UPDATE readiness_personcompetency
           SET person_region_id = (SELECT region_id FROM people_person WHERE id = NEW.person_id),
               person_position_id = (SELECT position_id FROM people_person WHERE id = NEW.person_id),
               person_agency_id = (SELECT agency_id FROM people_person WHERE id = NEW.person_id),
               person_active = COALESCE((SELECT is_active FROM people_person WHERE id = NEW.person_id), 0)
         WHERE id = NEW.id;
    END
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER readiness_personcompetency_fill AFTER INSERT ON readiness_personcompetency" + _SQLITE_FILL,
    "CREATE TRIGGER readiness_personcompetency_refill AFTER UPDATE OF person_id ON readiness_personcompetency"
    + _SQLITE_FILL,
    """
    CREATE TRIGGER readiness_person_sync
    AFTER UPDATE OF region_id, position_id, agency_id, is_active ON people_person
    WHEN OLD.region_id IS NOT NEW.region_id OR OLD.position_id IS NOT NEW.position_id
         OR OLD.agency_id IS NOT NEW.agency_id OR OLD.is_active IS NOT NEW.is_active
    BEGIN
        UPDATE readiness_personcompetency
           SET person_region_id = NEW.region_id, person_position_id = NEW.position_id,
               person_agency_id = NEW.agency_id, person_active = NEW.is_active
         WHERE person_id = NEW.id;
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS readiness_person_sync",
    "DROP TRIGGER IF EXISTS readiness_personcompetency_refill",
    "DROP TRIGGER IF EXISTS readiness_personcompetency_fill",
]
#: Existing rows, copied once before the triggers take over.
BACKFILL = """
    UPDATE readiness_personcompetency
       SET person_region_id = p.region_id, person_position_id = p.position_id,
           person_agency_id = p.agency_id, person_active = p.is_active
      FROM people_person p
     WHERE p.id = readiness_personcompetency.person_id
"""


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"readiness triggers are written for PostgreSQL and SQLite, not {vendor}")
    for sql in statements[vendor]:
        schema_editor.execute(sql, params=None)


def forward(apps, schema_editor) -> None:
    schema_editor.execute(BACKFILL, params=None)  # UPDATE ... FROM: PostgreSQL, and SQLite >= 3.33
    _run(schema_editor, {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD})


def reverse(apps, schema_editor) -> None:
    _run(schema_editor, {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):

    dependencies = [
        ('curriculum', '0003_default_competency_framework'),
        ('people', '0003_position_history'),
        ('readiness', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='personcompetency',
            name='person_active',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name='personcompetency',
            name='person_agency',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.agency'),
        ),
        migrations.AddField(
            model_name='personcompetency',
            name='person_position',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.position'),
        ),
        migrations.AddField(
            model_name='personcompetency',
            name='person_region',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.region'),
        ),
        migrations.RunPython(forward, reverse),
        migrations.AddIndex(
            model_name='personcompetency',
            index=models.Index(condition=models.Q(('person_active', True)), fields=['competency', 'person_region', 'module_version', 'person', 'person_position', 'person_agency'], name='personcomp_walk'),
        ),
    ]
