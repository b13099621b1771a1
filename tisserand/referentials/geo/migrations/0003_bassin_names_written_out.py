"""Bassin names imported before they were written out (« VERSANT N-EST ROUB.TOURC. »)."""

from django.db import migrations

from tisserand.referentials.geo.text import bassin_display_name


def write_out(apps, schema_editor):
    BassinEmploi = apps.get_model("geo", "BassinEmploi")
    for bassin in BassinEmploi.objects.all():
        name = bassin_display_name(bassin.name)
        if name != bassin.name:
            BassinEmploi.objects.filter(pk=bassin.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_qpvimport_repaired_codes")]

    operations = [migrations.RunPython(write_out, migrations.RunPython.noop)]
