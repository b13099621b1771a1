"""The opportunities app's URLs in the permission matrix.

Offers and company records are the network's: every role but the funder reads them, in A's
structure or B's. Publishing belongs to the roles with ``PUBLISH_OFFERS``; an own offer is
edited by its structure only. Matching and proposing need ``PROPOSE_CANDIDATES`` and a person
the member follows (A's référent) or who consented; an introduction is followed by the
structure that made it.
"""

from tests.companies.factories import EstablishmentFactory, NeedFactory
from tests.core.matrix import (
    EVERYONE,
    NOBODY,
    SEE_PERSONAL_DATA,
    Expect,
    post_only,
)
from tisserand.companies.models import Establishment
from tisserand.core.actor import Actor
from tisserand.opportunities import services
from tisserand.structures.roles import Role

PUBLISH = frozenset({Role.ADMIN, Role.BUSINESS, Role.CLAUSE_FACILITATOR})
MANAGE_COMPANIES = PUBLISH
PROPOSE = frozenset({Role.REFERENT, Role.BUSINESS, Role.CLAUSE_FACILITATOR, Role.PARTNER})
FOLLOW_INTRODUCTIONS = PROPOSE | {Role.ADMIN}
# A's référent made it; the officers and the overseers see all of A's; A's partner sees
# neither the person nor the introduction.
SEE_INTRODUCTION = frozenset(
    {Role.REFERENT, Role.BUSINESS, Role.CLAUSE_FACILITATOR, Role.ADMIN, Role.DIRECTOR}
)
UPDATE_INTRODUCTION = SEE_INTRODUCTION - {Role.DIRECTOR}
REFERENT = frozenset({Role.REFERENT})

SHARED_SIRET = "73282932000074"
OFFER = lambda demo: {"public_id": demo.offer.public_id}  # noqa: E731

EXPECTED = {
    "opportunities:search": Expect(SEE_PERSONAL_DATA),
    "opportunities:save_search": post_only(SEE_PERSONAL_DATA),
    "opportunities:delete_search": post_only(
        REFERENT, kwargs=lambda demo: {"public_id": demo.saved_search.public_id}
    ),
    # The opt-out token of the e-mail is the right to use it (no login).
    "opportunities:unsubscribe": Expect(
        EVERYONE, other=EVERYONE, kwargs=lambda demo: {"token": demo.search_token}
    ),
    "opportunities:create": Expect(PUBLISH),
    # Needs belong to the network's company records, as offers do.
    "opportunities:from_need": Expect(
        PUBLISH, other=PUBLISH, kwargs=lambda demo: {"need_id": demo.offers_need.public_id}
    ),
    "opportunities:imports": Expect(PUBLISH),
    "opportunities:import_template": Expect(PUBLISH, kwargs=lambda demo: {"extension": "csv"}),
    "opportunities:likely": Expect(SEE_PERSONAL_DATA),
    # One establishment of the network for both structures (the same URL).
    "opportunities:opt_out": post_only(
        MANAGE_COMPANIES, kwargs=lambda demo: {"public_id": demo.network_establishment.public_id}
    ),
    "opportunities:person_matches": Expect(
        REFERENT, kwargs=lambda demo: {"public_id": demo.person.public_id}
    ),
    "opportunities:detail": Expect(SEE_PERSONAL_DATA, other=SEE_PERSONAL_DATA, kwargs=OFFER),
    "opportunities:edit": Expect(PUBLISH, kwargs=OFFER),
    "opportunities:close": post_only(PUBLISH, kwargs=OFFER),
    "opportunities:offer_matches": Expect(PROPOSE, other=PROPOSE, kwargs=OFFER),
    "opportunities:propose": Expect(
        REFERENT,
        kwargs=lambda demo: {"public_id": demo.offer.public_id, "person_id": demo.person.public_id},
    ),
    "opportunities:introductions": Expect(FOLLOW_INTRODUCTIONS),
    "opportunities:introduction": Expect(
        SEE_INTRODUCTION, kwargs=lambda demo: {"public_id": demo.introduction.public_id}
    ),
    "opportunities:introduction_advance": post_only(
        UPDATE_INTRODUCTION, kwargs=lambda demo: {"public_id": demo.introduction.public_id}
    ),
    # The company's personal link is its right to answer, without an account.
    "opportunities:company_answer": Expect(
        EVERYONE, other=EVERYONE, kwargs=lambda demo: {"token": demo.introduction_token}
    ),
    # Only the establishment's leaders open their portal (none among the structure's members).
    "opportunities:portal_offers": Expect(
        NOBODY, kwargs=lambda demo: {"public_id": demo.offers_establishment.public_id}
    ),
}


def build(demo):
    referent = demo.members[Role.REFERENT]
    publisher = Actor.of(demo.members[Role.BUSINESS])
    establishment = EstablishmentFactory(commune=demo.commune)
    need = NeedFactory(establishment=establishment)
    offer = services.create_offer(
        data={"title": "Agent de propreté", "positions": 2, "establishment": establishment},
        actor=publisher,
    )
    introduction, token = services.propose(
        offer, demo.person, data={"consent": True}, actor=Actor.of(referent)
    )
    saved, search_token = services.save_search(
        data={"label": "Propreté", "params": {}}, actor=Actor.of(referent)
    )
    shared = Establishment.objects.filter(siret=SHARED_SIRET).first() or EstablishmentFactory(
        siret=SHARED_SIRET
    )
    return {
        "network_establishment": shared,
        "offers_establishment": establishment,
        "offers_need": need,
        "offer": offer,
        "introduction": introduction,
        "introduction_token": token,
        "saved_search": saved,
        "search_token": search_token,
    }
