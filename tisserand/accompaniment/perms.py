"""Who may see and change accompaniments. Plain predicates, default deny.

Seeing a person is decided by ``people.perms`` alone (never re-implemented here): the
accompaniment, its diagnosis, project and plan are the "accompaniment" scope of the record,
the exits and follow-up the "exits" scope, so that a partner sees them only through consent.
Changing an accompaniment needs the right to edit the person and to act for the structure
that runs the accompaniment; a closed accompaniment is read-only except its follow-up.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from tisserand.accompaniment.models import Accompaniment
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


# --- Rules of the views about one accompaniment (``@rule(…, load=accompaniment_record)``) -------


@dataclass(frozen=True)
class AccompanimentRecord:
    """The accompaniment a URL designates, with the access to its person computed once."""

    accompaniment: Accompaniment
    access: people_perms.PersonAccess
    # The request changes the accompaniment (a POST): the pages read by whoever sees it are
    # changed only by its editors.
    changing: bool


def accompaniment_record(request, public_id, **_other_url_kwargs):
    """The accompaniment the URL designates (404 when absent), seen by the current membership."""
    accompaniment = get_object_or_404(
        Accompaniment.objects.select_related(
            "person", "person__owner_structure", "programme", "structure", "referent"
        ),
        public_id=public_id,
    )
    membership = getattr(request, "membership", None)
    access = access_to(membership, accompaniment.person)
    return AccompanimentRecord(accompaniment, access, changing=request.method == "POST")


def may_view(membership, record):
    return can_view_accompaniments(membership, record.accompaniment.person, record.access)


def may_edit(membership, record):
    return can_edit(membership, record.accompaniment, record.access)


def may_view_or_edit_when_changing(membership, record):
    """The diagnosis and the plan: read by whoever sees them, posted to by their editors."""
    return may_edit(membership, record) if record.changing else may_view(membership, record)


def may_record_follow_up(membership, record):
    return can_record_follow_up(membership, record.accompaniment, record.access)


def may_open(membership, person_record):
    """Opening an accompaniment for the person a URL designates (``people.perms.person_of``)."""
    return can_open_accompaniment(membership, person_record.record, person_record.access)


# --- Rules of the exits' supporting documents (``core.documents.attachables``) ---------------


def exit_document_record(request, accompaniment):
    """The ``RecordContext`` of the person whose exit (or follow-up) a document proves."""
    return people_perms.record_of(request, accompaniment.person)


def may_open_exit_document(membership, person_record):
    """A proof of an exit or of its follow-up: whoever sees the person's exits."""
    return can_view_exits(membership, person_record.record, person_record.access)
