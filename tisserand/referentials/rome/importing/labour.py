"""NAF rév. 2 and the labour-market files: hirings per ROME × NAF, tensions per bassin and FAP.

The labour files use ROME v3 codes: a v3 code goes to the 4.0 fiche with the same code when
there is one, else to the fiches whose parent is that code; rows that match no fiche are
counted (and their codes listed) in the import run.
"""

import re
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tisserand.referentials.geo.text import bassin_display_name
from tisserand.referentials.lengths import field_of
from tisserand.referentials.rome.importing.csvfiles import (
    ImportRefused,
    SourceFile,
    bulk_work,
    read_table,
)
from tisserand.referentials.rome.importing.sync import Table, sync_links
from tisserand.referentials.rome.models import (
    BassinTension,
    FapTension,
    Fiche,
    Hiring,
    ImportRun,
    NafSection,
    NafSubclass,
)
from tisserand.referentials.rome.text import normalize

ROME_CODE = re.compile(r"[A-N][0-9]{4}")
ROME_CODE_RULE = "une lettre de A à N et 4 chiffres (M1805)."
NAF_CODE = re.compile(r"[0-9]{4}[A-Z]")
NAF_CODE_RULE = "4 chiffres et une lettre, sans point (6201Z)."
BASSIN_CODE = re.compile(r"[0-9]{4}")
YEAR = re.compile(r"(19|20)[0-9]{2}")
DECIMAL_COMMA = re.compile(r"-?[0-9]+(,[0-9]+)?")
DECIMAL_POINT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
TENSION_INDEX = {"": None, **{str(value): value for value in range(1, 6)}}
UNMAPPED_CODES_SHOWN = 50

# NAF rév. 2: the section of each division (first two digits of a sub-class), public and fixed.
SECTION_DIVISIONS = {
    "A": (1, 3),
    "B": (5, 9),
    "C": (10, 33),
    "D": (35, 35),
    "E": (36, 39),
    "F": (41, 43),
    "G": (45, 47),
    "H": (49, 53),
    "I": (55, 56),
    "J": (58, 63),
    "K": (64, 66),
    "L": (68, 68),
    "M": (69, 75),
    "N": (77, 82),
    "O": (84, 84),
    "P": (85, 85),
    "Q": (86, 88),
    "R": (90, 93),
    "S": (94, 96),
    "T": (97, 98),
    "U": (99, 99),
}
SECTION_OF_DIVISION = {
    f"{division:02d}": section
    for section, (first, last) in SECTION_DIVISIONS.items()
    for division in range(first, last + 1)
}


def _source(path):
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"fichier introuvable : {path}")
    return SourceFile(path)


def _record(kind, path, started_at, stats, version=""):
    return ImportRun.objects.create(
        kind=kind,
        version=version,
        source=Path(path).name,
        started_at=started_at,
        finished_at=timezone.now(),
        stats=stats,
    )


# --- NAF ---------------------------------------------------------------------------------


@bulk_work()
def import_naf(subclasses_path, sections_path):
    """NAF sections (``code,label``) and sub-classes (``naf_id|naf_label``); upserted."""
    started_at = timezone.now()
    sections = read_table(_source(sections_path), ("code", "label"))
    section_codes = sections.column("code")
    sections.matching("code", section_codes, re.compile(r"[A-U]"), "une lettre de A à U.")
    sections.unique("code", section_codes)
    subclasses = read_table(_source(subclasses_path), ("naf_id", "naf_label"), delimiter="|")
    codes = subclasses.matching("naf_id", subclasses.column("naf_id"), NAF_CODE, NAF_CODE_RULE)
    subclasses.unique("naf_id", codes)
    divisions = [code[:2] for code in codes]
    subclasses.known("naf_id", divisions, SECTION_OF_DIVISION, "division NAF")
    missing = set(map(SECTION_OF_DIVISION.get, divisions)) - set(section_codes)
    if missing:
        raise sections.error(
            len(sections) - 1, "code", f"section(s) absente(s) : {', '.join(sorted(missing))}."
        )
    labels = subclasses.texts("naf_label", field_of(NafSubclass, "label"))
    section_labels = sections.texts("label", field_of(NafSection, "label"))
    with transaction.atomic():
        section_ids, section_changes = _upsert(
            NafSection,
            "code",
            ("label",),
            {code: (label,) for code, label in zip(section_codes, section_labels, strict=True)},
        )
        rows = {
            code: (label, section_ids[SECTION_OF_DIVISION[code[:2]]], normalize(f"{code} {label}"))
            for code, label in zip(codes, labels, strict=True)
        }
        _, subclass_changes = _upsert(
            NafSubclass, "code", ("label", "section", "search_text"), rows
        )
        stats = {
            "lignes": {"sections": len(section_codes), "sous_classes": len(codes)},
            "changements": {"sections": section_changes, "sous_classes": subclass_changes},
        }
        return _record(ImportRun.Kind.NAF, subclasses_path, started_at, stats, "rév. 2")


