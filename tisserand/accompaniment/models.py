"""Accompaniments: a person in a programme of a structure, with a référent, a diagnosis, a
professional project, a plan of actions, an exit and its follow-up 6 months later.

Codes of controlled vocabularies (barrier themes, action types, exit types, contract types) are
stored as strings; their labels come from ``referentials.vocabularies.api.labels``.
"""

import calendar
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from tisserand.accompaniment.exit_typology import coherence_condition
from tisserand.core.documents import documents_relation
from tisserand.referentials.vocabularies.choices import WorkingTime

FOLLOW_UP_DELAY_MONTHS = 6


def months_after(day, months):
    """The same day ``months`` later (the month's last day when that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_window(exit_date):
    """``(first day, last day)`` on which the 6-month follow-up of an exit may be recorded
    (``settings.FOLLOW_UP_WINDOW_MONTHS`` after the exit)."""
    opens, closes = settings.FOLLOW_UP_WINDOW_MONTHS
    return months_after(exit_date, opens), months_after(exit_date, closes)


class Programme(models.Model):
    """A programme a person may enter (configurable list, seeded by a data migration)."""

    code = models.SlugField("code", max_length=50, unique=True)
    label = models.CharField("libellé", max_length=150)
    description = models.TextField("description", blank=True)
    is_active = models.BooleanField("proposé", default=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "programme"
        ordering = ["order", "label"]
        constraints = [
            models.UniqueConstraint(
                Lower("label"),
                name="programme_label_unique_ci",
                violation_error_message="Un autre programme porte déjà ce libellé.",
            )
        ]

    def __str__(self):
        return self.label


class Status(models.TextChoices):
    OPEN = "open", "En cours"
    CLOSED = "closed", "Sorti"


class AccompanimentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Status.OPEN)

    def closed(self):
        return self.filter(status=Status.CLOSED)


class Accompaniment(models.Model):
    """A person's path in a programme, followed by a référent of a structure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="accompaniments",
        verbose_name="personne",
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", verbose_name="programme"
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name="structure",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="accompaniments_as_referent",
        verbose_name="référent",
    )
    status = models.CharField("statut", max_length=16, choices=Status.choices, default="open")
    entry_date = models.DateField("date d'entrée")
    planned_end_date = models.DateField(
        "date de fin prévue",
        null=True,
        blank=True,
        help_text="Au-delà, une alerte rappelle d'enregistrer la sortie et son type.",
    )
    exit_date = models.DateField("date de sortie", null=True, blank=True)
    exit_type = models.CharField("type de sortie", max_length=50, blank=True)
    exit_contract_type = models.CharField("type de contrat", max_length=50, blank=True)
    exit_employer = models.CharField("employeur", max_length=200, blank=True)
    exit_comment = models.TextField("commentaire de sortie", blank=True)
    closed_at = models.DateTimeField("sortie enregistrée le", null=True, blank=True)
    # A hire recorded elsewhere (an introduction to a company) while the accompaniment is open:
    # its page asks for the exit, which stays the référent's act (type, proof).
    hire_reported_on = models.DateField("embauche signalée le", null=True, blank=True)
    hire_reported_contract = models.CharField(
        "contrat de l'embauche signalée", max_length=100, blank=True
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ouvert par",
    )
    created_at = models.DateTimeField("ouvert le", default=timezone.now)
    # Proofs of the exit situation (a work contract, a training certificate…), deleted with it.
    documents = documents_relation()

    objects = AccompanimentQuerySet.as_manager()

    TRACKED_FIELDS = ("entry_date", "planned_end_date")

    class Meta:
        verbose_name = "accompagnement"
        ordering = ["-entry_date", "-id"]
        indexes = [
            models.Index(fields=["structure", "status", "referent"], name="accomp_structure_idx"),
            models.Index(fields=["referent", "status", "structure"], name="accomp_referent_idx"),
            models.Index(fields=["person", "status"], name="accomp_person_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme"],
                condition=Q(status="open"),
                name="accomp_one_open_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="accomp_status_valid"
            ),
            # An exit has a date and a type; an open accompaniment has no exit.
            models.CheckConstraint(
                condition=Q(status="open", exit_date__isnull=True, exit_type="")
                | (Q(status="closed", exit_date__isnull=False) & ~Q(exit_type="")),
                name="accomp_exit_dated_and_typed",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="accomp_exit_after_entry",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__isnull=True)
                | Q(planned_end_date__gte=F("entry_date")),
                name="accomp_planned_end_after_entry",
            ),
            models.CheckConstraint(
                condition=coherence_condition("exit_type", "exit_contract_type"),
                name="accomp_exit_contract_coherent",
                violation_error_message="Ce type de contrat ne correspond pas au type de sortie.",
            ),
        ]

    def __str__(self):
        return f"{self.programme} — {self.person}"

    @property
    def is_open(self):
        return self.status == Status.OPEN

    def exit_is_overdue(self, today=None):
        """Open past its planned end: the exit and its type are still to be recorded."""
        today = today or timezone.localdate()
        return self.is_open and self.planned_end_date is not None and self.planned_end_date < today


