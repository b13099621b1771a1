"""Factories of the appointments app, for every app's tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import UserFactory
from tests.people.factories import PersonFactory
from tisserand.appointments.models import Appointment, Mode


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    counsellor = factory.SubFactory(UserFactory)
    structure = factory.SelfAttribute("person.owner_structure")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    duration = timedelta(minutes=45)
    mode = Mode.ON_SITE
    place = "12 rue du Grand Chemin, Roubaix"
    subject = "Point sur la recherche d'emploi"
