"""The editable list of eligibility criteria, as the facilitators start it.

Only the missing rows are created: by the data migration, by the reference-data loader, and
again wherever the table was emptied (a transactional test). A facilitator's edits stay.
"""

from django.apps import apps as django_apps

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


def create_missing(apps=django_apps, schema_editor=None):
    Criterion = apps.get_model("clauses", "EligibilityCriterion")
    for order, (code, label, derived) in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(
            code=code, defaults={"label": label, "derived_from": derived, "order": order * 10}
        )


def load(stdout):
    create_missing()
    stdout.write(f"  {len(CRITERIA)} critères d'éligibilité des clauses sociales (les manquants).")
