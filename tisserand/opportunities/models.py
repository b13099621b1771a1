"""Job offers (own, imported from France Travail's format or a partner's file), the imports
that synchronise them, saved searches and their alerts, the establishments left out of the
« companies likely to hire », and the introductions (mises en relation) of persons.

Closed and expired offers stay in the table (their history and introductions remain): only the
search leaves them out (``JobOffer.objects.searchable()``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tisserand.referentials.vocabularies.choices import WorkingTime

MAX_POSITIONS = 999


class OfferSource(models.TextChoices):
    OWN = "own", "Offre de la Maison de l'Emploi"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    PARTNER_FILE = "partner_file", "Fichier d'un partenaire"


class OfferStatus(models.TextChoices):
    OPEN = "open", "Ouverte"
    CLOSED = "closed", "Clôturée"
    EXPIRED = "expired", "Expirée"


class Experience(models.TextChoices):
    BEGINNER = "D", "Débutant accepté"
    WISHED = "S", "Expérience souhaitée"
    REQUIRED = "E", "Expérience exigée"


# France Travail's contract types (typeContrat), with their usual labels.
CONTRACT_TYPES = {
    "CDI": "CDI",
    "CDD": "CDD",
    "MIS": "Mission intérimaire",
    "SAI": "Contrat saisonnier",
    "CCE": "Profession commerciale",
    "FRA": "Franchise",
    "LIB": "Profession libérale",
    "REP": "Reprise d'entreprise",
    "TTI": "Contrat travail temporaire insertion",
    "DDI": "Contrat durée déterminée insertion",
    "DIN": "CDI Intérimaire",
    "PS": "Portage salarial",
}
CONTRACT_CHOICES = list(CONTRACT_TYPES.items())


class OfferQuerySet(models.QuerySet):
    def searchable(self):
        """Open offers that have not passed their end date."""
        today = timezone.localdate()
        return self.filter(status=OfferStatus.OPEN).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


class JobOffer(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField("origine", max_length=16, choices=OfferSource.choices)
    # The id in the source (France Travail's ``id``, the partner's reference); empty for own.
    external_id = models.CharField("identifiant d'origine", max_length=64, blank=True)
    partner_name = models.CharField("partenaire d'origine", max_length=200, blank=True)
    origin_url = models.URLField("lien vers l'offre d'origine", max_length=500, blank=True)
    title = models.CharField("intitulé", max_length=250)
    description = models.TextField("description", blank=True)
    # Occupation: the appellation and fiche found, and what the source said.
    appellation = models.ForeignKey(
        "rome.Appellation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="appellation",
    )
    fiche = models.ForeignKey(
        "rome.Fiche",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="fiche ROME",
    )
    source_rome_code = models.CharField("code ROME transmis", max_length=5, blank=True)
    source_appellation_label = models.CharField("appellation transmise", max_length=250, blank=True)
    occupation_match = models.CharField(
        "rapprochement du métier",
        max_length=8,
        blank=True,
        choices=[
            ("code", "par le code"),
            ("label", "par le libellé"),
            ("fuzzy", "par un libellé proche"),
            ("rome", "par le code ROME seul"),
        ],
    )
    # Company: the record of the network when the SIRET or name + commune designates one.
    establishment = models.ForeignKey(
        "companies.Establishment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="job_offers",
        verbose_name="établissement",
    )
    company_name = models.CharField("entreprise", max_length=250, blank=True)
    company_siret = models.CharField("SIRET transmis", max_length=14, blank=True)
    company_url = models.URLField("site de l'entreprise", max_length=500, blank=True)
    company_is_adapted = models.BooleanField("entreprise adaptée", default=False)
    # Place.
    place_label = models.CharField("lieu de travail", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    # Contract.
    contract_type = models.CharField(
        "type de contrat", max_length=3, choices=CONTRACT_CHOICES, blank=True
    )
    contract_label = models.CharField("contrat (libellé)", max_length=150, blank=True)
    nature = models.CharField("nature du contrat", max_length=150, blank=True)
    alternance = models.BooleanField("alternance", default=False)
    positions = models.PositiveSmallIntegerField("nombre de postes", default=1)
    experience = models.CharField(
        "expérience", max_length=1, choices=Experience.choices, blank=True
    )
    experience_label = models.CharField("expérience (libellé)", max_length=150, blank=True)
    trainings = models.JSONField("formations", default=list, blank=True)
    languages = models.JSONField("langues", default=list, blank=True)
    licences = models.JSONField("permis", default=list, blank=True)
    # [{"code": code OGR, "label": …, "required": bool}]
    skills = models.JSONField("compétences", default=list, blank=True)
    qualities = models.JSONField("qualités professionnelles", default=list, blank=True)
    qualification_code = models.CharField("qualification", max_length=2, blank=True)
    salary = models.CharField("salaire", max_length=250, blank=True)
    salary_comment = models.CharField("précisions sur le salaire", max_length=250, blank=True)
    working_time = models.CharField(
        "temps de travail", max_length=16, choices=WorkingTime.choices, default=WorkingTime.ANY
    )
    working_time_label = models.CharField("durée du travail", max_length=200, blank=True)
    apply_url = models.URLField("lien pour postuler", max_length=500, blank=True)
    contact_email = models.EmailField("adresse e-mail de contact", blank=True)
    accessible_th = models.BooleanField(
        "accessible aux travailleurs handicapés", null=True, blank=True
    )
    sector_code = models.CharField("secteur d'activité (code)", max_length=5, blank=True)
    sector_label = models.CharField("secteur d'activité", max_length=250, blank=True)
    # Dates.
    published_at = models.DateTimeField("publiée le", default=timezone.now)
    source_updated_at = models.DateTimeField("actualisée le", null=True, blank=True)
    expires_on = models.DateField("fin de publication", null=True, blank=True)
    status = models.CharField(
        "état", max_length=8, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    closing_reason = models.CharField("motif de clôture", max_length=200, blank=True)
    # Own offers: the need they answer, who entered them, for which structure.
    from_need = models.ForeignKey(
        "companies.Need",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="job_offers",
        verbose_name="besoin de recrutement",
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Free-text search, and the fingerprint of the imported content (diff-sync).
    search_text = models.TextField(editable=False, default="")
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferQuerySet.as_manager()

    TRACKED_FIELDS = (
        "title",
        "description",
        "contract_type",
        "positions",
        "experience",
        "working_time",
        "salary",
        "expires_on",
        "apply_url",
        "accessible_th",
        "alternance",
    )

    class Meta:
        verbose_name = "offre d'emploi"
        verbose_name_plural = "offres d'emploi"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="opp_offer_status_pub"),
            models.Index(fields=["status", "fiche", "latitude"], name="opp_offer_status_fiche_lat"),
            models.Index(fields=["status", "latitude", "longitude"], name="opp_offer_status_point"),
            # Covers the search's count (open, not past its end) without reading the rows.
            models.Index(fields=["status", "expires_on"], name="opp_offer_status_expires"),
        ]
        constraints = [
            # One offer per id in a source (each partner's file is a source of its own).
            models.UniqueConstraint(
                fields=["source", "partner_name", "external_id"],
                condition=~Q(external_id=""),
                name="opp_offer_external_id_unique_per_source",
            ),
            models.CheckConstraint(
                condition=Q(source="own") | ~Q(external_id=""),
                name="opp_offer_imported_has_external_id",
            ),
            models.CheckConstraint(
                condition=Q(positions__gte=1, positions__lte=MAX_POSITIONS),
                name="opp_offer_positions_range",
            ),
            models.CheckConstraint(
                condition=Q(experience__in=["", "D", "S", "E"]), name="opp_offer_experience"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="opp_offer_status"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="opp_offer_closed_at_iff_not_open",
            ),
            models.CheckConstraint(
                # Both or neither (a comparison with NULL would let one alone through).
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="opp_offer_point_in_range",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == OfferStatus.OPEN

    @property
    def company_display(self):
        if self.establishment_id:
            return self.establishment.display_name
        return self.company_name or "Entreprise non communiquée"

    @property
    def contract_display(self):
        return self.contract_label or self.get_contract_type_display() or "—"

    @property
    def required_skill_codes(self):
        return {s["code"] for s in self.skills if s.get("required") and s.get("code")}

    @property
    def skill_codes(self):
        return {s["code"] for s in self.skills if s.get("code")}


class OfferImport(models.Model):
    """One synchronisation of offers from a source: what it created, updated and closed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField("origine", max_length=16, choices=OfferSource.choices)
    partner_name = models.CharField("partenaire", max_length=200, blank=True)
    file_name = models.CharField("fichier", max_length=300, blank=True)
    started_at = models.DateTimeField("début", default=timezone.now)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    created = models.PositiveIntegerField("créées", default=0)
    updated = models.PositiveIntegerField("mises à jour", default=0)
    unchanged = models.PositiveIntegerField("inchangées", default=0)
    closed = models.PositiveIntegerField("clôturées", default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "import d'offres"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.get_source_display()} — {self.started_at:%d/%m/%Y %H:%M}"


