"""Roles a member holds in a structure, and what each role is for."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur de structure"
    REFERENT = "referent", "Conseiller référent"
    BUSINESS = "business", "Chargé de relations entreprises"
    CLAUSE_FACILITATOR = "clause_facilitator", "Facilitateur clauses sociales"
    DIRECTOR = "director", "Directeur"
    PARTNER = "partner", "Conseiller partenaire"
    FUNDER = "funder", "Financeur (lecture des agrégats)"


# Funders read aggregated figures only: every other role may open personal data.
ROLES_SEEING_PERSONAL_DATA = frozenset(Role) - {Role.FUNDER}
ROLES_MANAGING_MEMBERS = frozenset({Role.ADMIN})
ROLES_READING_ACCESS_LOG = frozenset({Role.ADMIN})
ROLES_SEEING_MEMBERS = frozenset(Role) - {Role.FUNDER}

ROLE_DESCRIPTIONS = {
    Role.ADMIN: "Gère les membres de la structure et consulte le journal des accès.",
    Role.REFERENT: "Accompagne des personnes : diagnostic, plan d'action, rendez-vous, sorties.",
    Role.BUSINESS: "Suit les entreprises du territoire, leurs besoins et leurs recrutements.",
    Role.CLAUSE_FACILITATOR: "Pilote les clauses sociales des marchés publics.",
    Role.DIRECTOR: "Pilote l'activité de la structure et ses objectifs.",
    Role.PARTNER: "Conseiller d'une structure partenaire : oriente et suit ses publics.",
    Role.FUNDER: "Consulte les indicateurs agrégés, jamais les données personnelles.",
}


def any_role_sees_personal_data(roles):
    return any(role in ROLES_SEEING_PERSONAL_DATA for role in roles)
