"""Leader invitations: an officer invites a company contact to the portal by e-mail; the
link carries a secret whose SHA-256 digest only is stored; it expires after seven days and
serves once. Accepting creates the account (or uses the existing one) and its
``LeaderAccount`` on the company — never a structure membership."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from tisserand.companies.models import LEADER_INVITATION_VALIDITY, LeaderAccount, LeaderInvitation
from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent


class LeaderInvitationError(DomainError):
    code = "leader_invitation_refused"


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def pending_invitation(token):
    """The pending invitation the secret ``token`` opens, or None."""
    invitation = (
        LeaderInvitation.objects.select_related("establishment__legal_unit", "contact")
        .filter(token_digest=digest(token))
        .first()
    )
    return invitation if invitation is not None and invitation.is_pending else None


@transaction.atomic
def invite_leader(establishment, *, data, actor, accept_url_for):
    """Invites ``data["contact"]`` (a contact of ``establishment`` with an e-mail address) and
    queues the e-mail carrying ``accept_url_for(token)``. Returns (invitation, token)."""
    contact = data["contact"]
    if contact.establishment_id != establishment.pk:
        raise LeaderInvitationError("Ce contact n'appartient pas à cette entreprise.")
    if not contact.email:
        raise LeaderInvitationError(
            f"{contact} n'a pas d'adresse e-mail : ajoutez-la avant de l'inviter."
        )
    email = contact.email.lower()
    if LeaderAccount.objects.filter(
        establishment=establishment, user__email__iexact=email, is_active=True
    ).exists():
        raise LeaderInvitationError(f"{email} a déjà accès au portail de cette entreprise.")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = LeaderInvitation.objects.create(
        establishment=establishment,
        contact=contact,
        email=email,
        token_digest=digest(token),
        invited_by=actor.user,
        invited_by_structure=actor.structure,
        created_at=now,
        expires_at=now + LEADER_INVITATION_VALIDITY,
    )
    timeline.record(
        establishment,
        TimelineEvent.Verb.ACTION,
        f"{contact} invité·e au portail des dirigeants ({email})",
        actor=actor.user,
        structure=actor.structure,
    )
    url = accept_url_for(token)
    transaction.on_commit(lambda: send_leader_invitation.enqueue(invitation.pk, url))
    return invitation, token


@transaction.atomic
def revoke_invitation(invitation, *, actor):
    if not invitation.is_pending:
        raise LeaderInvitationError("Cette invitation n'est plus en attente.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    timeline.record(
        invitation.establishment,
        TimelineEvent.Verb.ACTION,
        f"Invitation de {invitation.email} au portail annulée",
        actor=actor.user,
        structure=actor.structure,
    )


@transaction.atomic
def accept(invitation, *, user=None, password=None):
    """Creates the account when there is none (``password``), then the leader account.
    Returns the user."""
    invitation = LeaderInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise LeaderInvitationError(
            "Cette invitation a expiré, a été annulée ou a déjà été utilisée."
        )
    if user is None:
        user = get_user_model().objects.create_user(
            email=invitation.email,
            password=password,
            first_name=invitation.contact.first_name,
            last_name=invitation.contact.last_name,
        )
    elif user.email.lower() != invitation.email:
        raise LeaderInvitationError("Cette invitation est destinée à une autre adresse e-mail.")
    account, created = LeaderAccount.objects.get_or_create(
        user=user,
        establishment=invitation.establishment,
        defaults={"contact": invitation.contact, "invited_by": invitation.invited_by},
    )
    if not created and not account.is_active:
        account.is_active = True
        account.save(update_fields=["is_active"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    timeline.record(
        invitation.establishment,
        TimelineEvent.Verb.ACTION,
        f"{invitation.contact} a rejoint le portail des dirigeants",
        actor=user,
    )
    return user


@transaction.atomic
def deactivate(account, *, actor):
    if not account.is_active:
        raise LeaderInvitationError("Cet accès est déjà désactivé.")
    account.is_active = False
    account.save(update_fields=["is_active"])
    timeline.record(
        account.establishment,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"Accès au portail de {account.user} désactivé",
        actor=actor.user,
        structure=actor.structure,
    )


@task()
def send_leader_invitation(invitation_id, accept_url):
    invitation = LeaderInvitation.objects.select_related(
        "establishment__legal_unit", "contact", "invited_by"
    ).get(pk=invitation_id)
    context = {"invitation": invitation, "accept_url": accept_url}
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Votre accès au portail des dirigeants",
        message=render_to_string("companies/portal/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
