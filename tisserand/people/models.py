"""A person the network accompanies, who follows them, what they agreed to share, and notes.

Other apps link to ``Person``; the accompaniment app maintains ``FollowUpMember`` through
``people.services.set_follow_up`` / ``end_follow_up``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tisserand.core.documents import documents_relation
from tisserand.core.validators import validate_person_name, validate_phone
from tisserand.people import consent_scopes
from tisserand.people.text import name_key


class Gender(models.TextChoices):
    FEMALE = "female", "Femme"
    MALE = "male", "Homme"
    UNSPECIFIED = "unspecified", "Non précisé"


class GeocodingPrecision(models.TextChoices):
    ADDRESS = "address", "à l'adresse"
    STREET = "street", "à la rue"
    COMMUNE = "commune", "à la commune"


class QpvResidence(models.TextChoices):
    IN_QPV = "in_qpv", "Réside en QPV"
    NOT_IN_QPV = "not_in_qpv", "Ne réside pas en QPV"
    UNKNOWN = "unknown", "Indéterminé"


class QpvBasis(models.TextChoices):
    """What a QPV status rests on: the geocoding's precision, or an official attestation."""

    ADDRESS = "address", "à l'adresse"
    STREET = "street", "à la rue"
    COMMUNE = "commune", "à la commune"
    ATTESTATION = "attestation", "par attestation"


class Situation(models.TextChoices):
    JOB_SEEKER = "job_seeker", "Demandeur d'emploi"
    EMPLOYED = "employed", "En emploi"
    IN_TRAINING = "in_training", "En formation"
    INACTIVE = "inactive", "Inactif"
    UNKNOWN = "unknown", "Non renseignée"


class DrivingLicence(models.TextChoices):
    NONE = "none", "Aucun permis"
    LEARNING = "learning", "Permis B en cours"
    B = "b", "Permis B"
    OTHER = "other", "Autre permis (moto, C, D…)"


class Availability(models.TextChoices):
    IMMEDIATE = "immediate", "Immédiate"
    WITHIN_MONTH = "within_month", "Sous un mois"
    LATER = "later", "Plus tard"
    UNKNOWN = "unknown", "Non renseignée"


