"""The programmes and the suggested actions per barrier theme, as initial data.

Both lists are configurable afterwards: this migration only creates the rows that are missing.
"""

from django.db import migrations

from tisserand.accompaniment.initial_data import create_missing


class Migration(migrations.Migration):
    dependencies = [("accompaniment", "0001_initial")]

    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
