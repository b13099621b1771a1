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
    # --- The second half: companies, events, offers, clauses, referrals, reporting.
    # Opens the company records of the network (a funder sees counts only).
    SEE_COMPANIES = "see_companies"
    # Creates and edits company records, logs interactions, records and routes needs, invites
    # leaders, runs HR clubs and GPEC toolkits.
    MANAGE_COMPANIES = "manage_companies"
    # Organises the structure's events (workshops, information sessions, job datings…).
    ORGANISE_EVENTS = "organise_events"
    # Publishes job offers (own ones, imports) and edits them.
    PUBLISH_OFFERS = "publish_offers"
    # Puts persons forward for an offer or a company (introductions).
    PROPOSE_CANDIDATES = "propose_candidates"
    # Runs the social clauses: operations, contracts, lots, participants, declarations.
    MANAGE_CLAUSES = "manage_clauses"
    # Reads the clauses' figures and reports (not the participants' identities).
    READ_CLAUSES = "read_clauses"
    # Edits the structure's services in the directory.
    EDIT_SERVICES = "edit_services"
    # Refers a person to a partner's service.
    REFER_PERSONS = "refer_persons"
    # Answers the referrals the structure receives.
    ANSWER_REFERRALS = "answer_referrals"
    # Reads the dashboards and indicators (aggregates only, masked under 5).
    READ_INDICATORS = "read_indicators"
    # Sets objectives and their targets.
    SET_OBJECTIVES = "set_objectives"


C = Capability
CAPABILITIES = {
    Role.ADMIN: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.MANAGE_MEMBERS, C.READ_ACCESS_LOG,
        C.READ_STRUCTURE_HISTORY, C.OVERSEE_STRUCTURE, C.EDIT_AS_MANAGER, C.BE_REFERENT,
        C.USE_GUIDANCE, C.HANDLE_CONTACT_REQUESTS,
        C.SEE_COMPANIES, C.MANAGE_COMPANIES, C.ORGANISE_EVENTS, C.PUBLISH_OFFERS,
        C.MANAGE_CLAUSES, C.READ_CLAUSES, C.EDIT_SERVICES, C.ANSWER_REFERRALS,
        C.READ_INDICATORS, C.SET_OBJECTIVES,
    },
    Role.REFERENT: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.FOLLOW_PERSONS, C.BE_REFERENT, C.MEET_PERSONS,
        C.USE_GUIDANCE, C.HANDLE_CONTACT_REQUESTS, C.JOIN_CREATED_FOLLOW_UP, C.OPEN_TEAM_AGENDAS,
        C.SEE_COMPANIES, C.ORGANISE_EVENTS, C.PROPOSE_CANDIDATES, C.REFER_PERSONS,
        C.ANSWER_REFERRALS,
    },
    Role.BUSINESS: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.USE_GUIDANCE, C.JOIN_CREATED_FOLLOW_UP,
        C.SEE_COMPANIES, C.MANAGE_COMPANIES, C.ORGANISE_EVENTS, C.PUBLISH_OFFERS,
        C.PROPOSE_CANDIDATES,
    },
    Role.CLAUSE_FACILITATOR: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.FOLLOW_PERSONS, C.BE_REFERENT,
        C.JOIN_CREATED_FOLLOW_UP,
        C.SEE_COMPANIES, C.MANAGE_COMPANIES, C.PUBLISH_OFFERS, C.PROPOSE_CANDIDATES,
        C.MANAGE_CLAUSES, C.READ_CLAUSES,
    },
    Role.DIRECTOR: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.READ_STRUCTURE_HISTORY, C.OVERSEE_STRUCTURE,
        C.USE_GUIDANCE, C.HANDLE_CONTACT_REQUESTS, C.OPEN_STRUCTURE_AGENDAS,
        C.SEE_COMPANIES, C.ORGANISE_EVENTS, C.READ_CLAUSES, C.EDIT_SERVICES, C.ANSWER_REFERRALS,
        C.READ_INDICATORS, C.SET_OBJECTIVES,
    },
    Role.PARTNER: {
        C.SEE_PERSONAL_DATA, C.SEE_MEMBERS, C.FOLLOW_PERSONS, C.BE_REFERENT, C.MEET_PERSONS,
        C.USE_GUIDANCE, C.JOIN_CREATED_FOLLOW_UP,
        C.SEE_COMPANIES, C.ORGANISE_EVENTS, C.PROPOSE_CANDIDATES, C.REFER_PERSONS,
        C.ANSWER_REFERRALS, C.EDIT_SERVICES,
    },
    Role.FUNDER: {C.READ_INDICATORS, C.SET_OBJECTIVES},
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
