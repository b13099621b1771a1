"""Who may read the directory, edit services, refer persons and answer referrals. Plain
predicates, default deny.

- The directory (search, a service's page): every member of a structure of the network.
- A service is edited by the members of its own structure holding ``EDIT_SERVICES``
  (administration, direction, partners' counsellors), never another structure's.
- Importing data·inclusion files: an administrator (``MANAGE_MEMBERS``) who edits services.
- Referring: ``REFER_PERSONS`` and the right to change the person's record (the référent and
  the team): only someone who follows the person shares their data.
- A referral is seen by its sender's structure (the sender, and who sees the person there) and
  by the receiving structure's members who answer referrals (``ANSWER_REFERRALS``) — nobody
  else, never a funder. The receiving side reads the shared snapshot, not the record.
- A funder (``READ_INDICATORS``) reads the territory's counts, masked under 5.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from tisserand.people import perms as people_perms
from tisserand.referrals.models import Referral, Service
from tisserand.structures.roles import Capability, has_capability


def uses_directory(membership):
    return membership is not None


def sees_referrals(membership):
    return has_capability(membership, Capability.SEE_PERSONAL_DATA)


def edits_services(membership):
    return has_capability(membership, Capability.EDIT_SERVICES)


def imports_services(membership):
    return edits_services(membership) and has_capability(membership, Capability.MANAGE_MEMBERS)


def answers_referrals(membership):
    return has_capability(membership, Capability.ANSWER_REFERRALS)


def refers_persons(membership):
    return has_capability(membership, Capability.REFER_PERSONS)


def reads_territory(membership):
    return has_capability(membership, Capability.READ_INDICATORS)


def follows_referrals(membership):
    """The follow-up page of the structure: whoever sends or answers referrals, or oversees."""
    return sees_referrals(membership) and (
        refers_persons(membership)
        or answers_referrals(membership)
        or has_capability(membership, Capability.OVERSEE_STRUCTURE)
    )


# --- Services ----------------------------------------------------------------------------------


def service_of(request, public_id, **_other):
    return get_object_or_404(
        Service.objects.select_related("structure", "commune"), public_id=public_id
    )


def may_view_service(membership, service):
    return uses_directory(membership)


def may_edit_service(membership, service):
    return (
        edits_services(membership)
        and service.structure.network_structure_id is not None
        and service.structure.network_structure_id == membership.structure_id
    )


# --- Referring a person ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonAndService:
    person: object  # the person's RecordContext
    service: object

    @property
    def record(self):
        return self.person.record


def person_search(request, person_id, **_other):
    return people_perms.person_record(request, person_id)


def may_search_for(membership, record):
    return refers_persons(membership) and record.access.can_edit


def person_and_service(request, person_id, service_id, **_other):
    return PersonAndService(
        people_perms.person_record(request, person_id), service_of(request, service_id)
    )


def may_refer(membership, pair):
    return may_search_for(membership, pair.person)


# --- A referral --------------------------------------------------------------------------------


def referral_of(request, public_id, **_other):
    return get_object_or_404(
        Referral.objects.select_related(
            "person", "service__structure", "sender", "sender_structure", "receiving_structure"
        ),
        public_id=public_id,
    )


def is_receiver(membership, referral):
    return (
        answers_referrals(membership)
        and referral.receiving_structure_id is not None
        and referral.receiving_structure_id == membership.structure_id
    )


def is_sender_side(membership, referral):
    if not sees_referrals(membership) or membership.structure_id != referral.sender_structure_id:
        return False
    if membership.user_id == referral.sender_id:
        return True
    return people_perms.access_for(membership, referral.person).sees


def may_view_referral(membership, referral):
    return is_receiver(membership, referral) or is_sender_side(membership, referral)


def may_answer(membership, referral):
    """Accept, refuse or ask for more: the receiving structure, while it waits (a POST on an
    answered referral is refused by the service, with its message)."""
    return is_receiver(membership, referral)


def may_add_information(membership, referral):
    return is_sender_side(membership, referral)
