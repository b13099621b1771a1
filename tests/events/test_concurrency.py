"""Events hold their capacities and single-use links under concurrency, against a live server
with real simultaneous clients (``tests.concurrency``), on the database the suite runs on:

- 50 people register at the same instant for the last 10 seats of a session: exactly 10 get a
  seat and 40 go to the waiting list;
- 10 participants cancel at the same instant: 10 different people leave the waiting list,
  none twice, and the session stays full;
- an invitation answered 20 times at once (confirm and decline mixed) is answered once, and
  the seat count agrees with the answer;
- a satisfaction link posted 10 times at once records one answer;
- 20 organisers fill the same free job-dating slot at once: one candidate gets it; one
  candidate put in 10 slots at the same time at once gets one of them.

None of the requests meets a server error: each lands on a page with a French message.
"""

import pytest

from tests.concurrency import Request, stage

CAPACITY, ALREADY, CLIENTS = 40, 30, 50

EVENT = """
from datetime import timedelta
from django.urls import reverse
from django.utils import timezone
from tests.concurrency import session_key
from tisserand.core.actor import Actor
from tisserand.events import links, services
from tisserand.events.models import Event, Registration, Session, Status
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.models import Structure

load_vocabularies()
structure = Structure.objects.create(name="Maison de l'Emploi (concurrence)")
start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
event = Event.objects.create(
    event_type="{event_type}", title="Atelier très demandé", structure=structure,
    address_line="1 place de la Liberté", visibility="public", starts_at=start,
    slot_minutes=30,
)
session = Session.objects.create(
    event=event, starts_at=start, ends_at=start + timedelta(hours=2), capacity={capacity},
)


def public(n, status=Status.REGISTERED, **fields):
    return Registration.objects.create(
        session=session, first_name="Déjà", last_name=f"Inscrit{{n}}",
        email=f"deja{{n}}@exemple.invalid", status=status, consented_at=timezone.now(),
        consent_text="ok", **fields,
    )


def personal_url(registration, name="events:personal"):
    registration.token_digest = links.digest(links.token_for(registration))
    registration.save(update_fields=["token_digest"])
    return reverse(name, args=[links.token_for(registration)])
"""

STATE = """
from django.db.models import Count
from tisserand.core.models import TimelineEvent
from tisserand.events.models import Registration, Session
session = Session.objects.get(pk={session})
result = {{
    "seats_taken": session.seats_taken,
    "statuses": dict(
        Registration.objects.filter(session=session).values_list("status")
        .annotate(n=Count("id")).order_by()
    ),
    "summaries": list(
        TimelineEvent.objects.filter(subject_id=str(session.event_id))
        .values_list("summary", flat=True)
    ),
}}
"""


def _count(answers, text):
    return sum(text in answer.page for answer in answers)


def _statuses(answers):
    return [answer.status for answer in answers]