class SavedSearch(models.Model):
    """A search a professional keeps, with an optional daily e-mail digest of new offers."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_offer_searches"
    )
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField("nom de la recherche", max_length=150)
    params = models.JSONField("critères", default=dict)
    alerts = models.BooleanField("recevoir les nouvelles offres par e-mail", default=True)
    # Digest of the opt-out token (the link in each e-mail): never the token itself.
    unsubscribe_digest = models.CharField(max_length=64, unique=True)
    last_alert_at = models.DateTimeField("dernière alerte", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "recherche enregistrée"
        verbose_name_plural = "recherches enregistrées"
        ordering = ["label", "id"]

    def __str__(self):
        return self.label

    @property
    def query(self):
        """The search page's query string, to open the search again."""
        return self.params.get("query", "")


class AlertDelivery(models.Model):
    """An offer sent in a saved search's alert: never sent twice (the unique pair)."""

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="deliveries")
    offer = models.ForeignKey(JobOffer, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["search", "offer"], name="opp_alert_once_per_offer")
        ]

    def __str__(self):
        return f"{self.search} → {self.offer_id}"


class HiringOptOut(models.Model):
    """An establishment that asked to be left out of the « companies likely to hire »."""

    establishment = models.OneToOneField(
        "companies.Establishment", on_delete=models.CASCADE, related_name="hiring_opt_out"
    )
    reason = models.CharField("motif", max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "retrait des entreprises qui recrutent"

    def __str__(self):
        return f"Retrait : {self.establishment}"


class IntroductionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposée"
    SENT = "sent", "Transmise à l'entreprise"
    SEEN = "seen", "Vue par l'entreprise"
    INTERVIEW = "interview", "Entretien prévu"
    HIRED = "hired", "Embauche"
    NOT_RETAINED = "not_retained", "Non retenue"
    WITHDRAWN = "withdrawn", "Retirée"
    EXPIRED = "expired", "Expirée sans réponse"


ACTIVE_STATUSES = (
    IntroductionStatus.PROPOSED,
    IntroductionStatus.SENT,
    IntroductionStatus.SEEN,
    IntroductionStatus.INTERVIEW,
)
FINAL_STATUSES = (
    IntroductionStatus.HIRED,
    IntroductionStatus.NOT_RETAINED,
    IntroductionStatus.WITHDRAWN,
    IntroductionStatus.EXPIRED,
)


class NotRetainedReason(models.TextChoices):
    PROFILE = "profile", "Profil ne correspondant pas au poste"
    EXPERIENCE = "experience", "Expérience insuffisante"
    FILLED = "filled", "Poste déjà pourvu"
    CANCELLED = "cancelled", "Recrutement annulé"
    NO_SHOW = "no_show", "Absence à l'entretien"
    DISTANCE = "distance", "Trajet trop long ou horaires incompatibles"
    OTHER = "other", "Autre motif"


class WithdrawnReason(models.TextChoices):
    PERSON = "person", "La personne ne souhaite plus donner suite"
    OTHER_JOB = "other_job", "La personne a trouvé un autre emploi"
    ERROR = "error", "Proposition faite par erreur"
    OTHER = "other", "Autre motif"


REASON_LABELS = {**dict(NotRetainedReason.choices), **dict(WithdrawnReason.choices)}


class Introduction(models.Model):
    """A person put forward for an offer (or a company's recruitment need), with consent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="introductions"
    )
    offer = models.ForeignKey(
        JobOffer, on_delete=models.PROTECT, null=True, blank=True, related_name="introductions"
    )
    need = models.ForeignKey(
        "companies.Need",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="introductions",
    )
    establishment = models.ForeignKey(
        "companies.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="introductions",
    )
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField("message à l'entreprise", blank=True)
    consent_given_at = models.DateTimeField("accord de la personne donné le")
    consent_text = models.CharField("accord recueilli", max_length=300)
    status = models.CharField(
        "état", max_length=16, choices=IntroductionStatus.choices, default="proposed"
    )
    reason = models.CharField("motif", max_length=16, blank=True)
    interview_on = models.DateField("date de l'entretien", null=True, blank=True)
    answer_digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField("transmise le", null=True, blank=True)
    reminded_at = models.DateTimeField("relance le", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offer__isnull=False) | Q(need__isnull=False),
                name="opp_intro_offer_or_need",
            ),
            models.CheckConstraint(
                condition=Q(status__in=IntroductionStatus.values), name="opp_intro_status"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["not_retained", "withdrawn"]) | ~Q(reason=""),
                name="opp_intro_reason_when_refused",
            ),
            models.UniqueConstraint(
                fields=["person", "offer"],
                condition=Q(status__in=["proposed", "sent", "seen", "interview"]),
                name="opp_intro_one_active_per_offer",
            ),
            models.UniqueConstraint(
                fields=["person", "need"],
                condition=Q(status__in=["proposed", "sent", "seen", "interview"]),
                name="opp_intro_one_active_per_need",
            ),
        ]

    def __str__(self):
        target = self.offer.title if self.offer_id else str(self.need)
        return f"Mise en relation : {target}"

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def reason_label(self):
        return REASON_LABELS.get(self.reason, "")

    @property
    def target_label(self):
        if self.offer_id:
            return self.offer.title
        return self.need.subject.label if self.need_id else ""


class IntroductionStep(models.Model):
    """One transition of an introduction: the log the counsellor and the company read."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=IntroductionStatus.choices)
    reason = models.CharField(max_length=16, blank=True)
    note = models.CharField(max_length=500, blank=True)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_company = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"
