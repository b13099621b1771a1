"""Retention of the invitations to join a structure: an invitation never accepted goes 30 days
after its link expired (the name and e-mail of the person invited with it)."""

from tisserand.core import retention
from tisserand.structures.models import INVITATION_VALIDITY, Invitation


def due(today):
    days = INVITATION_VALIDITY.days + retention.TOKEN_GRACE_DAYS
    return retention.without_holds(
        Invitation.objects.filter(
            accepted_at__isnull=True, created_at__lt=retention.cutoff(today, days=days)
        )
    )


def register_all():
    retention.register(
        retention.expired_token_rule(
            "structures.invitations",
            data="Invitation à rejoindre une structure, non acceptée (nom, e-mail, lien)",
            due=due,
            process=retention.delete_rows,
            describe=lambda invitation: f"invitation de {invitation.email}",
        )
    )
