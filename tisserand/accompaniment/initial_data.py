"""The programmes and the suggested actions per barrier theme, as initial data.

Both lists are configurable afterwards: only the rows that are missing are created, by the
data migration and again wherever the tables were emptied (a transactional test).
"""

PROGRAMMES = [
    (
        "reinforced",
        "Accompagnement renforcé",
        "Accompagnement individuel intensif des personnes les plus éloignées de l'emploi, "
        "en priorité résidentes des quartiers prioritaires (QPV).",
    ),
    (
        "plie",
        "PLIE",
        "Plan local pour l'insertion et l'emploi : parcours individualisé, cofinancé par le FSE+.",
    ),
    (
        "social_clauses",
        "Suivi clauses sociales",
        "Suivi des personnes recrutées au titre des clauses sociales des marchés publics.",
    ),
    (
        "tzcld",
        "Territoire zéro chômeur de longue durée",
        "Préparation à l'embauche en entreprise à but d'emploi (EBE).",
    ),
    (
        "career_securing",
        "Sécurisation des parcours",
        "Salariés en risque de rupture : reconversion, formation, transitions collectives.",
    ),
]

SUGGESTED_ACTIONS = {
    "housing": [
        ("housing_support", "Demande de logement social (bailleurs, SIAO)"),
        ("housing_support", "Orientation vers un hébergement d'urgence ou d'insertion"),
        ("financial_aid", "Aide au dépôt de garantie (Loca-Pass, FSL)"),
    ],
    "employment": [
        ("cv_application", "Mise à jour du CV et candidatures ciblées"),
        ("job_introduction", "Mise en relation avec un employeur qui recrute"),
        ("work_immersion", "Immersion en entreprise (PMSMP) pour valider le projet"),
        ("interview_preparation", "Simulation d'entretien d'embauche"),
    ],
    "training": [
        ("training", "Entrée en formation qualifiante"),
        ("skills_assessment", "Bilan de compétences"),
        ("vae", "Démarche de validation des acquis de l'expérience"),
    ],
    "administrative": [
        ("administrative_support", "Ouverture ou mise à jour des droits (CAF, CPAM)"),
        ("administrative_support", "Renouvellement d'un titre de séjour ou d'identité"),
        ("partner_referral", "Orientation vers un point d'accès au droit"),
    ],
    "financial": [
        ("financial_aid", "Aide financière ponctuelle (FAJ, CCAS)"),
        ("partner_referral", "Rendez-vous avec une conseillère en économie sociale et familiale"),
        ("administrative_support", "Dossier de surendettement"),
    ],
    "mobility": [
        ("driving_licence", "Aide au financement du permis de conduire"),
        ("mobility_aid", "Location sociale d'un véhicule ou d'un deux-roues"),
        ("mobility_aid", "Aide aux transports en commun (abonnement)"),
        ("collective_workshop", "Atelier mobilité : se repérer, utiliser les transports"),
    ],
    "health": [
        ("health_support", "Bilan de santé (CPAM)"),
        ("health_support", "Démarche de reconnaissance RQTH (MDPH)"),
        ("partner_referral", "Orientation vers un professionnel de santé"),
    ],
    "family": [
        ("childcare", "Recherche d'une place en crèche ou chez une assistante maternelle"),
        ("childcare", "Solution de garde en horaires décalés"),
        ("partner_referral", "Orientation vers un service d'aide aux aidants"),
    ],
    "french_language": [
        ("french_course", "Cours de français langue étrangère (FLE)"),
        ("french_course", "Atelier sociolinguistique"),
        ("french_course", "Alphabétisation"),
    ],
    "digital": [
        ("digital_support", "Atelier d'initiation au numérique"),
        ("digital_support", "Création d'une adresse e-mail et de l'espace France Travail"),
        ("digital_support", "Accès à un ordinateur (espace public numérique)"),
    ],
}


def create_missing(apps, schema_editor=None):
    """Creates the programmes and suggested actions that are missing (``apps``: the app
    registry, or a migration's historical one)."""
    Programme = apps.get_model("accompaniment", "Programme")
    SuggestedAction = apps.get_model("accompaniment", "SuggestedAction")
    for order, (code, label, description) in enumerate(PROGRAMMES, start=1):
        Programme.objects.get_or_create(
            code=code, defaults={"label": label, "description": description, "order": order * 10}
        )
    for theme, actions in SUGGESTED_ACTIONS.items():
        for order, (action_type, label) in enumerate(actions, start=1):
            SuggestedAction.objects.get_or_create(
                theme=theme,
                label=label,
                defaults={"action_type": action_type, "order": order * 10},
            )
