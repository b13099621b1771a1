"""Introductions hold their cap and the company's link its single answer under concurrency,
against a live server with real simultaneous clients (``tests.concurrency``):

- 30 proposals sent at the same instant for an offer of one position (at most 5 active
  proposals), 2 already active: exactly 3 are recorded, the 27 others are refused with the
  French message that names the cap;
- the company's link posted 20 times at once with the same answer records it once.

None of the requests meets a server error."""

import pytest

from tests.concurrency import Request, stage

COUNSELLORS, ACTIVE, CAP = 30, 2, 5

OFFER = """
from django.urls import reverse
from tests.companies.factories import EstablishmentFactory
from tests.concurrency import session_key
from tests.factories import MembershipFactory, StructureFactory
from tests.opportunities.factories import IntroductionFactory
from tests.people.factories import PersonFactory, follow
from tisserand.core.actor import Actor
from tisserand.opportunities import services
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.roles import Role

load_vocabularies()
structure = StructureFactory()
publisher = MembershipFactory(role=Role.BUSINESS, structure=structure)
offer = services.create_offer(
    data={{"title": "Boulanger / Boulangère", "positions": 1,
          "establishment": EstablishmentFactory()}},
    actor=Actor.of(publisher),
)
"""

PROPOSALS = (
    OFFER
    + """
for _ in range({active}):
    IntroductionFactory(offer=offer, person=PersonFactory(owner_structure=structure))
requests = []
for _ in range({counsellors}):
    referent = MembershipFactory(role=Role.REFERENT, structure=structure)
    person = PersonFactory(owner_structure=structure)
    follow(person, referent)
    requests.append(
        (reverse("opportunities:propose", args=[offer.public_id, person.public_id]),
         session_key(referent.user, referent))
    )
result = {{"offer": offer.pk, "requests": requests}}
"""
)

ACTIVE_PROPOSALS = """
from tisserand.opportunities.models import ACTIVE_STATUSES, Introduction
result = Introduction.objects.filter(offer_id={offer}, status__in=ACTIVE_STATUSES).count()
"""


@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_proposals_never_pass_the_cap_of_an_offer(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(PROPOSALS, active=ACTIVE, counsellors=COUNSELLORS)
        answers = running.all_at_once(
            [
                Request(url, {"consent": "on", "message": "Motivé"}, session=cookie)
                for url, cookie in made["requests"]
            ]
        )
        active = running.run(ACTIVE_PROPOSALS, offer=made["offer"])
    accepted = [answer for answer in answers if answer.status == 302]
    refused = [answer for answer in answers if answer.status == 200]
    assert (len(accepted), len(refused)) == (CAP - ACTIVE, COUNSELLORS - (CAP - ACTIVE))
    assert all("Mise en relation enregistrée." in answer.page for answer in accepted)
    assert all("personnes proposées en attente de réponse" in answer.page for answer in refused)
    assert active == CAP


ANSWERS = 20

ONE_INTRODUCTION = (
    OFFER
    + """
from tisserand.opportunities.models import Introduction

introduction = IntroductionFactory(offer=offer, person=PersonFactory(owner_structure=structure))
token, digest = services.new_token()
Introduction.objects.filter(pk=introduction.pk).update(answer_digest=digest)
result = {{
    "introduction": introduction.pk,
    "url": reverse("opportunities:company_answer", args=[token]),
}}
"""
)

STEPS = """
from tisserand.opportunities.models import Introduction
introduction = Introduction.objects.get(pk={introduction})
result = [introduction.status, list(introduction.steps.values_list("to_status", flat=True))]
"""


@pytest.mark.django_db(transaction=True)
def test_the_company_link_posted_twenty_times_at_once_records_one_answer(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(ONE_INTRODUCTION)
        answers = running.all_at_once(
            [Request(made["url"], {"status": "not_retained", "reason": "profile"})] * ANSWERS
        )
        status, steps = running.run(STEPS, introduction=made["introduction"])
    assert [answer.status for answer in answers] == [200] * ANSWERS
    assert sum("votre réponse est enregistrée" in answer.page for answer in answers) == 1
    assert sum("Cette réponse est déjà enregistrée" in answer.page for answer in answers) == 19
    assert status == "not_retained"
    assert steps.count("not_retained") == 1
