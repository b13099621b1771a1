from datetime import timedelta

from django_tasks import task

from tisserand.appointments import reminders


@task()
def send_appointment_reminder(appointment_id, lead_hours=None):
    """Sends the e-mail reminder of one appointment, if still due (never twice)."""
    lead = timedelta(hours=lead_hours) if lead_hours else None
    return reminders.send(appointment_id, lead=lead)
