"""Import of communes, postal codes, départements, regions and bassins d'emploi.

Reads the four published files (see data/geo/README.md), checks every value, then writes
everything in one transaction: a bad file writes nothing. Re-importing the same files
changes nothing; communes that disappear from the files are kept and marked former.
"""

from dataclasses import dataclass, field

from django.db import transaction

from tisserand.core.planner import refresh_statistics
from tisserand.referentials.geo import cog
from tisserand.referentials.geo.files import CsvFormat, ImportFailed, find_file, read_csv
from tisserand.referentials.geo.models import (
    BassinEmploi,
    Commune,
    Departement,
    GeoImport,
    PostalCode,
    Region,
)
from tisserand.referentials.geo.syncing import sync_by_key
from tisserand.referentials.geo.text import (
    bassin_display_name,
    name_from_capitals,
    search_key,
    tidy_official_name,
)
from tisserand.referentials.lengths import field_of

COMMUNES = CsvFormat(
    "communes.csv", "|", ("commune_id", "commune_name"), ignored_rows=(("DEPCOM", "NCC"),)
)
POSTAL_CODES = CsvFormat(
    "laposte_hexasmal.csv",
    ";",
    ("Code_commune_INSEE", "Nom_commune", "Code_postal", "coordonnees_gps"),
)
LEXICON = CsvFormat(
    "lexique_bassins.csv",
    ",",
    ("CODE_COMMUNE_INSEE", "REG", "DEP", "NOMCOM", "BE19", "NOMBE19"),
)
COMMUNE_NAME = field_of(Commune, "name")
BASSIN_NAME = field_of(BassinEmploi, "name")
BASSIN_LINKS = CsvFormat("bassin_emploi_communes.csv", ",", ("code_insee", "code_bassin_emploi"))
FORMATS = (COMMUNES, POSTAL_CODES, LEXICON, BASSIN_LINKS)


@dataclass
class CommuneData:
    name: str
    departement: str
    bassin: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    postal_codes: set = field(default_factory=set)
    listed: bool = False  # by La Poste or by France Travail: a current commune

    def as_fields(self):
        return {
            "name": self.name,
            # A search key, not a text shown: abbreviations expanded may make it longer.
            "search_name": search_key(self.name)[:100],
            "latitude": self.latitude,
            "longitude": self.longitude,
            "is_former": not self.listed,
        }


@dataclass
class Territory:
    communes: dict = field(default_factory=dict)
    # département code -> region code (None when no file gives it)
    departements: dict = field(default_factory=dict)
    bassins: dict = field(default_factory=dict)
    # Notes for the person running the import (codes skipped, and why).
    notes: list = field(default_factory=list)


def read_territory(directory):
    """Parses and checks the four files of ``directory``; touches no database."""
    paths = {fmt.filename: find_file(directory, fmt.filename) for fmt in FORMATS}
    territory = Territory()
    _read_communes(territory, read_csv(paths[COMMUNES.filename], COMMUNES))
    _read_postal_codes(territory, read_csv(paths[POSTAL_CODES.filename], POSTAL_CODES))
    _read_lexicon(territory, read_csv(paths[LEXICON.filename], LEXICON))
    _read_bassin_links(territory, read_csv(paths[BASSIN_LINKS.filename], BASSIN_LINKS))
    for commune in territory.communes.values():
        territory.departements.setdefault(commune.departement, None)
    return territory


def _insee_code(row, column):
    code = row[column].upper()
    if not cog.is_insee_code(code):
        raise row.fail(
            column, f"code INSEE « {row[column]} » invalide (5 caractères : 59512, 2A004)."
        )
    return code


def _known_commune(territory, row, column):
    code = _insee_code(row, column)
    if code not in territory.communes:
        raise row.fail(column, f"commune {code} absente de {COMMUNES.filename}.")
    return territory.communes[code]


def _read_communes(territory, rows):
    for row in rows:
        code = _insee_code(row, "commune_id")
        if not row["commune_name"]:
            raise row.fail("commune_name", "nom de commune vide.")
        territory.communes[code] = CommuneData(
            name=row.text("commune_name", COMMUNE_NAME, name_from_capitals(row["commune_name"])),
            departement=cog.departement_code_of(code),
        )


def _read_postal_codes(territory, rows):
    for row in rows:
        commune = _known_commune(territory, row, "Code_commune_INSEE")
        postal_code = row["Code_postal"]
        if not cog.is_postal_code(postal_code):
            raise row.fail("Code_postal", f"code postal « {postal_code} » invalide (5 chiffres).")
        commune.postal_codes.add(postal_code)
        commune.listed = True
        if row["coordonnees_gps"] and commune.latitude is None:
            commune.latitude, commune.longitude = _coordinates(row, "coordonnees_gps")


