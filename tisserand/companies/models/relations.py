"""The relationship with a company: the journal of interactions, and the needs of its leader.

- ``Interaction``: a visit, a call, an e-mail, a meeting at an event… with its date, author,
  summary and the contact met, and a next action whose date reminds the officer;
- ``NeedSubject``: the catalogue of subjects the house's administrator edits;
- ``Need``: what a company needs, routed to one or several structures (``NeedAssignment``);
  **the need's status is computed from its assignments** (``tisserand.companies.needs``:
  ``need_status`` in Python, ``with_status`` as an SQL annotation, the same order);
- ``RoutingRule``: what a structure covers (subjects, territory, headcount, NAF, age), from
  which the routing suggestion is computed;
- ``SatisfactionRequest``: the question put to the leader after closure, by a personal link
  (only the token's digest is stored; single use; it expires).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

__all__ = [
    "AssignmentStatus",
    "Interaction",
    "InteractionKind",
    "Need",
    "NeedAssignment",
    "NeedKind",
    "NeedStatus",
    "NeedSubject",
    "RoutingRule",
    "SatisfactionRequest",
]


class InteractionKind(models.TextChoices):
    VISIT = "visit", "Visite"
    CALL = "call", "Appel téléphonique"
    EMAIL = "email", "E-mail"
    EVENT = "event", "Rencontre lors d'un événement"
    OTHER = "other", "Autre échange"


class Interaction(models.Model):
    """One exchange with a company, in its relationship journal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    establishment = models.ForeignKey(
        "companies.Establishment", on_delete=models.CASCADE, related_name="interactions"
    )
    kind = models.CharField("type d'échange", max_length=16, choices=InteractionKind.choices)
    occurred_on = models.DateField("date de l'échange")
    summary = models.TextField("compte rendu")
    contact = models.ForeignKey(
        "companies.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name="contact rencontré",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="auteur",
    )
    author_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure de l'auteur",
    )
    next_action = models.CharField("prochaine action", max_length=200, blank=True)
    next_action_on = models.DateField("date de la prochaine action", null=True, blank=True)
    # The reminder's claim: set once, by the task that sends it (never twice).
    next_action_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_action_done_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "échange"
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(
                fields=["establishment", "-occurred_on"], name="companies_interaction_est"
            ),
            models.Index(fields=["next_action_on"], name="companies_interaction_next"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_action_on__isnull=True) | Q(next_action_on__gte=F("occurred_on")),
                name="companies_interaction_next_after_exchange",
                violation_error_message="La prochaine action ne peut pas précéder l'échange.",
            ),
            models.CheckConstraint(
                condition=Q(next_action_reminded_at__isnull=True) | Q(next_action_on__isnull=False),
                name="companies_interaction_reminder_needs_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.occurred_on:%d/%m/%Y}"


class NeedKind(models.TextChoices):
    RECRUITMENT = "recruitment", "Recrutement"
    HR = "hr", "RH et management"
    SKILLS = "skills", "Compétences et formation"
    REGULATION = "regulation", "Réglementation"
    FINANCING = "financing", "Financement"
    PREMISES = "premises", "Locaux"
    OTHER = "other", "Autre"


class NeedSubject(models.Model):
    """One subject of the catalogue (e.g. « Recruter un premier salarié »), under a kind."""

    kind = models.CharField("thème", max_length=16, choices=NeedKind.choices)
    label = models.CharField("sujet", max_length=200, unique=True)
    # The shipped catalogue's stable code (its loader finds a renamed subject by it); empty for
    # the subjects the administrator adds.
    code = models.SlugField("code", max_length=60, unique=True, null=True, blank=True)
    is_active = models.BooleanField("proposé", default=True)
    order = models.PositiveIntegerField("ordre", default=100)

    class Meta:
        verbose_name = "sujet de besoin"
        verbose_name_plural = "sujets de besoin"
        ordering = ["kind", "order", "label"]

    def __str__(self):
        return self.label


class NeedStatus(models.TextChoices):
    """The need's status, computed from its assignments (never stored)."""

    TO_ROUTE = "to_route", "À orienter"
    DONE = "done", "Clôturé avec aide"
    TAKEN = "taken", "Pris en charge"
    WAITING = "waiting", "En attente de prise en charge"
    DONE_NO_HELP = "done_no_help", "Clôturé sans aide"
    NOT_REACHABLE = "not_reachable", "Injoignable"
    ABANDONED = "abandoned", "Abandonné (sans réponse)"
    NOT_FOR_ME = "not_for_me", "Refusé par les structures"


class AssignmentStatus(models.TextChoices):
    WAITING = "waiting", "En attente"
    TAKEN = "taken", "Pris en charge"
    DONE = "done", "Clôturé avec aide"
    DONE_NO_HELP = "done_no_help", "Clôturé sans aide"
    NOT_REACHABLE = "not_reachable", "Injoignable"
    NOT_FOR_ME = "not_for_me", "Pas pour nous"
    # Set only by the background task: waiting for 45 days without an answer.
    ABANDONED = "abandoned", "Abandonné (sans réponse)"


class Need(models.Model):
    """What a company needs, described by its leader or by an officer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    establishment = models.ForeignKey(
        "companies.Establishment", on_delete=models.CASCADE, related_name="needs"
    )
    subject = models.ForeignKey(
        NeedSubject, on_delete=models.PROTECT, related_name="needs", verbose_name="sujet"
    )
    description = models.TextField("description", blank=True)
    contact = models.ForeignKey(
        "companies.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name="contact",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_structure = models.ForeignKey(
        "structures.Structure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Described by the company's leader in the portal (not by an officer).
    from_leader = models.BooleanField("décrit par le dirigeant", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "besoin"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="companies_need_newest")]

    def __str__(self):
        return f"{self.subject} — {self.establishment}"

    @property
    def is_recruitment(self):
        return self.subject.kind == NeedKind.RECRUITMENT


CLOSED_ASSIGNMENT_STATUSES = (
    AssignmentStatus.DONE,
    AssignmentStatus.DONE_NO_HELP,
    AssignmentStatus.NOT_REACHABLE,
    AssignmentStatus.NOT_FOR_ME,
    AssignmentStatus.ABANDONED,
)


class NeedAssignment(models.Model):
    """A need routed to one structure (and, optionally, one of its members)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="assignments")
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="structure",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="personne chargée",
    )
    status = models.CharField(
        "statut", max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.WAITING
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField("orienté le")
    taken_at = models.DateTimeField("pris en charge le", null=True, blank=True)
    closed_at = models.DateTimeField("clôturé le", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)
    # Claims of the background task (each set once): reminders after 9 and 21 days.
    first_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    second_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "orientation d'un besoin"
        verbose_name_plural = "orientations des besoins"
        ordering = ["assigned_at", "id"]
        indexes = [
            # Covering the uncorrelated subqueries of the lists: the needs of a structure, the
            # needs with an assignment at a status (``needs.filter_status``).
            models.Index(fields=["structure", "need"], name="companies_assign_struct"),
            models.Index(fields=["status", "need"], name="companies_assign_status_need"),
            models.Index(fields=["status", "assigned_at"], name="companies_assign_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["need", "structure"], name="companies_assign_once"),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="companies_assign_status"
            ),
            # Taken in charge: since a date; closed: on a date, after the routing.
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.TAKEN) | Q(taken_at__isnull=False),
                name="companies_assign_taken_dated",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CLOSED_ASSIGNMENT_STATUSES, closed_at__isnull=False)
                | Q(
                    status__in=[AssignmentStatus.WAITING, AssignmentStatus.TAKEN],
                    closed_at__isnull=True,
                ),
                name="companies_assign_closed_dated",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("assigned_at")),
                name="companies_assign_closed_after_routing",
            ),
            models.CheckConstraint(
                condition=Q(taken_at__isnull=True) | Q(taken_at__gte=F("assigned_at")),
                name="companies_assign_taken_after_routing",
            ),
        ]

    def __str__(self):
        return f"{self.need} → {self.structure}"

    @property
    def is_open(self):
        return self.status in (AssignmentStatus.WAITING, AssignmentStatus.TAKEN)


