"""Objectives shared with the funders and partners, the figures reported against them, the
NAF classification of the non-relocatable jobs and the sending of the monthly report.

- ``Convention``: what a funder or a partner (State, Region, metropolis…) funds, over a period,
  with the structures that carry it and the programmes it covers (none: all);
- ``Objective``: one indicator of a convention, **at a version** (the realised figure is always
  computed by that version's definition), with its ``Target``s (a value per period: yearly
  targets of a three-year convention);
- ``ReportedFigure``: a figure as reported (value, version and fingerprint of the definition,
  scope, period), so that it can be reproduced and checked later;
- ``NafSphere``: per NAF division, whether its activity is « présentielle » (serves the local
  population, cannot be relocated) or « productive », with the reason; shipped with defaults,
  reviewed by the house's administrator;
- ``MonthlyReportDispatch``: one row per month and recipient, so that the monthly report is
  sent once;
- ``AccompanimentFact``: one row per accompaniment with the facts the indicators count (the
  person's characteristics at entry, the exit, the 6-month follow-up), derived by
  ``reporting.facts`` from the live data with the indicators' own SQL expressions and kept in
  step with every write: the dashboards read it instead of recomputing a QPV status and an age
  per row (``docs/architecture.md``, « Pilotage »).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class FunderKind(models.TextChoices):
    STATE = "state", "État"
    REGION = "region", "Région"
    METROPOLIS = "metropolis", "Métropole"
    DEPARTEMENT = "departement", "Département"
    ESF = "esf", "FSE+ (Union européenne)"
    OTHER = "other", "Autre partenaire"


class Convention(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("intitulé", max_length=200)
    funder_kind = models.CharField("financeur ou partenaire", max_length=16, choices=FunderKind)
    # The funder's structure in the network, whose members read this convention's figures.
    funder_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_conventions",
        verbose_name="structure du financeur",
        help_text="Ses membres (rôle financeur) consultent les agrégats de la convention.",
    )
    reference = models.CharField("référence de la convention", max_length=100, blank=True)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    structures = models.ManyToManyField(
        "structures.Structure",
        related_name="conventions",
        verbose_name="structures qui la portent",
    )
    programmes = models.ManyToManyField(
        "accompaniment.Programme",
        blank=True,
        related_name="+",
        verbose_name="programmes couverts",
        help_text="Aucun : tous les programmes.",
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    TRACKED_FIELDS = (
        "name",
        "funder_kind",
        "funder_structure",
        "reference",
        "starts_on",
        "ends_on",
    )

    class Meta:
        verbose_name = "convention"
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="reporting_convention_period",
                violation_error_message="La fin de la convention doit suivre son début.",
            ),
        ]

    def __str__(self):
        return self.name


class Objective(models.Model):
    """One indicator of a convention, measured by one version of its definition."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="objectives")
    indicator_code = models.CharField("indicateur", max_length=50)
    indicator_version = models.PositiveSmallIntegerField("version de la définition")
    # The hash of the definition when the objective was set (``indicators.fingerprint``).
    definition_fingerprint = models.CharField(max_length=64)
    comment = models.CharField("précision", max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "objectif"
        ordering = ["convention", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "indicator_code"],
                name="reporting_one_objective_per_indicator",
                violation_error_message="Cette convention a déjà un objectif sur cet indicateur.",
            ),
            models.CheckConstraint(
                condition=Q(indicator_version__gte=1), name="reporting_objective_version"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_code} v{self.indicator_version} — {self.convention}"


class Target(models.Model):
    """The value to reach over one period (within the convention's)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="targets")
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    value = models.DecimalField("cible", max_digits=10, decimal_places=1)

    class Meta:
        verbose_name = "cible"
        ordering = ["objective", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="reporting_target_period"
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="reporting_target_positive"),
            models.UniqueConstraint(
                fields=["objective", "starts_on"], name="reporting_one_target_per_start"
            ),
        ]

    def __str__(self):
        return f"{self.value} du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"


class ReportedFigure(models.Model):
    """A figure as reported: reproducible from its version, scope and period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, null=True, blank=True, related_name="figures"
    )
    indicator_code = models.CharField("indicateur", max_length=50)
    indicator_version = models.PositiveSmallIntegerField("version de la définition")
    definition_fingerprint = models.CharField(max_length=64)
    scope = models.JSONField("périmètre")
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    value = models.DecimalField("valeur", max_digits=12, decimal_places=1, null=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "chiffre déclaré"
        verbose_name_plural = "chiffres déclarés"
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="reporting_figure_period"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_code} v{self.indicator_version} : {self.value}"


class Sphere(models.TextChoices):
    PRESENTIELLE = "presentielle", "Présentielle (non délocalisable)"
    PRODUCTIVE = "productive", "Productive"


