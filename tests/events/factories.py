"""Factories of the events app: an event of a structure with one session to come."""

from datetime import timedelta

import factory
from django.utils import timezone

from tisserand.events.models import (
    Event,
    EventCandidate,
    Registration,
    Session,
    Status,
    Visibility,
)


def soon(days=7, hour=10):
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    event_type = "workshop"
    title = factory.Sequence(lambda n: f"Atelier CV n° {n}")
    structure = factory.SubFactory("tests.factories.StructureFactory")
    address_line = "40 rue du Grand Chemin"
    visibility = Visibility.INTERNAL
    starts_at = factory.LazyFunction(soon)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at or soon())
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    room = "Salle 1"
    capacity = 12


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration as stored (bypasses the services: use it for reads, not for seats)."""

    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory("tests.people.factories.PersonFactory")
    status = Status.INVITED


class EventCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventCandidate

    event = factory.SubFactory(EventFactory, event_type="job_dating")
    person = factory.SubFactory("tests.people.factories.PersonFactory")
    structure = factory.LazyAttribute(lambda o: o.event.structure)
