"""The directory of the partners' services (data·inclusion schema) and the referrals of a person
to one of them.

- ``Thematic``: the data·inclusion thematics (19 families, 130 thematics), loaded from
  ``data/referrals/thematiques.json`` by a reference-data loader (never a migration).
- ``DirectoryStructure``: a structure offering services, of the network (``network_structure``)
  or outside it, identified by ``(source, source_id)`` as in data·inclusion.
- ``Service``: one service, its thematics (at least one: ``services.check_service``), its
  eligibility zone (``ServiceZone`` rows: communes, EPCI, départements or all France, each code
  checked against the geo referential) and ``updated_on``: flagged to its structure after 180
  days, hidden from the search after 240 (``Service.objects.visible``).
- ``Referral``: a person sent to a service, a state machine (sent → accepted / refused with a
  reason / expired) whose invariants are check constraints; each step is a ``ReferralStep``.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tisserand.core.validators import validate_phone, validate_siret

STALE_AFTER_DAYS = 180
HIDDEN_AFTER_DAYS = 240
LINK_VALID_DAYS = 8
REMINDER_AFTER_DAYS = 7
EXPIRES_AFTER_DAYS = 15
SOURCE_TISSERAND = "tisserand"


class Thematic(models.Model):
    """A data·inclusion thematic; a family (``parent`` empty) covers its thematics."""

    code = models.CharField("code", max_length=120, unique=True)
    label = models.CharField("libellé", max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "thématique"
        ordering = ["order", "code"]

    def __str__(self):
        return self.label

    @property
    def family_code(self):
        return self.code.split("--")[0]


class Fees(models.TextChoices):
    FREE = "gratuit", "Gratuit"
    FREE_UNDER_CONDITIONS = "gratuit-sous-conditions", "Gratuit sous conditions"
    PAYING = "payant", "Payant"
    MEMBERSHIP = "adhesion", "Adhésion"
    DIGITAL_PASS = "pass-numerique", "Accepte le pass numérique"


class Public(models.TextChoices):
    WORKERS = "actifs", "Actifs"
    MINIMUM_INCOME = "beneficiaires-des-minimas-sociaux", "Bénéficiaires des minima sociaux"
    JOB_SEEKERS = "demandeurs-emploi", "Demandeurs d'emploi"
    STUDENTS = "etudiants", "Étudiants"
    FAMILIES = "familles", "Familles"
    WOMEN = "femmes", "Femmes"
    YOUNG = "jeunes", "Jeunes"
    DISABILITY = "personnes-en-situation-de-handicap", "Personnes en situation de handicap"
    EMERGENCY = "personnes-en-situation-durgence", "Personnes en situation d'urgence"
    JUSTICE = "personnes-en-situation-juridique-specifique", "Situation juridique spécifique"
    EXILED = "personnes-exilees", "Personnes exilées"
    QPV = "residents-qpv-frr", "Résidents en QPV ou FRR"
    SENIORS = "seniors", "Seniors"


class MobilisationMode(models.TextChoices):
    EMAIL = "envoyer-un-courriel", "Envoyer un e-mail"
    VISIT = "se-presenter", "Se présenter"
    PHONE = "telephoner", "Téléphoner"
    LINK = "utiliser-lien-mobilisation", "Utiliser le lien de mobilisation"


class ZoneKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "Département"
    FRANCE = "france", "France entière"


class DirectoryStructure(models.Model):
    """A structure of the directory: of the network (``network_structure``) or outside it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField("source", max_length=50, default=SOURCE_TISSERAND)
    source_id = models.CharField("identifiant à la source", max_length=100)
    name = models.CharField("nom", max_length=150)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    description = models.TextField("description", blank=True)
    address_line = models.CharField("adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[validate_phone])
    website = models.URLField("site web", blank=True)
    opening_hours = models.CharField("horaires d'accueil", max_length=300, blank=True)
    network_structure = models.OneToOneField(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_entry",
        verbose_name="structure du réseau",
    )
    updated_on = models.DateField("mise à jour le", default=timezone.localdate)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "structure de l'annuaire"
        verbose_name_plural = "structures de l'annuaire"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="directory_structure_source_unique"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def in_network(self):
        return self.network_structure_id is not None


class ServiceQuerySet(models.QuerySet):
    def visible(self, today=None):
        """Services updated within the last 240 days: the others are hidden from searches."""
        today = today or timezone.localdate()
        return self.filter(updated_on__gt=today - timedelta(days=HIDDEN_AFTER_DAYS))

    def stale(self, today=None):
        """Services not updated for 180 days (flagged to their structure)."""
        today = today or timezone.localdate()
        return self.filter(updated_on__lte=today - timedelta(days=STALE_AFTER_DAYS))


class Service(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        DirectoryStructure,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name="structure",
    )
    source = models.CharField("source", max_length=50, default=SOURCE_TISSERAND)
    source_id = models.CharField("identifiant à la source", max_length=100)
    name = models.CharField("nom", max_length=150)
    description = models.TextField("description")
    thematics = models.ManyToManyField(
        Thematic, through="ServiceThematic", related_name="services", verbose_name="thématiques"
    )
    fees = models.CharField("frais", max_length=32, choices=Fees.choices, blank=True)
    fees_details = models.CharField("précisions sur les frais", max_length=300, blank=True)
    publics = models.JSONField("publics", default=list, blank=True)
    # « |jeunes|femmes| »: the publics as one indexed text, for a filter both engines run.
    publics_key = models.CharField(max_length=600, blank=True, editable=False)
    publics_details = models.CharField("précisions sur les publics", max_length=500, blank=True)
    access_conditions = models.TextField("conditions d'accès", blank=True)
    address_line = models.CharField("adresse", max_length=250, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=250, blank=True)
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
    on_site = models.BooleanField("accueil en présentiel", default=True)
    remote = models.BooleanField("accueil à distance", default=False)
    mobilisation_modes = models.JSONField("modes de mobilisation", default=list, blank=True)
    by_professionals = models.BooleanField("mobilisable par les professionnels", default=True)
    by_residents = models.BooleanField("mobilisable par les usagers", default=False)
    mobilisation_link = models.URLField("lien de mobilisation", blank=True)
    mobilisation_details = models.TextField("précisions sur la mobilisation", blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[validate_phone])
    weekly_hours = models.DecimalField(
        "volume horaire hebdomadaire", max_digits=5, decimal_places=1, null=True, blank=True
    )
    weeks = models.PositiveSmallIntegerField("nombre de semaines", null=True, blank=True)
    opening_hours = models.CharField("horaires d'accueil", max_length=300, blank=True)
    updated_on = models.DateField("mis à jour le", default=timezone.localdate)
    stale_notified_on = models.DateField("signalé à mettre à jour le", null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = "service"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="service_source_unique"),
            models.CheckConstraint(
                condition=Q(on_site=True) | Q(remote=True), name="service_has_reception_mode"
            ),
            models.CheckConstraint(
                condition=Q(by_professionals=True) | Q(by_residents=True),
                name="service_mobilisable_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True) | Q(weekly_hours__gte=0),
                name="service_weekly_hours_positive",
            ),
            models.CheckConstraint(
                condition=Q(weeks__isnull=True) | Q(weeks__gte=1), name="service_weeks_positive"
            ),
        ]
        indexes = [models.Index(fields=["updated_on"], name="service_updated_idx")]

    def __str__(self):
        return self.name

    def is_stale(self, today=None):
        today = today or timezone.localdate()
        return self.updated_on <= today - timedelta(days=STALE_AFTER_DAYS)

    def is_hidden(self, today=None):
        today = today or timezone.localdate()
        return self.updated_on <= today - timedelta(days=HIDDEN_AFTER_DAYS)

    @property
    def public_labels(self):
        labels = dict(Public.choices)
        return [labels.get(code, code) for code in self.publics]

    @property
    def mobilisation_labels(self):
        labels = dict(MobilisationMode.choices)
        return [labels.get(code, code) for code in self.mobilisation_modes]

    @property
    def reception_label(self):
        pairs = ((self.on_site, "sur place"), (self.remote, "à distance"))
        return " et ".join(label for on, label in pairs if on)


