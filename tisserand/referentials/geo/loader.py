"""The reference data the project ships for the territory (data/geo), loaded by ``make run``."""

import time

from django.conf import settings

from tisserand.core.reference_data import Loader
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.geo.territory import import_territory


def shipped_directory():
    return settings.BASE_DIR / "data" / "geo"


def load_shipped_territory(stdout):
    if Commune.objects.exists():
        stdout.write("  communes déjà chargées.")
        return
    started = time.perf_counter()
    record, _notes = import_territory(shipped_directory())
    stdout.write(
        f"  {record.communes} communes, {record.postal_codes} codes postaux, "
        f"{record.bassins} bassins d'emploi chargés en {time.perf_counter() - started:.1f} s."
    )


LOADER = Loader("Communes et bassins d'emploi", load_shipped_territory, order=10)
