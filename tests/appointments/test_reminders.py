"""E-mail reminders: sent once, in French, only when due; opt-out and missing e-mail respected."""

from datetime import datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.appointments.conftest import local
from tisserand.appointments import reminders
from tisserand.appointments.models import Attendance, Mode
from tisserand.core.timeline import events_about


def run_command(*args):
    out = StringIO()
    call_command("send_appointment_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def soon(make_appointment):
    return make_appointment(starts_at=timezone.now() + timedelta(hours=20))


def test_reminder_is_sent_once_in_french(soon, structure):
    structure.phone = "03 20 00 00 01"
    structure.email = "accueil@mde.test"
    structure.save()
    assert "1 rappel(s) mis en file" in run_command()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@exemple.test"]
    local_start = timezone.localtime(soon.starts_at)
    assert message.subject.startswith("Rappel : votre rendez-vous du ")
    assert f"à {local_start:%H} h {local_start:%M}" in message.subject
    body = message.body
    assert "Bonjour Amina," in body
    assert soon.counsellor.get_full_name() in body
    assert f"{local_start.day} " in body and str(local_start.year) in body
    assert "Lieu : 12 rue du Grand Chemin, Roubaix" in body
    assert "03 20 00 00 01" in body and "accueil@mde.test" in body
    assert "déplacer ce rendez-vous" in body
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert any("Rappel du rendez-vous" in e.summary for e in events_about(soon.person))
    # Never twice: neither by the command nor by the task run again.
    assert "0 rappel(s)" in run_command()
    assert reminders.send(soon.pk) is False
    assert len(mail.outbox) == 1


def test_french_month_and_weekday_names(make_appointment):
    appointment = make_appointment(starts_at=local(1, 9))
    appointment.starts_at = timezone.make_aware(datetime(2026, 3, 10, 9, 5))
    subject, body = reminders.message(appointment)
    assert subject == "Rappel : votre rendez-vous du mardi 10 mars 2026 à 09 h 05"


@pytest.mark.parametrize(
    ("mode", "place", "expected"),
    [
        (Mode.VIDEO, "https://visio.exemple/abc", "en visioconférence, lien : https://visio"),
        (Mode.PHONE, "", "Modalité : par téléphone"),
        (Mode.HOME, "", "à votre domicile"),
        (Mode.ON_SITE, "", "Lieu : 1 rue de la Paix, 59100 Roubaix"),
    ],
)
def test_the_mode_and_place_are_told(make_appointment, mode, place, expected):
    appointment = make_appointment(starts_at=local(1, 9), mode=mode, place=place)
    assert expected in reminders.message(appointment)[1]


def test_opt_out_and_missing_email_are_respected(soon, make_appointment, person):
    person.email_reminders_opt_out = True
    person.save()
    run_command("--direct")
    assert not mail.outbox
    person.email_reminders_opt_out = False
    person.email = ""
    person.save()
    run_command("--direct")
    assert not mail.outbox
    soon.refresh_from_db()
    assert soon.reminder_sent_at is None


def test_only_future_appointments_within_the_lead_time(make_appointment):
    now = timezone.now()
    due = make_appointment(starts_at=now + timedelta(hours=23))
    make_appointment(starts_at=now + timedelta(hours=25))  # too early to remind
    make_appointment(starts_at=now - timedelta(minutes=5))  # already started
    make_appointment(starts_at=now + timedelta(hours=2), cancelled_at=now)
    assert list(reminders.due(now)) == [due]
    assert "1 rappel(s) envoyé(s)" in run_command("--direct")
    assert "1 rappel(s)" in run_command("--heures", "48")  # the one 25 hours ahead
    assert len(mail.outbox) == 2


def test_a_reminder_no_longer_due_when_its_task_runs_is_not_sent(soon):
    soon.cancelled_at = timezone.now()
    soon.save()
    assert reminders.send(soon.pk) is False
    assert not mail.outbox


def test_a_moved_appointment_gets_a_new_reminder(client_for, referent, soon):
    run_command()
    soon.refresh_from_db()
    new_start = timezone.localtime(soon.starts_at + timedelta(hours=1))
    client_for(referent).post(
        f"/rendez-vous/{soon.public_id}/modifier/",
        {
            "day": new_start.date().isoformat(),
            "time": new_start.strftime("%H:%M"),
            "duration_minutes": "45",
            "counsellor": soon.counsellor_id,
            "mode": soon.mode,
            "place": soon.place,
            "subject": soon.subject,
        },
    )
    run_command()
    assert len(mail.outbox) == 2


def test_a_failed_sending_is_tried_again(soon):
    with (
        mock.patch("tisserand.appointments.reminders.send_mail", side_effect=OSError("smtp")),
        pytest.raises(OSError),
    ):
        reminders.send(soon.pk)
    soon.refresh_from_db()
    assert soon.reminder_sent_at is None
    assert reminders.send(soon.pk) is True
    assert len(mail.outbox) == 1


def test_attended_appointments_are_not_reminded(make_appointment, referent):
    appointment = make_appointment(
        starts_at=timezone.now() + timedelta(hours=3),
        attendance=Attendance.EXCUSED,
        attendance_recorded_at=timezone.now(),
    )
    assert appointment not in reminders.due()