class Transfer(models.Model):
    """A change of référent, or of structure, of an accompaniment; the history is kept."""

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="transfers"
    )
    transferred_on = models.DateField("date du transfert")
    from_structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="+", verbose_name="de"
    )
    to_structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="+", verbose_name="vers"
    )
    from_referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="ancien référent",
    )
    to_referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="nouveau référent",
    )
    reason = models.CharField("motif", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "transfert"
        ordering = ["-transferred_on", "-id"]

    def __str__(self):
        return f"Transfert du {self.transferred_on:%d/%m/%Y}"


class BarrierLevel(models.IntegerChoices):
    NONE = 0, "Pas de frein"
    LIGHT = 1, "Frein léger"
    SIGNIFICANT = 2, "Frein important"
    MAJOR = 3, "Frein majeur"


BARRIER_TONES = {0: "success", 1: "info", 2: "warning", 3: "danger"}


class BarrierAssessment(models.Model):
    """One theme of the diagnosis, as assessed on a date. A revision adds a row: the latest
    row of each theme is the current diagnosis, the earlier ones its history."""

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="barrier_assessments"
    )
    theme = models.CharField("thématique", max_length=50)
    level = models.PositiveSmallIntegerField("niveau", choices=BarrierLevel.choices)
    comment = models.TextField("commentaire", blank=True)
    assessed_on = models.DateField("date du diagnostic")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "évaluation d'un frein"
        ordering = ["theme", "-assessed_on", "-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["accompaniment", "theme", "-assessed_on"], name="barrier_idx")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__lte=3), name="barrier_level_range"),
        ]

    def __str__(self):
        return f"{self.theme} : {self.get_level_display()}"

    @property
    def tone(self):
        return BARRIER_TONES[self.level]


MAX_MOBILITY_RADIUS_KM = 300


class ProfessionalProject(models.Model):
    """The jobs the person aims at and the conditions they accept."""

    accompaniment = models.OneToOneField(
        Accompaniment, on_delete=models.CASCADE, related_name="project"
    )
    target_appellations = models.ManyToManyField(
        "rome.Appellation", blank=True, related_name="+", verbose_name="métiers visés"
    )
    contract_types = models.JSONField("types de contrat recherchés", default=list, blank=True)
    working_time = models.CharField(
        "temps de travail", max_length=16, choices=WorkingTime.choices, default=WorkingTime.ANY
    )
    mobility_radius_km = models.PositiveSmallIntegerField(
        "rayon de mobilité (km)", null=True, blank=True
    )
    comment = models.TextField("précisions", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("mis à jour le", default=timezone.now)

    TRACKED_FIELDS = ("working_time", "mobility_radius_km", "comment")

    class Meta:
        verbose_name = "projet professionnel"
        constraints = [
            models.CheckConstraint(
                condition=Q(mobility_radius_km__isnull=True)
                | Q(mobility_radius_km__lte=MAX_MOBILITY_RADIUS_KM),
                name="project_mobility_radius_range",
            ),
        ]

    def __str__(self):
        return f"Projet professionnel — {self.accompaniment.person}"


class ObjectiveStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "En cours"
    ACHIEVED = "achieved", "Atteint"
    ABANDONED = "abandoned", "Abandonné"


class Objective(models.Model):
    """An objective of the plan, on one barrier theme."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="objectives"
    )
    theme = models.CharField("thématique", max_length=50)
    label = models.CharField("objectif", max_length=250)
    status = models.CharField(
        "statut", max_length=16, choices=ObjectiveStatus.choices, default="in_progress"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "objectif"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.label


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    ABANDONED = "abandoned", "Abandonnée"


ACTION_TONES = {
    "planned": "info",
    "in_progress": "warning",
    "done": "success",
    "abandoned": "neutral",
}


PARTNER_MESSAGE = (
    "Indiquez le partenaire qui porte l'action : une structure du réseau ou un autre "
    "partenaire, pas les deux."
)


class PlanAction(models.Model):
    """An action towards an objective: its type, the partner who carries it (a structure of
    the network or one outside it, exactly one), its dates."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    action_type = models.CharField("type d'action", max_length=50)
    label = models.CharField("action", max_length=250)
    partner_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure partenaire",
    )
    partner_name = models.CharField(
        "autre partenaire",
        max_length=200,
        blank=True,
        help_text="Un partenaire hors du réseau (auto-école sociale, centre de formation…).",
    )
    status = models.CharField(
        "statut", max_length=16, choices=ActionStatus.choices, default="planned"
    )
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    TRACKED_FIELDS = (
        "action_type",
        "label",
        "partner_structure",
        "partner_name",
        "status",
        "start_date",
        "end_date",
    )

    class Meta:
        verbose_name = "action"
        ordering = ["start_date", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "abandoned"]),
                name="plan_action_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="plan_action_end_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(partner_structure__isnull=False) & Q(partner_name=""))
                | (Q(partner_structure__isnull=True) & ~Q(partner_name="")),
                name="plan_action_exactly_one_partner",
                violation_error_message=PARTNER_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def tone(self):
        return ACTION_TONES[self.status]

    def has_one_partner(self):
        return (self.partner_structure_id is not None) != bool(self.partner_name.strip())

    @property
    def partner_label(self):
        return str(self.partner_structure) if self.partner_structure_id else self.partner_name


