"""What the guidance service keeps: a person's guidance profile and retained targets
(counsellor mode), and the contact requests residents send from the public page.

The public self-service page stores nothing else: its profile travels in the page itself.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The professional project of an accompaniment and a guidance profile speak the same terms.
from tisserand.referentials.vocabularies.choices import WorkingTime

MIN_RADIUS_KM, MAX_RADIUS_KM = 1, 200
MAX_YEARS = 60


class GuidanceProfile(models.Model):
    """The profile a counsellor builds with a person: jobs, skills, interests, constraints."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="guidance_profile"
    )
    skills = models.ManyToManyField(
        "rome.Skill", blank=True, related_name="+", verbose_name="compétences confirmées"
    )
    interests = models.ManyToManyField(
        "rome.InterestCentre", blank=True, related_name="+", verbose_name="centres d'intérêt"
    )
    riasec_code = models.CharField("profil RIASEC", max_length=2, blank=True)
    riasec_answers = models.JSONField("réponses au questionnaire", default=dict, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    mobility_radius_km = models.PositiveSmallIntegerField(
        "rayon de mobilité (km)",
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_RADIUS_KM), MaxValueValidator(MAX_RADIUS_KM)],
    )
    working_time = models.CharField(
        "temps de travail", max_length=16, choices=WorkingTime.choices, default=WorkingTime.ANY
    )
    excluded_hours = models.JSONField("horaires exclus", default=list, blank=True)
    physical_limits = models.JSONField("limites physiques", default=list, blank=True)
    qualification_level = models.CharField("niveau de qualification", max_length=32, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("mis à jour le", default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    TRACKED_FIELDS = (
        "riasec_code",
        "commune",
        "mobility_radius_km",
        "working_time",
        "qualification_level",
    )

    class Meta:
        verbose_name = "profil d'orientation"
        verbose_name_plural = "profils d'orientation"
        constraints = [
            models.CheckConstraint(
                condition=Q(riasec_code__regex=r"^[RIASEC]{0,2}$"), name="guidance_riasec_code"
            ),
            models.CheckConstraint(
                condition=Q(mobility_radius_km__isnull=True)
                | Q(mobility_radius_km__gte=MIN_RADIUS_KM, mobility_radius_km__lte=MAX_RADIUS_KM),
                name="guidance_radius_range",
            ),
            models.CheckConstraint(
                condition=Q(working_time__in=WorkingTime.values), name="guidance_working_time"
            ),
        ]

    def __str__(self):
        return f"Profil d'orientation — {self.person}"


class HeldJob(models.Model):
    """A job the person holds or held, as a ROME job title."""

    profile = models.ForeignKey(GuidanceProfile, on_delete=models.CASCADE, related_name="held_jobs")
    appellation = models.ForeignKey(
        "rome.Appellation", on_delete=models.PROTECT, related_name="+", verbose_name="métier"
    )
    years = models.DecimalField(
        "durée (années)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_YEARS)],
    )
    is_current = models.BooleanField("emploi actuel", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "métier exercé"
        verbose_name_plural = "métiers exercés"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "appellation"], name="guidance_held_job_unique"
            ),
            models.CheckConstraint(
                condition=Q(years__isnull=True) | Q(years__gte=0, years__lte=MAX_YEARS),
                name="guidance_held_job_years",
            ),
        ]

    def __str__(self):
        return self.appellation.label


class GuidanceTarget(models.Model):
    """An occupation retained with the person as a target of their professional project."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="guidance_targets"
    )
    fiche = models.ForeignKey(
        "rome.Fiche", on_delete=models.PROTECT, related_name="+", verbose_name="métier visé"
    )
    appellation = models.ForeignKey(
        "rome.Appellation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="intitulé",
    )
    score_percent = models.PositiveSmallIntegerField(
        "pertinence (%)", validators=[MaxValueValidator(100)]
    )
    reasons = models.JSONField("raisons de la suggestion", default=list, blank=True)
    retained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    retained_at = models.DateTimeField("retenu le", default=timezone.now)
    withdrawn_at = models.DateTimeField("abandonné le", null=True, blank=True)

    class Meta:
        verbose_name = "cible d'orientation"
        verbose_name_plural = "cibles d'orientation"
        ordering = ["retained_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "fiche"],
                condition=Q(withdrawn_at__isnull=True),
                name="guidance_target_unique_active",
            ),
            models.CheckConstraint(
                condition=Q(score_percent__lte=100), name="guidance_target_score_range"
            ),
        ]

    def __str__(self):
        return self.appellation.label if self.appellation_id else self.fiche.label


class ContactMeans(models.TextChoices):
    EMAIL = "email", "Par e-mail"
    PHONE = "phone", "Par téléphone"


class ContactRequest(models.Model):
    """A resident asks the Maison de l'Emploi to contact them, with their consent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure destinataire",
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    preferred_means = models.CharField(
        "être contacté(e)", max_length=8, choices=ContactMeans.choices
    )
    message = models.TextField("message", blank=True)
    profile_summary = models.TextField("profil transmis", blank=True)
    consent_text = models.TextField("texte du consentement")
    consented_at = models.DateTimeField("consentement donné le")
    created_at = models.DateTimeField("reçue le", default=timezone.now)
    handled_at = models.DateTimeField("traitée le", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="attribuée à",
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="fiche de la personne",
    )

    class Meta:
        verbose_name = "demande de contact"
        verbose_name_plural = "demandes de contact"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="guidance_contact_means_given"
            ),
            models.CheckConstraint(
                condition=~Q(consent_text=""), name="guidance_contact_consent_text"
            ),
            models.CheckConstraint(
                condition=Q(preferred_means__in=ContactMeans.values),
                name="guidance_contact_preferred_means",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_handled(self):
        return self.handled_at is not None
