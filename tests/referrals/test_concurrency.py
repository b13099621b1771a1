"""A referral's personal link holds under concurrency (``tests.concurrency``): 20 answers
sent at the same instant through the link of a partner outside the network (accept and
refuse mixed) record one answer; the others are refused in French, none meets a server
error."""

import pytest

from tests.concurrency import Request, stage

ANSWERS = 20

REFERRAL = """
from django.urls import reverse
from tests.factories import MembershipFactory
from tests.people.factories import PersonFactory, follow
from tests.referentials.geo.factories import make_roubaix_area
from tests.referrals.factories import make_service, refer
from tisserand.referrals.thematics import load_thematics
from tisserand.structures.roles import Role

load_thematics()
area = make_roubaix_area()
referent = MembershipFactory(role=Role.REFERENT)
person = PersonFactory(
    owner_structure=referent.structure, commune=area["lys"], email="amina@exemple.test"
)
follow(person, referent)
referral, token = refer(person, make_service(commune=area["lys"]), referent)
result = {{"referral": referral.pk, "url": reverse("referrals:link", args=[token])}}
"""

ANSWERED = """
from tisserand.referrals.models import Referral
referral = Referral.objects.get(pk={referral})
result = [
    referral.state,
    list(referral.steps.exclude(kind="sent").values_list("kind", flat=True)),
]
"""


def _answer(n):
    if n % 2:
        return {"name": f"Camille {n}", "decision": "accept", "message": "D'accord"}
    return {"name": f"Camille {n}", "decision": "refuse", "reason": "full"}


@pytest.mark.django_db(transaction=True)
def test_a_referral_link_answered_twenty_times_at_once_records_one_answer(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(REFERRAL)
        answers = running.all_at_once([Request(made["url"], _answer(n)) for n in range(ANSWERS)])
        state, steps = running.run(ANSWERED, referral=made["referral"])
    done = [answer for answer in answers if "Merci, votre réponse est transmise" in answer.page]
    assert len(done) == 1 and done[0].status == 200
    refused = [answer for answer in answers if answer not in done]
    assert all(
        answer.status == 404
        or (answer.status == 200 and "a déjà reçu une réponse ou a expiré" in answer.page)
        for answer in refused
    )
    assert state in ("accepted", "refused")
    assert steps == [state]
