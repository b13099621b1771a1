"""Names of the bassins d'emploi: the France Travail abbreviations written out, on import."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.referentials.geo.test_import_bad_input import write_files
from tisserand.referentials.geo.models import BassinEmploi
from tisserand.referentials.geo.text import bassin_display_name


@pytest.mark.parametrize(
    ("official", "shown"),
    [
        ("VERSANT N-EST ROUB.TOURC.", "Roubaix-Tourcoing (versant nord-est)"),
        ("VERSANT S-OUEST ROUB.TOURC.", "Roubaix-Tourcoing (versant sud-ouest)"),
        ("FONTENAY LE CTE", "Fontenay le Comte"),
        ("RIOM ST ELOY", "Riom Saint Eloy"),
        ("LES SABLES D OLONNES", "Les Sables d'Olonnes"),
        ("MORTAGNE L AIGLE", "Mortagne l'Aigle"),
        ("L'ISLE JOURDAIN", "L'Isle Jourdain"),
        ("LA ROCHE SUR YON", "La Roche sur Yon"),
        ("DROME-ARDECHE-NORD", "Drome-Ardeche-Nord"),
        ("LURE  / HERICOURT", "Lure / Hericourt"),
        ("LILLE", "Lille"),
        # Already readable: kept as it is (and writing out twice changes nothing).
        ("Agde-Pézenas", "Agde-Pézenas"),
        ("Roubaix-Tourcoing (versant nord-est)", "Roubaix-Tourcoing (versant nord-est)"),
        ("", ""),
    ],
)
def test_abbreviations_are_written_out(official, shown):
    assert bassin_display_name(official) == shown


def test_the_import_stores_the_written_out_name(tmp_path):
    call_command("import_geo", str(write_files(tmp_path)), stdout=StringIO())
    assert BassinEmploi.objects.get(code="3217").label == (
        "Roubaix-Tourcoing (versant nord-est) (3217)"
    )