class ServiceThematic(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    thematic = models.ForeignKey(Thematic, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "thematic"], name="service_thematic_unique")
        ]
        indexes = [models.Index(fields=["thematic", "service"], name="thematic_service_idx")]

    def __str__(self):
        return f"{self.service_id} — {self.thematic_id}"


class ServiceZone(models.Model):
    """One code of a service's eligibility zone, checked against the geo referential."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="zones")
    kind = models.CharField("type", max_length=16, choices=ZoneKind.choices)
    code = models.CharField("code", max_length=9)
    label = models.CharField("libellé", max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "kind", "code"], name="service_zone_unique")
        ]
        indexes = [models.Index(fields=["kind", "code", "service"], name="zone_lookup_idx")]

    def __str__(self):
        return self.label or self.code


class ReferralState(models.TextChoices):
    SENT = "sent", "Envoyée"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
    EXPIRED = "expired", "Expirée"


ANSWERED_STATES = (ReferralState.ACCEPTED, ReferralState.REFUSED)
UNMET_STATES = (ReferralState.REFUSED, ReferralState.EXPIRED)


class RefusalReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", "La personne ne remplit pas les conditions d'accès"
    OUTSIDE_ZONE = "outside_zone", "La personne réside hors de la zone du service"
    FULL = "full", "Plus de place disponible"
    NOT_REACHABLE = "not_reachable", "La personne n'a pas pu être jointe"
    PERSON_DECLINED = "person_declined", "La personne a renoncé"
    WRONG_SERVICE = "wrong_service", "Le service ne répond pas au besoin décrit"
    OTHER = "other", "Autre motif (précisé dans le message)"


TONES = {
    ReferralState.SENT: "info",
    ReferralState.ACCEPTED: "success",
    ReferralState.REFUSED: "danger",
    ReferralState.EXPIRED: "warning",
}


class Referral(models.Model):
    """A person referred to a service. The data shared is a snapshot of what the person
    consented to (``shared_scopes``, ``consent_recorded_at``): the receiving side reads it,
    never the person's record."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    sender_structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    # The network structure that answers in Tisserand; empty: a partner outside the network,
    # who answers through a personal link.
    receiving_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    recipient_email = models.EmailField("envoyée à", blank=True)
    message = models.TextField("message")
    shared_scopes = models.JSONField("informations partagées", default=list)
    shared_data = models.JSONField("données partagées", default=dict)
    consent_recorded_at = models.DateTimeField("consentement recueilli le")
    state = models.CharField(
        "état", max_length=16, choices=ReferralState.choices, default=ReferralState.SENT
    )
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_by_name = models.CharField("réponse de", max_length=200, blank=True)
    refusal_reason = models.CharField(
        "motif du refus", max_length=32, choices=RefusalReason.choices, blank=True
    )
    answer_message = models.TextField("message de réponse", blank=True)
    reminder_sent_at = models.DateTimeField("relance envoyée le", null=True, blank=True)
    expired_at = models.DateTimeField("expirée le", null=True, blank=True)
    # The personal link of a partner outside the network: only its digest is stored.
    link_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    link_expires_at = models.DateTimeField("lien valable jusqu'au", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "orientation"
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["receiving_structure", "state"], name="referral_received_idx"),
            models.Index(fields=["sender_structure", "state"], name="referral_sent_idx"),
            models.Index(fields=["state", "sent_at"], name="referral_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ReferralState.values), name="referral_state_known"
            ),
            # Answered ⇔ an answer date; only an answered referral has one.
            models.CheckConstraint(
                condition=Q(state__in=ANSWERED_STATES, answered_at__isnull=False)
                | (~Q(state__in=ANSWERED_STATES) & Q(answered_at__isnull=True)),
                name="referral_answered_has_date",
            ),
            # Refused ⇔ a reason from the vocabulary.
            models.CheckConstraint(
                condition=Q(state=ReferralState.REFUSED, refusal_reason__in=RefusalReason.values)
                | (~Q(state=ReferralState.REFUSED) & Q(refusal_reason="")),
                name="referral_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state=ReferralState.EXPIRED, expired_at__isnull=False)
                | (~Q(state=ReferralState.EXPIRED) & Q(expired_at__isnull=True)),
                name="referral_expired_has_date",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=models.F("sent_at")),
                name="referral_answer_after_sending",
            ),
            # One referral of a person to a service waits for an answer at a time.
            models.UniqueConstraint(
                fields=["person", "service"],
                condition=Q(state="sent"),
                name="referral_one_open_per_service",
            ),
            # Something shared, and only with consent: the snapshot names its scopes.
            models.CheckConstraint(
                condition=~Q(shared_scopes=[]), name="referral_shares_something"
            ),
        ]

    def __str__(self):
        return f"Orientation vers « {self.service} »"

    @property
    def is_open(self):
        return self.state == ReferralState.SENT

    @property
    def tone(self):
        return TONES[self.state]

    @property
    def response_time(self):
        return self.answered_at - self.sent_at if self.answered_at else None

    @property
    def expires_at(self):
        return self.sent_at + timedelta(days=EXPIRES_AFTER_DAYS)


class StepKind(models.TextChoices):
    SENT = "sent", "Orientation envoyée"
    REMINDER = "reminder", "Relance envoyée"
    INFO_REQUESTED = "info_requested", "Demande de précisions"
    INFO_GIVEN = "info_given", "Précisions apportées"
    ACCEPTED = "accepted", "Orientation acceptée"
    REFUSED = "refused", "Orientation refusée"
    EXPIRED = "expired", "Orientation expirée sans réponse"


class ReferralStep(models.Model):
    """One step of a referral, shown to both sides (the transition log)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("étape", max_length=16, choices=StepKind.choices)
    at = models.DateTimeField("le", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_name = models.CharField("par", max_length=200, blank=True)
    message = models.TextField("message", blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.get_kind_display()


class Notice(models.Model):
    """An in-app notice to one member: an answer to their referral, a service to update."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_notices"
    )
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="+"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    text = models.CharField("avis", max_length=300)
    created_at = models.DateTimeField("le", default=timezone.now)
    read_at = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread_idx")]

    def __str__(self):
        return self.text


class DirectoryImport(models.Model):
    """A data·inclusion file read and previewed, applied once confirmed."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField("fichier", max_length=255)
    content = models.TextField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name
