"""Social clauses: buyers, operations, contracts and their lots (each lot carries its clause and
the hours owed), participants with their eligibility at the start of their contract, monthly
declarations of hours, and the participants' outcomes.

Figures a buyer or a funder reads are true by construction: check and unique constraints here,
the rules that span several tables in ``services.py`` (a month inside the contract's period, no
hours for a participant without a proven criterion, validated figures immutable unless reopened).
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from tisserand.core.documents import documents_relation
from tisserand.core.validators import validate_siret
from tisserand.people.models import Gender, QpvResidence

HOURS = {"max_digits": 10, "decimal_places": 1}


class BuyerKind(models.TextChoices):
    SOCIAL_LANDLORD = "social_landlord", "Bailleur social"
    CITY = "city", "Commune"
    METROPOLIS = "metropolis", "Métropole ou intercommunalité"
    STATE = "state", "État"
    PUBLIC_ESTABLISHMENT = "public_establishment", "Établissement public"
    PRIVATE = "private", "Acheteur privé"


class Programme(models.TextChoices):
    NPNRU = "npnru", "NPNRU (ANRU 2)"
    CHARTER = "charter", "Charte locale d'insertion"
    OTHER = "other", "Autre"


class Nature(models.TextChoices):
    WORKS = "works", "Travaux"
    SERVICES = "services", "Services"
    SUPPLIES = "supplies", "Fournitures"


class LegalForm(models.TextChoices):
    EXECUTION = "L2112-2", "Condition d'exécution (L2112-2)"
    RESERVED_ADAPTED = "L2113-12", "Marché réservé aux entreprises adaptées et ESAT (L2113-12)"
    RESERVED_INSERTION = "L2113-13", "Marché réservé aux structures d'insertion (L2113-13)"
    AWARD_CRITERION = "R2152-7", "Critère d'attribution (R2152-7)"
    INSERTION_CONTRACT = "R2123-1", "Marché d'insertion (R2123-1)"


class HoursMode(models.TextChoices):
    COMPUTED = "computed", "Calculées"
    ENTERED = "entered", "Saisies"


class Modality(models.TextChoices):
    CDI = "cdi", "Embauche directe en CDI"
    CDD = "cdd", "Embauche directe en CDD"
    APPRENTICESHIP = "apprenticeship", "Contrat d'apprentissage"
    PROFESSIONALISATION = "professionalisation", "Contrat de professionnalisation"
    ETTI = "etti", "Intérim d'insertion (ETTI)"
    AGENCY = "agency", "Intérim classique"
    AI = "ai", "Mise à disposition par une association intermédiaire"
    GEIQ = "geiq", "Mise à disposition par un GEIQ"
    SUBCONTRACTING = "subcontracting", "Sous-traitance ou cotraitance à une SIAE ou une EA"
    TRAINING = "training", "Formation préalable à l'embauche"


class Outcome(models.TextChoices):
    LASTING_JOB = "lasting_job", "Emploi durable"
    TRANSITIONAL_JOB = "transitional_job", "Emploi de transition"
    QUALIFYING_TRAINING = "qualifying_training", "Formation qualifiante"
    NO_SOLUTION = "no_solution", "Sans solution"


class Level(models.TextChoices):
    NONE = "none", "Sans qualification"
    LEVEL_3 = "3", "Niveau 3 (CAP, BEP)"
    LEVEL_4 = "4", "Niveau 4 (bac)"
    LEVEL_5 = "5", "Niveau 5 et plus (bac + 2 et au-delà)"
    UNKNOWN = "unknown", "Non renseigné"


class DeclarationStatus(models.TextChoices):
    DECLARED = "declared", "Déclarée"
    VALIDATED = "validated", "Validée"


class DeclarationSource(models.TextChoices):
    FACILITATOR = "facilitator", "Saisie par la facilitation"
    PORTAL = "portal", "Déclarée par l'entreprise"
    IMPORT = "import", "Importée (XLSX)"


class Buyer(models.Model):
    """A *donneur d'ordre*: the public (or private) buyer whose contracts carry clauses."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="clause_buyers",
        verbose_name="structure",
    )
    kind = models.CharField("type", max_length=24, choices=BuyerKind.choices)
    name = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "donneur d'ordre"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "siret"], name="clauses_buyer_unique_siret"
            ),
        ]

    def __str__(self):
        return self.name


