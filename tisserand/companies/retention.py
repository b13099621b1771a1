"""Retention of the invitations of company leaders to the portal: an invitation never accepted
goes 30 days after its link expired."""

from tisserand.companies.models import LeaderInvitation
from tisserand.core import retention


def due(today):
    return retention.without_holds(
        LeaderInvitation.objects.filter(
            accepted_at__isnull=True,
            expires_at__lt=retention.cutoff(today, days=retention.TOKEN_GRACE_DAYS),
        )
    )


def register_all():
    retention.register(
        retention.expired_token_rule(
            "companies.leader_invitations",
            data="Invitation d'un dirigeant au portail entreprise, non acceptée (e-mail, lien)",
            due=due,
            process=retention.delete_rows,
            describe=lambda invitation: f"invitation de {invitation.email}",
        )
    )
