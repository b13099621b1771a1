"""Operations on structures and their members. Each runs in one transaction and is recorded."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.structures.models import Invitation, Membership
from tisserand.structures.tasks import send_invitation_email


class InvitationError(DomainError):
    pass


def _actor_context(membership):
    return {"actor": membership.user, "structure": membership.structure}


@transaction.atomic
def update_structure(structure, form, membership):
    before = timeline.stored_snapshot(structure, structure.TRACKED_FIELDS)
    form.save()
    timeline.record_changes(structure, before, **_actor_context(membership))
    return structure


@transaction.atomic
def invite_member(structure, data, membership, accept_url_for):
    invitation = Invitation.objects.create(
        structure=structure,
        email=data["email"].lower(),
        first_name=data["first_name"],
        last_name=data["last_name"],
        role=data["role"],
        invited_by=membership.user,
    )
    timeline.record(
        structure,
        TimelineEvent.Verb.ACTION,
        f"Invitation envoyée à {invitation.email} ({invitation.get_role_display()})",
        **_actor_context(membership),
    )
    send_invitation_email.enqueue(invitation.pk, accept_url_for(invitation))
    return invitation


@transaction.atomic
def revoke_invitation(invitation, membership):
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    timeline.record(
        invitation.structure,
        TimelineEvent.Verb.ACTION,
        f"Invitation de {invitation.email} annulée",
        **_actor_context(membership),
    )


@transaction.atomic
def accept_invitation(invitation, *, user=None, password=None):
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
def deactivate_membership(target, membership):
    target.is_active = False
    target.deactivated_at = timezone.now()
    target.save(update_fields=["is_active", "deactivated_at"])
    timeline.record(
        target.structure,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"Accès de {target.user} ({target.get_role_display()}) désactivé",
        **_actor_context(membership),
    )
