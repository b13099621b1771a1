"""Roles a member holds in a structure, what each role is for, and what each may do.

``CAPABILITIES`` is the one table of the roles' capabilities: every app's ``perms.py`` asks
``has_capability(membership, Capability.X)`` (or ``roles_with`` for a query) instead of keeping
its own set of roles.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    """Labels name the function, not the person, so that they suit women and men alike
    without a median dot (« Direction », not « Directeur·rice »)."""

    ADMIN = "admin", "Administration de la structure"
    REFERENT = "referent", "Accompagnement (référence de parcours)"
    BUSINESS = "business", "Relations entreprises"
    CLAUSE_FACILITATOR = "clause_facilitator", "Facilitation des clauses sociales"
    DIRECTOR = "director", "Direction"
    PARTNER = "partner", "Accompagnement en structure partenaire"
    FUNDER = "funder", "Financement (lecture des agrégats)"


class Capability(StrEnum):
    # Funders read aggregated figures only: every other role may open personal data.
    SEE_PERSONAL_DATA = "see_personal_data"
    SEE_MEMBERS = "see_members"
    MANAGE_MEMBERS = "manage_members"
    READ_ACCESS_LOG = "read_access_log"
    READ_STRUCTURE_HISTORY = "read_structure_history"
    # Sees the persons (and the caseload) of the whole structure, not only those they follow.
    OVERSEE_STRUCTURE = "oversee_structure"
    # Changes the record of a person the structure follows without being in the follow-up.
    EDIT_AS_MANAGER = "edit_as_manager"
    # Follows persons themselves: the caseload is theirs.
    FOLLOW_PERSONS = "follow_persons"
    # May be the référent of an accompaniment of the structure.
    BE_REFERENT = "be_referent"
    # Meets persons as their daily work: the agenda is always in their menu.
    MEET_PERSONS = "meet_persons"
    USE_GUIDANCE = "use_guidance"
    HANDLE_CONTACT_REQUESTS = "handle_contact_requests"
    # Joins the follow-up of the persons they create.
    JOIN_CREATED_FOLLOW_UP = "join_created_follow_up"
    # Opens the agenda of any colleague of the structure and books in it (team agenda).
    OPEN_STRUCTURE_AGENDAS = "open_structure_agendas"
    # Opens the agenda of the colleagues who share the follow-up of their persons, and books in
    # it.
    OPEN_TEAM_AGENDAS = "open_team_agendas"


C = Capability
CAPABILITIES = {
    Role.ADMIN: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.MANAGE_MEMBERS, C.READ_ACCESS_LOG,
        C.READ_STRUCTURE_HISTORY, C.OVERSEE_STRUCTURE, C.EDIT_AS_MANAGER, C.BE_REFERENT,
        C.USE_GUIDANCE, C.HANDLE_CONTACT_REQUESTS,
    },
    Role.REFERENT: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.FOLLOW_PERSONS, C.BE_REFERENT, C.MEET_PERSONS,
        C.USE_GUIDANCE, C.HANDLE_CONTACT_REQUESTS, C.JOIN_CREATED_FOLLOW_UP, C.OPEN_TEAM_AGENDAS,
    },
    Role.BUSINESS: {C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.USE_GUIDANCE, C.JOIN_CREATED_FOLLOW_UP},
    Role.CLAUSE_FACILITATOR: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.FOLLOW_PERSONS, C.BE_REFERENT,
        C.JOIN_CREATED_FOLLOW_UP,
    },
    Role.DIRECTOR: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.READ_STRUCTURE_HISTORY, C.OVERSEE_STRUCTURE,
        C.USE_GUIDANCE, C.HANDLE_CONTACT_REQUESTS, C.OPEN_STRUCTURE_AGENDAS,
    },
    Role.PARTNER: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.FOLLOW_PERSONS, C.BE_REFERENT, C.MEET_PERSONS,
        C.USE_GUIDANCE, C.JOIN_CREATED_FOLLOW_UP,
    },
    Role.FUNDER: set(),
}  # fmt: skip


def has_capability(membership, capability):
    """Whether the role the member acts with has ``capability`` (never for no membership)."""
    return membership is not None and capability in CAPABILITIES[membership.role]


def roles_with(capability):
    return frozenset(
        role for role, capabilities in CAPABILITIES.items() if capability in capabilities
    )


ROLES_SEEING_PERSONAL_DATA = roles_with(C.SEE_PERSONAL_DATA)
ROLES_MANAGING_MEMBERS = roles_with(C.MANAGE_MEMBERS)
ROLES_READING_ACCESS_LOG = roles_with(C.READ_ACCESS_LOG)
ROLES_SEEING_MEMBERS = roles_with(C.SEE_MEMBERS)

ROLE_DESCRIPTIONS = {
    Role.ADMIN: "Gère les membres de la structure et consulte le journal des accès.",
    Role.REFERENT: "Accompagne des personnes : diagnostic, plan d'action, rendez-vous, sorties.",
    Role.BUSINESS: "Suit les entreprises du territoire, leurs besoins et leurs recrutements.",
    Role.CLAUSE_FACILITATOR: "Pilote les clauses sociales des marchés publics.",
    Role.DIRECTOR: "Pilote l'activité de la structure et ses objectifs.",
    Role.PARTNER: "Accompagne les publics d'une structure partenaire : les oriente et les suit.",
    Role.FUNDER: "Consulte les indicateurs agrégés, jamais les données personnelles.",
}


def any_role_sees_personal_data(roles):
    return any(role in ROLES_SEEING_PERSONAL_DATA for role in roles)
