"""HR clubs: company leaders of a territory meeting around a theme, with an animator."""

import uuid

from django.conf import settings
from django.db import models

__all__ = ["HrClub", "HrClubMember"]


class HrClub(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=200)
    theme = models.CharField("thème", max_length=200, blank=True)
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="structure animatrice",
    )
    animator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="animateur ou animatrice",
    )
    communes = models.ManyToManyField(
        "geo.Commune", blank=True, related_name="+", verbose_name="territoire"
    )
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "club RH"
        verbose_name_plural = "clubs RH"
        ordering = ["name"]

    def __str__(self):
        return self.name


class HrClubMember(models.Model):
    """A member company of a club."""

    club = models.ForeignKey(HrClub, on_delete=models.CASCADE, related_name="members")
    establishment = models.ForeignKey(
        "companies.Establishment", on_delete=models.CASCADE, related_name="club_memberships"
    )
    joined_on = models.DateField("membre depuis")
    left_on = models.DateField("a quitté le", null=True, blank=True)

    class Meta:
        verbose_name = "entreprise membre"
        constraints = [
            models.UniqueConstraint(
                fields=["club", "establishment"], name="companies_club_member_once"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="companies_club_member_left_after_joining",
            ),
        ]

    def __str__(self):
        return f"{self.establishment} ({self.club})"