class SuggestedAction(models.Model):
    """An action commonly planned for a barrier theme (data, seeded by a migration)."""

    theme = models.CharField("thématique", max_length=50)
    action_type = models.CharField("type d'action", max_length=50)
    label = models.CharField("action proposée", max_length=250)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "action suggérée"
        verbose_name_plural = "actions suggérées"
        ordering = ["theme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "label"], name="suggested_action_unique")
        ]

    def __str__(self):
        return self.label


class SixMonthFollowUp(models.Model):
    """The follow-up 6 months after an exit: scheduled at the exit, reminded, then recorded."""

    accompaniment = models.OneToOneField(
        Accompaniment, on_delete=models.CASCADE, related_name="six_month_follow_up"
    )
    due_on = models.DateField("à faire le")
    # The window in force when the exit was recorded (a later change of the setting does not
    # move the follow-ups already scheduled).
    window_opens_on = models.DateField("saisie possible à partir du")
    window_closes_on = models.DateField("saisie possible jusqu'au")
    # Set only by the data migration, for contacts recorded before the window was enforced:
    # such a result is not the ESF+ 6-month result and is left out of its figures.
    outside_window = models.BooleanField("contact hors de la fenêtre du suivi", default=False)
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    contacted_on = models.DateField("date du contact", null=True, blank=True)
    situation = models.CharField("situation à 6 mois", max_length=50, blank=True)
    contract_type = models.CharField("type de contrat", max_length=50, blank=True)
    employer = models.CharField("employeur", max_length=200, blank=True)
    comment = models.TextField("commentaire", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistré le", null=True, blank=True)
    # Proofs of the situation 6 months after the exit, deleted with the follow-up.
    documents = documents_relation()

    class Meta:
        verbose_name = "suivi à 6 mois"
        verbose_name_plural = "suivis à 6 mois"
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(recorded_at__isnull=True), name="follow_up_due_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recorded_at__isnull=True, contacted_on__isnull=True, situation="")
                | (Q(recorded_at__isnull=False, contacted_on__isnull=False) & ~Q(situation="")),
                name="follow_up_recorded_with_situation",
            ),
            models.CheckConstraint(
                condition=coherence_condition("situation", "contract_type"),
                name="follow_up_contract_coherent",
                violation_error_message="Ce type de contrat ne correspond pas à la situation.",
            ),
            models.CheckConstraint(
                condition=Q(window_opens_on__lte=F("due_on"), due_on__lte=F("window_closes_on")),
                name="follow_up_due_in_window",
            ),
            models.CheckConstraint(
                condition=Q(contacted_on__isnull=True)
                | Q(outside_window=True)
                | Q(
                    contacted_on__gte=F("window_opens_on"),
                    contacted_on__lte=F("window_closes_on"),
                ),
                name="follow_up_contact_in_window",
            ),
        ]

    def __str__(self):
        return f"Suivi à 6 mois — {self.accompaniment.person}"

    @classmethod
    def scheduled_for(cls, accompaniment):
        """The (unsaved) follow-up of an exit: due 6 months after it, in its window."""
        opens_on, closes_on = follow_up_window(accompaniment.exit_date)
        return cls(
            accompaniment=accompaniment,
            due_on=months_after(accompaniment.exit_date, FOLLOW_UP_DELAY_MONTHS),
            window_opens_on=opens_on,
            window_closes_on=closes_on,
        )

    @property
    def is_recorded(self):
        return self.recorded_at is not None

    def is_due(self, today=None):
        return not self.is_recorded and self.due_on <= (today or timezone.localdate())

    def in_window(self, day):
        return self.window_opens_on <= day <= self.window_closes_on

    def default_contact_date(self, today=None):
        """Today when the window is open, its last day once closed, None before it opens:
        never a date the follow-up would refuse."""
        today = today or timezone.localdate()
        if today < self.window_opens_on:
            return None
        return min(today, self.window_closes_on)

    @property
    def counts_for_esf(self):
        """Whether its result is the ESF+ 6-month result (recorded within the window)."""
        return self.is_recorded and not self.outside_window


