"""E-mail reminders to persons before their appointments.

``manage.py send_appointment_reminders`` (run by a cron or a systemd timer, every 15 minutes)
enqueues one background task per due reminder (``tasks.enqueue_due``); the task sends it. This
module knows nothing of the tasks: ``tasks`` imports it, never the other way round. A reminder
is due when the appointment starts within the lead time (24 hours by default, setting
``APPOINTMENT_REMINDER_HOURS``), is neither cancelled nor already held, and the person has an
e-mail address and has not refused reminders. Each reminder is sent at most once: the task
claims the appointment (``reminder_sent_at``) with a conditional update before sending, so two
workers or two runs never send it twice. Moving an appointment clears ``reminder_sent_at``:
the new date gets its own reminder.

SMS reminders follow the same rules with their own claim (``sms_reminder_sent_at``), for the
persons who gave their consent (``sms_reminders_consent``) and have a phone number; they go
through ``core.sms`` (the backend of the ``TISSERAND_SMS_BACKEND`` setting). A refused SMS
releases its claim and is recorded nowhere as sent.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tisserand.appointments.models import Appointment, Attendance
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.core.sms import send_sms
from tisserand.core.validators import display_phone

DEFAULT_LEAD_HOURS = 24


def lead_time():
    return timedelta(hours=getattr(settings, "APPOINTMENT_REMINDER_HOURS", DEFAULT_LEAD_HOURS))


def due(now=None, lead=None):
    """Appointments whose reminder is due at ``now``."""
    now = now or timezone.now()
    lead = lead or lead_time()
    return (
        Appointment.objects.filter(
            reminder_sent_at__isnull=True,
            cancelled_at__isnull=True,
            attendance=Attendance.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + lead,
            person__email_reminders_opt_out=False,
        )
        .exclude(person__email="")
        .order_by("starts_at", "id")
    )


def send(appointment_id, now=None, lead=None):
    """Sends the reminder of one appointment if it is (still) due; returns whether it did."""
    now = now or timezone.now()
    appointment = (
        due(now, lead)
        .select_related("person", "counsellor", "structure")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return False
    claimed = Appointment.objects.filter(pk=appointment.pk, reminder_sent_at__isnull=True).update(
        reminder_sent_at=now
    )
    if not claimed:
        return False
    try:
        _mail(appointment)
    except Exception:
        # Not sent: release the claim so that the next run tries again.
        Appointment.objects.filter(pk=appointment.pk, reminder_sent_at=now).update(
            reminder_sent_at=None
        )
        raise
    timeline.record(
        appointment,
        TimelineEvent.Verb.ACTION,
        f"Rappel du rendez-vous du {appointment.local_label()} envoyé par e-mail",
        structure=appointment.structure,
        about=appointment.person,
    )
    return True


def message(appointment):
    """(subject, body) of the reminder, in French."""
    with translation.override("fr"), timezone.override(settings.TIME_ZONE):
        context = {
            "appointment": appointment,
            "person": appointment.person,
            "structure": appointment.structure,
            "counsellor": appointment.counsellor.get_full_name() or "votre conseiller",
            "when": appointment.long_label(),
        }
        subject = f"Rappel : votre rendez-vous du {appointment.long_label()}"
        body = render_to_string("appointments/email/reminder.txt", context)
    return subject, body


def _mail(appointment):
    subject, body = message(appointment)
    send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=[appointment.person.email],
    )


# --- SMS ----------------------------------------------------------------------------------------


def due_sms(now=None, lead=None):
    """Appointments whose SMS reminder is due at ``now``."""
    now = now or timezone.now()
    lead = lead or lead_time()
    return (
        Appointment.objects.filter(
            sms_reminder_sent_at__isnull=True,
            cancelled_at__isnull=True,
            attendance=Attendance.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + lead,
            person__sms_reminders_consent=True,
        )
        .exclude(person__phone="")
        .order_by("starts_at", "id")
    )


def send_sms_reminder(appointment_id, now=None, lead=None):
    """Sends the SMS reminder of one appointment if it is (still) due; returns whether it did."""
    now = now or timezone.now()
    appointment = (
        due_sms(now, lead).select_related("person", "structure").filter(pk=appointment_id).first()
    )
    if appointment is None:
        return False
    claimed = Appointment.objects.filter(
        pk=appointment.pk, sms_reminder_sent_at__isnull=True
    ).update(sms_reminder_sent_at=now)
    if not claimed:
        return False
    try:
        send_sms(appointment.person.phone, sms_text(appointment))
    except Exception:
        Appointment.objects.filter(pk=appointment.pk, sms_reminder_sent_at=now).update(
            sms_reminder_sent_at=None
        )
        raise
    timeline.record(
        appointment,
        TimelineEvent.Verb.ACTION,
        f"Rappel du rendez-vous du {appointment.local_label()} envoyé par SMS",
        structure=appointment.structure,
        about=appointment.person,
    )
    return True


def sms_text(appointment):
    """The SMS reminder in French, short (one or two SMS), with the way to answer."""
    with translation.override("fr"), timezone.override(settings.TIME_ZONE):
        structure = appointment.structure
        contact = f" Empêchement : {display_phone(structure.phone)}." if structure.phone else ""
        return (
            f"Rappel : rendez-vous {appointment.long_label()} avec {structure.name}."
            f"{contact} Pour ne plus recevoir ces SMS, dites-le à votre conseiller ou "
            "conseillère."
        )
