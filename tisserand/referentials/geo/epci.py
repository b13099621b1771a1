"""Import of the composition of the EPCI (which commune belongs to which intercommunality).

Two sources. The project ships ``data/geo/epci.json.xz``: the 1,255 EPCI of the DGCL, as
published by Etalab (npm package ``@etalab/decoupage-administratif``, ``data/epci.json``:
``[{code, nom, type, membres: [{code, nom, …}]}]``), which the loader reads
(``read_epci_json``). ``import_epci`` also reads the INSEE file « Composition communale des
EPCI » (sheet saved as CSV, ``;`` or ``,``, header on the first line, columns ``CODGEO``,
``EPCI``, ``LIBEPCI``), where communes without an EPCI have the code ``ZZZZZZZZZ``.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from tisserand.referentials.geo import cog
from tisserand.referentials.geo.files import CsvFormat, ImportFailed, read_bytes, read_csv
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
    # Member communes the referential does not know (merged since the file was published).
    unknown: list = field(default_factory=list)


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


def read_epci_json(path):
    """The composition of the EPCI from the DGCL's JSON (compressed or not), fully checked."""
    filename = Path(path).name
    try:
        entries = json.loads(read_bytes(path).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ImportFailed(filename, "JSON illisible (UTF-8 attendu).") from None
    if not isinstance(entries, list):
        raise ImportFailed(filename, "une liste d'EPCI est attendue.")
    known = set(Commune.objects.values_list("insee_code", flat=True))
    if not known:
        raise ImportFailed(filename, "aucune commune en base : importez d'abord import_geo.")
    composition = EpciComposition({}, {})
    name_field = field_of(Epci, "name")
    for index, entry in enumerate(entries, start=1):
        where = f"EPCI n° {index}"
        if not isinstance(entry, dict):
            raise ImportFailed(filename, f"{where} : objet attendu.")
        siren = str(entry.get("code") or "")
        if not siren.isdigit() or len(siren) != 9:
            raise ImportFailed(filename, f"{where} : SIREN « {siren} » invalide (9 chiffres).")
        name = str(entry.get("nom") or "").strip()
        if name_field.max_length and len(name) > name_field.max_length:
            raise ImportFailed(filename, f"{where} : nom trop long.")
        composition.names[siren] = name
        members = entry.get("membres")
        if not isinstance(members, list):
            raise ImportFailed(filename, f"{where} ({siren}) : liste « membres » absente.")
        for member in members:
            code = str((member or {}).get("code") or "").upper()
            if not cog.is_insee_code(code):
                raise ImportFailed(filename, f"{where} ({siren}) : code INSEE « {code} » invalide.")
            if code in known:
                composition.members[code] = siren
            else:
                composition.unknown.append(code)
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
    if ".json" in Path(path).name:
        return save_epcis(read_epci_json(path))
    return save_epcis(read_epci_file(path, encoding))
