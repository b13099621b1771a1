"""The real ROME and labour files, imported once for the guidance tests, and a small territory.

Committed at the start of the package and removed at its end (as the rome app's own tests
do), so that the rest of the suite never sees them.
"""

import pytest
from django.db import connection, transaction

from tests.referentials.geo.factories import make_roubaix_area
from tests.referentials.rome.real.conftest import empty_referential, import_real_files
from tisserand.guidance import loading
from tisserand.referentials.geo.models import BassinEmploi, Commune, Departement, Epci, Region
from tisserand.referentials.rome import search
from tisserand.referentials.vocabularies.loading import load_vocabularies

GEO_TABLES = (Commune, BassinEmploi, Epci, Departement, Region)


def _empty_geo():
    with transaction.atomic(), connection.cursor() as cursor:
        for model in GEO_TABLES:
            if model is Commune:
                cursor.execute("DELETE FROM geo_postalcode")
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture(scope="package", autouse=True)
def referentials(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        runs = import_real_files()
        communes = make_roubaix_area()
        loading.invalidate()
        search.invalidate()
        try:
            yield {"runs": runs, "communes": communes}
        finally:
            loading.invalidate()
            search.invalidate()
            _empty_geo()
            empty_referential()


@pytest.fixture(autouse=True)
def vocabularies():
    """The controlled vocabularies (qualification levels…), as ``make run`` loads them."""
    load_vocabularies()


@pytest.fixture
def roubaix(referentials):
    return Commune.objects.get(insee_code="59512")
