"""The official ROME 4.0 CSV pack (« RefRomeCsv »), read and checked in memory.

``read_pack(path)`` takes the folder or the zip of ``unix_*_vNNN_utf8.csv`` files and returns a
``RomePack``: plain dictionaries keyed by official codes, every cross-reference checked. Nothing
here touches the database.
"""

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tisserand.referentials.rome.importing.csvfiles import (
    ImportFileError,
    SourceFile,
    Table,
    read_table,
)
from tisserand.referentials.rome.models import RIASEC_LETTERS
from tisserand.referentials.rome.text import search_text

FILE_NAME = re.compile(r"^unix_(?P<key>[a-z_]+)_v(?P<version>\d{3,})_utf8\.csv(\.gz|\.xz|\.bz2)?$")
ROME_CODE = re.compile(r"^[A-N]\d{4}$")

# The files the import reads, with the columns it needs.
FILES = {
    "referentiel_code_rome": (
        "code_rome",
        "code_fiche_metier",
        "code_ogr",
        "libelle_rome",
        "transition_eco",
        "emploi_reglemente",
        "emploi_cadre",
        "code_rome_parent",
    ),
    "cr_gd_dp": (
        "code_rome",
        "code_grand_domaine",
        "libelle_grand_domaine",
        "code_domaine_professionel",
        "libelle_domaine_professionel",
    ),
    "referentiel_code_rome_riasec": ("code_rome", "riasec_majeur", "riasec_mineur"),
    "texte": ("code_rome", "libelle_type_texte", "position_phrase", "libelle_texte"),
    "referentiel_appellation": (
        "code_ogr",
        "libelle_appellation_long",
        "libelle_appellation_court",
        "code_rome",
        "classification",
        "peu_usite",
    ),
    "referentiel_competence": (
        "code_ogr",
        "nature",
        "libelle_competence",
        "definition",
        "code_ogr_macro_comp",
        "code_macro_comp",
        "cat_comp",
        "sous_cat_comp",
    ),
    "referentiel_macro_competence_riasec": ("code_ogr", "riasec_majeur", "riasec_mineur"),
    "referentiel_savoir": (
        "code_ogr_savoir",
        "libelle_savoir",
        "categorie_savoir",
        "sous_categorie_savoir",
    ),
    "referentiel_contexte_travail": (
        "code_ogr",
        "libelle_cont_travail",
        "code_type_cont_trav",
        "libelle_type_cont_trav",
    ),
    "liens_rome_referentiels": ("code_rome", "code_compo_bloc", "code_rubrique", "code_ogr"),
    "rubrique_mobilite": ("code_rome", "code_rome_cible", "numero_ordre"),
    "centre_interet": (
        "code_centre_interet",
        "libelle_centre_interet",
        "definition_centre_interet",
    ),
    "arborescence_centre_interet": ("code_centre_interet", "code_rome", "principal"),
}

SKILL_CATEGORIES = {"Savoir-faire": "savoir_faire", "Savoir-être professionnel": "savoir_etre"}
SKILL_NATURES = {"Compétence": False, "Macro-compétence": True}
RUBRIQUES = {"1": 1, "2": 2, "3": 3}
YES_NO = {"O": True, "N": False, "": None}
TEXT_KINDS = {"definition": "definition", "acces_metier": "access"}
# Blocs of the link file: 2 appellations, 5 skills, 6 work contexts. The others (1: the fiche
# itself) carry nothing the referential needs.
BLOC_APPELLATIONS, BLOC_SKILLS, BLOC_CONTEXTS = "2", "5", "6"
KNOWN_BLOCS = {"1", "2", "3", "4", "5", "6", "7", "8"}


