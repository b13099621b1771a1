from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):

    dependencies = [
        ("accompaniment", "0006_plan_action_one_partner_data"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="planaction",
            constraint=models.CheckConstraint(
                condition=(Q(partner_structure__isnull=False) & Q(partner_name=""))
                | (Q(partner_structure__isnull=True) & ~Q(partner_name="")),
                name="plan_action_exactly_one_partner",
                violation_error_message=(
                    "Indiquez le partenaire qui porte l'action : une structure du réseau ou "
                    "un autre partenaire, pas les deux."
                ),
            ),
        ),
    ]