def _upsert(model, key, fields, rows):
    """Insert new codes, update changed ones; never delete. Returns ({code: pk}, counts)."""
    table = Table(model)
    existing = {record[1]: record for record in table.select(["pk", key, *fields])}
    inserts = [(code, *values) for code, values in rows.items() if code not in existing]
    updates = [
        (*values, existing[code][0])
        for code, values in rows.items()
        if code in existing and tuple(existing[code][2:]) != values
    ]
    table.insert([key, *fields], sorted(inserts))
    table.update(list(fields), updates)
    return dict(table.select([key, "pk"])), {"créés": len(inserts), "modifiés": len(updates)}


# --- ROME v3 codes → 4.0 fiches ----------------------------------------------------------


class RomeMapping:
    """Maps the ROME codes of a labour file onto current 4.0 fiches and counts what fails."""

    def __init__(self):
        fiches = Fiche.objects.filter(is_obsolete=False).values_list("pk", "code", "parent_code")
        self.same = {}
        self.children = {}
        for pk, code, parent in fiches:
            self.same[code] = pk
            if parent != code:
                self.children.setdefault(parent, []).append(pk)
        if not self.same:
            raise ImportRefused("le ROME n'est pas importé : lancez d'abord « import_rome ».")
        self.unmapped = Counter()
        self.via_parent_codes = set()

    def fiches_for(self, code):
        """[(fiche pk, via_parent)] for a v3 code; remembers the codes that match none."""
        if code in self.same:
            return [(self.same[code], False)]
        children = self.children.get(code)
        if children:
            self.via_parent_codes.add(code)
            return [(pk, True) for pk in children]
        self.unmapped[code] += 1
        return []

    def stats(self, rows):
        return {
            "lignes": rows,
            "lignes_non_rattachees": sum(self.unmapped.values()),
            "codes_non_rattaches": len(self.unmapped),
            "exemples_codes_non_rattaches": sorted(self.unmapped)[:UNMAPPED_CODES_SHOWN],
            "codes_rattaches_par_le_parent": len(self.via_parent_codes),
        }


def _rome_codes(table, column):
    return table.matching(column, table.column(column), ROME_CODE, ROME_CODE_RULE)


def _decimals(table, column, pattern, comma):
    values = [value.strip() for value in table.column(column)]
    present = [at for at, value in enumerate(values) if value]
    table.matching(
        column,
        [values[at] for at in present],
        pattern,
        "un nombre décimal" + (" avec une virgule (12,5)." if comma else " avec un point (12.5)."),
        present,
    )
    return [float(value.replace(",", ".")) if value else None for value in values]


# --- hirings per ROME × NAF ----------------------------------------------------------------


@bulk_work()
def import_hirings(path):
    """``rome_id,rome_label,naf_id,naf_label,hirings``: replaces the hirings table."""
    started_at = timezone.now()
    table = read_table(_source(path), ("rome_id", "rome_label", "naf_id", "naf_label", "hirings"))
    romes = _rome_codes(table, "rome_id")
    nafs = table.matching("naf_id", table.column("naf_id"), NAF_CODE, NAF_CODE_RULE)
    naf_ids = dict(NafSubclass.objects.values_list("code", "pk"))
    if not naf_ids:
        raise ImportRefused("la NAF n'est pas importée : lancez d'abord « import_naf ».")
    table.known("naf_id", nafs, naf_ids, "code NAF")
    counts = table.integers("hirings", table.column("hirings"))
    table.unique("naf_id", list(zip(romes, nafs, strict=True)))
    mapping = RomeMapping()
    rows = [
        (fiche, naf_ids[naf], rome, via_parent, count)
        for rome, naf, count in zip(romes, nafs, counts, strict=True)
        for fiche, via_parent in mapping.fiches_for(rome)
    ]
    with transaction.atomic():
        outcome = sync_links(
            Hiring,
            ("fiche", "naf", "source_rome_code"),
            ("via_parent", "count"),
            rows,
            None,
            None,
        )
        stats = {**mapping.stats(len(table)), "changements": outcome.as_dict()}
        return _record(ImportRun.Kind.HIRINGS, path, started_at, stats)


# --- tensions per ROME × bassin d'emploi ----------------------------------------------------

TENSION_COLUMNS = {
    "ind_tension_d": "tension",
    "ind_int_emb_d": "hiring_intensity",
    "ind_main_oeuvre_d": "labour_shortage",
    "ind_dur_empl_d": "job_durability",
    "ind_cond_travail_d": "working_conditions",
    "ind_mismatch_geo_d": "geographic_mismatch",
    "ind_specif_form_empl_d": "training_specificity",
}


