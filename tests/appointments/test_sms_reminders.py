"""Issue 9, point 16: appointment reminders by SMS, with the person's consent, sent once,
logged; a refused SMS is tried again."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from tisserand.appointments import reminders, tasks
from tisserand.core import sms
from tisserand.core.sms import SmsError
from tisserand.core.timeline import events_about


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def consenting(person):
    person.phone = "+33639980001"
    person.sms_reminders_consent = True
    person.save()
    return person


@pytest.fixture
def soon(make_appointment, consenting):
    return make_appointment(starts_at=timezone.now() + timedelta(hours=20))


def test_the_sms_reminder_is_sent_once_and_logged(soon, structure):
    structure.phone = "+33320000001"
    structure.save()
    assert list(reminders.due_sms()) == [soon]
    assert reminders.send_sms_reminder(soon.pk) is True
    assert reminders.send_sms_reminder(soon.pk) is False
    assert len(sms.outbox) == 1
    sent = sms.outbox[0]
    assert sent.recipient == "+33639980001"
    assert "Rappel : rendez-vous" in sent.text and "03 20 00 00 01" in sent.text
    assert "ne plus recevoir ces SMS" in sent.text
    soon.refresh_from_db()
    assert soon.sms_reminder_sent_at is not None
    assert any("envoyé par SMS" in e.summary for e in events_about(soon.person))


@pytest.mark.parametrize(
    ("consent", "phone"), [(False, "+33639980001"), (True, "")], ids=["no consent", "no phone"]
)
def test_no_sms_without_consent_or_phone(make_appointment, person, consent, phone):
    person.sms_reminders_consent, person.phone = consent, phone
    person.save()
    appointment = make_appointment(starts_at=timezone.now() + timedelta(hours=20))
    assert not reminders.due_sms().exists()
    assert reminders.send_sms_reminder(appointment.pk) is False
    assert sms.outbox == []


def test_withdrawn_consent_before_the_task_runs_stops_the_sms(soon, consenting):
    consenting.sms_reminders_consent = False
    consenting.save()
    assert reminders.send_sms_reminder(soon.pk) is False
    assert sms.outbox == []


def test_a_refused_sms_is_tried_again(soon):
    refusal = SmsError("Le crédit SMS est épuisé : le SMS n'est pas parti.")
    with (
        mock.patch("tisserand.appointments.reminders.send_sms", side_effect=refusal),
        pytest.raises(SmsError),
    ):
        reminders.send_sms_reminder(soon.pk)
    soon.refresh_from_db()
    assert soon.sms_reminder_sent_at is None
    assert not any("SMS" in e.summary for e in events_about(soon.person))
    assert reminders.send_sms_reminder(soon.pk) is True


def test_the_worker_sends_e_mail_and_sms_reminders(soon):
    assert tasks.enqueue_due() == 2  # immediate backend in tests
    assert len(sms.outbox) == 1


def test_a_moved_appointment_gets_a_new_sms(client_for, referent, soon):
    reminders.send_sms_reminder(soon.pk)
    later = timezone.localtime(soon.starts_at + timedelta(hours=2)).replace(second=0, microsecond=0)
    data = {
        "day": later.date().isoformat(),
        "time": later.strftime("%H:%M"),
        "duration_minutes": "45",
        "counsellor": soon.counsellor_id,
        "subject": soon.subject,
        "mode": soon.mode,
        "place": soon.place,
    }
    client_for(referent).post(reverse("appointments:edit", args=[soon.public_id]), data)
    soon.refresh_from_db()
    assert soon.starts_at == later
    assert soon.sms_reminder_sent_at is None
    assert reminders.send_sms_reminder(soon.pk) is True
    assert len(sms.outbox) == 2


def test_the_person_form_records_the_consent_and_wants_a_phone(client_for, referent, person):
    from tests.people.test_create import form_data

    url = reverse("people:edit", args=[person.public_id])
    response = client_for(referent).post(
        url, form_data(phone="", sms_reminders_consent="on", address_line="", postal_code="")
    )
    assert "Indiquez le numéro" in response.context["form"].errors["phone"][0]
    person.refresh_from_db()
    assert not person.sms_reminders_consent
    client_for(referent).post(
        url, form_data(sms_reminders_consent="on", address_line="", postal_code="")
    )
    person.refresh_from_db()
    assert (person.sms_reminders_consent, person.phone) == (True, "+33612345678")
