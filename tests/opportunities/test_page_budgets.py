"""The offers pages cost the same number of queries whatever the number of introductions,
persons or offers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.opportunities.helpers import own_offer, publisher, territory
from tests.people.factories import PersonFactory, follow
from tisserand.core.actor import Actor
from tisserand.opportunities import services


@pytest.fixture
def area():
    return territory()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _introduce(offer, referent, structure, count):
    for _ in range(count):
        person = PersonFactory(owner_structure=structure)
        follow(person, referent)
        services.propose(offer, person, data={"consent": True}, actor=Actor.of(referent))


def test_introductions_list_offer_page_and_matches(
    client_for, referent, structure, area, make_member
):
    actor = publisher(make_member, structure)
    offer = own_offer(
        actor, establishment=area["bakery"], positions=10, appellation=area["boulanger"]
    )
    client = client_for(referent)
    pages = [
        reverse("opportunities:introductions"),
        reverse("opportunities:detail", args=[offer.public_id]),
        reverse("opportunities:offer_matches", args=[offer.public_id]),
    ]
    _introduce(offer, referent, structure, 1)
    few = [queries(client, url) for url in pages]
    _introduce(offer, referent, structure, 12)
    many = [queries(client, url) for url in pages]
    assert many == few


def test_the_person_matches_page(client_for, person, referent, structure, area, make_member):
    from tisserand.guidance.models import GuidanceTarget

    GuidanceTarget.objects.create(
        person=person,
        fiche=area["boulanger"].fiche,
        appellation=area["boulanger"],
        score_percent=80,
        structure=structure,
    )
    actor = publisher(make_member, structure)
    own_offer(actor, appellation=area["boulanger"], commune=area["roubaix"])
    client = client_for(referent)
    url = reverse("opportunities:person_matches", args=[person.public_id])
    few = queries(client, url)
    for _ in range(15):
        own_offer(actor, appellation=area["boulanger"], commune=area["roubaix"])
    assert queries(client, url) == few
