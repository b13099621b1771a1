import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tisserand.core.validators import validate_phone, validate_siret
from tisserand.structures.roles import ROLE_DESCRIPTIONS, Role
from tisserand.structures.validators import validate_insee_code, validate_postal_code


class StructureKind(models.TextChoices):
    MAISON_EMPLOI = "maison_emploi", "Maison de l'Emploi"
    FRANCE_TRAVAIL = "france_travail", "Agence France Travail"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    CCAS = "ccas", "CCAS"
    PLIE = "plie", "PLIE"
    SIAE = "siae", "Structure d'insertion (SIAE)"
    ASSOCIATION = "association", "Association"
    FUNDER = "funder", "Financeur"


class Structure(models.Model):
    """An organisation of the network."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=32, choices=StructureKind.choices)
    siret = models.CharField(
        "SIRET",
        max_length=14,
        unique=True,
        validators=[validate_siret],
        help_text="14 chiffres, sans espace.",
    )
    address_line = models.CharField("adresse", max_length=250)
    postal_code = models.CharField("code postal", max_length=5, validators=[validate_postal_code])
    commune_name = models.CharField("commune", max_length=150)
    commune_insee = models.CharField(
        "code INSEE de la commune", max_length=5, validators=[validate_insee_code]
    )
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField("adresse e-mail de contact", blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["name"]

    def __str__(self):
        return self.name

    # Fields whose changes the timeline records, with their labels.
    TRACKED_FIELDS = (
        "name",
        "kind",
        "address_line",
        "postal_code",
        "commune_name",
        "commune_insee",
        "phone",
        "email",
        "is_active",
    )


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True, structure__is_active=True)


class Membership(models.Model):
    """Ties a user to a structure with a role. A user may hold several memberships."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="utilisateur",
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="memberships", verbose_name="structure"
    )
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    is_active = models.BooleanField("active", default=True)
    joined_at = models.DateTimeField("membre depuis", default=timezone.now)
    deactivated_at = models.DateTimeField("désactivée le", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "appartenance"
        verbose_name_plural = "appartenances"
        ordering = ["structure__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "structure", "role"], name="unique_role_per_user_and_structure"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, deactivated_at__isnull=True)
                | Q(is_active=False, deactivated_at__isnull=False),
                name="membership_deactivation_dated",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} à {self.structure}"

    @property
    def role_description(self):
        """What the role is for, in one sentence (the home page shows it)."""
        return ROLE_DESCRIPTIONS.get(self.role, "")


def new_invitation_token():
    return secrets.token_urlsafe(32)


INVITATION_VALIDITY = timedelta(days=7)


class Invitation(models.Model):
    """An e-mail invitation to join a structure with a role; accepted through a signed link."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="invitations", verbose_name="structure"
    )
    email = models.EmailField("adresse e-mail")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation de {self.email} à {self.structure}"

    @property
    def expires_at(self):
        return self.created_at + INVITATION_VALIDITY

    @property
    def is_pending(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and timezone.now() < self.expires_at
        )
