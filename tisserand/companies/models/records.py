"""The company record of the whole network: one legal unit (SIREN), its establishments (one
record per SIRET), their contacts and tags, and the accounts of company leaders.

Offers, events, social clauses and matching hang on ``Establishment``: it is the record a
company's page shows, and the one other apps link to.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from tisserand.core.validators import validate_phone, validate_siret

SIREN_LENGTH = 9
SIRET_LENGTH = 14

__all__ = [
    "AdaptedKind",
    "AdministrativeState",
    "Contact",
    "Diffusion",
    "Establishment",
    "GeocodingPrecision",
    "HeadcountBand",
    "InsertionKind",
    "LeaderAccount",
    "LegalUnit",
    "Source",
    "Tag",
]


class HeadcountBand(models.TextChoices):
    """The INSEE headcount bands (tranches d'effectif salarié) of SIRENE."""

    NONE = "NN", "Non employeur ou effectif inconnu"
    ZERO = "00", "0 salarié"
    B01 = "01", "1 à 2 salariés"
    B02 = "02", "3 à 5 salariés"
    B03 = "03", "6 à 9 salariés"
    B11 = "11", "10 à 19 salariés"
    B12 = "12", "20 à 49 salariés"
    B21 = "21", "50 à 99 salariés"
    B22 = "22", "100 à 199 salariés"
    B31 = "31", "200 à 249 salariés"
    B32 = "32", "250 à 499 salariés"
    B41 = "41", "500 à 999 salariés"
    B42 = "42", "1 000 à 1 999 salariés"
    B51 = "51", "2 000 à 4 999 salariés"
    B52 = "52", "5 000 à 9 999 salariés"
    B53 = "53", "10 000 salariés et plus"


class InsertionKind(models.TextChoices):
    """Structures de l'insertion par l'activité économique (SIAE)."""

    EI = "EI", "Entreprise d'insertion (EI)"
    ACI = "ACI", "Atelier et chantier d'insertion (ACI)"
    AI = "AI", "Association intermédiaire (AI)"
    ETTI = "ETTI", "Entreprise de travail temporaire d'insertion (ETTI)"
    EITI = "EITI", "Entreprise d'insertion par le travail indépendant (EITI)"


class AdaptedKind(models.TextChoices):
    EA = "EA", "Entreprise adaptée (EA)"
    ESAT = "ESAT", "Établissement et service d'accompagnement par le travail (ESAT)"


class Diffusion(models.TextChoices):
    """SIRENE's diffusion status: a non-diffusible establishment's address, and the name of an
    individual entrepreneur, are shown nowhere."""

    PUBLIC = "O", "Diffusible"
    PARTIAL = "P", "Partiellement diffusible"
    NON_DIFFUSIBLE = "N", "Non diffusible"


class AdministrativeState(models.TextChoices):
    ACTIVE = "A", "Actif"
    CLOSED = "F", "Fermé"


class Source(models.TextChoices):
    MANUAL = "manual", "Saisie"
    SIRENE = "sirene", "Stock SIRENE"
    TEMPLATE = "template", "Modèle d'import"
    API = "api", "Recherche d'entreprises"


class GeocodingPrecision(models.TextChoices):
    ADDRESS = "address", "à l'adresse"
    STREET = "street", "à la rue"
    COMMUNE = "commune", "à la commune"


class LegalUnit(models.Model):
    """The legal unit (unité légale) a SIREN designates."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    siren = models.CharField("SIREN", max_length=SIREN_LENGTH, unique=True)
    name = models.CharField("dénomination", max_length=250, blank=True)
    # An individual entrepreneur's name is personal data: hidden when not diffusible.
    is_individual = models.BooleanField("entrepreneur individuel", default=False)
    diffusion = models.CharField(
        "diffusion", max_length=1, choices=Diffusion.choices, default=Diffusion.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "unité légale"
        verbose_name_plural = "unités légales"
        ordering = ["name", "siren"]
        constraints = [
            models.CheckConstraint(
                condition=Q(siren__regex=r"^[0-9]{9}$"), name="companies_legalunit_siren_format"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def hides_identity(self):
        return self.is_individual and self.diffusion != Diffusion.PUBLIC

    @property
    def display_name(self):
        if self.hides_identity:
            return "Entrepreneur individuel (non diffusible)"
        return self.name or f"SIREN {self.siren}"


class Tag(models.Model):
    label = models.CharField("étiquette", max_length=60, unique=True)

    class Meta:
        verbose_name = "étiquette"
        ordering = ["label"]

    def __str__(self):
        return self.label


class EstablishmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=AdministrativeState.ACTIVE)


class Establishment(models.Model):
    """One establishment (SIRET): the company record of the network, one per SIRET."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legal_unit = models.ForeignKey(
        LegalUnit,
        on_delete=models.PROTECT,
        related_name="establishments",
        verbose_name="unité légale",
    )
    siret = models.CharField(
        "SIRET", max_length=SIRET_LENGTH, unique=True, validators=[validate_siret]
    )
    # Enseigne or usual name; the legal unit's name when empty.
    name = models.CharField("enseigne ou nom d'usage", max_length=250, blank=True)
    search_name = models.CharField(max_length=500, editable=False, db_index=True, default="")
    naf = models.ForeignKey(
        "rome.NafSubclass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="code NAF",
    )
    headcount_band = models.CharField(
        "tranche d'effectif",
        max_length=2,
        choices=HeadcountBand.choices,
        default=HeadcountBand.NONE,
    )
    is_head_office = models.BooleanField("siège", default=False)
    created_on = models.DateField("date de création", null=True, blank=True)
    state = models.CharField(
        "état administratif",
        max_length=1,
        choices=AdministrativeState.choices,
        default=AdministrativeState.ACTIVE,
    )
    closed_on = models.DateField("fermé le", null=True, blank=True)
    diffusion = models.CharField(
        "diffusion", max_length=1, choices=Diffusion.choices, default=Diffusion.PUBLIC
    )
    # Address, geocoded.
    address_line = models.CharField("adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    geocoding_precision = models.CharField(
        "précision de la localisation",
        max_length=16,
        choices=GeocodingPrecision.choices,
        blank=True,
    )
    qpv_code = models.CharField("code du QPV", max_length=8, blank=True)
    qpv_name = models.CharField("nom du QPV", max_length=200, blank=True)
    # Flags of the inclusive economy.
    insertion_kind = models.CharField(
        "structure d'insertion (SIAE)", max_length=4, choices=InsertionKind.choices, blank=True
    )
    adapted_kind = models.CharField(
        "entreprise adaptée ou ESAT", max_length=4, choices=AdaptedKind.choices, blank=True
    )
    is_geiq = models.BooleanField("GEIQ", default=False)
    is_social_economy = models.BooleanField("économie sociale et solidaire", default=False)
    # Who in the network is in charge of the relationship.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chargé·e de relation",
    )
    officer_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure du ou de la chargé·e de relation",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="establishments")
    source = models.CharField(
        "origine", max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        verbose_name = "établissement"
        ordering = ["search_name", "siret"]
        # The list filters by one of these columns and the state, ordered by name: each index
        # answers the count and the page's ids from the index alone (no table read).
        indexes = [
            models.Index(fields=["state", "search_name"], name="companies_est_state_name"),
            *(
                models.Index(
                    fields=[column, "state", "search_name", "siret"],
                    name=f"companies_est_{short}_list",
                )
                for column, short in (
                    ("commune", "commune"),
                    ("naf", "naf"),
                    ("headcount_band", "band"),
                    ("officer", "officer"),
                    ("legal_unit", "unit"),
                )
            ),
            *(
                models.Index(
                    fields=["state", "search_name", "siret"],
                    condition=condition,
                    name=f"companies_est_{short}_list",
                )
                for condition, short in (
                    (~Q(insertion_kind=""), "siae"),
                    (~Q(adapted_kind=""), "adapted"),
                    (Q(is_geiq=True), "geiq"),
                    (Q(is_social_economy=True), "ess"),
                )
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"), name="companies_est_siret_format"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(state=AdministrativeState.CLOSED),
                name="companies_est_closed_on_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="companies_est_point_in_range",
            ),
            models.CheckConstraint(
                condition=Q(qpv_code="") | Q(qpv_code__regex=r"^Q[A-Z0-9]{7}$"),
                name="companies_est_qpv_code_format",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def siren(self):
        return self.siret[:SIREN_LENGTH]

    @property
    def nic(self):
        return self.siret[SIREN_LENGTH:]

    @property
    def is_active(self):
        return self.state == AdministrativeState.ACTIVE

    @property
    def hides_address(self):
        return self.diffusion != Diffusion.PUBLIC

    @property
    def display_name(self):
        """The name shown everywhere: never an individual entrepreneur's when not diffusible."""
        if self.legal_unit.is_individual and self.hides_address:
            return "Entrepreneur individuel (non diffusible)"
        return self.name or self.legal_unit.display_name


class Contact(models.Model):
    """A person to talk to in a company: their consent to be contacted is dated."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="contacts"
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    job_title = models.CharField("fonction", max_length=150, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[validate_phone])
    consents_to_contact = models.BooleanField("accepte d'être contacté·e", default=False)
    consent_given_on = models.DateField("accord donné le", null=True, blank=True)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consents_to_contact=False) | Q(consent_given_on__isnull=False),
                name="companies_contact_consent_dated",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class LeaderAccount(models.Model):
    """A company leader's access to the portal: a user tied to one establishment, not to a
    structure. A leader sees their own company only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leader_accounts"
    )
    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="leader_accounts"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="accounts"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "accès dirigeant"
        verbose_name_plural = "accès dirigeants"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "establishment"], name="companies_leader_once_per_establishment"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.establishment}"
