"""The real published files of ../shared/data, imported once for this package's tests.

The import is committed at the start of the package and removed at its end, so that the
other tests of the suite never see it.
"""

import pytest
from django.conf import settings
from django.db import connection, transaction

from tisserand.referentials.rome import models
from tisserand.referentials.rome.importing import labour
from tisserand.referentials.rome.importing.rome_import import import_rome

SHARED = settings.BASE_DIR.parent / "shared" / "data"
ROME_DIR = SHARED / "rome"
LABOUR_DIR = SHARED / "labour"

TABLES_IN_DELETE_ORDER = (
    models.Hiring,
    models.BassinTension,
    models.FapTension,
    models.FicheInterest,
    models.Mobility,
    models.FicheContext,
    models.FicheSkill,
    models.Appellation,
    models.Skill,
    models.WorkContext,
    models.InterestCentre,
    models.Fiche,
    models.NafSubclass,
    models.NafSection,
    models.ImportRun,
)


def import_real_files():
    return {
        "rome": import_rome(ROME_DIR),
        "naf": labour.import_naf(
            LABOUR_DIR / "naf_labels.csv", LABOUR_DIR / "naf_section_labels.csv"
        ),
        "hirings": labour.import_hirings(LABOUR_DIR / "rome_naf_hirings.csv"),
        "tension": labour.import_tension(
            LABOUR_DIR / "tension_rome_bassin_2021.csv", SHARED / "geo" / "lexique_bassins.csv"
        ),
        "fap": labour.import_fap_tension(LABOUR_DIR / "metiers_tension_fap.csv"),
    }


def empty_referential():
    with transaction.atomic(), connection.cursor() as cursor:
        for model in TABLES_IN_DELETE_ORDER:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture(scope="package", autouse=True)
def real_runs(django_db_setup, django_db_blocker):
    """{name: ImportRun} of the real files, committed for the duration of the package."""
    with django_db_blocker.unblock():
        runs = import_real_files()
        try:
            yield runs
        finally:
            empty_referential()
