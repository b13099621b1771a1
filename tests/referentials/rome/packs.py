"""A tiny, consistent ROME pack in the official format, written by the tests themselves.

``write_pack(folder, version="460", **changes)`` writes the 14 files the import reads; each
keyword (a file key such as ``referentiel_appellation``) replaces that file's rows, given as
lists of values in the order of ``HEADERS``.
"""

import csv

HEADERS = {
    "referentiel_code_rome": [
        "code_rome",
        "code_fiche_metier",
        "code_ogr",
        "libelle_rome",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_reglemente",
        "emploi_cadre",
        "code_rome_parent",
    ],
    "cr_gd_dp": [
        "code_rome",
        "libelle_rome",
        "code_grand_domaine",
        "libelle_grand_domaine",
        "code_domaine_professionel",
        "libelle_domaine_professionel",
    ],
    "referentiel_code_rome_riasec": ["code_rome", "riasec_majeur", "riasec_mineur"],
    "texte": [
        "code_rome",
        "code_compo_bloc",
        "libelle_type_texte",
        "position_phrase",
        "libelle_texte",
    ],
    "referentiel_appellation": [
        "code_ogr",
        "libelle_appellation_long",
        "libelle_appellation_court",
        "code_rome",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_reglemente",
        "emploi_cadre",
        "classification",
        "origine",
        "code_rome_parent",
        "peu_usite",
    ],
    "referentiel_competence": [
        "code_ogr",
        "nature",
        "libelle_competence",
        "definition",
        "code_ogr_macro_comp",
        "code_macro_comp",
        "cat_comp",
        "sous_cat_comp",
        "transition_eco",
        "transition_num",
        "libelle_heterogeneite",
        "libelle_origine",
    ],
    "referentiel_macro_competence_riasec": ["code_ogr", "riasec_majeur", "riasec_mineur"],
    "referentiel_savoir": [
        "code_ogr_savoir",
        "libelle_savoir",
        "categorie_savoir",
        "sous_categorie_savoir",
        "transition_eco",
        "transition_num",
    ],
    "referentiel_contexte_travail": [
        "code_ogr",
        "libelle_cont_travail",
        "code_type_cont_trav",
        "libelle_type_cont_trav",
    ],
    "liens_rome_referentiels": ["code_rome", "code_compo_bloc", "code_rubrique", "code_ogr"],
    "coherence_item": ["code_rome", "code_ogr", "coeur_metier"],
    "rubrique_mobilite": ["code_rome", "code_rome_cible", "numero_ordre"],
    "centre_interet": [
        "code_centre_interet",
        "libelle_centre_interet",
        "definition_centre_interet",
    ],
    "arborescence_centre_interet": [
        "code_centre_interet",
        "libelle_centre_interet",
        "code_ogr_rome",
        "code_rome",
        "libelle_rome",
        "principal",
    ],
}

FICHES = [
    [
        "A1101",
        "11",
        "6",
        "Conducteur / Conductrice d'engins agricoles",
        "",
        "",
        "",
        "N",
        "N",
        "A1101",
    ],
    [
        "A1102",
        "30047",
        "403950",
        "Conducteur / Conductrice d'engins forestiers",
        "",
        "",
        "",
        "",
        "",
        "A1101",
    ],
    [
        "M1805",
        "567",
        "494",
        "Développeur / Développeuse informatique",
        "",
        "",
        "",
        "N",
        "O",
        "M1805",
    ],
]
APPELLATIONS = [
    [
        "11987",
        "Conducteur / Conductrice d'engins agricoles",
        "Conducteur d'engins agricoles",
        "A1101",
        "",
        "",
        "",
        "",
        "",
        "PRINCIPALE",
        "",
        "A1101",
        "N",
    ],
    [
        "11988",
        "Tractoriste agricole",
        "Tractoriste",
        "A1101",
        "",
        "",
        "",
        "",
        "",
        "SYNONYME",
        "",
        "A1101",
        "O",
    ],
    [
        "20001",
        "Débardeur forestier / Débardeuse forestière",
        "Débardeur",
        "A1102",
        "",
        "",
        "",
        "",
        "",
        "PRINCIPALE",
        "",
        "A1101",
        "N",
    ],
    [
        "38935",
        "Développeur / Développeuse informatique",
        "Développeur informatique",
        "M1805",
        "",
        "",
        "",
        "",
        "",
        "PRINCIPALE",
        "",
        "M1805",
        "N",
    ],
    [
        "38936",
        "Programmeur / Programmeuse",
        "Programmeur",
        "M1805",
        "",
        "",
        "",
        "",
        "",
        "SYNONYME",
        "",
        "M1805",
        "N",
    ],
]
SKILLS = [
    [
        "300230",
        "Macro-compétence",
        "Conduire un engin",
        "Piloter un engin.",
        "",
        "4A101",
        "Savoir-faire",
        "Technique",
        "",
        "",
        "",
        "",
    ],
    [
        "100023",
        "Compétence",
        "Conduire un tracteur",
        "",
        "300230",
        "",
        "Savoir-faire",
        "Technique",
        "",
        "N",
        "",
        "",
    ],
    [
        "100024",
        "Compétence",
        "Atteler un outil",
        "",
        "300230",
        "",
        "Savoir-faire",
        "Technique",
        "",
        "N",
        "",
        "",
    ],
    [
        "300412",
        "Macro-compétence",
        "Être à l'écoute",
        "Écouter.",
        "",
        "6D101",
        "Savoir-être professionnel",
        "Transverse",
        "",
        "",
        "",
        "",
    ],
    [
        "300500",
        "Macro-compétence",
        "Développer une application",
        "",
        "",
        "4B101",
        "Savoir-faire",
        "Technique",
        "",
        "",
        "",
        "",
    ],
    [
        "100600",
        "Compétence",
        "Écrire des tests automatisés",
        "",
        "300500",
        "",
        "Savoir-faire",
        "Technique expert",
        "",
        "N",
        "",
        "",
    ],
]
KNOWLEDGE = [
    [
        "100003",
        "Fonctionnement des engins agricoles",
        "Produits, outils et matières",
        "Outils, machines, équipement matériel",
        "",
        "N",
    ],
    ["100700", "Langage Python", "Techniques professionnelles", "Langages informatiques", "", "N"],
]
CONTEXTS = [
    ["23374", "Travail le samedi", "2", "Horaires et durée du travail"],
    ["126450", "Travail en extérieur", "3", "Lieux et déplacements"],
]
LINKS = [
    ["A1101", "1", "", "6"],
    ["A1101", "2", "", "11987"],
    ["A1101", "2", "", "11988"],
    ["A1101", "5", "1", "100023"],
    ["A1101", "5", "1", "100024"],
    ["A1101", "5", "2", "300412"],
    ["A1101", "5", "3", "100003"],
    ["A1101", "6", "", "126450"],
    ["A1102", "2", "", "20001"],
    ["A1102", "5", "1", "100023"],
    ["A1102", "6", "", "126450"],
    ["M1805", "2", "", "38935"],
    ["M1805", "2", "", "38936"],
    ["M1805", "5", "1", "100600"],
    ["M1805", "5", "2", "300412"],
    ["M1805", "5", "3", "100700"],
    ["M1805", "6", "", "23374"],
]
# The coherence file repeats the skill and context links, flagging the « cœur de métier ».
CORE_FLAGS = {("A1101", "100023"): "Principale", ("M1805", "100600"): "Émergente"}


