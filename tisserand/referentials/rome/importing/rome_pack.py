"""The official ROME 4.0 CSV pack (« RefRomeCsv »), read and checked in memory.

``read_pack(path)`` takes the folder or the zip of ``unix_*_vNNN_utf8.csv`` files and returns a
``RomePack``: plain dictionaries keyed by official codes, every cross-reference checked. Nothing
here touches the database.
"""

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tisserand.referentials.lengths import field_of, length_problem
from tisserand.referentials.rome.importing.csvfiles import (
    ImportFileError,
    SourceFile,
    read_table,
)
from tisserand.referentials.rome.models import (
    RIASEC_LETTERS,
    Appellation,
    Fiche,
    InterestCentre,
    Skill,
    WorkContext,
)
from tisserand.referentials.rome.text import search_text

FILE_NAME = re.compile(r"^unix_(?P<key>[a-z_]+)_v(?P<version>\d{3,})_utf8\.csv(\.gz|\.xz|\.bz2)?$")
ROME_CODE = re.compile(r"[A-N][0-9]{4}")
ROME_CODE_RULE = "une lettre de A à N et 4 chiffres (M1805)."
RIASEC = {letter: letter for letter in ["", *RIASEC_LETTERS]}

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
    "coherence_item": ("code_rome", "code_ogr", "coeur_metier"),
    "rubrique_mobilite": ("code_rome", "code_rome_cible", "numero_ordre"),
    "centre_interet": (
        "code_centre_interet",
        "libelle_centre_interet",
        "definition_centre_interet",
    ),
    "arborescence_centre_interet": ("code_centre_interet", "code_rome", "principal"),
}

CLASSIFICATIONS = {"PRINCIPALE": "PRINCIPALE", "SYNONYME": "SYNONYME"}
RARELY_USED = {"O": True, "N": False, "": False}
SKILL_CATEGORIES = {"Savoir-faire": "savoir_faire", "Savoir-être professionnel": "savoir_etre"}
SKILL_NATURES = {"Compétence": False, "Macro-compétence": True}
RUBRIQUES = {"1": 1, "2": 2, "3": 3}
CORE_FLAGS = {"": "", "Principale": "principale", "Émergente": "emergente"}
YES_NO = {"O": True, "N": False, "": None}
TEXT_KINDS = {"definition": "definition", "acces_metier": "access"}
# Blocs of the link file: 2 appellations, 5 skills, 6 work contexts. The others (1: the fiche
# itself) carry nothing the referential needs.
BLOC_APPELLATIONS, BLOC_SKILLS, BLOC_CONTEXTS = "2", "5", "6"
KNOWN_BLOCS = {bloc: bloc for bloc in "12345678"}


# Referential rows are tuples of these model fields, keyed by the official code.
FICHE_FIELDS = (
    "code_ogr",
    "label",
    "parent_code",
    "sheet_number",
    "major_domain_code",
    "major_domain_label",
    "domain_code",
    "domain_label",
    "riasec_major",
    "riasec_minor",
    "definition",
    "access",
    "is_executive",
    "is_regulated",
    "ecological_transition",
)
APPELLATION_FIELDS = (
    "label",
    "short_label",
    "fiche",
    "classification",
    "is_rarely_used",
    "search_text",
)
SKILL_FIELDS = (
    "label",
    "kind",
    "is_macro",
    "macro",
    "macro_code",
    "category",
    "subcategory",
    "definition",
    "riasec_major",
    "riasec_minor",
)
CONTEXT_FIELDS = ("label", "type_code", "type_label")
CENTRE_FIELDS = ("label", "definition")


@dataclass
class RomePack:
    version: str
    sources: list = field(default_factory=list)
    # {code: tuple of *_FIELDS}; foreign keys (fiche, macro) as official codes
    fiches: dict = field(default_factory=dict)
    appellations: dict = field(default_factory=dict)
    skills: dict = field(default_factory=dict)
    contexts: dict = field(default_factory=dict)
    centres: dict = field(default_factory=dict)
    # link tuples, with official codes; fiche_skills: (fiche, skill, rubrique, cœur de métier)
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
    version = version_label(next(iter(versions)))
    problem = length_problem(version, field_of(Fiche, "first_version"))
    if problem:
        raise ImportFileError(path.name, f"version « {version} » des noms de fichiers : {problem}")
    return version, found


def read_pack(path):
    version, files = locate_files(path)
    tables = {key: read_table(files[key], columns) for key, columns in FILES.items()}
    pack = RomePack(version=version, sources=[source.name for source in files.values()])
    _read_fiches(pack, tables)
    _read_appellations(pack, tables["referentiel_appellation"])
    _read_skills(pack, tables)
    _read_contexts(pack, tables["referentiel_contexte_travail"])
    _read_links(pack, tables["liens_rome_referentiels"])
    _read_core_flags(pack, tables["coherence_item"])
    _read_mobilities(pack, tables["rubrique_mobilite"])
    _read_interests(pack, tables["centre_interet"], tables["arborescence_centre_interet"])
    return pack


