"""Background tasks of the companies app: the reminders (``reminders``) and the satisfaction
questions (``satisfaction``). ``manage.py check_company_reminders`` (a daily cron or systemd
timer) runs ``check_due``, which enqueues one task per due item; each task claims its item
before sending, so a second run the same day sends nothing again."""

from datetime import UTC, datetime

from django.utils import timezone
from django_tasks import task

from tisserand.companies import reminders, satisfaction


def _when(at):
    """The check's time, carried by each task (ISO text: task arguments are JSON)."""
    return datetime.fromisoformat(at).astimezone(UTC) if at else None


@task()
def remind_next_action(interaction_id, at=None):
    return reminders.send_next_action(interaction_id, _when(at))


@task()
def remind_waiting_assignment(assignment_id, claim, at=None):
    return reminders.send_assignment_reminder(assignment_id, claim, _when(at))


@task()
def abandon_assignment(assignment_id, at=None):
    return reminders.abandon(assignment_id, _when(at))


@task()
def ask_satisfaction(need_id, at=None):
    return satisfaction.issue(need_id, _when(at)) is not None


def check_due(now=None):
    """Enqueues every due reminder, abandonment and satisfaction question; returns the counts
    by kind."""
    now = (now or timezone.now()).astimezone(UTC)
    at = now.isoformat()
    counts = {}
    ids = list(reminders.due_next_actions(now).values_list("pk", flat=True))
    for pk in ids:
        remind_next_action.enqueue(pk, at)
    counts["next_actions"] = len(ids)
    # Abandon first: an assignment past 45 days is never reminded again.
    ids = list(reminders.due_abandonments(now).values_list("pk", flat=True))
    for pk in ids:
        abandon_assignment.enqueue(pk, at)
    counts["abandoned"] = len(ids)
    reminded = 0
    for claim in reminders.ASSIGNMENT_CLAIMS:
        ids = list(reminders.due_assignment_reminders(claim, now).values_list("pk", flat=True))
        for pk in ids:
            remind_waiting_assignment.enqueue(pk, claim, at)
        reminded += len(ids)
    counts["waiting_reminders"] = reminded
    ids = list(satisfaction.due(now).values_list("pk", flat=True))
    for pk in ids:
        ask_satisfaction.enqueue(pk, at)
    counts["satisfaction"] = len(ids)
    return counts
