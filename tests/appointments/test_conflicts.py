"""Appointment conflicts: overlaps (same counsellor, same person, same room) and unusual hours
(night, Sunday) are warned about; nothing is saved until the counsellor confirms."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.appointments.factories import AppointmentFactory
from tests.factories import StructureFactory
from tests.people.factories import PersonFactory
from tisserand.appointments import conflicts, services
from tisserand.appointments.models import Appointment, Attendance, Mode
from tisserand.core.actor import Actor


def next_weekday(weekday):
    """The next such weekday (0 Monday … 6 Sunday), at least a day away."""
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


TUESDAY = next_weekday(1)


@pytest.fixture
def booked(make_appointment):
    """14:00–14:45 next Tuesday, with the référent, in « Bureau 3 »."""
    return make_appointment(starts_at=at(TUESDAY, 14), place="Bureau 3", subject="Bilan")


def new(person, referent, when, **fields):
    values = {
        "person": person,
        "counsellor": referent.user,
        "structure": referent.structure,
        "starts_at": when,
        "duration": timedelta(minutes=45),
        "mode": Mode.ON_SITE,
        "place": "Bureau 5",
        "subject": "Point",
    }
    values.update(fields)
    return Appointment(**values)


def warnings(appointment):
    return conflicts.warnings_for(conflicts.Slot.of(appointment))


# --- The warnings -----------------------------------------------------------------------------


def test_same_counsellor_at_14_15_overlaps(booked, person, referent):
    other_person = PersonFactory(owner_structure=referent.structure)
    found = warnings(new(other_person, referent, at(TUESDAY, 14, 15)))
    assert found == [
        f"{referent.user.get_full_name()} a déjà un rendez-vous le {TUESDAY:%d/%m/%Y} "
        f"de 14:00 à 14:45 avec {person}."
    ]


def test_same_person_with_another_counsellor_overlaps(booked, person, referent, make_member):
    colleague = make_member("referent", structure=referent.structure)
    found = warnings(new(person, colleague, at(TUESDAY, 14, 30)))
    assert found == [f"{person} a déjà un rendez-vous le {TUESDAY:%d/%m/%Y} de 14:00 à 14:45."]


def test_the_person_elsewhere_is_told_without_details(person, referent, make_member):
    AppointmentFactory(
        person=person, structure=StructureFactory(), starts_at=at(TUESDAY, 10), subject="Secret"
    )
    found = warnings(new(person, referent, at(TUESDAY, 10, 30)))
    assert found == [
        f"{person} a déjà un rendez-vous le {TUESDAY:%d/%m/%Y} de 10:00 à 10:45 "
        "avec une autre structure."
    ]
    assert "Secret" not in found[0]


def test_same_room_overlaps(booked, referent, make_member):
    colleague = make_member("referent", structure=referent.structure)
    stranger = PersonFactory(owner_structure=referent.structure)
    assert warnings(new(stranger, colleague, at(TUESDAY, 14, 30), place="bureau 3 ")) == [
        f"Le lieu « Bureau 3 » est déjà pris le {TUESDAY:%d/%m/%Y} de 14:00 à 14:45."
    ]
    assert warnings(new(stranger, colleague, at(TUESDAY, 14, 30), place="Bureau 4")) == []
    phone = new(stranger, colleague, at(TUESDAY, 14, 30), mode=Mode.PHONE, place="Bureau 3")
    assert warnings(phone) == []


def test_back_to_back_or_cancelled_appointments_do_not_clash(booked, person, referent):
    assert warnings(new(person, referent, at(TUESDAY, 14, 45))) == []
    assert warnings(new(person, referent, at(TUESDAY, 13, 15))) == []
    booked.cancelled_at = timezone.now()
    booked.save()
    assert warnings(new(person, referent, at(TUESDAY, 14, 15))) == []


def test_three_in_the_morning_on_a_sunday_is_unusual(person, referent):
    sunday = next_weekday(6)
    found = warnings(new(person, referent, at(sunday, 3)))
    assert found == [
        "Horaire inhabituel : 03:00–03:45, en dehors de 07 h – 21 h.",
        f"Horaire inhabituel : le {sunday:%d/%m/%Y} est un dimanche.",
    ]
    assert warnings(new(person, referent, at(TUESDAY, 20, 30))) == [
        "Horaire inhabituel : 20:30–21:15, en dehors de 07 h – 21 h."
    ]
    assert warnings(new(person, referent, at(TUESDAY, 9))) == []


# --- The services refuse an unconfirmed conflict ----------------------------------------------


def test_booking_a_conflict_needs_confirmation(booked, person, referent):
    actor = Actor.of(referent)
    with pytest.raises(services.UnconfirmedConflict, match="demande votre confirmation"):
        services.book(new(person, referent, at(TUESDAY, 14, 15)), actor=actor)
    assert Appointment.objects.count() == 1
    services.book(new(person, referent, at(TUESDAY, 14, 15)), actor=actor, confirmed=True)
    assert Appointment.objects.count() == 2


def test_moving_into_a_conflict_needs_confirmation(booked, person, referent, make_appointment):
    actor = Actor.of(referent)
    other = make_appointment(starts_at=at(TUESDAY, 10))
    with pytest.raises(services.UnconfirmedConflict):
        services.update(other, data={"starts_at": at(TUESDAY, 14, 30)}, actor=actor)
    other.refresh_from_db()
    assert other.starts_at == at(TUESDAY, 10)
    # A change of subject moves nothing: an existing clash is not asked again.
    services.update(booked, data={"subject": "Bilan final"}, actor=actor)


# --- The form asks, the counsellor confirms or changes ----------------------------------------


def booking(person, when, counsellor, **overrides):
    return {
        "day": when.date().isoformat(),
        "time": timezone.localtime(when).strftime("%H:%M"),
        "duration_minutes": "45",
        "counsellor": counsellor.pk,
        "mode": Mode.ON_SITE,
        "place": "Bureau 5",
        "subject": "Deuxième entretien",
        "attendance": Attendance.PLANNED,
        **overrides,
    }


def test_the_form_warns_then_saves_once_confirmed(client_for, booked, person, referent):
    client = client_for(referent)
    book_url = reverse("appointments:book", args=[person.public_id])
    data = booking(person, at(TUESDAY, 14, 15), referent.user)
    response = client.post(book_url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "a déjà un rendez-vous le" in content
    assert "Je confirme ce rendez-vous malgré ces alertes" in content
    assert Appointment.objects.count() == 1
    seen = response.context["form"]["conflicts_seen"].value()
    # Ticked, but for another clash (moved meanwhile into the busy room): asked again.
    moved = booking(person, at(TUESDAY, 14, 15), referent.user, place="Bureau 3")
    response = client.post(book_url, {**moved, "confirm_conflicts": "on", "conflicts_seen": seen})
    assert response.status_code == 200
    assert Appointment.objects.count() == 1
    seen = response.context["form"]["conflicts_seen"].value()
    response = client.post(book_url, {**moved, "confirm_conflicts": "on", "conflicts_seen": seen})
    assert response.status_code == 302
    assert Appointment.objects.count() == 2


def test_the_counsellor_changes_the_time_instead(client_for, booked, person, referent):
    client = client_for(referent)
    book_url = reverse("appointments:book", args=[person.public_id])
    assert (
        client.post(book_url, booking(person, at(TUESDAY, 14, 15), referent.user)).status_code
        == 200
    )
    response = client.post(book_url, booking(person, at(TUESDAY, 15), referent.user))
    assert response.status_code == 302
    assert Appointment.objects.count() == 2