# --- the fiches and what describes them --------------------------------------------------


def _read_fiches(pack, tables):
    table = tables["referentiel_code_rome"]
    codes = table.matching("code_rome", table.column("code_rome"), ROME_CODE, ROME_CODE_RULE)
    table.unique("code_rome", codes)
    code_ogrs = table.unique("code_ogr", table.integers("code_ogr", table.column("code_ogr")))
    parents = [
        parent or code for parent, code in zip(table.column("code_rome_parent"), codes, strict=True)
    ]
    table.matching("code_rome_parent", parents, ROME_CODE, ROME_CODE_RULE)
    table.known("code_rome_parent", parents, set(codes), "code ROME parent")
    sheets = table.column("code_fiche_metier")
    sheet_indices = [at for at, sheet in enumerate(sheets) if sheet]
    numbers = dict(
        zip(
            sheet_indices,
            table.integers(
                "code_fiche_metier", [sheets[at] for at in sheet_indices], sheet_indices
            ),
            strict=True,
        )
    )
    executive = table.choices("emploi_cadre", table.column("emploi_cadre"), YES_NO)
    regulated = table.choices("emploi_reglemente", table.column("emploi_reglemente"), YES_NO)
    labels = table.texts("libelle_rome", field_of(Fiche, "label"))
    transitions = table.texts("transition_eco", field_of(Fiche, "ecological_transition"))
    fiches = {}
    for at, code in enumerate(codes):
        fiches[code] = {
            "code_ogr": code_ogrs[at],
            "label": labels[at],
            "parent_code": parents[at],
            "sheet_number": numbers.get(at),
            "major_domain_code": "",
            "major_domain_label": "",
            "domain_code": "",
            "domain_label": "",
            "riasec_major": "",
            "riasec_minor": "",
            "definition": "",
            "access": "",
            "is_executive": executive[at],
            "is_regulated": regulated[at],
            "ecological_transition": transitions[at],
        }
    _read_domains(fiches, tables["cr_gd_dp"])
    _read_riasec(fiches, tables["referentiel_code_rome_riasec"])
    _read_texts(fiches, tables["texte"])
    pack.fiches = {code: tuple(row[name] for name in FICHE_FIELDS) for code, row in fiches.items()}


def _fiche_codes(table, fiches):
    return table.known("code_rome", table.column("code_rome"), fiches, "code ROME")


def _read_domains(fiches, table):
    columns = zip(
        _fiche_codes(table, fiches),
        table.fitting(
            "code_grand_domaine",
            table.column("code_grand_domaine"),
            field_of(Fiche, "major_domain_code"),
        ),
        table.texts("libelle_grand_domaine", field_of(Fiche, "major_domain_label")),
        table.fitting(
            "code_domaine_professionel",
            table.column("code_domaine_professionel"),
            field_of(Fiche, "domain_code"),
        ),
        table.texts("libelle_domaine_professionel", field_of(Fiche, "domain_label")),
        strict=True,
    )
    for code, major, major_label, domain, domain_label in columns:
        fiches[code].update(
            major_domain_code=major,
            major_domain_label=major_label,
            domain_code=domain,
            domain_label=domain_label,
        )


def _read_riasec(fiches, table):
    codes = _fiche_codes(table, fiches)
    majors = table.choices("riasec_majeur", table.column("riasec_majeur"), RIASEC)
    minors = table.choices("riasec_mineur", table.column("riasec_mineur"), RIASEC)
    for code, major, minor in zip(codes, majors, minors, strict=True):
        fiches[code].update(riasec_major=major, riasec_minor=minor)


def _read_texts(fiches, table):
    codes = _fiche_codes(table, fiches)
    kinds = table.choices("libelle_type_texte", table.column("libelle_type_texte"), TEXT_KINDS)
    positions = table.integers("position_phrase", table.column("position_phrase"))
    phrases = {}
    for code, kind, position, text in zip(
        codes, kinds, positions, table.column("libelle_texte"), strict=True
    ):
        # The official texts double their apostrophes (« l''analyse »).
        text = " ".join(text.replace("''", "'").split())
        phrases.setdefault((code, kind), []).append((position, text))
    for (code, kind), lines in phrases.items():
        fiches[code][kind] = "\n".join(text for _, text in sorted(lines) if text)


# --- appellations, skills, contexts, interest centres -------------------------------------


