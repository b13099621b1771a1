"""Import of the composition of the EPCI (which commune belongs to which intercommunality).

None of the shared files gives it. The source is the INSEE file « Composition communale des
EPCI » (sheet saved as CSV, ``;`` or ``,``, header on the first line, columns ``CODGEO``,
``EPCI``, ``LIBEPCI``). Communes without an EPCI have the code ``ZZZZZZZZZ`` there.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from tisserand.referentials.geo import cog
from tisserand.referentials.geo.files import CsvFormat, ImportFailed, read_csv
from tisserand.referentials.geo.models import Commune, Epci
from tisserand.referentials.geo.syncing import sync_by_key
from tisserand.referentials.lengths import field_of

NO_EPCI = "ZZZZZZZZZ"


def composition_format(filename):
    return CsvFormat(filename, ";", ("CODGEO", "EPCI", "LIBEPCI"), accepted_delimiters=(",",))


@dataclass
class EpciComposition:
    names: dict  # siren -> name
    members: dict  # INSEE code -> siren


def read_epci_file(path, encoding="utf-8"):
    fmt = composition_format(Path(path).name)
    known = set(Commune.objects.values_list("insee_code", flat=True))
    if not known:
        raise ImportFailed(fmt.filename, "aucune commune en base : importez d'abord import_geo.")
    composition = EpciComposition({}, {})
    for row in read_csv(path, fmt, encoding):
        code = row["CODGEO"].upper()
        if not cog.is_insee_code(code):
            raise row.fail("CODGEO", f"code INSEE « {row['CODGEO']} » invalide.")
        if code not in known:
            raise row.fail("CODGEO", f"commune {code} inconnue du référentiel des communes.")
        siren = row["EPCI"].upper()
        if siren == NO_EPCI:
            continue
        if not siren.isdigit() or len(siren) != 9:
            raise row.fail("EPCI", f"SIREN « {row['EPCI']} » invalide (9 chiffres).")
        composition.names[siren] = row.text("LIBEPCI", field_of(Epci, "name"))
        composition.members[code] = siren
    return composition


def save_epcis(composition):
    """Creates or renames the EPCI and sets the EPCI of the listed communes (one transaction)."""
    with transaction.atomic():
        epci_ids = sync_by_key(
            Epci, "siren", {siren: {"name": name} for siren, name in composition.names.items()}
        )
        sync_by_key(
            Commune,
            "insee_code",
            {code: {"epci_id": epci_ids[siren]} for code, siren in composition.members.items()},
        )
    return len(composition.names), len(composition.members)


def import_epci_file(path, encoding="utf-8"):
    return save_epcis(read_epci_file(path, encoding))