def _coordinates(row, column):
    parts = row[column].split(",")
    try:
        latitude, longitude = (float(part) for part in parts)
    except ValueError:
        raise row.fail(
            column, f"coordonnées « {row[column]} » illisibles (attendu : « latitude, longitude »)."
        ) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise row.fail(column, f"coordonnées « {row[column]} » hors des limites WGS84.")
    return latitude, longitude


def _read_lexicon(territory, rows):
    for row in rows:
        commune = _known_commune(territory, row, "CODE_COMMUNE_INSEE")
        departement = row["DEP"].upper()
        if departement != commune.departement:
            raise row.fail("DEP", f"département « {departement} » incohérent avec le code INSEE.")
        region = cog.region_code(row["REG"])
        if not region.isdigit() or len(region) != 2:
            raise row.fail("REG", f"code de région « {row['REG']} » invalide.")
        territory.departements[departement] = region
        commune.name = (
            row.text("NOMCOM", COMMUNE_NAME, tidy_official_name(row["NOMCOM"])) or commune.name
        )
        name = row.text("NOMBE19", BASSIN_NAME, bassin_display_name(row["NOMBE19"]))
        commune.bassin = _bassin(territory, row, "BE19", name)
        commune.listed = True


def _bassin(territory, row, column, name=""):
    code = cog.bassin_code(row[column])
    if not code.isdigit() or len(code) != 4:
        raise row.fail(column, f"code de bassin d'emploi « {row[column]} » invalide (4 chiffres).")
    if name or code not in territory.bassins:
        territory.bassins[code] = name.strip() or territory.bassins.get(code, "")
    return code


def _read_bassin_links(territory, rows):
    """Completes the lexicon: bassins of communes it does not list (former communes mostly)."""
    unknown = []
    for row in rows:
        code = _insee_code(row, "code_insee")
        commune = territory.communes.get(code)
        if commune is None:
            unknown.append(code)
            continue
        bassin = _bassin(territory, row, "code_bassin_emploi")
        if commune.bassin is None:
            commune.bassin = bassin
    if unknown:
        territory.notes.append(
            f"{BASSIN_LINKS.filename} : {len(unknown)} code(s) commune inconnu(s) de "
            f"{COMMUNES.filename}, ignoré(s) : {', '.join(sorted(unknown))}."
        )


def save_territory(territory, source):
    """Writes the territory in one transaction; returns the ``GeoImport`` record."""
    with transaction.atomic():
        regions = sync_by_key(
            Region,
            "code",
            {
                code: {"name": cog.REGION_NAMES.get(code, f"Région {code}")}
                for code in set(territory.departements.values()) - {None}
            },
        )
        departements = sync_by_key(
            Departement,
            "code",
            {
                code: {
                    "name": cog.DEPARTEMENT_NAMES.get(code, f"Département {code}"),
                    "region_id": regions.get(region),
                }
                for code, region in territory.departements.items()
            },
        )
        bassins = sync_by_key(
            BassinEmploi, "code", {code: {"name": name} for code, name in territory.bassins.items()}
        )
        communes = sync_by_key(
            Commune,
            "insee_code",
            {
                code: {
                    **data.as_fields(),
                    "departement_id": departements[data.departement],
                    "bassin_id": bassins.get(data.bassin),
                }
                for code, data in territory.communes.items()
            },
            missing_fields={"is_former": True},
        )
        _sync_postal_codes(territory, communes)
        return GeoImport.objects.create(
            source=str(source)[:500],
            communes=len(territory.communes),
            postal_codes=sum(len(c.postal_codes) for c in territory.communes.values()),
            bassins=len(territory.bassins),
        )


def _sync_postal_codes(territory, commune_ids):
    wanted = {
        (commune_ids[code], postal_code)
        for code, data in territory.communes.items()
        for postal_code in data.postal_codes
    }
    existing = {
        (commune_id, code): pk
        for pk, commune_id, code in PostalCode.objects.values_list("pk", "commune_id", "code")
    }
    obsolete = [pk for key, pk in existing.items() if key not in wanted]
    for start in range(0, len(obsolete), 500):
        PostalCode.objects.filter(pk__in=obsolete[start : start + 500]).delete()
    PostalCode.objects.bulk_create(
        [PostalCode(commune_id=c, code=code) for c, code in sorted(wanted - existing.keys())],
        batch_size=1000,
    )
    refresh_statistics(PostalCode)


def import_territory(directory):
    """Reads and saves the files of ``directory``. Raises ``ImportFailed`` on bad input."""
    territory = read_territory(directory)
    record = save_territory(territory, directory)
    return record, territory.notes


__all__ = ["ImportFailed", "import_territory", "read_territory", "save_territory"]
