"""The events demo seeder: a season in Roubaix, consistent with the capacity rule, once."""

import time
from io import StringIO

from django.db.models import Count

from tests.companies.factories import EstablishmentFactory
from tisserand.accompaniment import demo as persons_demo
from tisserand.core.timeline import events_about
from tisserand.events import demo, selectors
from tisserand.events.models import Event, InterviewSlot, Registration, Session, Status
from tisserand.structures import demo as territory


def test_demo_season(structure):
    territory.seed()
    persons_demo.seed(StringIO())
    EstablishmentFactory.create_batch(4)
    out = StringIO()
    started = time.perf_counter()
    demo.seed(out)
    assert time.perf_counter() - started < 10
    assert "événements fictifs" in out.getvalue()
    events = Event.objects.all()
    assert events.filter(event_type="hr_club").count() == 2
    assert events.filter(event_type="job_dating").count() == 1
    assert events.filter(visibility="public").exists()
    statuses = set(Registration.objects.values_list("status", flat=True))
    assert {Status.PRESENT, Status.WAITING, Status.INVITED, Status.REGISTERED} <= statuses
    for session in Session.objects.all():
        assert session.seats_taken == selectors.seats_taken_count(session) <= session.capacity
    assert InterviewSlot.objects.filter(candidate__isnull=False).exists()
    present = Registration.objects.filter(status=Status.PRESENT).first().person
    assert events_about(present).filter(summary__contains="Présence").exists()
    # Every candidate holds at most one slot per time.
    assert not (
        InterviewSlot.objects.filter(candidate__isnull=False)
        .values("candidate", "starts_at")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    demo.seed(out)
    assert "déjà présents" in out.getvalue()
    assert Event.objects.count() == events.count()
