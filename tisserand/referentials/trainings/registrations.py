"""What the trainings app adds to the navigation, the home page and the reference data."""

from django.conf import settings

from tisserand.core import home, navigation, reference_data
from tisserand.core.permissions import acts_for_a_structure
from tisserand.referentials.trainings.importer import import_lheo_file
from tisserand.referentials.trainings.lheo import LheoError
from tisserand.referentials.trainings.models import Training

DEMO_FILE = settings.BASE_DIR / "data" / "trainings" / "demo-formations-roubaix.lheo-2.3.xml.gz"


def load_demo_trainings(stdout):
    """Imports the fictitious demo catalogue once (never in production)."""
    if settings.ENVIRONMENT == "production":
        stdout.write("  formations de démonstration : non chargées en production.")
        return
    if Training.objects.filter(is_demo=True).exists():
        stdout.write("  formations de démonstration déjà chargées.")
        return
    try:
        report = import_lheo_file(DEMO_FILE, is_demo=True)
    except LheoError as error:
        stdout.write(error.report())
        return
    stdout.write(f"  {report.summary()}")


def _trainings_count(membership):
    count = Training.objects.count()
    return count, f"formation{'s' if count > 1 else ''} au catalogue"


def register_all():
    navigation.register(
        navigation.NavEntry(
            "Formations", "trainings:search", acts_for_a_structure, order=40, prefix="/formations/"
        )
    )
    home.register(
        home.HomeCard(
            "Offres de formation",
            "Trouver une formation près de chez la personne : métier visé, distance, dates.",
            "Chercher une formation",
            "trainings:search",
            acts_for_a_structure,
            order=40,
            figure=_trainings_count,
        )
    )
    reference_data.register(
        reference_data.Loader("Formations de démonstration (LHÉO)", load_demo_trainings, order=30)
    )