def read_bassin_names(path):
    """{bassin code: (name, region code)} from a France Travail lexicon (BE19, NOMBE19, REG)."""
    table = read_table(_source(path), ("BE19", "NOMBE19", "REG"))
    codes = table.matching("BE19", table.column("BE19"), BASSIN_CODE, "4 chiffres.")
    bassin_names = table.fitting(
        "NOMBE19",
        list(map(bassin_display_name, table.column("NOMBE19"))),
        field_of(BassinTension, "bassin_name"),
    )
    regions_read = table.texts("REG", field_of(BassinTension, "region_code"))
    region_codes = [region.zfill(2) for region in regions_read]
    names, regions = {}, {}
    for code, name, region in zip(codes, bassin_names, region_codes, strict=True):
        names.setdefault(code, Counter())[name] += 1
        regions.setdefault(code, Counter())[region] += 1
    return {
        code: (names[code].most_common(1)[0][0], regions[code].most_common(1)[0][0])
        for code in names
    }


@bulk_work()
def import_tension(path, bassins_path=None):
    """The DARES / France Travail tension file (``;``, decimal comma, indices 1 to 5).

    Replaces the rows of the years the file holds. ``bassins_path`` names the bassins.
    """
    started_at = timezone.now()
    columns = ("annee", "ROME", "cbassin", "oee", "defm_abc", *TENSION_COLUMNS)
    table = read_table(_source(path), columns, delimiter=";")
    years = list(map(int, table.matching("annee", table.column("annee"), YEAR, "une année.")))
    romes = _rome_codes(table, "ROME")
    bassins = table.matching("cbassin", table.column("cbassin"), BASSIN_CODE, "4 chiffres.")
    table.unique("cbassin", list(zip(years, romes, bassins, strict=True)))
    offers = _decimals(table, "oee", DECIMAL_COMMA, comma=True)
    seekers = _decimals(table, "defm_abc", DECIMAL_COMMA, comma=True)
    indices = [
        table.choices(column, [v.strip() for v in table.column(column)], TENSION_INDEX)
        for column in TENSION_COLUMNS
    ]
    names = read_bassin_names(bassins_path) if bassins_path else {}
    mapping = RomeMapping()
    rows = []
    for at, rome in enumerate(romes):
        name, region = names.get(bassins[at], ("", ""))
        values = (rome, name, region, offers[at], seekers[at], *(index[at] for index in indices))
        rows.extend(
            (years[at], fiche, bassins[at], *values) for fiche, _ in mapping.fiches_for(rome)
        )
    with transaction.atomic():
        outcome = sync_links(
            BassinTension,
            ("year", "fiche", "bassin_code"),
            (
                "source_rome_code",
                "bassin_name",
                "region_code",
                "job_offers",
                "job_seekers",
                *TENSION_COLUMNS.values(),
            ),
            rows,
            "year",
            set(years),
        )
        unnamed = sorted(set(bassins) - set(names)) if names else []
        stats = {
            **mapping.stats(len(table)),
            "annees": sorted(set(years)),
            "bassins": len(set(bassins)),
            "bassins_sans_nom": unnamed,
            "changements": outcome.as_dict(),
        }
        return _record(
            ImportRun.Kind.TENSION, path, started_at, stats, "-".join(map(str, sorted(set(years))))
        )


# --- tension per FAP family ----------------------------------------------------------------


@bulk_work()
def import_fap_tension(path):
    """``fap_code,fap,tension_pct,rome_code,rome_label``: replaces the FAP tension table."""
    started_at = timezone.now()
    table = read_table(_source(path), ("fap_code", "fap", "tension_pct", "rome_code"))
    faps = table.matching(
        "fap_code", table.column("fap_code"), re.compile(r"[A-Z][0-9][A-Z][0-9]{2}"), "A0Z43."
    )
    romes = _rome_codes(table, "rome_code")
    table.unique("rome_code", list(zip(faps, romes, strict=True)))
    percents = _decimals(table, "tension_pct", DECIMAL_POINT, comma=False)
    for at, percent in enumerate(percents):
        if percent is None or not 0 <= percent <= 100:
            raise table.error(at, "tension_pct", "un pourcentage entre 0 et 100 est attendu.")
    mapping = RomeMapping()
    labels = table.texts("fap", field_of(FapTension, "fap_label"))
    rows = [
        (fap, fiche, label, percent, rome)
        for fap, label, percent, rome in zip(faps, labels, percents, romes, strict=True)
        for fiche, _ in mapping.fiches_for(rome)
    ]
    with transaction.atomic():
        outcome = sync_links(
            FapTension,
            ("fap_code", "fiche"),
            ("fap_label", "tension_pct", "source_rome_code"),
            rows,
            None,
            None,
        )
        stats = {**mapping.stats(len(table)), "changements": outcome.as_dict()}
        return _record(ImportRun.Kind.FAP_TENSION, path, started_at, stats)
