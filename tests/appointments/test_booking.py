"""Booking from the person page: who may, which dates, attendance entered with a past booking."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.appointments.conftest import weekday_at
from tests.factories import MembershipFactory, UserFactory
from tests.people.factories import ConsentFactory, follow
from tisserand.appointments.models import Appointment, Attendance, Mode
from tisserand.core.timeline import events_about
from tisserand.people.models import FollowUpRole
from tisserand.structures.roles import Role


def book_url(person):
    return reverse("appointments:book", args=[person.public_id])


def booking_data(when, **overrides):
    data = {
        "day": when.date().isoformat(),
        "time": when.strftime("%H:%M"),
        "duration_minutes": "45",
        "mode": Mode.ON_SITE,
        "place": "Bureau 3",
        "subject": "Premier entretien",
        "attendance": Attendance.PLANNED,
        **overrides,
    }
    return data


def post_booking(client, person, when, counsellor, **overrides):
    data = booking_data(timezone.localtime(when), counsellor=counsellor.pk, **overrides)
    return client.post(book_url(person), data)


def test_referent_books_an_appointment_for_a_person_they_follow(client_for, referent, person):
    client = client_for(referent)
    assert client.get(book_url(person)).status_code == 200
    when = weekday_at(2, 10, 30)
    response = post_booking(client, person, when, referent.user)
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:detail", args=[appointment.public_id])
    assert appointment.starts_at == when
    assert appointment.duration == timedelta(minutes=45)
    assert appointment.counsellor == referent.user
    assert appointment.structure == referent.structure
    assert appointment.created_by == referent.user
    assert appointment.attendance == Attendance.PLANNED
    events = list(events_about(person))
    assert any("Rendez-vous le" in event.summary for event in events)


def test_a_past_appointment_may_be_entered_with_its_attendance(client_for, referent, person):
    yesterday = weekday_at(-1, 14)
    response = post_booking(
        client_for(referent), person, yesterday, referent.user, attendance=Attendance.PRESENT
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.starts_at == yesterday
    assert appointment.attendance == Attendance.PRESENT
    assert appointment.attendance_recorded_at is not None
    summaries = [event.summary for event in events_about(person)]
    assert any("Présence au rendez-vous" in summary for summary in summaries)


def test_attendance_of_a_future_appointment_is_refused_at_booking(client_for, referent, person):
    response = post_booking(
        client_for(referent), person, weekday_at(1, 9), referent.user, attendance=Attendance.PRESENT
    )
    assert response.status_code == 200
    assert "une fois le rendez-vous commencé" in " ".join(
        response.context["form"]["attendance"].errors
    )
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"day": "2026-02-30"}, "day", "Saisissez une date valide."),
        ({"time": "25:00"}, "time", "Saisissez une heure valide."),
        ({"subject": ""}, "subject", "Ce champ est obligatoire."),
        ({"mode": "pigeon"}, "mode", "Sélectionnez un choix valide."),
        ({"mode": Mode.VIDEO, "place": ""}, "place", "lien de la visioconférence"),
        ({"duration_minutes": "0"}, "duration_minutes", "Sélectionnez un choix valide."),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    client_for, referent, person, overrides, field, message
):
    client = client_for(referent)
    response = post_booking(client, person, weekday_at(1, 9), referent.user, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"][field].errors)
    assert f'id="id_{field}' in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("days", [-400, 400])
def test_dates_more_than_a_year_away_are_refused(client_for, referent, person, days):
    response = post_booking(client_for(referent), person, weekday_at(days, 9), referent.user)
    assert response.status_code == 200
    assert "plus d'un an" in " ".join(response.context["form"]["day"].errors)
    assert not Appointment.objects.exists()


def test_counsellor_is_chosen_among_the_team(client_for, referent, person, structure):
    colleague = MembershipFactory(structure=structure, role=Role.REFERENT)
    follow(person, colleague, FollowUpRole.TEAM)
    stranger = MembershipFactory(structure=structure, role=Role.REFERENT)
    client = client_for(referent)
    choices = {
        user.pk
        for user in client.get(book_url(person)).context["form"].fields["counsellor"].queryset
    }
    assert choices == {referent.user.pk, colleague.user.pk}
    response = post_booking(client, person, weekday_at(1, 9), stranger.user)
    assert response.status_code == 200
    assert "counsellor" in response.context["form"].errors
    assert post_booking(client, person, weekday_at(1, 9), colleague.user).status_code == 302
    assert Appointment.objects.get().counsellor == colleague.user


def test_a_former_team_member_is_not_offered(client_for, referent, person, structure):
    former = MembershipFactory(structure=structure, role=Role.REFERENT)
    follow(person, former, FollowUpRole.TEAM)
    former.is_active = False
    former.deactivated_at = timezone.now()
    former.save()
    form = client_for(referent).get(book_url(person)).context["form"]
    assert former.user not in form.fields["counsellor"].queryset


@pytest.mark.parametrize(
    "role", [Role.REFERENT, Role.ADMIN, Role.DIRECTOR, Role.PARTNER, Role.FUNDER], ids=str
)
def test_a_member_of_another_structure_cannot_book(client_for, make_member, person, role):
    outsider = make_member(role)
    client = client_for(outsider)
    assert client.get(book_url(person)).status_code == 403
    assert post_booking(client, person, weekday_at(1, 9), outsider.user).status_code == 403
    assert not Appointment.objects.exists()


def test_a_funder_of_the_same_structure_cannot_book(client_for, make_member, person, structure):
    funder = make_member(Role.FUNDER, structure=structure)
    assert client_for(funder).get(book_url(person)).status_code == 403


def test_a_partner_reading_through_consent_cannot_book(client_for, make_member, person):
    partner = make_member(Role.PARTNER)
    ConsentFactory(person=person, structure=partner.structure, scopes=["appointments"])
    assert client_for(partner).get(book_url(person)).status_code == 403


def test_the_administrator_of_the_structure_may_book(client_for, make_member, person, structure):
    admin = make_member(Role.ADMIN, structure=structure)
    client = client_for(admin)
    assert post_booking(client, person, weekday_at(1, 9), admin.user).status_code == 302


def test_a_colleague_of_the_same_structure_who_does_not_follow_cannot_book(
    client_for, make_member, person, structure
):
    colleague = make_member(Role.REFERENT, structure=structure)
    assert client_for(colleague).get(book_url(person)).status_code == 403


def test_anonymous_is_sent_to_login_and_no_membership_is_refused(client, person):
    response = client.get(book_url(person))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(UserFactory())
    assert client.get(book_url(person)).status_code == 403