@dataclass
class RomePack:
    version: str
    sources: list = field(default_factory=list)
    # code_rome -> dict of Fiche fields
    fiches: dict = field(default_factory=dict)
    # code_ogr -> dict of Appellation fields (fiche as its code)
    appellations: dict = field(default_factory=dict)
    # code_ogr -> dict of Skill fields (macro as its code_ogr)
    skills: dict = field(default_factory=dict)
    contexts: dict = field(default_factory=dict)
    centres: dict = field(default_factory=dict)
    # link tuples, with official codes
    fiche_skills: list = field(default_factory=list)
    fiche_contexts: list = field(default_factory=list)
    mobilities: list = field(default_factory=list)
    fiche_interests: list = field(default_factory=list)

    def counts(self):
        return {
            "fiches": len(self.fiches),
            "appellations": len(self.appellations),
            "compétences": len(self.skills),
            "contextes": len(self.contexts),
            "centres_interet": len(self.centres),
            "liens_competences": len(self.fiche_skills),
            "liens_contextes": len(self.fiche_contexts),
            "mobilites": len(self.mobilities),
            "liens_centres_interet": len(self.fiche_interests),
        }


def version_label(digits):
    """'460' → '4.60'."""
    return f"{digits[0]}.{digits[1:]}"


def version_key(label):
    major, _, minor = label.partition(".")
    return int(major), int(minor or 0)


def locate_files(path):
    """(version, {key: SourceFile}) of the pack in a folder or a zip archive."""
    path = Path(path)
    if path.is_dir():
        candidates = [(p.name, SourceFile(p)) for p in sorted(path.iterdir()) if p.is_file()]
    elif path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            candidates = [
                (Path(member).name, SourceFile(path, member))
                for member in archive.namelist()
                if not member.endswith("/")
            ]
    else:
        raise ImportFileError(
            path.name, "ni un dossier ni une archive zip du référentiel ROME (RefRomeCsv)."
        )
    found, versions = {}, {}
    for name, source in candidates:
        match = FILE_NAME.match(name)
        if match and match["key"] in FILES:
            found[match["key"]] = source
            versions.setdefault(match["version"], name)
    missing = [key for key in FILES if key not in found]
    if missing:
        raise ImportFileError(
            path.name,
            "fichiers absents du paquet ROME : "
            + ", ".join(f"unix_{key}_vNNN_utf8.csv" for key in missing),
        )
    if len(versions) > 1:
        raise ImportFileError(
            path.name,
            "le paquet mélange plusieurs versions : "
            + ", ".join(f"{version_label(v)} ({name})" for v, name in versions.items()),
        )
    return version_label(next(iter(versions))), found


def read_pack(path):
    version, files = locate_files(path)
    tables = {key: read_table(files[key], columns) for key, columns in FILES.items()}
    pack = RomePack(version=version, sources=[source.name for source in files.values()])
    _read_fiches(pack, tables)
    _read_appellations(pack, tables["referentiel_appellation"])
    _read_skills(pack, tables)
    _read_contexts(pack, tables["referentiel_contexte_travail"])
    _read_links(pack, tables["liens_rome_referentiels"])
    _read_mobilities(pack, tables["rubrique_mobilite"])
    _read_interests(pack, tables["centre_interet"], tables["arborescence_centre_interet"])
    return pack


# --- field checks ------------------------------------------------------------------------


def _integer(table, at, column, value):
    if not value.isdigit():
        raise table.error(at, column, f"« {value} » n'est pas un nombre entier positif.")
    return int(value)


def _rome_code(table, at, column, value):
    if not ROME_CODE.match(value):
        raise table.error(
            at,
            column,
            f"« {value} » n'est pas un code ROME valide (une lettre de A à N et 4 chiffres).",
        )
    return value


def _known(table, at, column, value, known, what):
    if value not in known:
        raise table.error(at, column, f"{what} « {value} » inconnu du référentiel.")
    return value


def _choice(table, at, column, value, choices):
    try:
        return choices[value]
    except KeyError:
        allowed = ", ".join(f"« {choice} »" for choice in choices)
        raise table.error(
            at, column, f"valeur « {value} » inattendue (valeurs permises : {allowed})."
        ) from None


def _unique(table, at, column, key, seen):
    if key in seen:
        shown = " – ".join(map(str, key)) if isinstance(key, tuple) else key
        raise table.error(
            at, column, f"« {shown} » en double (déjà ligne {table.line(seen[key])})."
        )
    seen[key] = at


