"""Moving, cancelling and recording attendance; the appointment page; the rules on time."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.appointments.conftest import local, weekday_at
from tests.people.factories import ConsentFactory
from tisserand.appointments import services
from tisserand.appointments.models import Appointment, Attendance
from tisserand.core.actor import Actor
from tisserand.core.models import RecordAccess
from tisserand.core.timeline import events_about, events_for
from tisserand.structures.roles import Role


def url(name, appointment):
    return reverse(f"appointments:{name}", args=[appointment.public_id])


def edit_data(appointment, when, **overrides):
    when = timezone.localtime(when)
    return {
        "day": when.date().isoformat(),
        "time": when.strftime("%H:%M"),
        "duration_minutes": "60",
        "counsellor": appointment.counsellor_id,
        "mode": appointment.mode,
        "place": appointment.place,
        "subject": appointment.subject,
        **overrides,
    }


# --- The appointment page -----------------------------------------------------------------


def test_page_shows_the_appointment_and_logs_the_access(client_for, referent, make_appointment):
    appointment = make_appointment(starts_at=local(-1, 10))
    response = client_for(referent).get(url("detail", appointment))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Amina BENALI" in page
    assert "Enregistrer la présence" in page
    access = RecordAccess.objects.get()
    assert access.subject_id == str(appointment.person.pk)
    assert access.owner_structure == appointment.person.owner_structure


def test_future_appointment_page_says_attendance_comes_later(
    client_for, referent, make_appointment
):
    page = client_for(referent).get(url("detail", make_appointment())).content.decode()
    assert "Enregistrer la présence" not in page
    assert "dès le début du rendez-vous" in page


def test_partner_with_consent_sees_the_appointment_but_cannot_change_it(
    client_for, make_member, make_appointment
):
    appointment = make_appointment(starts_at=local(-1, 10))
    partner = make_member(Role.PARTNER)
    client = client_for(partner)
    assert client.get(url("detail", appointment)).status_code == 403
    ConsentFactory(person=appointment.person, structure=partner.structure, scopes=["appointments"])
    response = client.get(url("detail", appointment))
    assert response.status_code == 200
    assert "Modifier" not in response.content.decode()
    assert client.get(url("edit", appointment)).status_code == 403
    attend = client.post(url("attendance", appointment), {"attendance": Attendance.PRESENT})
    assert attend.status_code == 403
    assert client.post(url("cancel", appointment)).status_code == 403


@pytest.mark.parametrize("role", [Role.REFERENT, Role.ADMIN, Role.FUNDER], ids=str)
def test_members_of_another_structure_see_nothing(client_for, make_member, make_appointment, role):
    appointment = make_appointment()
    client = client_for(make_member(role))
    for name in ("detail", "edit", "export"):
        assert client.get(url(name, appointment)).status_code == 403
    assert client.post(url("cancel", appointment)).status_code == 403


# --- Moving -------------------------------------------------------------------------------


def test_moving_records_the_changes_and_clears_the_reminder(client_for, referent, make_appointment):
    appointment = make_appointment(starts_at=local(1, 9), reminder_sent_at=timezone.now())
    response = client_for(referent).post(
        url("edit", appointment), edit_data(appointment, weekday_at(2, 15))
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == weekday_at(2, 15)
    assert appointment.reminder_sent_at is None
    event = events_for(appointment).first()
    fields = {change["field"] for change in event.changes}
    assert fields == {"date et heure", "durée"}
    assert event in events_about(appointment.person)


def test_an_attended_appointment_cannot_be_moved_to_the_future(
    client_for, referent, make_appointment
):
    appointment = make_appointment(starts_at=local(-1, 9))
    services.record_attendance(appointment, Attendance.PRESENT, actor=Actor.of(referent))
    response = client_for(referent).post(
        url("edit", appointment), edit_data(appointment, weekday_at(1, 9))
    )
    assert response.status_code == 200
    assert "déplacé dans le futur" in " ".join(response.context["form"]["day"].errors)
    appointment.refresh_from_db()
    assert appointment.starts_at == local(-1, 9)


def test_a_cancelled_appointment_cannot_be_edited(client_for, referent, make_appointment):
    appointment = make_appointment()
    services.cancel(appointment, actor=Actor.of(referent))
    response = client_for(referent).post(
        url("edit", appointment), edit_data(appointment, weekday_at(2, 9))
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at != weekday_at(2, 9)


# --- Cancelling ---------------------------------------------------------------------------


def test_cancelling_keeps_the_reason_in_the_timeline(client_for, referent, make_appointment):
    appointment = make_appointment()
    response = client_for(referent).post(
        url("cancel", appointment), {"reason": "Demande de la personne"}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.is_cancelled
    assert appointment.cancellation_reason == "Demande de la personne"
    assert "annulé : Demande de la personne" in events_about(appointment.person).first().summary


def test_an_attended_appointment_cannot_be_cancelled(referent, make_appointment):
    appointment = make_appointment(starts_at=local(-1, 9))
    services.record_attendance(appointment, Attendance.ABSENT, actor=Actor.of(referent))
    with pytest.raises(services.AppointmentError, match="a eu lieu"):
        services.cancel(appointment, actor=Actor.of(referent))
    with pytest.raises(services.AppointmentError, match="déjà annulé"):
        services.cancel(make_appointment(cancelled_at=timezone.now()), actor=Actor.of(referent))


# --- Attendance ---------------------------------------------------------------------------


@pytest.mark.parametrize("attendance", [Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT])
def test_attendance_is_recorded_once_the_appointment_has_started(
    client_for, referent, make_appointment, attendance
):
    appointment = make_appointment(starts_at=local(-1, 9))
    response = client_for(referent).post(url("attendance", appointment), {"attendance": attendance})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.attendance == attendance
    assert appointment.attendance_recorded_at is not None
    assert "Présence au rendez-vous" in events_about(appointment.person).first().summary


def test_attendance_of_an_appointment_under_way_is_allowed(referent, make_appointment):
    appointment = make_appointment(starts_at=timezone.now() - timedelta(minutes=5))
    services.record_attendance(appointment, Attendance.PRESENT, actor=Actor.of(referent))
    assert appointment.attendance == Attendance.PRESENT


def test_attendance_of_a_future_appointment_is_refused(client_for, referent, make_appointment):
    appointment = make_appointment(starts_at=local(1, 9))
    response = client_for(referent).post(
        url("attendance", appointment), {"attendance": Attendance.PRESENT}, follow=True
    )
    assert "une fois le rendez-vous commencé" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.attendance == Attendance.PLANNED


def test_attendance_of_a_cancelled_appointment_is_refused(referent, make_appointment):
    appointment = make_appointment(starts_at=local(-1, 9), cancelled_at=timezone.now())
    with pytest.raises(services.AppointmentError, match="annulé"):
        services.record_attendance(appointment, Attendance.PRESENT, actor=Actor.of(referent))


def test_attendance_may_be_corrected_with_its_history(referent, make_appointment):
    appointment = make_appointment(starts_at=local(-1, 9))
    services.record_attendance(appointment, Attendance.ABSENT, actor=Actor.of(referent))
    services.record_attendance(appointment, Attendance.EXCUSED, actor=Actor.of(referent))
    correction = events_for(appointment).first()
    assert correction.changes == [
        {"field": "présence", "before": "Absent", "after": "Absent excusé"}
    ]


def test_bad_attendance_value_is_refused(client_for, referent, make_appointment):
    appointment = make_appointment(starts_at=local(-1, 9))
    client = client_for(referent)
    for value in ("planned", "peut-être", ""):
        client.post(url("attendance", appointment), {"attendance": value})
    appointment.refresh_from_db()
    assert appointment.attendance == Attendance.PLANNED


def test_attendance_from_the_agenda_returns_the_row_with_htmx(
    client_for, referent, make_appointment
):
    appointment = make_appointment(starts_at=local(-1, 9))
    response = client_for(referent).post(
        url("attendance", appointment),
        {"attendance": Attendance.PRESENT, "next": "/agenda/?vue=jour"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<tr")
    assert "Présence enregistrée." in html
    assert 'value="/agenda/?vue=jour"' in html


def test_attendance_without_javascript_goes_back_to_the_agenda(
    client_for, referent, make_appointment
):
    appointment = make_appointment(starts_at=local(-1, 9))
    client = client_for(referent)
    data = {"attendance": Attendance.PRESENT, "next": "/agenda/?vue=jour"}
    assert client.post(url("attendance", appointment), data)["Location"] == "/agenda/?vue=jour"
    data["next"] = "https://ailleurs.example/"
    response = client.post(url("attendance", appointment), data)
    assert response["Location"] == url("detail", appointment)


def test_the_counsellor_keeps_their_appointment_after_leaving_the_team(
    client_for, referent, make_appointment
):
    appointment = make_appointment(starts_at=local(-1, 9))
    appointment.person.follow_ups.update(is_active=False, until=timezone.localdate())
    response = client_for(referent).post(
        url("attendance", appointment), {"attendance": Attendance.PRESENT}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.attendance == Attendance.PRESENT


# --- Invariants in the database -----------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"attendance": Attendance.PRESENT},  # attendance without its date
        {"cancelled_at": "now", "attendance": Attendance.PRESENT, "attendance_recorded_at": "now"},
        {"duration": timedelta(0)},
        {"duration": timedelta(hours=9)},
        {"mode": "pigeon"},
    ],
)
def test_database_refuses_incoherent_appointments(make_appointment, fields):
    now = timezone.now()
    fields = {key: now if value == "now" else value for key, value in fields.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        make_appointment(**fields)
    assert not Appointment.objects.exists()
