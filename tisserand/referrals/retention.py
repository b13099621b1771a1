"""Retention of the answer links of referrals sent to a partner outside the network: the link's
digest goes 30 days after the link expired (the referral and its answer stay)."""

from tisserand.core import retention
from tisserand.referrals.models import Referral


def due(today):
    return retention.without_holds(
        Referral.objects.filter(
            link_digest__isnull=False,
            link_expires_at__lt=retention.cutoff(today, days=retention.TOKEN_GRACE_DAYS),
        )
    )


def forget_links(rows, today):
    return rows.update(link_digest=None, link_expires_at=None)


def register_all():
    retention.register(
        retention.expired_token_rule(
            "referrals.answer_links",
            data="Lien de réponse d'une orientation vers un partenaire hors réseau",
            due=due,
            process=forget_links,
            describe=lambda referral: f"orientation {referral.public_id}",
        )
    )
