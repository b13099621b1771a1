from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.appointments.factories import AppointmentFactory
from tisserand.appointments.conflicts import SUNDAY


def local(day_offset, hour, minute=0):
    """An aware datetime ``day_offset`` days from today at ``hour:minute``, local time."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def weekday_at(day_offset, hour, minute=0):
    """Like ``local``, one day further from today when that day is a Sunday: a booking through
    the form then raises no unusual-hours warning, whatever day the suite runs."""
    when = local(day_offset, hour, minute)
    if when.weekday() == SUNDAY:
        when = local(day_offset + (1 if day_offset >= 0 else -1), hour, minute)
    return when


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