class NafSphere(models.Model):
    """The sphere of a NAF division (2 digits), with the reason of the classification."""

    division = models.CharField("division NAF", max_length=2, unique=True)
    label = models.CharField("libellé", max_length=250)
    sphere = models.CharField("sphère", max_length=16, choices=Sphere)
    default_sphere = models.CharField("sphère par défaut", max_length=16, choices=Sphere)
    explanation = models.TextField("raison")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("revue le", null=True, blank=True)

    TRACKED_FIELDS = ("sphere", "explanation")

    class Meta:
        verbose_name = "sphère d'une division NAF"
        verbose_name_plural = "sphères des divisions NAF"
        ordering = ["division"]
        constraints = [
            models.CheckConstraint(
                condition=Q(division__regex=r"^[0-9]{2}$"), name="reporting_naf_division"
            ),
            models.CheckConstraint(
                condition=Q(sphere__in=["presentielle", "productive"])
                & Q(default_sphere__in=["presentielle", "productive"]),
                name="reporting_naf_sphere_valid",
            ),
        ]

    def __str__(self):
        return f"{self.division} — {self.label}"


class MonthlyReportDispatch(models.Model):
    """The monthly report of one month, sent to one recipient (once)."""

    month = models.DateField("mois")
    membership = models.ForeignKey(
        "structures.Membership", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "envoi du rapport mensuel"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "membership"], name="reporting_report_once_per_month"
            ),
        ]

    def __str__(self):
        return f"Rapport {self.month:%m/%Y} — {self.membership_id}"


class AccompanimentFact(models.Model):
    """What the indicators count of one accompaniment, derived from the live data (never
    edited): written by ``reporting.facts`` only. Each column says where it comes from."""

    accompaniment = models.OneToOneField(
        "accompaniment.Accompaniment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reporting_fact",
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    # How many accompaniments the person has (all structures): a person with one has one
    # row here, counted without a DISTINCT (``indicators.Family``).
    accompaniments_of_person = models.PositiveIntegerField()
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        "accompaniment.Programme", on_delete=models.CASCADE, related_name="+"
    )
    entry_date = models.DateField()
    entry_quarter = models.IntegerField()
    exit_date = models.DateField(null=True)
    # The accompaniment's status is « closed » (its exit is recorded).
    is_closed = models.BooleanField()
    exit_quarter = models.IntegerField(null=True)
    exit_type = models.CharField(max_length=50, blank=True)
    # Whole days from the entry to the exit (None while open).
    days_in_accompaniment = models.IntegerField(null=True)
    # The person's characteristics at entry (``indicators_accompaniment``: age on the entry
    # date, QPV status of the history on that date) and their record's gender.
    age_at_entry = models.IntegerField()
    age_band_at_entry = models.CharField(max_length=16)
    qpv_at_entry = models.CharField(max_length=16)
    gender = models.CharField(max_length=16)
    # The person's commune and QPV today (the territory filter, as for the other modules).
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    qpv_code = models.CharField(max_length=8, blank=True)
    # The 6-month follow-up, when recorded in its window (ESF+ rule): its date and situation.
    followed_up_on = models.DateField(null=True)
    followed_up_quarter = models.IntegerField(null=True)
    follow_up_situation = models.CharField(max_length=50, blank=True)

    class Meta:
        verbose_name = "faits d'un accompagnement (pilotage)"
        verbose_name_plural = "faits des accompagnements (pilotage)"
        indexes = [
            models.Index(fields=["structure", "entry_date"], name="fact_structure_entry_idx"),
            models.Index(fields=["entry_date"], name="fact_entry_idx"),
            models.Index(fields=["exit_date"], name="fact_exit_idx"),
        ]

    def __str__(self):
        return f"Faits de l'accompagnement {self.accompaniment_id}"


class IntroductionFact(models.Model):
    """What the indicators count of one introduction (« mise en relation »), derived from the
    live data (never edited): written by ``reporting.facts`` only."""

    introduction = models.OneToOneField(
        "opportunities.Introduction",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reporting_fact",
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="+"
    )
    # The day it was made (local date of ``created_at``) and its quarter key.
    made_on = models.DateField()
    made_quarter = models.IntegerField()
    # Its status is « Embauche ».
    is_hired = models.BooleanField()
    # The person's QPV status (history on that day) and age band on the day it was made, and
    # their record's gender.
    qpv_on_the_day = models.CharField(max_length=16)
    age_band_on_the_day = models.CharField(max_length=16)
    gender = models.CharField(max_length=16)
    # The person's commune and QPV today (the territory filter).
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    qpv_code = models.CharField(max_length=8, blank=True)
    contract_type = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = "faits d'une mise en relation (pilotage)"
        verbose_name_plural = "faits des mises en relation (pilotage)"
        indexes = [models.Index(fields=["made_on"], name="introduction_fact_made_idx")]

    def __str__(self):
        return f"Faits de la mise en relation {self.introduction_id}"
