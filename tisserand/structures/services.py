"""Operations on structures and their members. Each runs in one transaction and is recorded.

The pages call them with cleaned data and the ``core.actor.Actor`` acting (see
``docs/architecture.md``, "Services"); a changed record is compared with its stored row.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tisserand.core import timeline
from tisserand.core.actor import Actor
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.structures.models import Invitation, Membership, Structure
from tisserand.structures.tasks import send_invitation_email


class InvitationError(DomainError):
    pass


def _actor_context(actor):
    return {"actor": actor.user, "structure": actor.structure}


@transaction.atomic
def update_structure(structure: Structure, *, data: dict[str, Any], actor: Actor) -> Structure:
    """Changes ``structure`` to ``data`` (cleaned fields) and records on its timeline what
    changed from the stored row."""
    before = timeline.stored_snapshot(structure, structure.TRACKED_FIELDS)
    timeline.assign(structure, data).save()
    timeline.record_changes(structure, before, **_actor_context(actor))
    return structure


@transaction.atomic
def invite_member(
    structure: Structure,
    *,
    data: dict[str, Any],
    actor: Actor,
    accept_url_for: Callable[[Invitation], str],
) -> Invitation:
    """Invites the person of ``data`` (e-mail, names, role) to ``structure`` and queues the
    e-mail carrying ``accept_url_for(invitation)``."""
    invitation = Invitation.objects.create(
        structure=structure,
        email=data["email"].lower(),
        first_name=data["first_name"],
        last_name=data["last_name"],
        role=data["role"],
        invited_by=actor.user,
    )
    timeline.record(
        structure,
        TimelineEvent.Verb.ACTION,
        f"Invitation envoyée à {invitation.email} ({invitation.get_role_display()})",
        **_actor_context(actor),
    )
    send_invitation_email.enqueue(invitation.pk, accept_url_for(invitation))
    return invitation


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, actor: Actor) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    timeline.record(
        invitation.structure,
        TimelineEvent.Verb.ACTION,
        f"Invitation de {invitation.email} annulée",
        **_actor_context(actor),
    )


@transaction.atomic
def accept_invitation(
    invitation: Invitation, *, user: Any = None, password: str | None = None
) -> Any:
    """Creates the account if needed, then the membership. Returns the user."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationError("Cette invitation a expiré, a été annulée ou a déjà été utilisée.")
    if user is None:
        user = get_user_model().objects.create_user(
            email=invitation.email,
            password=password,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
        )
    elif user.email.lower() != invitation.email:
        raise InvitationError("Cette invitation est destinée à une autre adresse e-mail.")
    membership, created = Membership.objects.get_or_create(
        user=user, structure=invitation.structure, role=invitation.role
    )
    if not created and not membership.is_active:
        membership.is_active, membership.deactivated_at = True, None
        membership.save(update_fields=["is_active", "deactivated_at"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    timeline.record(
        invitation.structure,
        TimelineEvent.Verb.ACTION,
        f"{user} a rejoint la structure ({membership.get_role_display()})",
        actor=user,
        structure=invitation.structure,
    )
    return user


@transaction.atomic
def deactivate_membership(target: Membership, *, actor: Actor) -> None:
    target.is_active = False
    target.deactivated_at = timezone.now()
    target.save(update_fields=["is_active", "deactivated_at"])
    timeline.record(
        target.structure,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"Accès de {target.user} ({target.get_role_display()}) désactivé",
        **_actor_context(actor),
    )