def _riasec(table, at, column, value):
    if value and (len(value) != 1 or value not in RIASEC_LETTERS):
        raise table.error(
            at, column, f"« {value} » n'est pas une lettre RIASEC (R, I, A, S, E, C)."
        )
    return value


# --- files -------------------------------------------------------------------------------


def _read_fiches(pack, tables):
    table = tables["referentiel_code_rome"]
    col = table.index
    seen, seen_ogr, parents = {}, {}, []
    for at, row in enumerate(table.rows):
        code = _rome_code(table, at, "code_rome", row[col("code_rome")])
        _unique(table, at, "code_rome", code, seen)
        code_ogr = _integer(table, at, "code_ogr", row[col("code_ogr")])
        _unique(table, at, "code_ogr", code_ogr, seen_ogr)
        parent = _rome_code(table, at, "code_rome_parent", row[col("code_rome_parent")] or code)
        parents.append((at, parent))
        sheet = row[col("code_fiche_metier")]
        label = row[col("libelle_rome")].strip()
        pack.fiches[code] = {
            "code_ogr": code_ogr,
            "label": label,
            "parent_code": parent,
            "sheet_number": _integer(table, at, "code_fiche_metier", sheet) if sheet else None,
            "major_domain_code": "",
            "major_domain_label": "",
            "domain_code": "",
            "domain_label": "",
            "riasec_major": "",
            "riasec_minor": "",
            "definition": "",
            "access": "",
            "is_executive": _choice(table, at, "emploi_cadre", row[col("emploi_cadre")], YES_NO),
            "is_regulated": _choice(
                table, at, "emploi_reglemente", row[col("emploi_reglemente")], YES_NO
            ),
            "ecological_transition": row[col("transition_eco")].strip(),
        }
    for at, parent in parents:
        _known(table, at, "code_rome_parent", parent, pack.fiches, "code ROME parent")
    _read_domains(pack, tables["cr_gd_dp"])
    _read_riasec(pack, tables["referentiel_code_rome_riasec"])
    _read_texts(pack, tables["texte"])


def _read_domains(pack, table):
    col = table.index
    for at, row in enumerate(table.rows):
        code = _known(table, at, "code_rome", row[col("code_rome")], pack.fiches, "code ROME")
        pack.fiches[code].update(
            major_domain_code=row[col("code_grand_domaine")],
            major_domain_label=row[col("libelle_grand_domaine")].strip(),
            domain_code=row[col("code_domaine_professionel")],
            domain_label=row[col("libelle_domaine_professionel")].strip(),
        )


def _read_riasec(pack, table):
    col = table.index
    for at, row in enumerate(table.rows):
        code = _known(table, at, "code_rome", row[col("code_rome")], pack.fiches, "code ROME")
        pack.fiches[code].update(
            riasec_major=_riasec(table, at, "riasec_majeur", row[col("riasec_majeur")]),
            riasec_minor=_riasec(table, at, "riasec_mineur", row[col("riasec_mineur")]),
        )


def _read_texts(pack, table):
    col = table.index
    phrases = {}
    for at, row in enumerate(table.rows):
        code = _known(table, at, "code_rome", row[col("code_rome")], pack.fiches, "code ROME")
        kind = _choice(table, at, "libelle_type_texte", row[col("libelle_type_texte")], TEXT_KINDS)
        position = _integer(table, at, "position_phrase", row[col("position_phrase")])
        # The official texts double their apostrophes (« l''analyse »).
        text = " ".join(row[col("libelle_texte")].replace("''", "'").split())
        phrases.setdefault((code, kind), []).append((position, text))
    for (code, kind), lines in phrases.items():
        pack.fiches[code][kind] = "\n".join(text for _, text in sorted(lines) if text)