class EsfStage(models.TextChoices):
    ENTRY = "entry", "À l'entrée"
    EXIT = "exit", "À la sortie"
    SIX_MONTHS = "six_months", "6 mois après la sortie"


class EmploymentStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", "Chômeur (demandeur d'emploi)"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", "Chômeur de longue durée (12 mois et plus)"
    INACTIVE = "inactive", "Inactif"
    EMPLOYED = "employed", "En emploi, y compris indépendant"


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", "Moins de 18 ans"
    FROM_18_TO_29 = "18_29", "18 à 29 ans"
    FROM_30_TO_54 = "30_54", "30 à 54 ans"
    FROM_55 = "55_plus", "55 ans et plus"


class EsfRecord(models.Model):
    """The ESF+ participant data of an accompaniment at one stage (entry, exit, 6 months).

    Indicators are nullable: ``None`` is "not asked or refused to answer", which ESF+ allows
    for the sensitive ones (disability, foreign origin, minority).
    """

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="esf_records"
    )
    stage = models.CharField("étape", max_length=16, choices=EsfStage.choices)
    captured_on = models.DateField("date de recueil")
    # Characteristics at entry (gender, age and ISCED group are copied from the person).
    gender = models.CharField("genre", max_length=16, blank=True)
    age_band = models.CharField("tranche d'âge", max_length=16, choices=AgeBand.choices, blank=True)
    isced_group = models.CharField("niveau CITE", max_length=16, blank=True)
    employment_status = models.CharField(
        "situation sur le marché du travail",
        max_length=24,
        choices=EmploymentStatus.choices,
        blank=True,
    )
    has_disability = models.BooleanField("en situation de handicap", null=True)
    is_third_country_national = models.BooleanField("ressortissant de pays tiers", null=True)
    has_foreign_origin = models.BooleanField("d'origine étrangère", null=True)
    is_minority = models.BooleanField("appartenant à une minorité", null=True)
    is_homeless_or_excluded_from_housing = models.BooleanField(
        "sans domicile ou exclu du logement", null=True
    )
    lives_in_rural_area = models.BooleanField("résidant en zone rurale", null=True)
    # Results at exit and 6 months after.
    is_job_searching = models.BooleanField("en recherche d'emploi", null=True)
    is_in_education_or_training = models.BooleanField("en études ou en formation", null=True)
    gained_qualification = models.BooleanField("a obtenu une qualification", null=True)
    is_employed = models.BooleanField("en emploi, y compris indépendant", null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "données FSE+"
        verbose_name_plural = "données FSE+"
        ordering = ["captured_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["accompaniment", "stage"], name="esf_one_per_stage"),
            models.CheckConstraint(
                condition=Q(stage__in=["entry", "exit", "six_months"]), name="esf_stage_valid"
            ),
        ]

    def __str__(self):
        return f"FSE+ {self.get_stage_display()} — {self.accompaniment_id}"

    @property
    def isced_label(self):
        """« CITE 3 à 4 » for the group ``isced_3_4``."""
        if not self.isced_group.startswith("isced_"):
            return ""
        low, _, high = self.isced_group.removeprefix("isced_").partition("_")
        return f"CITE {low} à {high}"