class BuyerRepresentative(models.Model):
    """A user who represents a buyer: reads its operations' figures, never identities."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="clause_buyers",
        verbose_name="utilisateur",
    )
    buyer = models.ForeignKey(
        Buyer,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name="donneur d'ordre",
    )
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "représentant d'un donneur d'ordre"
        constraints = [
            models.UniqueConstraint(fields=["user", "buyer"], name="clauses_representative_once")
        ]

    def __str__(self):
        return f"{self.user} — {self.buyer}"


class Operation(models.Model):
    """A programme's operation (an NPNRU project, a local charter…) gathering contracts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="clause_operations",
        verbose_name="structure",
    )
    programme = models.CharField("programme", max_length=16, choices=Programme.choices)
    name = models.CharField("nom", max_length=200)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    qpv_codes = models.CharField(
        "quartiers prioritaires (codes QPV)",
        max_length=400,
        blank=True,
        help_text="Codes séparés par des virgules, par exemple QN05912M, QN05913M.",
    )
    qpv_share = models.DecimalField(
        "part des heures réservée aux habitants des QPV",
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Pour le NPNRU : par exemple 0,5 pour la moitié des heures dues.",
    )
    buyers = models.ManyToManyField(
        Buyer, related_name="operations", verbose_name="donneurs d'ordre"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "opération"
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="clauses_operation_period"
            ),
            models.CheckConstraint(
                condition=Q(qpv_share__isnull=True) | Q(qpv_share__gte=0, qpv_share__lte=1),
                name="clauses_operation_qpv_share",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def qpv_code_list(self):
        return [code.strip() for code in self.qpv_codes.split(",") if code.strip()]

    @property
    def is_npnru(self):
        return self.programme == Programme.NPNRU


class ModalityCoefficient(models.Model):
    """How an operation counts the hours of a modality (1 by default), set by the facilitator;
    each declaration keeps the coefficient that held when it was recorded."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="coefficients", verbose_name="opération"
    )
    modality = models.CharField("modalité", max_length=24, choices=Modality.choices)
    coefficient = models.DecimalField("coefficient", max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = "coefficient de comptage"
        ordering = ["modality"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "modality"], name="clauses_coefficient_once"
            ),
            models.CheckConstraint(
                condition=Q(coefficient__gte=0, coefficient__lte=5),
                name="clauses_coefficient_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_modality_display()} × {self.coefficient}"


class Contract(models.Model):
    """A public contract (*marché*) of an operation, notified by one of its buyers."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, related_name="contracts", verbose_name="opération"
    )
    buyer = models.ForeignKey(
        Buyer, on_delete=models.PROTECT, related_name="contracts", verbose_name="donneur d'ordre"
    )
    reference = models.CharField("référence", max_length=80)
    object = models.CharField("objet", max_length=400)
    cpv_code = models.CharField("code CPV", max_length=12, blank=True)
    amount = models.DecimalField("montant HT (€)", max_digits=14, decimal_places=2)
    nature = models.CharField("nature", max_length=12, choices=Nature.choices)
    starts_on = models.DateField("début d'exécution")
    ends_on = models.DateField("fin d'exécution")
    # DECP: the contract's identifier in the open data, and its social considerations.
    decp_id = models.CharField("identifiant DECP", max_length=60, blank=True)
    social_considerations = models.CharField("considérations sociales", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "marché"
        ordering = ["reference", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="clauses_contract_period"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="clauses_contract_amount"),
            models.UniqueConstraint(
                fields=["buyer", "reference"], name="clauses_contract_reference_once"
            ),
            models.UniqueConstraint(
                fields=["buyer", "decp_id"],
                condition=~Q(decp_id=""),
                name="clauses_contract_decp_once",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.object}"


class Lot(models.Model):
    """A lot of a contract, its holder and partners, and its clause: the legal form and the
    hours owed, entered or computed from the three parameters kept here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="lots", verbose_name="marché"
    )
    number = models.PositiveSmallIntegerField("numéro")
    label = models.CharField("intitulé", max_length=200)
    holder = models.ForeignKey(
        "companies.Establishment",
        on_delete=models.PROTECT,
        related_name="clause_lots",
        verbose_name="titulaire",
    )
    co_contractors = models.ManyToManyField(
        "companies.Establishment", blank=True, related_name="+", verbose_name="cotraitants"
    )
    subcontractors = models.ManyToManyField(
        "companies.Establishment", blank=True, related_name="+", verbose_name="sous-traitants"
    )
    amount = models.DecimalField("montant HT du lot (€)", max_digits=14, decimal_places=2)
    legal_form = models.CharField(
        "forme juridique de la clause", max_length=10, choices=LegalForm.choices
    )
    hours_mode = models.CharField(
        "heures dues", max_length=10, choices=HoursMode.choices, default=HoursMode.COMPUTED
    )
    labour_share = models.DecimalField(
        "part de main-d'œuvre", max_digits=4, decimal_places=3, null=True, blank=True
    )
    insertion_rate = models.DecimalField(
        "taux d'insertion", max_digits=4, decimal_places=3, null=True, blank=True
    )
    hourly_cost = models.DecimalField(
        "coût horaire chargé (€)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    hours_owed = models.DecimalField("heures dues", **HOURS)
    qpv_hours_owed = models.DecimalField("dont heures dues aux habitants des QPV", **HOURS)
    # The recruitment need of the holder this lot's clause jobs became (the seam with offers).
    need = models.ForeignKey(
        "companies.Need", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lot"
        ordering = ["contract_id", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="clauses_lot_number_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="clauses_lot_amount"),
            models.CheckConstraint(
                condition=Q(hours_owed__gte=0, qpv_hours_owed__gte=0)
                & Q(qpv_hours_owed__lte=F("hours_owed")),
                name="clauses_lot_hours",
            ),
            models.CheckConstraint(
                condition=~Q(hours_mode="computed")
                | Q(
                    labour_share__isnull=False,
                    insertion_rate__isnull=False,
                    hourly_cost__isnull=False,
                    labour_share__gt=0,
                    labour_share__lte=1,
                    insertion_rate__gt=0,
                    insertion_rate__lte=1,
                    hourly_cost__gt=0,
                ),
                name="clauses_lot_computed_parameters",
            ),
        ]

    def __str__(self):
        return f"Lot {self.number} — {self.label}"

    @property
    def computed_hours(self):
        return compute_hours(self.amount, self.labour_share, self.insertion_rate, self.hourly_cost)

    @property
    def explanation(self):
        if self.hours_mode != HoursMode.COMPUTED:
            return "Heures saisies par la facilitation."
        return explain_hours(self.amount, self.labour_share, self.insertion_rate, self.hourly_cost)


def compute_hours(amount, labour_share, insertion_rate, hourly_cost):
    """amount × labour share × insertion rate ÷ loaded hourly cost, to the tenth of an hour."""
    if None in (amount, labour_share, insertion_rate, hourly_cost) or not hourly_cost:
        return None
    hours = Decimal(amount) * Decimal(labour_share) * Decimal(insertion_rate) / Decimal(hourly_cost)
    return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def french_number(value, places=0):
    text = f"{value:,.{places}f}".replace(",", "\u202f").replace(".", ",")
    return text


def explain_hours(amount, labour_share, insertion_rate, hourly_cost):
    hours = compute_hours(amount, labour_share, insertion_rate, hourly_cost)
    if hours is None:
        return ""
    return (
        f"{french_number(amount)} € × {french_number(Decimal(labour_share) * 100, 1)} % "
        f"de main-d'œuvre × {french_number(Decimal(insertion_rate) * 100, 1)} % d'insertion "
        f"÷ {french_number(hourly_cost, 2)} € de l'heure = {french_number(hours, 1)} h"
    )


class EligibilityCriterion(models.Model):
    """One criterion of the editable list (long-term job seeker, RSA beneficiary…)."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=200)
    # The record knows it: a public status kind, or « under_26 », « over_50 », « qpv ».
    derived_from = models.CharField("déduit du dossier", max_length=24, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=100)
    is_active = models.BooleanField("proposé", default=True)

    class Meta:
        verbose_name = "critère d'éligibilité"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class Participant(models.Model):
    """Someone hired under a clause: a person of the people app, or created for the clause.
    ``is_eligible`` is kept by the services: a criterion proven at the start of the contract."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="clause_participants",
        verbose_name="structure",
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clause_participations",
        verbose_name="personne",
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    birth_date = models.DateField("date de naissance")
    gender = models.CharField(
        "genre", max_length=16, choices=Gender.choices, default=Gender.UNSPECIFIED
    )
    qpv_at_start = models.CharField(
        "réside en QPV au début du contrat",
        max_length=16,
        choices=QpvResidence.choices,
        default=QpvResidence.UNKNOWN,
    )
    level = models.CharField(
        "niveau de qualification", max_length=8, choices=Level.choices, default=Level.UNKNOWN
    )
    modality = models.CharField("modalité", max_length=24, choices=Modality.choices)
    employer = models.ForeignKey(
        "companies.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="employeur",
    )
    starts_on = models.DateField("début du contrat")
    ends_on = models.DateField("fin du contrat", null=True, blank=True)
    is_eligible = models.BooleanField("éligible", default=False, editable=False)
    outcome_at_end = models.CharField(
        "situation à la fin du contrat", max_length=24, choices=Outcome.choices, blank=True
    )
    outcome_6_months = models.CharField(
        "situation six mois après", max_length=24, choices=Outcome.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "participant"
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="clauses_participant_period",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name.upper()}"

    def age_on(self, day):
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def age_at_start(self):
        return self.age_on(self.starts_on)


class CriterionSource(models.TextChoices):
    RECORD = "record", "Connu du dossier de la personne"
    DOCUMENT = "document", "Pièce justificative jointe"


class ParticipantCriterion(models.Model):
    """A criterion a participant met at the start of their contract, with its proof and date."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="criteria", verbose_name="participant"
    )
    criterion = models.ForeignKey(
        EligibilityCriterion, on_delete=models.PROTECT, related_name="+", verbose_name="critère"
    )
    assessed_on = models.DateField("date de la preuve")
    source = models.CharField("preuve", max_length=10, choices=CriterionSource.choices)
    note = models.CharField("précision", max_length=250, blank=True)
    documents = documents_relation()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "critère justifié"
        ordering = ["criterion__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "criterion"], name="clauses_criterion_once"
            ),
        ]

    def __str__(self):
        return str(self.criterion)


