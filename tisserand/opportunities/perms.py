"""Who may search offers, publish them, match and introduce persons. Plain predicates.

- Offers (search, pages, companies likely to hire): every role that opens company records
  (``SEE_COMPANIES``: not funders, who see no offer list and no person).
- Own offers and imports: ``PUBLISH_OFFERS`` (relations entreprises, facilitation,
  administration); an own offer is edited by its structure only.
- Matching and introductions: ``PROPOSE_CANDIDATES``, on persons the member sees; a partner
  sees a person in matching results, and proposes them, only when the person's consent to
  the partner's structure covers the « mises en relation » scope.
- An introduction is seen, in the structure that made it, by its officers (who follow the
  companies) and overseers, and by the members who made it or see its person; and by the
  officers of the structure that published the offer.
"""

from django.shortcuts import get_object_or_404

from tisserand.opportunities.models import Introduction, JobOffer, OfferSource, SavedSearch
from tisserand.people import perms as people_perms
from tisserand.structures.roles import Capability, has_capability

JOB_MATCHING_SCOPE = "job_matching"


def sees_offers(membership):
    return has_capability(membership, Capability.SEE_COMPANIES)


def publishes_offers(membership):
    return has_capability(membership, Capability.PUBLISH_OFFERS)


def proposes(membership):
    return has_capability(membership, Capability.PROPOSE_CANDIDATES)


def offer_of(request, public_id, **_):
    return get_object_or_404(
        JobOffer.objects.select_related(
            "establishment__legal_unit", "commune", "fiche", "appellation"
        ),
        public_id=public_id,
    )


def may_view_offer(membership, offer):
    return sees_offers(membership)


def can_edit_offer(membership, offer):
    return (
        publishes_offers(membership)
        and offer.source == OfferSource.OWN
        and offer.structure_id == membership.structure_id
    )


def may_edit_offer(membership, offer):
    return can_edit_offer(membership, offer)


def may_match_for_offer(membership, offer):
    return proposes(membership) and offer.is_open


def matchable(access):
    """Whether a person with this access may appear in matching results and be proposed."""
    return access.cares or access.sees_whole or access.sees_scope(JOB_MATCHING_SCOPE)


def may_match_person(membership, record):
    """``record``: the person's ``RecordContext`` (``people.perms.person_record``)."""
    return proposes(membership) and matchable(record.access)


def may_propose(membership, record):
    return may_match_person(membership, record)


def introduction_of(request, public_id, **_):
    return get_object_or_404(
        Introduction.objects.select_related(
            "person",
            "offer__establishment__legal_unit",
            "establishment__legal_unit",
            "need__subject",
            "structure",
            "proposed_by",
        ),
        public_id=public_id,
    )


def follows_introductions(membership):
    return has_capability(membership, Capability.PROPOSE_CANDIDATES) or has_capability(
        membership, Capability.MANAGE_COMPANIES
    )


def oversees_introductions(membership):
    """Officers (who follow the companies) and overseers see all their structure's
    introductions; the others, those they made or whose person they see."""
    return has_capability(membership, Capability.MANAGE_COMPANIES) or people_perms.oversees(
        membership
    )


def may_view_introduction(membership, introduction):
    if membership is None:
        return False
    if membership.structure_id == introduction.structure_id:
        if oversees_introductions(membership):
            return True
        return follows_introductions(membership) and (
            introduction.proposed_by_id == membership.user_id
            or people_perms.can_view_person(membership, introduction.person)
        )
    offer = introduction.offer
    return (
        offer is not None
        and offer.structure_id == membership.structure_id
        and has_capability(membership, Capability.MANAGE_COMPANIES)
    )


def may_update_introduction(membership, introduction):
    return may_view_introduction(membership, introduction) and follows_introductions(membership)


def may_see_introductions_of_offer(membership, offer):
    return follows_introductions(membership)


def saved_search_of(request, public_id, **_):
    return get_object_or_404(SavedSearch, public_id=public_id)


def owns_search(membership, search):
    return (
        sees_offers(membership)
        and search.user_id == membership.user_id
        and search.structure_id == membership.structure_id
    )


def may_record_opt_out(membership, establishment):
    return has_capability(membership, Capability.MANAGE_COMPANIES)


def leads(membership, establishment):
    """The portal's rule: its loader (``companies.portal.leader_establishment``) already
    answers 404 to anyone but an active leader of the establishment."""
    return establishment is not None
