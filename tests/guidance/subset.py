"""A consistent extract of the real ROME 4.60 pack and labour files, for fast browser tests.

``write_subset(folder)`` keeps a few occupations of the territory (care, logistics, retail,
catering, cleaning), the fiches their official mobilities lead to and their parents, with
every skill, job title, text, interest and mobility among them, in the official file format.
Importing it takes a second or two instead of the full pack's fifteen.
"""

import csv
from pathlib import Path

from django.conf import settings

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"
SEEDS = (
    "J1501",  # aide-soignant
    "J1301",  # agent de service hospitalier
    "K1302",  # aide à domicile
    "K2204",  # agent de propreté
    "N1101",  # cariste
    "N1103",  # préparateur de commandes
    "D1106",  # vendeur en alimentation
    "G1603",  # équipier de restauration rapide
)
VERSION = "460"


def _rows(name):
    path = SHARED / "rome" / f"unix_{name}_v{VERSION}_utf8.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def _write(folder, name, header, rows):
    path = Path(folder) / f"unix_{name}_v{VERSION}_utf8.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(rows)


def _column(header, name):
    return header.index(name)


def fiche_codes():
    header, fiches = _rows("referentiel_code_rome")
    parent_of = {row[0]: row[_column(header, "code_rome_parent")] or row[0] for row in fiches}
    _, mobilities = _rows("rubrique_mobilite")
    codes = set(SEEDS)
    codes |= {target for source, target, _ in mobilities if source in SEEDS}
    codes |= {parent_of[code] for code in codes}
    return codes


def write_subset(folder):
    """Writes the extract into ``folder`` (the files the ROME import reads); returns the codes."""
    codes = fiche_codes()
    by_rome = (
        "referentiel_code_rome",
        "cr_gd_dp",
        "referentiel_code_rome_riasec",
        "texte",
        "referentiel_appellation",
        "arborescence_centre_interet",
        "coherence_item",
    )
    for name in by_rome:
        header, rows = _rows(name)
        at = _column(header, "code_rome")
        _write(folder, name, header, [row for row in rows if row[at] in codes])
    header, links = _rows("liens_rome_referentiels")
    links = [row for row in links if row[0] in codes]
    _write(folder, "liens_rome_referentiels", header, links)
    header, mobilities = _rows("rubrique_mobilite")
    _write(
        folder,
        "rubrique_mobilite",
        header,
        [row for row in mobilities if row[0] in codes and row[1] in codes],
    )
    _write_skills(folder, {row[3] for row in links if row[1] == "5"})
    for name in ("referentiel_contexte_travail", "centre_interet"):
        _write(folder, name, *_rows(name))
    return codes


def _write_skills(folder, linked):
    header, skills = _rows("referentiel_competence")
    macro_at = _column(header, "code_ogr_macro_comp")
    kept = [row for row in skills if row[0] in linked]
    macros = {row[macro_at] for row in kept if row[macro_at]}
    kept += [row for row in skills if row[0] in macros and row[0] not in linked]
    _write(folder, "referentiel_competence", header, kept)
    kept_codes = {row[0] for row in kept}
    header, riasec = _rows("referentiel_macro_competence_riasec")
    _write(
        folder,
        "referentiel_macro_competence_riasec",
        header,
        [r for r in riasec if r[0] in kept_codes],
    )
    header, knowledge = _rows("referentiel_savoir")
    _write(folder, "referentiel_savoir", header, [row for row in knowledge if row[0] in linked])


def write_labour_subset(folder, codes):
    """The labour files restricted to the extract's codes (and the Hauts-de-France bassins)."""
    folder = Path(folder)
    labour = SHARED / "labour"
    with open(labour / "tension_rome_bassin_2021.csv", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if line.split(";")[1] in codes]
    (folder / "tension.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    with open(labour / "rome_naf_hirings.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with open(folder / "hirings.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([rows[0]] + [row for row in rows[1:] if row[0] in codes])
    return folder / "tension.csv", folder / "hirings.csv"


def import_subset(folder):
    """Writes and imports the extract with NAF, hirings and tensions; returns the ROME codes."""
    from tisserand.guidance import loading
    from tisserand.referentials.rome import search
    from tisserand.referentials.rome.importing import labour
    from tisserand.referentials.rome.importing.rome_import import import_rome

    folder = Path(folder)
    pack = folder / "rome"
    pack.mkdir(exist_ok=True)
    codes = write_subset(pack)
    tension, hirings = write_labour_subset(folder, codes)
    import_rome(pack)
    labour.import_naf(
        SHARED / "labour" / "naf_labels.csv", SHARED / "labour" / "naf_section_labels.csv"
    )
    labour.import_hirings(hirings)
    labour.import_tension(tension, SHARED / "geo" / "lexique_bassins.csv")
    loading.invalidate()
    search.invalidate()
    return codes


def prepare_territory(folder):
    """The extract, Roubaix and its neighbours, the vocabularies: what the pages need."""
    from tests.referentials.geo.factories import make_roubaix_area
    from tisserand.referentials.vocabularies.loading import load_vocabularies

    codes = import_subset(folder)
    make_roubaix_area()
    load_vocabularies()
    return codes
