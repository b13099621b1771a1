"""Counsellors' private calendar feeds: a secret URL, revocable and regenerable.

The token is 256 random bits; only its SHA-256 digest is stored, so that the URL is shown once,
when it is made, and a copy of the database does not open anybody's feed.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tisserand.appointments.models import Appointment, CalendarFeed
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.structures.models import Membership
from tisserand.structures.roles import Role

# What the feed holds: recent history and the months ahead.
FEED_PAST = timedelta(days=60)
FEED_FUTURE = timedelta(days=366)


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue(user):
    """Makes a new secret token for ``user``'s feed (the former URL stops working)."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_digest": digest(token), "created_at": timezone.now()}
    )
    verb = "créé" if created else "régénéré (l'ancien lien ne fonctionne plus)"
    timeline.record(user, TimelineEvent.Verb.ACTION, f"Lien d'agenda privé {verb}", actor=user)
    return token


@transaction.atomic
def revoke(user):
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        timeline.record(user, TimelineEvent.Verb.ACTION, "Lien d'agenda privé révoqué", actor=user)
    return bool(deleted)


def feed_for(token):
    """The feed a token opens, or None (unknown, revoked, or account deactivated)."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_digest=digest(token), user__is_active=True)
        .first()
    )
    if feed is not None:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed


def appointments_in_feed(user, now=None):
    """The user's appointments as counsellor, for the structures where they are still an
    active member who may see persons, from ``FEED_PAST`` ago to ``FEED_FUTURE`` ahead."""
    now = now or timezone.now()
    structures = (
        Membership.objects.active()
        .filter(user=user)
        .exclude(role=Role.FUNDER)
        .values("structure_id")
    )
    return (
        Appointment.objects.filter(counsellor=user, structure_id__in=structures)
        .between(now - FEED_PAST, now + FEED_FUTURE)
        .select_related("person")
        .order_by("starts_at", "id")
    )