class Person(models.Model):
    """Someone accompanied towards work. The record belongs to the structure that created it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="owned_persons",
        verbose_name="structure détentrice",
    )
    # Identity.
    first_name = models.CharField("prénom", max_length=150, validators=[validate_person_name])
    last_name = models.CharField("nom", max_length=150, validators=[validate_person_name])
    birth_name = models.CharField(
        "nom de naissance", max_length=150, blank=True, validators=[validate_person_name]
    )
    birth_date = models.DateField("date de naissance")
    gender = models.CharField(
        "genre", max_length=16, choices=Gender.choices, default=Gender.UNSPECIFIED
    )
    # Normalised "last first birth" names, for searching and duplicate detection.
    search_name = models.CharField(max_length=460, editable=False, db_index=True)
    # Contact.
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[validate_phone])
    email_reminders_opt_out = models.BooleanField("refuse les rappels par e-mail", default=False)
    # SMS reminders are sent only with the person's consent (opt-in), withdrawn by unticking.
    sms_reminders_consent = models.BooleanField(
        "accepte les rappels par SMS",
        default=False,
        help_text="Avec l'accord de la personne ; elle peut le retirer à tout moment.",
    )
    # Address, geocoded.
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
    geocoding_precision = models.CharField(
        "précision de la localisation",
        max_length=16,
        choices=GeocodingPrecision.choices,
        blank=True,
    )
    # QPV residence, as determined on a date from a geocoding of a given precision.
    qpv_status = models.CharField(
        "résidence en QPV", max_length=16, choices=QpvResidence.choices, default="unknown"
    )
    qpv_code = models.CharField("code du QPV", max_length=8, blank=True)
    qpv_name = models.CharField("nom du QPV", max_length=200, blank=True)
    qpv_determined_on = models.DateField("statut QPV déterminé le", null=True, blank=True)
    qpv_precision = models.CharField(
        "précision du statut QPV", max_length=16, choices=QpvBasis.choices, blank=True
    )
    # An attestation sets the status until its end of validity; a geocoded status has none.
    qpv_valid_until = models.DateField("statut QPV valable jusqu'au", null=True, blank=True)
    # Situation.
    situation = models.CharField(
        "situation", max_length=16, choices=Situation.choices, default=Situation.UNKNOWN
    )
    situation_since = models.DateField("dans cette situation depuis", null=True, blank=True)
    job_seeker_since = models.DateField(
        "date d'inscription à France Travail", null=True, blank=True
    )
    # 8 characters, 7 digits then a digit or a letter (``people.forms.check_france_travail_id``).
    france_travail_id = models.CharField("identifiant France Travail", max_length=8, blank=True)
    # Who referred the person (the prescripteur): a structure of the network or an outside
    # one, and the professional who did.
    referrer_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="prescripteur (structure du réseau)",
    )
    referrer_outside = models.CharField(
        "prescripteur (structure hors réseau)", max_length=200, blank=True
    )
    referrer_person = models.CharField("professionnel prescripteur", max_length=200, blank=True)
    qualification_level = models.CharField("niveau de qualification", max_length=32, blank=True)
    languages = models.JSONField("langues parlées", default=list, blank=True)
    driving_licence = models.CharField(
        "permis de conduire", max_length=16, choices=DrivingLicence.choices, default="none"
    )
    has_vehicle = models.BooleanField("dispose d'un véhicule", default=False)
    availability = models.CharField(
        "disponibilité", max_length=16, choices=Availability.choices, default="unknown"
    )
    availability_note = models.CharField(
        "précisions sur la disponibilité", max_length=250, blank=True
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    # Set when the retention rule anonymised the record (``people.retention``).
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)
    # Supporting documents of the person (eligibility proofs…), deleted with the record.
    documents = documents_relation()

    class Meta:
        verbose_name = "personne"
        verbose_name_plural = "personnes"
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_date_idx"),
            # Lists in name order stop early when most rows are visible (administrators).
            models.Index(fields=["last_name", "first_name", "id"], name="person_name_idx"),
            models.Index(fields=["owner_structure", "last_name"], name="person_owner_idx"),
        ]
        constraints = [
            # A QPV residence is asserted only from an address-level point or an attestation,
            # and dated; only an attestation's status has an end.
            models.CheckConstraint(
                condition=Q(qpv_status="unknown")
                | Q(
                    qpv_precision__in=["address", "attestation"],
                    qpv_determined_on__isnull=False,
                ),
                name="person_qpv_asserted_from_address",
            ),
            models.CheckConstraint(
                condition=Q(qpv_valid_until__isnull=True) | Q(qpv_precision="attestation"),
                name="person_qpv_validity_from_attestation",
            ),
            models.CheckConstraint(
                condition=~Q(qpv_status="in_qpv") | ~Q(qpv_code=""),
                name="person_qpv_named",
            ),
            # One prescripteur structure at most: of the network, or outside it.
            models.CheckConstraint(
                condition=Q(referrer_structure__isnull=True) | Q(referrer_outside=""),
                name="person_one_referrer_structure",
            ),
        ]

    # Fields whose changes the timeline records.
    TRACKED_FIELDS = (
        "first_name",
        "last_name",
        "birth_name",
        "birth_date",
        "gender",
        "email",
        "phone",
        "email_reminders_opt_out",
        "sms_reminders_consent",
        "address_line",
        "address_complement",
        "postal_code",
        "commune",
        "qpv_status",
        "qpv_valid_until",
        "situation",
        "situation_since",
        "job_seeker_since",
        "france_travail_id",
        "referrer_structure",
        "referrer_outside",
        "referrer_person",
        "qualification_level",
        "driving_licence",
        "has_vehicle",
        "availability",
        "availability_note",
    )

    def __str__(self):
        return f"{self.first_name} {self.last_name.upper()}"

    def save(self, *args, **kwargs):
        self.search_name = name_key(self.last_name, self.first_name, self.birth_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return str(self)

    def qpv_status_on(self, day):
        """The QPV status holding on ``day``: an expired attestation proves nothing more."""
        if self.qpv_valid_until is not None and day > self.qpv_valid_until:
            return QpvResidence.UNKNOWN
        return self.qpv_status

    def job_seeker_months(self, day):
        """Whole months registered as a job seeker on ``day`` (None if not known)."""
        start = self.job_seeker_since
        if start is None or day < start:
            return None
        months = (day.year - start.year) * 12 + day.month - start.month
        return months - (day.day < start.day)

    @property
    def job_seeker_seniority(self):
        """« inscrit depuis 14 mois », said on today's date; empty when not registered."""
        months = self.job_seeker_months(timezone.localdate())
        if months is None:
            return ""
        if months == 0:
            return "inscrit depuis moins d'un mois"
        return f"inscrit depuis {months} mois"

    @property
    def referrer(self):
        """The prescripteur as read: structure, then the professional."""
        structure = str(self.referrer_structure or "") or self.referrer_outside
        return " — ".join(part for part in (structure, self.referrer_person) if part)

    @property
    def qpv_status_today(self):
        return self.qpv_status_on(timezone.localdate())

    @property
    def qpv_label_today(self):
        """« oui », « non » or « indéterminé »: never « non » for what is not known."""
        return QPV_ANSWERS[self.qpv_status_today]


