"""On PostgreSQL only: a trigram index (pg_trgm, GIN) on the offers' folded search text, which
answers the keyword search's ``search_text LIKE '%word%'``. SQLite keeps scanning the rows (its
LIKE has no such index); the results are the same on both."""

from django.db import migrations

INDEX = "opp_offer_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON opportunities_joboffer "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