class Declaration(models.Model):
    """Hours of one participant on one lot in one month (first day of the month), with the
    modality and the counting coefficient that held when it was recorded."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="declarations",
        verbose_name="participant",
    )
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, related_name="declarations", verbose_name="lot"
    )
    month = models.DateField("mois")
    hours = models.DecimalField("heures", max_digits=6, decimal_places=1)
    modality = models.CharField("modalité", max_length=24, choices=Modality.choices)
    coefficient = models.DecimalField("coefficient", max_digits=4, decimal_places=2)
    status = models.CharField(
        "statut", max_length=10, choices=DeclarationStatus.choices, default="declared"
    )
    source = models.CharField("origine", max_length=12, choices=DeclarationSource.choices)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "déclaration d'heures"
        ordering = ["-month", "participant__last_name", "id"]
        indexes = [models.Index(fields=["lot", "month"], name="clauses_declaration_lot_month")]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="clauses_hours_not_negative"),
            models.CheckConstraint(condition=Q(hours__lte=744), name="clauses_hours_in_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="clauses_month_first_day"),
            models.CheckConstraint(
                condition=Q(coefficient__gte=0), name="clauses_declaration_coefficient"
            ),
            models.CheckConstraint(
                condition=Q(status="declared", validated_at__isnull=True)
                | Q(status="validated", validated_at__isnull=False),
                name="clauses_validated_has_date",
            ),
            models.UniqueConstraint(
                fields=["participant", "lot", "month"], name="clauses_declaration_once"
            ),
        ]

    def __str__(self):
        return f"{self.hours} h — {self.month:%m/%Y}"

    @property
    def counted_hours(self):
        return self.hours * self.coefficient
