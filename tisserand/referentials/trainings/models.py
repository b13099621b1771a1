"""Training offers imported from LHÉO files: formation → action → session, and their bodies.

Identifiers are the producer's LHÉO ``numero`` (or an id found in the ``extras``), so that a
new export of the same catalogue updates the rows in place. Codes (ROME, Formacode, NSF, RNCP,
Certif Info) are stored as strings: the referential apps may be (re)loaded independently.
"""

import uuid

from django.db import models
from django.db.models import F, Q

from tisserand.core.validators import validate_siret

NATIONAL_LEVELS = {
    1: "Niveau 1 (savoirs de base)",
    2: "Niveau 2",
    3: "Niveau 3 (CAP, BEP)",
    4: "Niveau 4 (baccalauréat)",
    5: "Niveau 5 (Bac+2)",
    6: "Niveau 6 (Bac+3 et 4)",
    7: "Niveau 7 (Bac+5)",
    8: "Niveau 8 (doctorat)",
}


def _coordinates_constraints(prefix):
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(
                latitude__gte=-90,
                latitude__lte=90,
                longitude__gte=-180,
                longitude__lte=180,
            ),
            name=f"{prefix}_coordinates_valid",
        )
    ]


class Place(models.Model):
    """Where something happens, as LHÉO describes it (address, commune, optional point)."""

    place_name = models.CharField("lieu", max_length=255, blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    commune_insee = models.CharField("commune (code INSEE)", max_length=5, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def has_point(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def place_summary(self):
        locality = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.place_name, self.address, locality) if part)


class TrainingBody(Place):
    """An organisme de formation responsable, identified by its SIRET."""

    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    name = models.CharField("nom", max_length=250)
    legal_name = models.CharField("raison sociale", max_length=250, blank=True)
    activity_number = models.CharField(
        "numéro de déclaration d'activité", max_length=11, blank=True
    )
    lheo_id = models.CharField("identifiant LHÉO", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.CharField("adresse e-mail", max_length=160, blank=True)
    website = models.CharField("site web", max_length=400, blank=True)

    class Meta:
        verbose_name = "organisme de formation"
        ordering = ["name"]
        constraints = _coordinates_constraints("trainingbody")

    def __str__(self):
        return self.name


class Training(models.Model):
    """A formation: what one learns, independent of where and when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lheo_id = models.CharField("identifiant LHÉO", max_length=100, unique=True)
    title = models.CharField("intitulé", max_length=255)
    objective = models.TextField("objectif", blank=True)
    expected_results = models.TextField("résultats attendus", blank=True)
    content = models.TextField("contenu", blank=True)
    is_certifying = models.BooleanField("certifiante", default=False)
    entry_level_code = models.CharField("niveau d'entrée (code LHÉO)", max_length=2, blank=True)
    exit_level_code = models.CharField("niveau de sortie (code LHÉO)", max_length=2, blank=True)
    exit_level = models.PositiveSmallIntegerField(
        "niveau de sortie (cadre national)", null=True, blank=True
    )
    url = models.CharField("site web", max_length=400, blank=True)
    body = models.ForeignKey(
        TrainingBody,
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name="organisme responsable",
    )
    lheo_version = models.CharField("version LHÉO", max_length=5)
    source_file = models.CharField("fichier d'origine", max_length=255, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    imported_at = models.DateTimeField("importée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    class Meta:
        verbose_name = "formation"
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_level__isnull=True) | Q(exit_level__gte=1, exit_level__lte=8),
                name="training_exit_level_1_to_8",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def exit_level_label(self):
        return NATIONAL_LEVELS.get(self.exit_level, "")


class CodeKind(models.TextChoices):
    ROME = "rome", "ROME"
    FORMACODE = "formacode", "Formacode"
    NSF = "nsf", "NSF"
    RNCP = "rncp", "RNCP"
    CERTIFINFO = "certifinfo", "Certif Info"
    RS = "rs", "Répertoire spécifique"


class TrainingCode(models.Model):
    """A code of a referential attached to a training (a string, not a foreign key)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="codes")
    kind = models.CharField("référentiel", max_length=12, choices=CodeKind.choices)
    code = models.CharField("code", max_length=20)
    is_principal = models.BooleanField("principal", default=False)

    class Meta:
        verbose_name = "code de formation"
        ordering = ["kind", "-is_principal", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "kind", "code"], name="trainingcode_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "code"], name="trainingcode_kind_code")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"


class TeachingMode(models.IntegerChoices):
    ON_SITE = 0, "En présentiel"
    BLENDED = 1, "Mixte (présentiel et à distance)"
    REMOTE = 2, "Entièrement à distance"


class Action(Place):
    """An action: the training as one body delivers it (place, price, duration, modalities)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="actions")
    lheo_id = models.CharField("identifiant LHÉO", max_length=100)
    rhythm = models.TextField("rythme", blank=True)
    teaching_mode = models.PositiveSmallIntegerField(
        "modalités d'enseignement", choices=TeachingMode.choices, null=True, blank=True
    )
    permanent_entry = models.BooleanField("entrées et sorties permanentes", default=False)
    work_study = models.TextField("alternance", blank=True)
    specific_conditions = models.TextField("conditions spécifiques", blank=True)
    funding_possible = models.BooleanField("prise en charge des frais possible", default=False)
    total_price = models.DecimalField(
        "prix total TTC (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    hourly_price = models.DecimalField(
        "prix horaire TTC (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    hours_total = models.PositiveIntegerField("durée totale (heures)", null=True, blank=True)
    hours_center = models.PositiveIntegerField("heures en centre", null=True, blank=True)
    hours_company = models.PositiveIntegerField("heures en entreprise", null=True, blank=True)
    indicative_duration = models.CharField("durée indicative", max_length=150, blank=True)
    disabled_access = models.TextField("accès des personnes handicapées", blank=True)
    url = models.CharField("site web", max_length=400, blank=True)

    class Meta:
        verbose_name = "action de formation"
        ordering = ["training", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["training", "lheo_id"], name="action_lheo_id_unique"),
            models.CheckConstraint(
                condition=Q(total_price__isnull=True) | Q(total_price__gte=0),
                name="action_total_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(hourly_price__isnull=True) | Q(hourly_price__gte=0),
                name="action_hourly_price_positive",
            ),
            *_coordinates_constraints("action"),
        ]

    def __str__(self):
        return f"{self.training} — {self.city or self.lheo_id}"


class RecruitmentState(models.IntegerChoices):
    OPEN = 1, "Inscriptions ouvertes"
    CLOSED = 2, "Inscriptions fermées"
    SUSPENDED = 3, "Inscriptions suspendues"


class Session(Place):
    """A session: dates and place. The place is the action's training place when it has one,
    else the session's registration address."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="sessions")
    lheo_id = models.CharField("identifiant LHÉO", max_length=100)
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    registration_address = models.CharField("adresse d'inscription", max_length=400, blank=True)
    recruitment_state = models.PositiveSmallIntegerField(
        "état du recrutement", choices=RecruitmentState.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = "session de formation"
        ordering = ["start_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "lheo_id"], name="session_lheo_id_unique"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="session_ends_after_start",
            ),
            *_coordinates_constraints("session"),
        ]
        indexes = [
            models.Index(fields=["start_date"], name="session_start_date"),
            models.Index(fields=["commune_insee"], name="session_commune"),
            models.Index(fields=["latitude", "longitude"], name="session_point"),
        ]

    def __str__(self):
        return f"{self.action} ({self.start_date or 'dates non communiquées'})"