def _read_appellations(pack, table):
    col = table.index
    fiches = pack.fiches
    i_code, i_long, i_short, i_rome = (
        col("code_ogr"),
        col("libelle_appellation_long"),
        col("libelle_appellation_court"),
        col("code_rome"),
    )
    i_class, i_rare = col("classification"), col("peu_usite")
    classifications = {"PRINCIPALE": "PRINCIPALE", "SYNONYME": "SYNONYME"}
    rarely = {"O": True, "N": False, "": False}
    seen = {}
    for at, row in enumerate(table.rows):
        code = _integer(table, at, "code_ogr", row[i_code])
        _unique(table, at, "code_ogr", code, seen)
        fiche = _known(table, at, "code_rome", row[i_rome], fiches, "code ROME")
        label, short = row[i_long].strip(), row[i_short].strip()
        pack.appellations[code] = {
            "label": label,
            "short_label": short or label,
            "fiche": fiche,
            "classification": _choice(table, at, "classification", row[i_class], classifications),
            "is_rarely_used": _choice(table, at, "peu_usite", row[i_rare], rarely),
            "search_text": search_text(label, short),
        }


def _read_skills(pack, tables):
    table = tables["referentiel_competence"]
    col = table.index
    seen, macro_refs = {}, []
    for at, row in enumerate(table.rows):
        code = _integer(table, at, "code_ogr", row[col("code_ogr")])
        _unique(table, at, "code_ogr", code, seen)
        macro = row[col("code_ogr_macro_comp")]
        if macro:
            macro_refs.append((at, code, _integer(table, at, "code_ogr_macro_comp", macro)))
        label = row[col("libelle_competence")].strip()
        pack.skills[code] = {
            "label": label,
            "kind": _choice(table, at, "cat_comp", row[col("cat_comp")], SKILL_CATEGORIES),
            "is_macro": _choice(table, at, "nature", row[col("nature")], SKILL_NATURES),
            "macro": None,
            "macro_code": row[col("code_macro_comp")].strip(),
            "category": row[col("sous_cat_comp")].strip(),
            "subcategory": "",
            "definition": row[col("definition")].strip(),
            "riasec_major": "",
            "riasec_minor": "",
        }
    for at, code, macro in macro_refs:
        _known(table, at, "code_ogr_macro_comp", macro, pack.skills, "code de macro-compétence")
        if not pack.skills[macro]["is_macro"]:
            raise table.error(
                at, "code_ogr_macro_comp", f"« {macro} » n'est pas une macro-compétence."
            )
        pack.skills[code]["macro"] = macro
    _read_macro_riasec(pack, tables["referentiel_macro_competence_riasec"])
    _read_knowledge(pack, tables["referentiel_savoir"], seen)


def _read_macro_riasec(pack, table):
    col = table.index
    for at, row in enumerate(table.rows):
        code = _integer(table, at, "code_ogr", row[col("code_ogr")])
        _known(table, at, "code_ogr", code, pack.skills, "code de macro-compétence")
        pack.skills[code].update(
            riasec_major=_riasec(table, at, "riasec_majeur", row[col("riasec_majeur")]),
            riasec_minor=_riasec(table, at, "riasec_mineur", row[col("riasec_mineur")]),
        )


def _read_knowledge(pack, table, skill_lines):
    col = table.index
    seen = {}
    for at, row in enumerate(table.rows):
        code = _integer(table, at, "code_ogr_savoir", row[col("code_ogr_savoir")])
        _unique(table, at, "code_ogr_savoir", code, seen)
        if code in skill_lines:
            raise table.error(
                at,
                "code_ogr_savoir",
                f"le code « {code} » est déjà celui d'une compétence du fichier "
                "unix_referentiel_competence.",
            )
        label = row[col("libelle_savoir")].strip()
        pack.skills[code] = {
            "label": label,
            "kind": "savoir",
            "is_macro": False,
            "macro": None,
            "macro_code": "",
            "category": row[col("categorie_savoir")].strip(),
            "subcategory": row[col("sous_categorie_savoir")].strip(),
            "definition": "",
            "riasec_major": "",
            "riasec_minor": "",
        }


def _read_contexts(pack, table):
    col = table.index
    seen = {}
    for at, row in enumerate(table.rows):
        code = _integer(table, at, "code_ogr", row[col("code_ogr")])
        _unique(table, at, "code_ogr", code, seen)
        pack.contexts[code] = {
            "label": row[col("libelle_cont_travail")].strip(),
            "type_code": _integer(
                table, at, "code_type_cont_trav", row[col("code_type_cont_trav")]
            ),
            "type_label": row[col("libelle_type_cont_trav")].strip(),
        }


