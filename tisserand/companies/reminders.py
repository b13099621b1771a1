"""The companies app's reminders, selected and sent here; ``tasks`` enqueues them (this module
knows nothing of the tasks).

- **Next actions** of the journal: on the day of an interaction's next action (or after, if
  missed), its author is reminded by e-mail, once (the claim ``next_action_reminded_at``).
- **Waiting assignments**: a need routed to a structure and still waiting after
  ``FIRST_REMINDER_DAYS`` (9) then ``SECOND_REMINDER_DAYS`` (21) days reminds the assigned
  member — or, when nobody is named, the structure's members who may answer — once each (the
  claims ``first_reminder_at``, ``second_reminder_at``). After ``ABANDON_DAYS`` (45) days it is
  **abandoned** (status ``abandoned``, on the timeline), which ends its reminders.

Each claim is a conditional update: two workers or two runs never send twice, and a run on
the same day again does nothing (idempotent).
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tisserand.companies.models import AssignmentStatus, Interaction, NeedAssignment
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.structures.models import Membership
from tisserand.structures.roles import Capability, roles_with

FIRST_REMINDER_DAYS = 9
SECOND_REMINDER_DAYS = 21
ABANDON_DAYS = 45
# claim field → days waiting
ASSIGNMENT_CLAIMS = {
    "first_reminder_at": FIRST_REMINDER_DAYS,
    "second_reminder_at": SECOND_REMINDER_DAYS,
}


def _mail(recipients, subject, template, context):
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return 0
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=recipients,
    )
    return len(recipients)


# --- Next actions of the journal ---------------------------------------------------------------


def due_next_actions(now=None):
    today = timezone.localdate(now or timezone.now())
    return (
        Interaction.objects.filter(
            next_action_on__lte=today,
            next_action_reminded_at__isnull=True,
            next_action_done_at__isnull=True,
            author__isnull=False,
            author__is_active=True,
        )
        .exclude(author__email="")
        .order_by("next_action_on", "pk")
    )


def send_next_action(interaction_id, now=None):
    """Reminds the author of one interaction's next action, if still due; whether it did."""
    now = now or timezone.now()
    interaction = (
        due_next_actions(now)
        .select_related("author", "establishment__legal_unit")
        .filter(pk=interaction_id)
        .first()
    )
    if interaction is None:
        return False
    claimed = Interaction.objects.filter(
        pk=interaction.pk, next_action_reminded_at__isnull=True
    ).update(next_action_reminded_at=now)
    if not claimed:
        return False
    try:
        _mail(
            [interaction.author.email],
            f"Prochaine action : {interaction.establishment}",
            "companies/journal/email/next_action.txt",
            {"interaction": interaction, "establishment": interaction.establishment},
        )
    except Exception:
        Interaction.objects.filter(pk=interaction.pk, next_action_reminded_at=now).update(
            next_action_reminded_at=None
        )
        raise
    timeline.record(
        interaction,
        TimelineEvent.Verb.ACTION,
        f"Rappel envoyé : {interaction.next_action}",
        about=interaction.establishment,
    )
    return True


# --- Waiting assignments -----------------------------------------------------------------------


def due_assignment_reminders(claim, now=None):
    """Waiting assignments whose reminder ``claim`` is due: within its window only (the
    first one until the second is due, the second until the abandonment), so that a late run
    never sends both on the same day."""
    now = now or timezone.now()
    days = ASSIGNMENT_CLAIMS[claim]
    until = SECOND_REMINDER_DAYS if claim == "first_reminder_at" else ABANDON_DAYS
    return NeedAssignment.objects.filter(
        status=AssignmentStatus.WAITING,
        assigned_at__lte=now - timedelta(days=days),
        assigned_at__gt=now - timedelta(days=until),
        **{f"{claim}__isnull": True},
    ).order_by("assigned_at", "pk")


def _recipients(assignment):
    if assignment.user is not None and assignment.user.is_active:
        return [assignment.user.email]
    return list(
        Membership.objects.filter(
            structure_id=assignment.structure_id,
            is_active=True,
            role__in=roles_with(Capability.MANAGE_COMPANIES)
            | roles_with(Capability.ANSWER_REFERRALS),
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )


def send_assignment_reminder(assignment_id, claim, now=None):
    """Reminds whoever should answer one waiting assignment (claim ``first_reminder_at`` or
    ``second_reminder_at``), if still due; whether it did."""
    now = now or timezone.now()
    assignment = (
        due_assignment_reminders(claim, now)
        .select_related("need__subject", "need__establishment__legal_unit", "structure", "user")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        return False
    claimed = NeedAssignment.objects.filter(pk=assignment.pk, **{f"{claim}__isnull": True}).update(
        **{claim: now}
    )
    if not claimed:
        return False
    days = ASSIGNMENT_CLAIMS[claim]
    try:
        _mail(
            _recipients(assignment),
            f"Besoin en attente depuis {days} jours : {assignment.need.establishment}",
            "companies/needs/email/waiting.txt",
            {"assignment": assignment, "need": assignment.need, "days": days},
        )
    except Exception:
        NeedAssignment.objects.filter(pk=assignment.pk, **{claim: now}).update(**{claim: None})
        raise
    timeline.record(
        assignment.need,
        TimelineEvent.Verb.ACTION,
        f"Relance de {assignment.structure} : besoin en attente depuis {days} jours",
        structure=assignment.structure,
        about=assignment.need.establishment,
    )
    return True


def due_abandonments(now=None):
    now = now or timezone.now()
    return NeedAssignment.objects.filter(
        status=AssignmentStatus.WAITING, assigned_at__lte=now - timedelta(days=ABANDON_DAYS)
    ).order_by("assigned_at", "pk")


@transaction.atomic
def abandon(assignment_id, now=None):
    """Marks one assignment waiting for 45 days as abandoned, if still so; whether it did."""
    now = now or timezone.now()
    updated = (
        due_abandonments(now)
        .filter(pk=assignment_id)
        .update(status=AssignmentStatus.ABANDONED, closed_at=now)
    )
    if not updated:
        return False
    assignment = NeedAssignment.objects.select_related(
        "need__subject", "need__establishment", "structure"
    ).get(pk=assignment_id)
    timeline.record(
        assignment.need,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"{assignment.structure} : besoin abandonné après {ABANDON_DAYS} jours sans réponse",
        structure=assignment.structure,
        about=assignment.need.establishment,
    )
    return True
