from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.appointments.factories import AppointmentFactory


def local(day_offset, hour, minute=0):
    """An aware datetime ``day_offset`` days from today at ``hour:minute``, local time."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def person(person):
    """The followed person of every app's tests, with an e-mail address for the reminders."""
    person.email = "amina@exemple.test"
    person.save(update_fields=["email"])
    return person


@pytest.fixture
def make_appointment(person, referent):
    """make_appointment(**fields): an appointment of ``person`` with the référent by default."""

    def make(**fields):
        fields.setdefault("person", person)
        fields.setdefault("counsellor", referent.user)
        fields.setdefault("structure", referent.structure)
        return AppointmentFactory(**fields)

    return make
