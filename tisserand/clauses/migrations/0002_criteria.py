"""The editable list of eligibility criteria, as the facilitators start it."""

from django.db import migrations

CRITERIA = [
    ("deld", "Demandeur d'emploi de longue durée (12 mois et plus)", "deld"),
    ("detld", "Demandeur d'emploi de très longue durée (24 mois et plus)", "detld"),
    ("rsa", "Bénéficiaire du RSA", "rsa"),
    ("ass", "Allocataire de l'ASS", "ass"),
    ("aah", "Allocataire de l'AAH", "aah"),
    ("rqth", "Travailleur reconnu handicapé (RQTH)", "rqth"),
    ("young_unqualified", "Jeune de moins de 26 ans sans qualification", "under_26"),
    ("senior", "Senior de plus de 50 ans", "over_50"),
    ("insertion_pathway", "Salarié en parcours d'insertion (SIAE)", ""),
    ("qpv", "Résident d'un quartier prioritaire (QPV)", "qpv"),
    ("plie", "Personne suivie par le PLIE", ""),
    ("refugee", "Réfugié ou bénéficiaire d'une protection internationale", "refugee"),
]


def add(apps, schema_editor):
    Criterion = apps.get_model("clauses", "EligibilityCriterion")
    for order, (code, label, derived) in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(
            code=code, defaults={"label": label, "derived_from": derived, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("clauses", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