class RoutingRule(models.Model):
    """What one structure covers, set by the structure itself: the subjects, and optionally a
    territory (communes, EPCI, bassins: any of them matches), headcount bands, NAF sections and
    a company age. An empty criterion accepts every company."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="structure",
    )
    label = models.CharField("intitulé", max_length=200)
    subjects = models.ManyToManyField(NeedSubject, related_name="+", verbose_name="sujets")
    communes = models.ManyToManyField(
        "geo.Commune", blank=True, related_name="+", verbose_name="communes"
    )
    epcis = models.ManyToManyField("geo.Epci", blank=True, related_name="+", verbose_name="EPCI")
    bassins = models.ManyToManyField(
        "geo.BassinEmploi", blank=True, related_name="+", verbose_name="bassins d'emploi"
    )
    # INSEE band codes (``HeadcountBand``); empty: every headcount.
    headcount_bands = models.JSONField("tranches d'effectif", default=list, blank=True)
    naf_sections = models.ManyToManyField(
        "rome.NafSection", blank=True, related_name="+", verbose_name="sections NAF"
    )
    min_age_years = models.PositiveSmallIntegerField(
        "âge minimal de l'entreprise (ans)", null=True, blank=True
    )
    max_age_years = models.PositiveSmallIntegerField(
        "âge maximal de l'entreprise (ans)", null=True, blank=True
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "règle d'orientation"
        verbose_name_plural = "règles d'orientation"
        ordering = ["structure__name", "label", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age_years__isnull=True)
                | Q(max_age_years__isnull=True)
                | Q(min_age_years__lte=F("max_age_years")),
                name="companies_routing_age_range",
                violation_error_message="L'âge minimal de l'entreprise dépasse son âge maximal.",
            ),
        ]

    def __str__(self):
        return self.label


class SatisfactionRequest(models.Model):
    """The satisfaction question put to the leader once their need is closed: a personal link
    sent by e-mail. Only the token's SHA-256 digest is stored; the link works once, until
    ``expires_at``."""

    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="satisfaction")
    email = models.EmailField("adresse e-mail")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField("envoyé le")
    expires_at = models.DateTimeField("expire le")
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    contacted = models.BooleanField("contacté", null=True, blank=True)
    useful = models.BooleanField("utile", null=True, blank=True)
    outcome = models.TextField("ce que cela a permis", blank=True)

    class Meta:
        verbose_name = "question de satisfaction"
        verbose_name_plural = "questions de satisfaction"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("sent_at")), name="companies_satisfaction_expires"
            ),
            # An answer has a date, and an unanswered request holds no answer.
            models.CheckConstraint(
                condition=Q(answered_at__isnull=False)
                | Q(contacted__isnull=True, useful__isnull=True, outcome=""),
                name="companies_satisfaction_answer_dated",
            ),
        ]

    def __str__(self):
        return f"Satisfaction — {self.need}"
