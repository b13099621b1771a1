"""The 6-month follow-up is accepted only in a window around exit + 6 months. Each follow-up
gets its window (from the setting in force, 5 to 9 months by default); contacts recorded before
outside their window are flagged ``outside_window``: they stay visible but are not counted as
the ESF+ 6-month result. The ESF+ records stay as they are; the flag is read with them."""

from django.db import migrations, models
from django.db.models import F, Q

from tisserand.accompaniment.data_repairs import set_follow_up_windows


def set_windows_and_flag(apps, schema_editor):
    set_follow_up_windows(apps.get_model("accompaniment", "SixMonthFollowUp"))


class Migration(migrations.Migration):
    dependencies = [
        ("accompaniment", "0004_exit_contract_coherent"),
    ]

    operations = [
        migrations.AddField(
            model_name="sixmonthfollowup",
            name="window_opens_on",
            field=models.DateField(null=True, verbose_name="saisie possible à partir du"),
        ),
        migrations.AddField(
            model_name="sixmonthfollowup",
            name="window_closes_on",
            field=models.DateField(null=True, verbose_name="saisie possible jusqu'au"),
        ),
        migrations.AddField(
            model_name="sixmonthfollowup",
            name="outside_window",
            field=models.BooleanField(
                default=False, verbose_name="contact hors de la fenêtre du suivi"
            ),
        ),
        migrations.RunPython(set_windows_and_flag, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="sixmonthfollowup",
            name="window_opens_on",
            field=models.DateField(verbose_name="saisie possible à partir du"),
        ),
        migrations.AlterField(
            model_name="sixmonthfollowup",
            name="window_closes_on",
            field=models.DateField(verbose_name="saisie possible jusqu'au"),
        ),
        migrations.AddConstraint(
            model_name="sixmonthfollowup",
            constraint=models.CheckConstraint(
                condition=Q(window_opens_on__lte=F("due_on"), due_on__lte=F("window_closes_on")),
                name="follow_up_due_in_window",
            ),
        ),
        migrations.AddConstraint(
            model_name="sixmonthfollowup",
            constraint=models.CheckConstraint(
                condition=Q(contacted_on__isnull=True)
                | Q(outside_window=True)
                | Q(
                    contacted_on__gte=F("window_opens_on"),
                    contacted_on__lte=F("window_closes_on"),
                ),
                name="follow_up_contact_in_window",
            ),
        ),
    ]
