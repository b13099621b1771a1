"""Collective events: workshops, information sessions, HR club meetings, job datings, forums.

- An ``Event`` (organised by one structure, with partner structures) has one or several
  ``Session``s (start, end, room, capacity).
- A ``Registration`` is **per session**: one participant (a person, a company contact, or a
  public registrant) in one session. Its status carries the invitation, the registration,
  the waiting list, the cancellation and, once the session took place, the attendance
  (present, excused, absent): the attendance per session is the registration's status.
- ``Session.seats_taken`` counts the registrations holding a seat (registered or attended);
  the database refuses more than the capacity (``events_session_seats_within_capacity``), and
  the services change it only under a lock on the session (``services``).
- Job datings and forums: ``EventCompany`` (a participating establishment and its needs),
  ``EventCandidate`` (a person put forward by a counsellor), ``InterviewSlot`` (company ×
  time slot × candidate: a slot holds one candidate, a candidate one slot at a time).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format


class Audience(models.TextChoices):
    RESIDENTS = "residents", "Habitants et demandeurs d'emploi"
    EMPLOYEES = "employees", "Salariés"
    LEADERS = "leaders", "Dirigeants d'entreprise"
    PROFESSIONALS = "professionals", "Professionnels de l'accompagnement"


class Visibility(models.TextChoices):
    INTERNAL = "internal", "Interne à la structure"
    NETWORK = "network", "Partenaires du réseau"
    PUBLIC = "public", "Public (page publique et inscription en ligne)"


class Status(models.TextChoices):
    INVITED = "invited", "Invité"
    REGISTERED = "registered", "Inscrit"
    WAITING = "waiting", "Liste d'attente"
    PRESENT = "present", "Présent"
    EXCUSED = "excused", "Absent excusé"
    ABSENT = "absent", "Absent"
    CANCELLED = "cancelled", "Annulé"
    DECLINED = "declined", "Invitation déclinée"


# The statuses that hold a seat in the session (counted in ``Session.seats_taken``).
SEAT_STATUSES = (Status.REGISTERED, Status.PRESENT, Status.EXCUSED, Status.ABSENT)
ATTENDANCE_STATUSES = (Status.PRESENT, Status.EXCUSED, Status.ABSENT)
ACTIVE_STATUSES = (*SEAT_STATUSES, Status.WAITING, Status.INVITED)


class Outcome(models.TextChoices):
    TO_FOLLOW = "to_follow", "À suivre"
    NOT_RETAINED = "not_retained", "Non retenu"
    HIRED = "hired", "Recruté"


class MessageKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    CONFIRMATION = "confirmation", "Confirmation d'inscription"
    WAITING = "waiting", "Inscription en liste d'attente"
    PROMOTION = "promotion", "Place libérée (sortie de la liste d'attente)"
    REMINDER = "reminder", "Rappel la veille"
    CHANGE = "change", "Changement d'horaire ou de lieu"
    CANCELLATION = "cancellation", "Annulation"
    SATISFACTION = "satisfaction", "Questionnaire de satisfaction"


class ProgrammeBranding(models.Model):
    """The funders' mentions and logo of one programme (by its code: the programmes belong to
    the accompaniment app, which events may not import). The sign-in sheets of an event
    linked to that programme carry them."""

    programme_code = models.CharField("code du programme", max_length=40, unique=True)
    label = models.CharField("programme", max_length=200)
    mentions = models.TextField(
        "mentions des financeurs",
        help_text="Par exemple : « Cette action est cofinancée par l'Union européenne (FSE+). »",
    )
    logo = models.BinaryField("logo", blank=True, default=b"", editable=True)
    logo_type = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "mentions d'un programme"
        ordering = ["programme_code"]

    def __str__(self):
        return self.label

    def logo_data_uri(self):
        if not self.logo:
            return ""
        import base64

        return f"data:{self.logo_type};base64,{base64.b64encode(bytes(self.logo)).decode()}"


class EventQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)


class Event(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField("type d'événement", max_length=40)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    audience = models.CharField(
        "public visé", max_length=20, choices=Audience.choices, default=Audience.RESIDENTS
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name="structure organisatrice",
    )
    partners = models.ManyToManyField(
        "structures.Structure",
        blank=True,
        related_name="partnered_events",
        verbose_name="structures partenaires",
    )
    address_line = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    online_url = models.URLField("lien de la visioconférence", blank=True)
    registration_deadline = models.DateTimeField("date limite d'inscription", null=True, blank=True)
    hr_club = models.ForeignKey(
        "companies.HrClub",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="club RH",
    )
    programme_code = models.CharField("programme", max_length=40, blank=True)
    visibility = models.CharField(
        "visibilité", max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    slot_minutes = models.PositiveSmallIntegerField(
        "durée d'un entretien (minutes)",
        default=20,
        help_text="Job datings et forums : la grille des créneaux des entreprises.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    # The first session's start, kept by the services: the agenda sorts and filters on it.
    starts_at = models.DateTimeField("début", null=True, blank=True, db_index=True)

    objects = EventQuerySet.as_manager()

    TRACKED_FIELDS = (
        "event_type", "title", "description", "audience", "address_line", "commune",
        "online_url", "registration_deadline", "hr_club", "programme_code", "visibility",
    )  # fmt: skip

    class Meta:
        verbose_name = "événement"
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["structure", "starts_at"], name="events_event_structure_idx"),
            models.Index(fields=["visibility", "starts_at"], name="events_event_visibility_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="events_event_visibility"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="events_event_audience"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240),
                name="events_event_slot_minutes",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def is_job_dating(self):
        return self.event_type in ("job_dating", "forum", "recruitment_session")

    def place_label(self):
        parts = [self.address_line, self.commune.name if self.commune_id else ""]
        place = ", ".join(part for part in parts if part)
        if self.online_url:
            return f"{place} (et en ligne)" if place else "En ligne"
        return place or "Lieu à préciser"

    def registration_open(self, now=None):
        now = now or timezone.now()
        return not self.is_cancelled and (
            self.registration_deadline is None or now <= self.registration_deadline
        )


class Session(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    room = models.CharField("salle", max_length=120, blank=True)
    capacity = models.PositiveIntegerField("nombre de places")
    seats_taken = models.PositiveIntegerField("places prises", default=0, editable=False)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    reminder_sent_at = models.DateTimeField("rappels envoyés le", null=True, blank=True)

    TRACKED_FIELDS = ("starts_at", "ends_at", "room", "capacity")

    class Meta:
        verbose_name = "séance"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="events_session_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=0), name="events_session_capacity_not_negative"
            ),
            # Never more seats taken than the capacity: overbooking is impossible, and the
            # capacity cannot be lowered below the seats already taken.
            models.CheckConstraint(
                condition=Q(seats_taken__gte=0, seats_taken__lte=F("capacity")),
                name="events_session_seats_within_capacity",
            ),
        ]

    def __str__(self):
        return f"{self.event} — {self.label()}"

    def label(self):
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%d/%m/%Y} de {start:%H:%M} à {end:%H:%M}"

    def long_label(self):
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{date_format(start, 'l j F Y')} de {start:%H} h {start:%M} à {end:%H} h {end:%M}"

    @property
    def duration(self):
        return self.ends_at - self.starts_at

    @property
    def seats_left(self):
        return max(0, self.capacity - self.seats_taken)

    def has_started(self, now=None):
        return self.starts_at <= (now or timezone.now())


class Registration(models.Model):
    """One participant in one session (see the module's docstring)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    contact = models.ForeignKey(
        "companies.Contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    # A public registrant (public events): these fields serve this registration only.
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    consent_text = models.TextField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REGISTERED)
    # The structure whose member registered or invited the participant: with the organiser,
    # the only one that sees the registration of a person.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_by_structure = models.ForeignKey(
        "structures.Structure", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the participant joined the waiting list: the oldest is promoted first.
    waiting_since = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    invitation_reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The personal link (confirm, decline, cancel, satisfaction): only its digest is stored.
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    email_opt_out = models.BooleanField("ne veut plus recevoir de messages", default=False)

    class Meta:
        verbose_name = "inscription"
        ordering = ["session", "created_at", "id"]
        indexes = [
            models.Index(fields=["session", "status"], name="events_registration_status_idx"),
            models.Index(
                fields=["session", "waiting_since"],
                condition=Q(status="waiting"),
                name="events_registration_wait_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="events_registration_status"
            ),
            # Exactly one kind of participant.
            models.CheckConstraint(
                condition=Q(person__isnull=False, contact__isnull=True)
                | Q(person__isnull=True, contact__isnull=False)
                | (Q(person__isnull=True, contact__isnull=True) & ~Q(email="") & ~Q(last_name="")),
                name="events_registration_one_participant",
            ),
            # A public registrant has consented.
            models.CheckConstraint(
                condition=~Q(person__isnull=True, contact__isnull=True)
                | Q(consented_at__isnull=False),
                name="events_registration_public_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_since__isnull=False),
                name="events_registration_waiting_dated",
            ),
            # No double registration.
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(person__isnull=False),
                name="events_registration_person_once",
            ),
            models.UniqueConstraint(
                fields=["session", "contact"],
                condition=Q(contact__isnull=False),
                name="events_registration_contact_once",
            ),
            models.UniqueConstraint(
                "session",
                Lower("email"),
                condition=Q(person__isnull=True, contact__isnull=True),
                name="events_registration_public_once",
            ),
        ]

    def __str__(self):
        return f"{self.participant_name()} — {self.session}"

    @property
    def is_public(self):
        return self.person_id is None and self.contact_id is None

    def participant_name(self):
        if self.person_id:
            return str(self.person)
        if self.contact_id:
            return f"{self.contact.first_name} {self.contact.last_name}"
        return f"{self.first_name} {self.last_name}".strip()

    def participant_email(self):
        if self.person_id:
            return "" if self.person.email_reminders_opt_out else self.person.email
        if self.contact_id:
            return self.contact.email
        return self.email

    @property
    def holds_seat(self):
        return self.status in SEAT_STATUSES

    def status_tone(self):
        return {
            Status.INVITED: "info",
            Status.REGISTERED: "info",
            Status.WAITING: "warning",
            Status.PRESENT: "success",
            Status.EXCUSED: "warning",
            Status.ABSENT: "danger",
            Status.CANCELLED: "neutral",
            Status.DECLINED: "neutral",
        }[self.status]


