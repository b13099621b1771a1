"""Background tasks of the events app: the sending of each message (``notices``)."""

from django.db import transaction
from django_tasks import task

from tisserand.events import notices


@task()
def send_notice(registration_id, kind, reminder=False):
    return notices.send(registration_id, kind, reminder=reminder)


def enqueue_day_before(now=None):
    """Enqueues the reminders of the sessions starting tomorrow (once each); how many."""
    ids = notices.claim_day_before(now)
    for registration_id in ids:
        send_notice.enqueue(registration_id, "reminder")
    return len(ids)


def notify(registration, kind, reminder=False):
    """Sends the message once the current transaction commits (never for a rolled-back one)."""
    registration_id = registration.pk
    transaction.on_commit(lambda: send_notice.enqueue(registration_id, str(kind), reminder))
