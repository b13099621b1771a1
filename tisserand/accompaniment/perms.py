"""Who may see and change accompaniments. Plain predicates, default deny.

Seeing a person is decided by ``people.perms`` alone (never re-implemented here): the
accompaniment, its diagnosis, project and plan are the "accompaniment" scope of the record,
the exits and follow-up the "exits" scope, so that a partner sees them only through consent.
Changing an accompaniment needs the right to edit the person and to act for the structure
that runs the accompaniment; a closed accompaniment is read-only except its follow-up.
"""

from tisserand.people import perms as people_perms
from tisserand.people.models import ConsentScope
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Capability, Role, has_capability, roles_with

# Roles a référent may hold in the structure of the accompaniment (for the forms' queries).
REFERENT_ROLES = roles_with(Capability.BE_REFERENT)


def can_configure_lists(membership):
    """The network's programmes and suggested actions: set by the head of the network, the
    administrator of a Maison de l'Emploi. Everyone else, counsellors included, uses them only
    through the accompaniment forms and has no read-only view of the settings."""
    return (
        membership is not None
        and membership.role == Role.ADMIN
        and membership.structure.kind == StructureKind.MAISON_EMPLOI
    )


def can_use_caseload(membership):
    return has_capability(membership, Capability.FOLLOW_PERSONS) or sees_structure_caseload(
        membership
    )


def sees_structure_caseload(membership):
    return has_capability(membership, Capability.OVERSEE_STRUCTURE)


def may_open_accompaniment_pages(membership):
    """The view rule of the accompaniment pages; each page then checks its person."""
    return people_perms.can_list_persons(membership)


def access_to(membership, person):
    """The ``people.perms.PersonAccess`` of this membership to this person (a few queries)."""
    return people_perms.access_for(membership, person)


def can_view_accompaniments(membership, person, access=None):
    access = access or access_to(membership, person)
    return access.sees_scope(ConsentScope.ACCOMPANIMENT)


def can_view_exits(membership, person, access=None):
    access = access or access_to(membership, person)
    return access.sees_scope(ConsentScope.EXITS)


def can_view_esf_data(membership, person, access=None):
    """ESF+ data holds disability and origin: the référent and the team only."""
    access = access or access_to(membership, person)
    return access.cares


def can_open_accompaniment(membership, person, access=None):
    access = access or access_to(membership, person)
    return (
        has_capability(membership, Capability.BE_REFERENT)
        or has_capability(membership, Capability.OVERSEE_STRUCTURE)
    ) and access.can_edit


def can_manage(membership, accompaniment, access=None):
    """Acts for the structure that runs the accompaniment and may edit the person."""
    if membership is None or membership.structure_id != accompaniment.structure_id:
        return False
    access = access or access_to(membership, accompaniment.person)
    return access.can_edit


def can_edit(membership, accompaniment, access=None):
    """Diagnosis, project, plan, team, transfer, exit: only while the accompaniment is open."""
    return accompaniment.is_open and can_manage(membership, accompaniment, access)


def can_record_follow_up(membership, accompaniment, access=None):
    return not accompaniment.is_open and can_manage(membership, accompaniment, access)
