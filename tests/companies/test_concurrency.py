"""HR club sessions hold their places under concurrency: 30 registrations sent at the same
instant for the last 5 places of a session give exactly 5 registrations; the 25 others land
on the portal with « Cette séance est complète. », and none meets a server error."""

import pytest

from tests.concurrency import Request, stage

PLACES, ALREADY, CLIENTS = 8, 3, 30

SETUP = """
import datetime
from django.urls import reverse
from django.utils import timezone
from tests.companies.factories import ContactFactory, HrClubFactory
from tests.companies.portal_helpers import leader_of
from tests.concurrency import session_key
from tisserand.companies.models import HrClubMember, HrClubRegistration, HrClubSession

leader = leader_of()
club = HrClubFactory()
HrClubMember.objects.create(
    club=club, establishment=leader.establishment, joined_on=datetime.date(2025, 1, 1)
)
session = HrClubSession.objects.create(
    club=club, date=timezone.localdate() + datetime.timedelta(days=10), title="Séance",
    capacity={places},
)
for _ in range({already}):
    HrClubRegistration.objects.create(
        session=session, contact=ContactFactory(establishment=leader.establishment)
    )
result = {{
    "session": session.pk,
    "url": reverse(
        "companies:portal_session_register",
        args=[leader.establishment.public_id, session.public_id],
    ),
    "cookie": session_key(leader.user),
    "contacts": [
        ContactFactory(establishment=leader.establishment).pk for _ in range({clients})
    ],
}}
"""

COUNT = """
from tisserand.companies.models import HrClubRegistration
result = HrClubRegistration.objects.filter(session_id={session}).count()
"""


@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_registrations_for_the_last_five_places_of_a_club_session(
    request, tmp_path
):
    with stage(request, tmp_path) as running:
        made = running.run(SETUP, places=PLACES, already=ALREADY, clients=CLIENTS)
        answers = running.all_at_once(
            [
                Request(made["url"], {"contact": contact}, session=made["cookie"])
                for contact in made["contacts"]
            ]
        )
        registered = running.run(COUNT, session=made["session"])
    assert [answer.status for answer in answers] == [302] * CLIENTS
    accepted = sum("Inscription enregistrée" in answer.page for answer in answers)
    refused = sum("Cette séance est complète." in answer.page for answer in answers)
    assert (accepted, refused) == (PLACES - ALREADY, CLIENTS - (PLACES - ALREADY))
    assert registered == PLACES
