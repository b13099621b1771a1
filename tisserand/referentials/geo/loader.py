"""The reference data the project ships for the territory (data/geo), loaded by ``make run``:
communes, postal codes and bassins, then the composition of the EPCI."""

import time

from django.conf import settings

from tisserand.core.reference_data import Loader
from tisserand.referentials.geo.epci import read_epci_json, save_epcis
from tisserand.referentials.geo.files import find_file
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


SHIPPED_EPCI_MEMBERS_AT_LEAST = 10_000


def load_shipped_epcis(stdout):
    # The QPV import names the EPCI of the few communes with a QPV; the composition, nearly
    # every commune.
    if Commune.objects.filter(epci__isnull=False).count() > SHIPPED_EPCI_MEMBERS_AT_LEAST:
        stdout.write("  EPCI déjà chargés.")
        return
    started = time.perf_counter()
    epcis, communes = save_epcis(read_epci_json(find_file(shipped_directory(), "epci.json")))
    stdout.write(
        f"  {epcis} EPCI, {communes} communes rattachées en {time.perf_counter() - started:.1f} s."
    )


EPCI_LOADER = Loader("Intercommunalités (EPCI)", load_shipped_epcis, order=11)
