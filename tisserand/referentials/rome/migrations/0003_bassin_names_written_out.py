"""Bassin names of the tension rows imported before they were written out."""

from django.db import migrations

from tisserand.referentials.geo.text import bassin_display_name


def write_out(apps, schema_editor):
    BassinTension = apps.get_model("rome", "BassinTension")
    names = BassinTension.objects.exclude(bassin_name="").values_list("bassin_name", flat=True)
    for name in set(names):
        written_out = bassin_display_name(name)
        if written_out != name:
            BassinTension.objects.filter(bassin_name=name).update(bassin_name=written_out)


class Migration(migrations.Migration):
    dependencies = [("rome", "0002_fiche_skill_coeur_metier")]

    operations = [migrations.RunPython(write_out, migrations.RunPython.noop)]