def coherence_of(links):
    return [
        [rome, code, CORE_FLAGS.get((rome, code), "")]
        for rome, bloc, _, code in links
        if bloc in ("5", "6")
    ]


COHERENCE = coherence_of(LINKS)
DEFAULT_ROWS = {
    "referentiel_code_rome": FICHES,
    "cr_gd_dp": [
        ["A1101", "", "A", "Agriculture", "A11", "Engins agricoles et forestiers"],
        ["A1102", "", "A", "Agriculture", "A11", "Engins agricoles et forestiers"],
        ["M1805", "", "M", "Support à l'entreprise", "M18", "Systèmes d'information"],
    ],
    "referentiel_code_rome_riasec": [["A1101", "R", ""], ["A1102", "R", "C"], ["M1805", "I", "C"]],
    "texte": [
        ["A1101", "3", "definition", "1", "Réalise des travaux agricoles mécanisés."],
        ["A1101", "3", "definition", "2", "Prépare les terrains."],
        ["A1101", "4", "acces_metier", "1", "Accessible avec un CAP."],
        ["M1805", "3", "definition", "2", "Participe à l''analyse des besoins"],
        ["M1805", "3", "definition", "1", "Conçoit des logiciels."],
    ],
    "referentiel_appellation": APPELLATIONS,
    "referentiel_competence": SKILLS,
    "referentiel_macro_competence_riasec": [["300230", "R", ""], ["300412", "S", "E"]],
    "referentiel_savoir": KNOWLEDGE,
    "referentiel_contexte_travail": CONTEXTS,
    "liens_rome_referentiels": LINKS,
    "coherence_item": COHERENCE,
    "rubrique_mobilite": [
        ["A1101", "A1102", "1"],
        ["A1102", "A1101", "1"],
        ["M1805", "A1101", "2"],
    ],
    "centre_interet": [["1", "J'ai envie de créer, construire", "Créer, construire."]],
    "arborescence_centre_interet": [
        ["1", "J'ai envie de créer, construire", "6", "A1101", "Conducteur", "oui"],
        ["1", "J'ai envie de créer, construire", "494", "M1805", "Développeur", "non"],
    ],
}


def file_name(key, version="460"):
    return f"unix_{key}_v{version}_utf8.csv"


def write_csv(path, header, rows, delimiter=",", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_pack(folder, version="460", **rows):
    """Unless given, the coherence file follows the link file given."""
    folder.mkdir(parents=True, exist_ok=True)
    if "liens_rome_referentiels" in rows:
        rows.setdefault("coherence_item", coherence_of(rows["liens_rome_referentiels"]))
    for key, header in HEADERS.items():
        write_csv(folder / file_name(key, version), header, rows.get(key, DEFAULT_ROWS[key]))
    return folder


def without(rows, *values):
    """``rows`` without those whose first value is one of ``values``."""
    return [row for row in rows if row[0] not in values]
