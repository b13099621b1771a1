"""Background tasks of the events app: the sending of each message (``notices``), and the
periodic runs that queue the day-before reminders and the satisfaction surveys."""

from django.db import transaction
from django_tasks import task

from tisserand.events import notices
from tisserand.events.models import MessageKind


@task()
def send_notice(registration_id, kind, reminder=False):
    return notices.send(registration_id, kind, reminder=reminder)


def enqueue_day_before(now=None):
    """Enqueues the reminders of the sessions starting tomorrow (once each); how many."""
    ids = notices.claim_day_before(now)
    for registration_id in ids:
        send_notice.enqueue(registration_id, "reminder")
    return len(ids)


def ask_satisfaction(event, now=None):
    """Sends the satisfaction survey to the event's present participants not yet asked (each
    once, whoever asks and however often); how many it sends."""
    with transaction.atomic():
        ids = notices.claim_satisfaction(event, now)
        for registration_id in ids:
            transaction.on_commit(
                lambda registration_id=registration_id: send_notice.enqueue(
                    registration_id, str(MessageKind.SATISFACTION)
                )
            )
    return len(ids)


def enqueue_satisfaction(now=None):
    """The periodic run: the survey of the events ended yesterday (or a few days ago) goes to
    their present participants, each once; how many messages it queues."""
    return sum(ask_satisfaction(event, now) for event in notices.events_due_for_satisfaction(now))


def notify(registration, kind, reminder=False):
    """Sends the message once the current transaction commits (never for a rolled-back one)."""
    registration_id = registration.pk
    transaction.on_commit(lambda: send_notice.enqueue(registration_id, str(kind), reminder))
