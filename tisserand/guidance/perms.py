"""Who uses the guidance service. Plain predicates, default deny.

- The public pages (exploring, reconversion map) are open to anyone, without an account.
- « Orientation » for members: the roles that guide people or companies — administrator,
  référent, partner counsellor, director, business relations (collective mode). Not funders
  (aggregates only) nor clause facilitators (they use the public tool or the person's record).
- A person's guidance profile and targets belong to the « parcours » of the record: read by
  whoever sees the person's accompaniment scope (partners through consent), changed by whoever
  may edit the person (people.perms decides both).
- Contact requests sent from the public page: read and handled by the administrators,
  référents and directors of a Maison de l'Emploi.
"""

from tisserand.people import perms as people_perms
from tisserand.people.models import ConsentScope
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Capability, has_capability


def can_use_guidance(membership):
    return has_capability(membership, Capability.USE_GUIDANCE)


def can_view_person_guidance(membership, person, access=None):
    if not can_use_guidance(membership):
        return False
    access = access or people_perms.access_for(membership, person)
    return access.sees_scope(ConsentScope.ACCOMPANIMENT)


def can_edit_person_guidance(membership, person, access=None):
    if not can_use_guidance(membership):
        return False
    access = access or people_perms.access_for(membership, person)
    return access.can_edit


def can_read_contact_requests(membership):
    return (
        has_capability(membership, Capability.HANDLE_CONTACT_REQUESTS)
        and membership.structure.kind == StructureKind.MAISON_EMPLOI
    )


def can_handle_contact_request(membership, contact_request):
    return can_read_contact_requests(membership) and contact_request.structure_id in (
        None,
        membership.structure_id,
    )


def can_create_person_from_request(membership, contact_request):
    """A handler who may create records, once per request."""
    return (
        contact_request.person_id is None
        and can_handle_contact_request(membership, contact_request)
        and people_perms.can_create_person(membership)
    )
