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

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Channel:
    """One way of reminding: who may receive it, the claim it takes, how it is delivered."""

    claim: str  # the appointment's timestamp field set once the reminder is sent
    accepts: dict  # filters on the person (consent, opt-out)
    address: str  # the person's field the reminder goes to (never empty)
    deliver: object  # deliver(appointment) -> None; raises when not sent
    wording: str  # « par e-mail », « par SMS »


def _due(channel, now=None, lead=None):
    now = now or timezone.now()
    lead = lead or lead_time()
    return (
        Appointment.objects.filter(
            **{f"{channel.claim}__isnull": True},
            **{f"person__{name}": value for name, value in channel.accepts.items()},
            cancelled_at__isnull=True,
            attendance=Attendance.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + lead,
        )
        .exclude(**{f"person__{channel.address}": ""})
        .order_by("starts_at", "id")
    )


def _send(channel, appointment_id, now=None, lead=None):
    """Claims the appointment for ``channel`` (a conditional update: never twice), delivers,
    releases the claim when delivery fails, records it on the timeline."""
    now = now or timezone.now()
    appointment = (
        _due(channel, now, lead)
        .select_related("person", "counsellor", "structure")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return False
    unclaimed = Appointment.objects.filter(pk=appointment.pk, **{f"{channel.claim}__isnull": True})
    if not unclaimed.update(**{channel.claim: now}):
        return False
    try:
        channel.deliver(appointment)
    except Exception:
        # Not sent: release the claim so that the next run tries again.
        Appointment.objects.filter(pk=appointment.pk, **{channel.claim: now}).update(
            **{channel.claim: None}
        )
        raise
    timeline.record(
        appointment,
        TimelineEvent.Verb.ACTION,
        f"Rappel du rendez-vous du {appointment.local_label()} envoyé {channel.wording}",
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


def _text(appointment):
    send_sms(appointment.person.phone, sms_text(appointment))


EMAIL = Channel(
    claim="reminder_sent_at",
    accepts={"email_reminders_opt_out": False},
    address="email",
    deliver=_mail,
    wording="par e-mail",
)
SMS = Channel(
    claim="sms_reminder_sent_at",
    accepts={"sms_reminders_consent": True},
    address="phone",
    deliver=_text,
    wording="par SMS",
)


def due(now=None, lead=None):
    """Appointments whose e-mail reminder is due at ``now``."""
    return _due(EMAIL, now, lead)


def send(appointment_id, now=None, lead=None):
    """Sends the e-mail reminder of one appointment if it is (still) due; whether it did."""
    return _send(EMAIL, appointment_id, now, lead)


def due_sms(now=None, lead=None):
    """Appointments whose SMS reminder is due at ``now``."""
    return _due(SMS, now, lead)


def send_sms_reminder(appointment_id, now=None, lead=None):
    """Sends the SMS reminder of one appointment if it is (still) due; whether it did."""
    return _send(SMS, appointment_id, now, lead)
