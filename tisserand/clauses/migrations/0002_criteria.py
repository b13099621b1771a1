"""The editable list of eligibility criteria, as the facilitators start it."""

from django.db import migrations

from tisserand.clauses.initial_data import create_missing

class Migration(migrations.Migration):
    dependencies = [("clauses", "0001_initial")]
    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
