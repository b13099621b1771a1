"""Who may see and change the social clauses. Plain predicates, default deny.

- the facilitators of the house (``MANAGE_CLAUSES``: facilitator, administrator) see everything
  of their structure's clauses and change it;
- readers (``READ_CLAUSES`` without managing: the director) read the figures and the reports,
  never a participant's identity;
- a buyer's representative (``BuyerRepresentative``) reads its operations' figures, no identity;
- a company contact (``LeaderAccount``) sees, in the portal, its own lots only and its
  participants' first names and hours, and declares them;
- a funder reads none of it here (the aggregates are the reporting's);
- the objects of another structure answer 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tisserand.clauses.models import (
    Buyer,
    BuyerRepresentative,
    Contract,
    Declaration,
    Lot,
    Operation,
    Participant,
    ParticipantCriterion,
)
from tisserand.companies import portal
from tisserand.people import perms as people_perms
from tisserand.structures.roles import Capability, has_capability


def manages(membership, record=None):
    return has_capability(membership, Capability.MANAGE_CLAUSES)


def reads(membership, record=None):
    return manages(membership) or has_capability(membership, Capability.READ_CLAUSES)


def reads_aggregates(membership, record=None):
    """The network's figures, aggregated (counts masked under 5): whoever reads indicators
    (a funder, a director) or the clauses."""
    return reads(membership) or has_capability(membership, Capability.READ_INDICATORS)


def sees_identities(membership, record=None):
    """Only the facilitators see who the participants are."""
    return manages(membership)


def loaded(membership, record):
    """For the portal's views: their loader already refused (404) anyone it does not serve."""
    return record is not None


def may_create_participant_for(membership, person):
    return manages(membership) and people_perms.can_view_person(membership, person)


# --- Loaders: the object the URL names, in the structure acted for (404 otherwise) -----------


def _structure_id(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    return membership.structure_id


def operation_record(request, public_id, **_):
    return get_object_or_404(Operation, public_id=public_id, structure_id=_structure_id(request))


def buyer_record(request, public_id, **_):
    return get_object_or_404(Buyer, public_id=public_id, structure_id=_structure_id(request))


def contract_record(request, public_id, **_):
    return get_object_or_404(
        Contract.objects.select_related("operation", "buyer"),
        public_id=public_id,
        operation__structure_id=_structure_id(request),
    )


def lot_record(request, public_id, **_):
    return get_object_or_404(
        Lot.objects.select_related(
            "contract__operation", "contract__buyer", "holder__legal_unit", "need"
        ),
        public_id=public_id,
        contract__operation__structure_id=_structure_id(request),
    )


def participant_record(request, public_id, **_):
    return get_object_or_404(
        Participant.objects.select_related("person", "employer"),
        public_id=public_id,
        structure_id=_structure_id(request),
    )


def criterion_record(request, pk, **_):
    return get_object_or_404(
        ParticipantCriterion.objects.select_related("participant", "criterion"),
        pk=pk,
        participant__structure_id=_structure_id(request),
    )


def declaration_record(request, public_id, **_):
    return get_object_or_404(
        Declaration.objects.select_related("participant", "lot__contract__operation"),
        public_id=public_id,
        lot__contract__operation__structure_id=_structure_id(request),
    )


def person_for_participant(request, person_id, **_):
    return people_perms.person_of(request, person_id)


# --- The portal (a leader of the lot's holder) and the buyer's representative --------------


def portal_lot(request, public_id, lot_id, **_):
    """A lot held by the establishment the leader leads (404 for anyone else)."""
    establishment = portal.leader_establishment(request, public_id)
    lot = get_object_or_404(
        Lot.objects.select_related("contract__operation", "holder"),
        public_id=lot_id,
        holder=establishment,
    )
    return lot


def represented_buyer(request, public_id, **_):
    user = request.user
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Buyer,
        public_id=public_id,
        representatives__user=user,
        representatives__is_active=True,
    )


def represents(user, buyer):
    return BuyerRepresentative.objects.filter(user=user, buyer=buyer, is_active=True).exists()