class MessageTemplate(models.Model):
    """A structure's wording of one message for one type of event (its administrator edits
    it); without one, the default wording of ``messages.DEFAULTS`` applies."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="+"
    )
    event_type = models.CharField("type d'événement", max_length=40)
    kind = models.CharField("message", max_length=16, choices=MessageKind.choices)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField(
        "texte",
        help_text="Repères remplacés à l'envoi : {titre}, {seance}, {lieu}, {structure}, {nom}.",
    )

    class Meta:
        verbose_name = "modèle de message"
        ordering = ["event_type", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "event_type", "kind"], name="events_message_template_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.event_type})"


class EventFeed(models.Model):
    """A member's private feed of the sessions they registered persons to or organise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feed"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "flux d'événements"

    def __str__(self):
        return f"Flux d'événements de {self.user}"


class EventCompany(models.Model):
    """An establishment taking part in a job dating or a forum, with what it looks for."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="companies")
    establishment = models.ForeignKey(
        "companies.Establishment", on_delete=models.PROTECT, related_name="event_participations"
    )
    needs = models.TextField("postes ou besoins", blank=True)

    class Meta:
        verbose_name = "entreprise participante"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "establishment"], name="events_company_once")
        ]

    def __str__(self):
        return str(self.establishment)


class EventCandidate(models.Model):
    """A person a counsellor puts forward for a job dating."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="event_candidacies"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "candidature proposée"
        ordering = ["person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="events_candidate_once")
        ]

    def __str__(self):
        return str(self.person)


