"""A small catalogue for the engine's unit tests (plain data, no database)."""

from tisserand.guidance.engine import (
    Catalogue,
    DemandFacts,
    InterestCentre,
    Occupation,
    Skill,
    SkillKind,
)

KNOW_HOW, KNOWLEDGE, SOFT = SkillKind.KNOW_HOW, SkillKind.KNOWLEDGE, SkillKind.SOFT_SKILL
CARE, CLEAN, DRIVE, WELCOME = 900, 902, 903, 901
HYGIENE_CARE, WATCH_HEALTH, WELCOME_PATIENT, CLEAN_ROOMS, DRIVE_VEHICLE = 100, 101, 102, 103, 104
HOSPITAL_HYGIENE, RIGOUR = 200, 300
CARER_DIPLOMA = 400
STANDING, HEAVY_LOADS = 300800, 300795
TAKE_CARE_OF_OTHERS, DRIVING = 22, 19

SKILLS = [
    Skill(CARE, "Soigner", KNOW_HOW, is_macro=True),
    Skill(WELCOME, "Accueillir", KNOW_HOW, is_macro=True),
    Skill(CLEAN, "Nettoyer", KNOW_HOW, is_macro=True),
    Skill(DRIVE, "Conduire", KNOW_HOW, is_macro=True),
    Skill(HYGIENE_CARE, "Réaliser des soins d'hygiène", KNOW_HOW, macro=CARE),
    Skill(WATCH_HEALTH, "Surveiller l'état de santé", KNOW_HOW, macro=CARE),
    Skill(WELCOME_PATIENT, "Accueillir un patient", KNOW_HOW, macro=WELCOME),
    Skill(CLEAN_ROOMS, "Entretenir les locaux", KNOW_HOW, macro=CLEAN),
    Skill(DRIVE_VEHICLE, "Conduire un véhicule léger", KNOW_HOW, macro=DRIVE),
    Skill(HOSPITAL_HYGIENE, "Hygiène hospitalière", KNOWLEDGE),
    Skill(RIGOUR, "Faire preuve de rigueur", SOFT, is_macro=True),
    Skill(CARER_DIPLOMA, "Diplôme d'État d'aide-soignant", KNOWLEDGE, is_certification=True),
]
CENTRES = [
    InterestCentre(TAKE_CARE_OF_OTHERS, "Je souhaite prendre soin des autres"),
    InterestCentre(DRIVING, "J'aime piloter, conduire"),
]
OCCUPATIONS = [
    Occupation(
        "J1501",
        "Aide-soignant / Aide-soignante",
        skills=(HYGIENE_CARE, WATCH_HEALTH, HOSPITAL_HYGIENE, RIGOUR, CARER_DIPLOMA),
        riasec="SR",
        interests=(TAKE_CARE_OF_OTHERS,),
        main_interests=(TAKE_CARE_OF_OTHERS,),
        mobilities=("J1301", "K2204"),
        contexts=(STANDING,),
        access_level=4,
        access_summary="Cet emploi est accessible avec un Diplôme d'État d'aide-soignant.",
    ),
    Occupation(
        "J1301",
        "Agent / Agente de service hospitalier",
        skills=(CLEAN_ROOMS, HOSPITAL_HYGIENE, RIGOUR, WELCOME_PATIENT),
        riasec="RS",
        interests=(TAKE_CARE_OF_OTHERS,),
        mobilities=("J1501",),
        access_level=1,
    ),
    Occupation(
        "K2204",
        "Agent / Agente de propreté",
        skills=(CLEAN_ROOMS, RIGOUR),
        riasec="R",
        contexts=(HEAVY_LOADS,),
        access_level=1,
        sectors=(("8121Z", 900), ("7830Z", 100)),
    ),
    Occupation(
        "N4101",
        "Chauffeur / Chauffeuse",
        skills=(DRIVE_VEHICLE, RIGOUR),
        riasec="R",
        interests=(DRIVING,),
        main_interests=(DRIVING,),
        access_level=3,
        sectors=(("4941A", 800), ("5229A", 200)),
    ),
    Occupation(
        "J1502",
        "Ambulancier / Ambulancière (fictif)",
        skills=(DRIVE_VEHICLE, RIGOUR),
        riasec="R",
        interests=(DRIVING,),
        main_interests=(DRIVING,),
        access_level=3,
    ),
    Occupation(
        "M1607",
        "Secrétaire",
        skills=(WELCOME_PATIENT, RIGOUR),
        riasec="C",
        access_level=4,
        sectors=(("7830Z", 500), ("8411Z", 500)),
    ),
    Occupation(
        "N1101",
        "Cariste",
        skills=(RIGOUR,),
        riasec="R",
        access_level=1,
        sectors=(("5210B", 600), ("4941A", 300), ("7830Z", 100)),
    ),
]


SECTOR_LABELS = {
    "4941A": "Transports routiers de fret interurbains",
    "5210B": "Entreposage et stockage non frigorifique",
    "5229A": "Messagerie, fret express",
    "7830Z": "Autre mise à disposition de ressources humaines",
    "8121Z": "Nettoyage courant des bâtiments",
    "8411Z": "Administration publique générale",
}


def catalogue():
    return Catalogue(OCCUPATIONS, SKILLS, CENTRES, version="test", sector_labels=SECTOR_LABELS)


def demand(catalogue, tensions):
    """A DemandVector with ``tensions`` ({code: index}) in a fictitious bassin."""
    facts = {
        code: DemandFacts(
            tension=index,
            scope="bassin",
            area_label="Bassin test",
            job_offers=100,
            job_seekers=50,
            hirings=1000,
            top_sectors=(("Activités hospitalières", 600),),
        )
        for code, index in tensions.items()
    }
    return catalogue.demand_vector(facts, "Bassin test")