def _read_links(pack, table: Table):
    col = table.index
    i_rome, i_bloc, i_rub, i_ogr = (
        col("code_rome"),
        col("code_compo_bloc"),
        col("code_rubrique"),
        col("code_ogr"),
    )
    fiches, appellations, skills, contexts = (
        pack.fiches,
        pack.appellations,
        pack.skills,
        pack.contexts,
    )
    fiche_skills, fiche_contexts = pack.fiche_skills, pack.fiche_contexts
    seen = set()
    for at, row in enumerate(table.rows):
        rome, bloc, ogr = row[i_rome], row[i_bloc], row[i_ogr]
        if rome not in fiches:
            _known(table, at, "code_rome", rome, fiches, "code ROME")
        if bloc not in KNOWN_BLOCS:
            _choice(table, at, "code_compo_bloc", bloc, dict.fromkeys(sorted(KNOWN_BLOCS)))
        if bloc == BLOC_SKILLS:
            code = _linked(table, at, ogr, skills, "code de compétence")
            rubrique = _choice(table, at, "code_rubrique", row[i_rub], RUBRIQUES)
            if (rome, code) in seen:
                raise table.error(at, "code_ogr", f"lien « {rome} – {code} » en double.")
            seen.add((rome, code))
            fiche_skills.append((rome, code, rubrique))
        elif bloc == BLOC_CONTEXTS:
            fiche_contexts.append((rome, _linked(table, at, ogr, contexts, "contexte de travail")))
        elif bloc == BLOC_APPELLATIONS:
            code = _linked(table, at, ogr, appellations, "code d'appellation")
            if appellations[code]["fiche"] != rome:
                raise table.error(
                    at,
                    "code_rome",
                    f"l'appellation « {code} » est rattachée à la fiche "
                    f"« {appellations[code]['fiche']} » dans unix_referentiel_appellation, "
                    f"pas à « {rome} ».",
                )


def _linked(table, at, value, known, what):
    code = int(value) if value.isdigit() else _integer(table, at, "code_ogr", value)
    if code not in known:
        raise table.error(at, "code_ogr", f"{what} « {value} » inconnu du référentiel.")
    return code


def _read_mobilities(pack, table):
    col = table.index
    seen = {}
    for at, row in enumerate(table.rows):
        source = _known(table, at, "code_rome", row[col("code_rome")], pack.fiches, "code ROME")
        target = _known(
            table, at, "code_rome_cible", row[col("code_rome_cible")], pack.fiches, "code ROME"
        )
        if source == target:
            raise table.error(at, "code_rome_cible", "une mobilité vers la même fiche.")
        _unique(table, at, "code_rome_cible", (source, target), seen)
        rank = _integer(table, at, "numero_ordre", row[col("numero_ordre")])
        pack.mobilities.append((source, target, rank))


def _read_interests(pack, centres_table, links_table):
    col = centres_table.index
    seen = {}
    for at, row in enumerate(centres_table.rows):
        code = _integer(centres_table, at, "code_centre_interet", row[col("code_centre_interet")])
        _unique(centres_table, at, "code_centre_interet", code, seen)
        pack.centres[code] = {
            "label": row[col("libelle_centre_interet")].strip(),
            "definition": row[col("definition_centre_interet")].strip(),
        }
    col = links_table.index
    seen = {}
    for at, row in enumerate(links_table.rows):
        centre = _integer(links_table, at, "code_centre_interet", row[col("code_centre_interet")])
        _known(links_table, at, "code_centre_interet", centre, pack.centres, "centre d'intérêt")
        fiche = _known(
            links_table, at, "code_rome", row[col("code_rome")], pack.fiches, "code ROME"
        )
        _unique(links_table, at, "code_rome", (centre, fiche), seen)
        is_main = _choice(
            links_table, at, "principal", row[col("principal")], {"oui": True, "non": False}
        )
        pack.fiche_interests.append((centre, fiche, is_main))