class InterviewSlot(models.Model):
    """One time slot of one company at a job dating, with at most one candidate.

    The slots of an event form a grid of equal length (``Event.slot_minutes``), so two slots
    of the same start overlap: a candidate holds at most one slot per start (a constraint).
    """

    company = models.ForeignKey(EventCompany, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    candidate = models.ForeignKey(
        EventCandidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )
    outcome = models.CharField("résultat", max_length=16, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = "créneau d'entretien"
        ordering = ["starts_at", "company_id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "starts_at"], name="events_slot_once"),
            models.UniqueConstraint(
                fields=["candidate", "starts_at"],
                condition=Q(candidate__isnull=False),
                name="events_slot_candidate_one_place",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_slot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(candidate__isnull=False),
                name="events_slot_outcome_needs_candidate",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *Outcome.values]), name="events_slot_outcome"
            ),
        ]

    def __str__(self):
        return f"{self.company} {timezone.localtime(self.starts_at):%H:%M}"


class SatisfactionAnswer(models.Model):
    """A participant's answer to the short satisfaction survey after the event."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="satisfaction"
    )
    rating = models.PositiveSmallIntegerField("note globale")
    useful = models.BooleanField("utile pour votre projet", null=True)
    comment = models.TextField("commentaire", blank=True, max_length=2000)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "réponse de satisfaction"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="events_satisfaction_rating"
            )
        ]

    def __str__(self):
        return f"{self.rating}/5"


DEFAULT_SESSION_LENGTH = timedelta(hours=2)


class SatisfactionRequest(models.Model):
    """The satisfaction survey sent to one participant of one event: at most one per
    participant and event (the unique constraint is the claim, so that a second or concurrent
    run, or the organiser's button pressed again, sends nothing)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    # Who, across the event's sessions: ``person:<id>``, ``contact:<id>`` or ``email:<address>``.
    participant = models.CharField(max_length=260)
    # The registration whose personal link the message carries.
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    # The run that inserted the row: it sends exactly the rows it inserted.
    claim = models.UUIDField(editable=False)

    class Meta:
        verbose_name = "demande de satisfaction"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"], name="events_satisfaction_once_per_participant"
            )
        ]

    def __str__(self):
        return f"{self.event} — {self.participant}"
