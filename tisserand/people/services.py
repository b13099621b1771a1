"""What the people app does to persons: follow-up, creation, changes, consent, merge."""

from django.db import transaction
from django.utils import timezone

from tisserand.core import timeline
from tisserand.people.models import FollowUpMember, FollowUpRole


@transaction.atomic
def set_follow_up(person, user, structure, role, actor, *, since=None):
    """Makes ``user`` follow ``person`` for ``structure`` with ``role`` (replacing their seat).

    Returns the active ``FollowUpMember``; records the change on the person's timeline.
    """
    since = since or timezone.localdate()
    current = FollowUpMember.objects.filter(
        person=person, user=user, structure=structure, is_active=True
    ).first()
    if current is not None and current.role == role:
        return current
    if current is not None:
        _close(current, since)
    member = FollowUpMember.objects.create(
        person=person, user=user, structure=structure, role=role, since=since
    )
    label = FollowUpRole(role).label
    timeline.record(
        person,
        timeline.TimelineEvent.Verb.ACTION,
        f"{_user_label(user)} ({structure}) rejoint le suivi : {label}",
        actor=actor,
        structure=structure,
    )
    return member


@transaction.atomic
def end_follow_up(person, user, structure, actor, *, until=None):
    """Ends ``user``'s active follow-up of ``person`` for ``structure``; returns it or None."""
    current = FollowUpMember.objects.filter(
        person=person, user=user, structure=structure, is_active=True
    ).first()
    if current is None:
        return None
    _close(current, until or timezone.localdate())
    timeline.record(
        person,
        timeline.TimelineEvent.Verb.ACTION,
        f"{_user_label(user)} ({structure}) quitte le suivi ({current.get_role_display()})",
        actor=actor,
        structure=structure,
    )
    return current


def _close(member, until):
    member.is_active = False
    member.until = max(until, member.since)
    member.save(update_fields=["is_active", "until"])


def _user_label(user):
    return user.get_full_name() or user.get_username()
