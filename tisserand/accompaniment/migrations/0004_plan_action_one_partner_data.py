from django.db import migrations, models
from django.db.models import F, Q
from django.db.models.functions import Concat, Left


def one_partner_each(apps, schema_editor):
    """Before the constraint: an action with no partner is carried by the accompanying
    structure; an action with both keeps its network partner and the other one's name moves
    into its label (nothing is lost)."""
    PlanAction = apps.get_model("accompaniment", "PlanAction")
    for action in PlanAction.objects.filter(partner_structure__isnull=True, partner_name=""):
        action.partner_structure_id = action.objective.accompaniment.structure_id
        action.save(update_fields=["partner_structure"])
    both = PlanAction.objects.filter(partner_structure__isnull=False).exclude(partner_name="")
    both.update(
        label=Left(Concat(F("label"), models.Value(" (avec "), F("partner_name"), models.Value(")")), 250),
        partner_name="",
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accompaniment", "0003_programme_label_unique_case_insensitive"),
    ]

    operations = [
        migrations.RunPython(one_partner_each, migrations.RunPython.noop),
    ]
