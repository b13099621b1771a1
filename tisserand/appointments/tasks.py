"""Background tasks of the appointments app: the sending of reminders (``reminders``)."""

from datetime import timedelta

from django_tasks import task

from tisserand.appointments import reminders


@task()
def send_appointment_reminder(appointment_id, lead_hours=None):
    """Sends the e-mail reminder of one appointment, if still due (never twice)."""
    lead = timedelta(hours=lead_hours) if lead_hours else None
    return reminders.send(appointment_id, lead=lead)


@task()
def send_appointment_sms_reminder(appointment_id, lead_hours=None):
    """Sends the SMS reminder of one appointment, if still due (never twice)."""
    lead = timedelta(hours=lead_hours) if lead_hours else None
    return reminders.send_sms_reminder(appointment_id, lead=lead)


def enqueue_due(now=None, lead=None):
    """Enqueues the sending of every due reminder, e-mails then SMS; returns how many."""
    lead = lead or reminders.lead_time()
    hours = lead.total_seconds() / 3600
    ids = list(reminders.due(now, lead).values_list("pk", flat=True))
    for appointment_id in ids:
        send_appointment_reminder.enqueue(appointment_id, hours)
    sms_ids = list(reminders.due_sms(now, lead).values_list("pk", flat=True))
    for appointment_id in sms_ids:
        send_appointment_sms_reminder.enqueue(appointment_id, hours)
    return len(ids) + len(sms_ids)