QPV_ANSWERS = {
    QpvResidence.IN_QPV: "oui",
    QpvResidence.NOT_IN_QPV: "non",
    QpvResidence.UNKNOWN: "indéterminé",
}


def in_qpv_on(day, prefix=""):
    """The persons whose QPV status holds ``IN_QPV`` on ``day``, as a filter (``prefix`` is the
    path to the person: ``"person__"``)."""
    return Q(**{f"{prefix}qpv_status": QpvResidence.IN_QPV}) & (
        Q(**{f"{prefix}qpv_valid_until__isnull": True})
        | Q(**{f"{prefix}qpv_valid_until__gte": day})
    )


def known_not_in_qpv(prefix=""):
    return Q(**{f"{prefix}qpv_status": QpvResidence.NOT_IN_QPV})


class QpvStatusChange(models.Model):
    """One dated step of a person's QPV status: what it became, on what basis, from when."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="qpv_history", verbose_name="personne"
    )
    status = models.CharField("statut QPV", max_length=16, choices=QpvResidence.choices)
    qpv_code = models.CharField("code du QPV", max_length=8, blank=True)
    qpv_name = models.CharField("nom du QPV", max_length=200, blank=True)
    basis = models.CharField("établi", max_length=16, choices=QpvBasis.choices, blank=True)
    determined_on = models.DateField("établi le", null=True, blank=True)
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True)
    changed_at = models.DateTimeField("enregistré le", default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )

    class Meta:
        verbose_name = "changement de statut QPV"
        verbose_name_plural = "historique du statut QPV"
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.get_status_display()} ({self.changed_at:%d/%m/%Y})"


class QpvAttestation(models.Model):
    """An official attestation of residence in a QPV: it sets the status for its validity."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="qpv_attestations", verbose_name="personne"
    )
    qpv_code = models.CharField("code du QPV", max_length=8)
    qpv_name = models.CharField("nom du QPV", max_length=200)
    issued_on = models.DateField("délivrée le")
    valid_until = models.DateField("valable jusqu'au")
    issuer = models.CharField("source", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    recorded_at = models.DateTimeField("saisie le", default=timezone.now)
    documents = documents_relation()

    class Meta:
        verbose_name = "attestation de résidence en QPV"
        verbose_name_plural = "attestations de résidence en QPV"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("issued_on")), name="qpv_attestation_valid_range"
            )
        ]

    def __str__(self):
        return f"Attestation QPV {self.qpv_name} ({self.qpv_code}) du {self.issued_on:%d/%m/%Y}"


class FollowUpRole(models.TextChoices):
    REFERENT = "referent", "référent"
    TEAM = "team", "équipe"
    PARTNER_READER = "partner_reader", "partenaire, lecture"


# Roles of a follow-up that give the full record, special-category data included.
CARING_ROLES = (FollowUpRole.REFERENT, FollowUpRole.TEAM)


