"""A member's private feed of events: the sessions they organise (for their structures) or
registered persons to. A secret token; only its SHA-256 digest is stored."""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from tisserand.events.models import EventFeed, Session
from tisserand.structures.models import Membership


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user):
    token = secrets.token_urlsafe(32)
    EventFeed.objects.update_or_create(
        user=user, defaults={"token_digest": digest(token), "created_at": timezone.now()}
    )
    return token


def user_for(token):
    if not token or len(token) > 100:
        return None
    feed = (
        EventFeed.objects.select_related("user")
        .filter(token_digest=digest(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def sessions_for(user, now=None):
    now = now or timezone.now()
    structures = Membership.objects.active().filter(user=user).values("structure_id")
    return (
        Session.objects.filter(
            Q(event__created_by=user, event__structure_id__in=structures)
            | Q(registrations__registered_by=user),
            starts_at__gte=now - timedelta(days=60),
        )
        .distinct()
        .select_related("event__structure", "event__commune")
        .order_by("starts_at")
    )
