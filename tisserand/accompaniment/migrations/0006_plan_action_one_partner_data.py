from django.db import migrations

from tisserand.accompaniment.data_repairs import give_each_action_one_partner


def one_partner_each(apps, schema_editor):
    give_each_action_one_partner(apps.get_model("accompaniment", "PlanAction"))


class Migration(migrations.Migration):

    dependencies = [
        ("accompaniment", "0005_follow_up_window"),
    ]

    operations = [
        migrations.RunPython(one_partner_each, migrations.RunPython.noop),
    ]