class FollowUpMember(models.Model):
    """Someone who follows a person, for a structure, with a role; dated."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="personne"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="followed_persons",
        verbose_name="professionnel",
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name="structure",
    )
    role = models.CharField("rôle", max_length=16, choices=FollowUpRole.choices)
    is_active = models.BooleanField("actif", default=True)
    since = models.DateField("depuis", default=timezone.localdate)
    until = models.DateField("jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "membre du suivi"
        verbose_name_plural = "membres du suivi"
        ordering = ["role", "since", "id"]
        indexes = [
            models.Index(
                fields=["user", "structure", "is_active", "person"], name="followup_user_idx"
            ),
            models.Index(fields=["structure", "is_active", "person"], name="followup_struct_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user", "structure"],
                condition=Q(is_active=True),
                name="followup_one_active_seat",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, until__isnull=True)
                | Q(is_active=False, until__isnull=False),
                name="followup_end_dated",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="followup_until_after_since",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) pour {self.person}"


class PublicStatusKind(models.TextChoices):
    RSA = "rsa", "Bénéficiaire du RSA"
    ASS = "ass", "Allocataire de l'ASS"
    AAH = "aah", "Allocataire de l'AAH"
    DELD = "deld", "Demandeur d'emploi de longue durée (DELD, 12 à 24 mois)"
    DETLD = "detld", "Demandeur d'emploi de très longue durée (DETLD, 24 mois et plus)"
    RQTH = "rqth", "Travailleur handicapé (RQTH)"
    UNDER_26 = "under_26", "Jeune de moins de 26 ans"
    OVER_50 = "over_50", "Senior de plus de 50 ans"
    QPV = "qpv", "Résident d'un quartier prioritaire (QPV)"
    SINGLE_PARENT = "single_parent", "Parent isolé"
    REFUGEE = "refugee", "Réfugié ou bénéficiaire d'une protection internationale"
    HOMELESS = "homeless", "Sans hébergement ou hébergé"
    ASE = "ase", "Sortant de l'aide sociale à l'enfance (ASE)"
    HEALTH = "health", "Problème de santé reconnu"
    JUSTICE = "justice", "Placé sous main de justice ou sortant de détention"


# Special-category data (health, disability, justice): the référent and the team only.
SPECIAL_CATEGORY_KINDS = frozenset(
    {PublicStatusKind.RQTH, PublicStatusKind.AAH, PublicStatusKind.HEALTH, PublicStatusKind.JUSTICE}
)


class PublicStatus(models.Model):
    """A public status of a person (RSA, RQTH…), justified by a proof, valid between dates."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="public_statuses", verbose_name="personne"
    )
    kind = models.CharField("statut", max_length=16, choices=PublicStatusKind.choices)
    is_special_category = models.BooleanField(default=False, editable=False)
    proof = models.CharField(
        "justificatif",
        max_length=250,
        blank=True,
        help_text="Nature et date du document vu (ex. : attestation CAF du 3 mars 2025).",
    )
    valid_from = models.DateField("valable du")
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisi par",
    )
    recorded_at = models.DateTimeField("saisi le", default=timezone.now)
    documents = documents_relation()

    # Typed by a counsellor; see ``people.derived_statuses`` for those read from the record.
    is_derived = False

    class Meta:
        verbose_name = "statut public"
        verbose_name_plural = "statuts publics"
        ordering = ["kind", "-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="public_status_valid_range",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    def save(self, *args, **kwargs):
        self.is_special_category = self.kind in SPECIAL_CATEGORY_KINDS
        super().save(*args, **kwargs)

    def is_valid_on(self, day):
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class ConsentScope(models.TextChoices):
    IDENTITY = "identity", "Identité et coordonnées"
    SITUATION = "situation", "Situation, qualification et statuts (hors données sensibles)"
    ACCOMPANIMENT = "accompaniment", "Parcours : diagnostic, projet, plan d'action"
    APPOINTMENTS = "appointments", "Rendez-vous"
    EXITS = "exits", "Sorties et suivi à 6 mois"


class Consent(models.Model):
    """What the person agreed to share with a structure, when; withdrawn when."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name="personne"
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="consents_received",
        verbose_name="structure destinataire",
    )
    scopes = models.JSONField("informations partagées", default=list)
    given_at = models.DateTimeField("donné le", default=timezone.now)
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )
    # The signed consent form, when there is one.
    documents = documents_relation()

    class Meta:
        verbose_name = "consentement"
        ordering = ["-given_at", "-id"]
        indexes = [
            models.Index(fields=["structure", "withdrawn_at", "person"], name="consent_struct_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "structure"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_structure",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"Consentement de {self.person} envers {self.structure}"

    @property
    def is_active(self):
        return self.withdrawn_at is None

    def scope_labels(self):
        labels = consent_scopes.labels()
        return [labels.get(scope, scope) for scope in self.scopes]


class NoteVisibility(models.TextChoices):
    TEAM = "team", "Équipe de suivi"
    REFERENT = "referent", "Référent seulement"


class Note(models.Model):
    """A journal note on a person, seen by the team or by the référent only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="notes", verbose_name="personne"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="auteur",
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="structure de l'auteur",
    )
    visibility = models.CharField(
        "visible par", max_length=16, choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )
    happened_on = models.DateField("date", default=timezone.localdate)
    text = models.TextField("note")
    created_at = models.DateTimeField("écrite le", default=timezone.now)

    class Meta:
        verbose_name = "note"
        ordering = ["-happened_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-happened_on"], name="note_person_idx")]

    def __str__(self):
        return f"Note du {self.happened_on:%d/%m/%Y} sur {self.person}"