def _read_appellations(pack, table):
    codes = table.unique("code_ogr", table.integers("code_ogr", table.column("code_ogr")))
    labels = table.texts("libelle_appellation_long", field_of(Appellation, "label"))
    shorts = table.texts("libelle_appellation_court", field_of(Appellation, "short_label"))
    shorts = [short or label for short, label in zip(shorts, labels, strict=True)]
    pack.appellations = dict(
        zip(
            codes,
            zip(
                labels,
                shorts,
                _fiche_codes(table, pack.fiches),
                table.choices("classification", table.column("classification"), CLASSIFICATIONS),
                table.choices("peu_usite", table.column("peu_usite"), RARELY_USED),
                map(search_text, labels, shorts),
                strict=True,
            ),
            strict=True,
        )
    )


def _read_skills(pack, tables):
    table = tables["referentiel_competence"]
    codes = table.unique("code_ogr", table.integers("code_ogr", table.column("code_ogr")))
    is_macro = table.choices("nature", table.column("nature"), SKILL_NATURES)
    macros = _macro_references(table, codes, is_macro)
    empty = [""] * len(codes)
    skills = dict(
        zip(
            codes,
            zip(
                table.texts("libelle_competence", field_of(Skill, "label")),
                table.choices("cat_comp", table.column("cat_comp"), SKILL_CATEGORIES),
                is_macro,
                macros,
                table.texts("code_macro_comp", field_of(Skill, "macro_code")),
                table.texts("sous_cat_comp", field_of(Skill, "subcategory")),
                empty,
                map(str.strip, table.column("definition")),
                empty,
                empty,
                strict=True,
            ),
            strict=True,
        )
    )
    _read_macro_riasec(skills, tables["referentiel_macro_competence_riasec"])
    skills.update(_read_knowledge(tables["referentiel_savoir"], skills))
    pack.skills = skills


def _macro_references(table, codes, is_macro):
    """The macro-skill code of each skill (None for none), each a known macro-skill."""
    values = table.column("code_ogr_macro_comp")
    indices = [at for at, value in enumerate(values) if value]
    referenced = table.integers("code_ogr_macro_comp", [values[at] for at in indices], indices)
    macro_codes = {code for code, macro in zip(codes, is_macro, strict=True) if macro}
    table.known("code_ogr_macro_comp", referenced, macro_codes, "code de macro-compétence", indices)
    macros = [None] * len(codes)
    for at, macro in zip(indices, referenced, strict=True):
        macros[at] = macro
    return macros


def _read_macro_riasec(skills, table):
    codes = table.integers("code_ogr", table.column("code_ogr"))
    macro_codes = {code for code, row in skills.items() if row[SKILL_FIELDS.index("is_macro")]}
    table.known("code_ogr", codes, macro_codes, "code de macro-compétence")
    majors = table.choices("riasec_majeur", table.column("riasec_majeur"), RIASEC)
    minors = table.choices("riasec_mineur", table.column("riasec_mineur"), RIASEC)
    for code, major, minor in zip(codes, majors, minors, strict=True):
        skills[code] = (*skills[code][:-2], major, minor)


def _read_knowledge(table, skills):
    codes = table.integers("code_ogr_savoir", table.column("code_ogr_savoir"))
    table.unique("code_ogr_savoir", codes)
    clash = set(codes).intersection(skills)
    if clash:
        at = next(at for at, code in enumerate(codes) if code in clash)
        raise table.error(
            at,
            "code_ogr_savoir",
            f"le code « {codes[at]} » est déjà celui d'une compétence du fichier "
            "unix_referentiel_competence.",
        )
    count = len(codes)
    return zip(
        codes,
        zip(
            table.texts("libelle_savoir", field_of(Skill, "label")),
            ["savoir"] * count,
            [False] * count,
            [None] * count,
            [""] * count,
            table.texts("categorie_savoir", field_of(Skill, "category")),
            table.texts("sous_categorie_savoir", field_of(Skill, "subcategory")),
            [""] * count,
            [""] * count,
            [""] * count,
            strict=True,
        ),
        strict=True,
    )


def _read_contexts(pack, table):
    codes = table.unique("code_ogr", table.integers("code_ogr", table.column("code_ogr")))
    pack.contexts = dict(
        zip(
            codes,
            zip(
                table.texts("libelle_cont_travail", field_of(WorkContext, "label")),
                table.integers("code_type_cont_trav", table.column("code_type_cont_trav")),
                table.texts("libelle_type_cont_trav", field_of(WorkContext, "type_label")),
                strict=True,
            ),
            strict=True,
        )
    )


