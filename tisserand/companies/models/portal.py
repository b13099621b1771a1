"""Invitations of company leaders to the portal: an officer invites a contact by e-mail; only
the digest of the link's secret is stored, and the link expires."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

__all__ = ["LEADER_INVITATION_VALIDITY", "LeaderInvitation"]

LEADER_INVITATION_VALIDITY = timedelta(days=7)


class LeaderInvitation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    establishment = models.ForeignKey(
        "companies.Establishment", on_delete=models.CASCADE, related_name="leader_invitations"
    )
    contact = models.ForeignKey(
        "companies.Contact",
        on_delete=models.CASCADE,
        related_name="leader_invitations",
        verbose_name="contact",
    )
    email = models.EmailField("adresse e-mail")
    # SHA-256 of the secret the e-mail's link carries: the secret itself is never stored.
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_by_structure = models.ForeignKey(
        "structures.Structure", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation d'un dirigeant"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="companies_leader_invitation_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(token_digest__regex=r"^[0-9a-f]{64}$"),
                name="companies_leader_invitation_digest_format",
            ),
        ]

    def __str__(self):
        return f"Invitation de {self.email} ({self.establishment})"

    @property
    def is_pending(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and timezone.now() < self.expires_at
        )
