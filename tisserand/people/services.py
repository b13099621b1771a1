"""What the people app does to persons: follow-up, creation, changes, consent, merge."""

from django.db import transaction
from django.utils import timezone

from tisserand.core import timeline
from tisserand.core.access_log import log_record_access
from tisserand.core.models import TimelineEvent
from tisserand.people.derived_statuses import derived_statuses
from tisserand.people.models import Consent, FollowUpMember, FollowUpRole, Person
from tisserand.structures.roles import Capability, Role, has_capability


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
        TimelineEvent.Verb.ACTION,
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
        TimelineEvent.Verb.ACTION,
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


# --- Person records --------------------------------------------------------------------------

FOLLOW_UP_ROLE_OF_CREATOR = {Role.REFERENT: FollowUpRole.REFERENT}


@transaction.atomic
def create_person(person, membership):
    """Saves a new ``person`` for the structure of ``membership``; its creator follows it.

    A counsellor (référent) becomes the person's référent, other roles join the team; the
    administrator and the director see the person through their structure anyway.
    """
    person.owner_structure = membership.structure
    person.created_by = membership.user
    person.save()
    timeline.record_creation(
        person,
        actor=membership.user,
        structure=membership.structure,
        summary=f"Fiche créée par {membership.structure}",
    )
    if has_capability(membership, Capability.JOIN_CREATED_FOLLOW_UP):
        role = FOLLOW_UP_ROLE_OF_CREATOR.get(membership.role, FollowUpRole.TEAM)
        set_follow_up(person, membership.user, membership.structure, role, membership.user)
    return person


@transaction.atomic
def update_person(person, before, membership):
    """Saves ``person`` and records on its timeline what changed since ``before``."""
    person.save()
    timeline.record_changes(person, before, actor=membership.user, structure=membership.structure)
    return person


def tracked_snapshot(person):
    return timeline.stored_snapshot(person, Person.TRACKED_FIELDS)


# --- Public statuses -------------------------------------------------------------------------


def _status_label(status):
    """What the timeline says of a status: never the nature of special-category data."""
    return "donnée sensible" if status.is_special_category else status.get_kind_display()


@transaction.atomic
def add_status(status, membership):
    status.recorded_by = membership.user
    status.save()
    timeline.record(
        status.person,
        TimelineEvent.Verb.ACTION,
        f"Statut ajouté : {_status_label(status)}",
        actor=membership.user,
        structure=membership.structure,
    )
    return status


@transaction.atomic
def update_status(status, membership):
    status.save()
    timeline.record(
        status.person,
        TimelineEvent.Verb.ACTION,
        f"Statut modifié : {_status_label(status)}",
        actor=membership.user,
        structure=membership.structure,
    )
    return status


def statuses_of(person, *, with_special_category):
    statuses = person.public_statuses.select_related("recorded_by")
    return statuses if with_special_category else statuses.filter(is_special_category=False)


def statuses_shown(person, *, with_special_category):
    """What a page lists: the statuses derived from the record that hold today, then the stored
    ones (expired ones included). Derived statuses cost no query."""
    derived = derived_statuses(person, timezone.localdate())
    return [*derived, *statuses_of(person, with_special_category=with_special_category)]


def log_special_category_display(request, person):
    """Each display of RQTH, health or justice data is written in the access log."""
    log_record_access(
        request,
        person,
        owner_structure=person.owner_structure,
        label=f"{person} — données sensibles (santé, handicap, justice)",
    )


# --- Consent ---------------------------------------------------------------------------------


@transaction.atomic
def record_consent(consent, membership):
    """Records a consent; an active consent to the same structure is replaced (withdrawn)."""
    now = timezone.now()
    for previous in Consent.objects.filter(
        person=consent.person, structure=consent.structure, withdrawn_at__isnull=True
    ):
        previous.withdrawn_at = max(now, previous.given_at)
        previous.save(update_fields=["withdrawn_at"])
    consent.recorded_by = membership.user
    consent.save()
    timeline.record(
        consent.person,
        TimelineEvent.Verb.ACTION,
        f"Consentement au partage avec {consent.structure} : {', '.join(consent.scope_labels())}",
        actor=membership.user,
        structure=membership.structure,
    )
    return consent


@transaction.atomic
def withdraw_consent(consent, membership, *, at=None):
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = max(at or timezone.now(), consent.given_at)
    consent.save(update_fields=["withdrawn_at"])
    timeline.record(
        consent.person,
        TimelineEvent.Verb.ACTION,
        f"Consentement retiré : plus de partage avec {consent.structure}",
        actor=membership.user,
        structure=membership.structure,
    )
    return consent


# --- Journal notes ---------------------------------------------------------------------------


@transaction.atomic
def add_note(note, membership):
    note.author = membership.user
    note.structure = membership.structure
    note.save()
    timeline.record(
        note.person,
        TimelineEvent.Verb.ACTION,
        f"Note ajoutée au journal (visible : {note.get_visibility_display().lower()})",
        actor=membership.user,
        structure=membership.structure,
    )
    return note


def notes_for(person, levels):
    return person.notes.filter(visibility__in=levels).select_related("author", "structure")