def _read_interests(pack, centres_table, links_table):
    table = centres_table
    codes = table.integers("code_centre_interet", table.column("code_centre_interet"))
    table.unique("code_centre_interet", codes)
    pack.centres = dict(
        zip(
            codes,
            zip(
                table.texts("libelle_centre_interet", field_of(InterestCentre, "label")),
                map(str.strip, table.column("definition_centre_interet")),
                strict=True,
            ),
            strict=True,
        )
    )
    table = links_table
    centres = table.integers("code_centre_interet", table.column("code_centre_interet"))
    table.known("code_centre_interet", centres, pack.centres, "centre d'intérêt")
    fiches = _fiche_codes(table, pack.fiches)
    table.unique("code_rome", list(zip(centres, fiches, strict=True)))
    mains = table.choices("principal", table.column("principal"), {"oui": True, "non": False})
    pack.fiche_interests = list(zip(centres, fiches, mains, strict=True))


# --- the link file and the mobility graph -------------------------------------------------


def _read_links(pack, table):
    """Bloc 2 (appellations) must agree with the appellation file; blocs 5 and 6 are kept."""
    romes = _fiche_codes(table, pack.fiches)
    blocs = table.choices("code_compo_bloc", table.column("code_compo_bloc"), KNOWN_BLOCS)
    by_bloc = {}
    for at, bloc in enumerate(blocs):
        by_bloc.setdefault(bloc, []).append(at)
    skills = by_bloc.get(BLOC_SKILLS, [])
    skill_romes = [romes[at] for at in skills]
    skill_codes = _linked(table, skills, pack.skills, "code de compétence")
    rubriques = table.choices(
        "code_rubrique", table.column("code_rubrique", skills), RUBRIQUES, skills
    )
    table.unique("code_ogr", list(zip(skill_romes, skill_codes, strict=True)), skills)
    pack.fiche_skills = list(zip(skill_romes, skill_codes, rubriques, strict=True))

    contexts = by_bloc.get(BLOC_CONTEXTS, [])
    context_codes = _linked(table, contexts, pack.contexts, "contexte de travail")
    context_links = list(zip((romes[at] for at in contexts), context_codes, strict=True))
    pack.fiche_contexts = table.unique("code_ogr", context_links, contexts)

    appellations = by_bloc.get(BLOC_APPELLATIONS, [])
    codes = _linked(table, appellations, pack.appellations, "code d'appellation")
    fiche_of = APPELLATION_FIELDS.index("fiche")
    for at, code in zip(appellations, codes, strict=True):
        expected = pack.appellations[code][fiche_of]
        if romes[at] != expected:
            raise table.error(
                at,
                "code_rome",
                f"l'appellation « {code} » est rattachée à la fiche « {expected} » dans "
                f"unix_referentiel_appellation, pas à « {romes[at]} ».",
            )


def _read_core_flags(pack, table):
    """The « cœur de métier » flags of the coherence file, set on the fiche–skill links.

    Only flagged records matter (the others repeat the link file); each must name a skill
    link of the link file, once."""
    flags = table.choices("coeur_metier", table.column("coeur_metier"), CORE_FLAGS)
    flagged = [at for at, flag in enumerate(flags) if flag]
    romes = table.column("code_rome", flagged)
    codes = table.integers("code_ogr", table.column("code_ogr", flagged), flagged)
    pairs = table.unique("code_ogr", list(zip(romes, codes, strict=True)), flagged)
    linked = {(rome, skill) for rome, skill, _ in pack.fiche_skills}
    for at, (rome, skill) in zip(flagged, pairs, strict=True):
        if (rome, skill) not in linked:
            raise table.error(
                at,
                "code_ogr",
                f"la compétence « {skill} » n'est pas liée à la fiche « {rome} » dans "
                "unix_liens_rome_referentiels.",
            )
    flag_of = dict(zip(pairs, (flags[at] for at in flagged), strict=True))
    pack.fiche_skills = [
        (rome, skill, rubrique, flag_of.get((rome, skill), ""))
        for rome, skill, rubrique in pack.fiche_skills
    ]


def _linked(table, indices, known, what):
    codes = table.integers("code_ogr", table.column("code_ogr", indices), indices)
    return table.known("code_ogr", codes, known, what, indices)


def _read_mobilities(pack, table):
    sources = _fiche_codes(table, pack.fiches)
    targets = table.known(
        "code_rome_cible", table.column("code_rome_cible"), pack.fiches, "code ROME"
    )
    for at, (source, target) in enumerate(zip(sources, targets, strict=True)):
        if source == target:
            raise table.error(at, "code_rome_cible", "une mobilité vers la même fiche.")
    table.unique("code_rome_cible", list(zip(sources, targets, strict=True)))
    ranks = table.integers("numero_ordre", table.column("numero_ordre"))
    pack.mobilities = list(zip(sources, targets, ranks, strict=True))