PUBLIC_SEATS = (
    EVENT
    + """
for n in range({already}):
    public(n)
Session.objects.filter(pk=session.pk).update(seats_taken={already})
result = {{"session": session.pk, "url": reverse("events:public_detail", args=[event.public_id])}}
"""
)


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_for_the_last_ten_seats(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(PUBLIC_SEATS, event_type="workshop", capacity=CAPACITY, already=ALREADY)
        answers = running.all_at_once(
            [
                Request(
                    made["url"],
                    {
                        "session": made["session"],
                        "first_name": "Camille",
                        "last_name": f"Simultanée{n}",
                        "email": f"camille{n}@exemple.invalid",
                        "consent": "on",
                    },
                )
                for n in range(CLIENTS)
            ]
        )
        state = running.run(STATE, session=made["session"])
    assert _statuses(answers) == [302] * CLIENTS  # each was registered or put on the list
    assert state["statuses"] == {
        "registered": CAPACITY,
        "waiting": CLIENTS - (CAPACITY - ALREADY),
    }
    assert state["seats_taken"] == CAPACITY


CANCELLERS = 10

FULL_WITH_A_LIST = (
    EVENT
    + """
registered = [public(n) for n in range({capacity})]
Session.objects.filter(pk=session.pk).update(seats_taken={capacity})
for n in range({capacity}, 2 * {capacity} + 5):
    public(n, status=Status.WAITING, waiting_since=timezone.now() + timedelta(seconds=n))
result = {{"session": session.pk, "urls": [personal_url(r) for r in registered]}}
"""
)


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_cancellations_promote_ten_different_people(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(FULL_WITH_A_LIST, event_type="workshop", capacity=CANCELLERS)
        answers = running.all_at_once([Request(url, {"action": "cancel"}) for url in made["urls"]])
        state = running.run(STATE, session=made["session"])
    assert _statuses(answers) == [302] * CANCELLERS
    assert _count(answers, "C&#x27;est enregistré, merci.") == CANCELLERS
    assert state["seats_taken"] == CANCELLERS
    assert state["statuses"] == {"cancelled": CANCELLERS, "registered": CANCELLERS, "waiting": 5}
    promoted = [text for text in state["summaries"] if "sort de la liste d'attente" in text]
    assert len(promoted) == len(set(promoted)) == CANCELLERS


ANSWERS = 20

ONE_INVITATION = (
    EVENT
    + """
invited = public(0, status=Status.INVITED)
result = {{"session": session.pk, "url": personal_url(invited)}}
"""
)


@pytest.mark.django_db(transaction=True)
def test_an_invitation_answered_twenty_times_at_once_is_answered_once(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(ONE_INVITATION, event_type="workshop", capacity=5)
        answers = running.all_at_once(
            [
                Request(made["url"], {"action": "confirm" if n % 2 else "decline"})
                for n in range(ANSWERS)
            ]
        )
        state = running.run(STATE, session=made["session"])
    assert _statuses(answers) == [302] * ANSWERS
    assert _count(answers, "C&#x27;est enregistré, merci.") == 1
    assert _count(answers, "Cette invitation a déjà reçu une réponse.") == ANSWERS - 1
    assert (state["statuses"], state["seats_taken"]) in (
        ({"registered": 1}, 1),
        ({"declined": 1}, 0),
    )


SURVEYS = 10

PRESENT = (
    EVENT
    + """
present = public(0, status=Status.PRESENT)
result = {{
    "registration": present.pk,
    "url": personal_url(present, "events:personal_satisfaction"),
}}
"""
)

SURVEY_ANSWERS = """
from tisserand.events.models import SatisfactionAnswer
result = SatisfactionAnswer.objects.filter(registration_id={registration}).count()
"""


@pytest.mark.django_db(transaction=True)
def test_a_satisfaction_link_posted_ten_times_at_once_records_one_answer(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(PRESENT, event_type="workshop", capacity=5)
        answers = running.all_at_once(
            [Request(made["url"], {"rating": 4, "useful": "oui"}) for _ in range(SURVEYS)]
        )
        count = running.run(SURVEY_ANSWERS, registration=made["registration"])
    assert sorted(_statuses(answers)) == [200] * (SURVEYS - 1) + [302]
    assert _count(answers, "Merci pour votre avis !") == 1
    assert _count(answers, "Vous avez déjà répondu : merci !") == SURVEYS - 1
    assert count == 1


ORGANISERS = 20

JOB_DATING = (
    EVENT
    + """
from tests.companies.factories import EstablishmentFactory
from tests.factories import MembershipFactory
from tests.people.factories import PersonFactory
from tisserand.structures.roles import Role

organiser = MembershipFactory(role=Role.BUSINESS, structure=structure)
actor = Actor.of(organiser)
companies = [
    services.add_company(event, establishment=EstablishmentFactory(), actor=actor)
    for _ in range({companies})
]
candidates = [
    services.propose_candidate(event, person=PersonFactory(owner_structure=structure), actor=actor)
    for _ in range({candidates})
]
first_slots = [company.slots.order_by("starts_at").first() for company in companies]
result = {{
    "session": session.pk,
    "cookie": session_key(organiser.user, organiser),
    "candidates": [candidate.pk for candidate in candidates],
    "slot_urls": [reverse("events:slot", args=[slot.pk]) for slot in first_slots],
    "slots": [slot.pk for slot in first_slots],
}}
"""
)

SLOTS = """
from tisserand.events.models import InterviewSlot
result = list(
    InterviewSlot.objects.filter(pk__in={slots}).values_list("candidate_id", flat=True)
)
"""


@pytest.mark.django_db(transaction=True)
def test_job_dating_slots_are_taken_once_and_a_candidate_is_in_one_place(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(
            JOB_DATING, event_type="job_dating", capacity=0, companies=10, candidates=ORGANISERS
        )
        same_slot = running.all_at_once(
            [
                Request(made["slot_urls"][0], {"candidate": candidate}, session=made["cookie"])
                for candidate in made["candidates"]
            ]
        )
        taken = running.run(SLOTS, slots=made["slots"][:1])
        one_candidate = running.all_at_once(
            [
                Request(url, {"candidate": made["candidates"][-1]}, session=made["cookie"])
                for url in made["slot_urls"][1:]
            ]
        )
        placed = running.run(SLOTS, slots=made["slots"][1:])
    assert _statuses(same_slot) == [302] * ORGANISERS
    assert _count(same_slot, "Le créneau est enregistré.") == 1
    assert _count(same_slot, "Ce créneau est déjà pris") == ORGANISERS - 1
    assert taken[0] in made["candidates"]
    assert _statuses(one_candidate) == [302] * 9
    assert _count(one_candidate, "Le créneau est enregistré.") == 1
    assert _count(one_candidate, "a déjà un entretien à") == 8
    assert sorted(placed, key=lambda pk: pk is None) == [made["candidates"][-1]] + [None] * 8
