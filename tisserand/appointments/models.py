"""Individual appointments between a counsellor and a person, and counsellors' calendar feeds."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format


class Mode(models.TextChoices):
    ON_SITE = "on_site", "Sur place"
    PHONE = "phone", "Par téléphone"
    VIDEO = "video", "En visioconférence"
    HOME = "home", "À domicile"


class Attendance(models.TextChoices):
    PLANNED = "planned", "Prévu"
    PRESENT = "present", "Présent"
    EXCUSED = "excused", "Absent excusé"
    ABSENT = "absent", "Absent"


# Attendance values a counsellor records once the appointment has started.
RECORDED_ATTENDANCES = (Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT)

DEFAULT_DURATION = timedelta(minutes=45)
MAX_DURATION = timedelta(hours=8)


class AppointmentQuerySet(models.QuerySet):
    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)

    def between(self, start, end):
        """Appointments starting in [start, end)."""
        return self.filter(starts_at__gte=start, starts_at__lt=end)


class Appointment(models.Model):
    """An individual appointment of a person with a counsellor of a structure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name="personne",
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments_held",
        verbose_name="conseiller",
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name="structure",
    )
    starts_at = models.DateTimeField("date et heure")
    duration = models.DurationField("durée", default=DEFAULT_DURATION)
    mode = models.CharField("modalité", max_length=16, choices=Mode.choices, default=Mode.ON_SITE)
    place = models.CharField(
        "lieu ou lien",
        max_length=300,
        blank=True,
        help_text="Adresse ou salle (sur place), lien de la visioconférence, ou numéro à appeler.",
    )
    subject = models.CharField("objet", max_length=200)
    attendance = models.CharField(
        "présence", max_length=16, choices=Attendance.choices, default=Attendance.PLANNED
    )
    attendance_recorded_at = models.DateTimeField("présence saisie le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    cancellation_reason = models.CharField("motif d'annulation", max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    sms_reminder_sent_at = models.DateTimeField("rappel SMS envoyé le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="fixé par",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    # The choices offered once the appointment has started.
    ATTENDANCE_CHOICES = [(value, Attendance(value).label) for value in RECORDED_ATTENDANCES]
    # Fields whose changes the timeline records.
    TRACKED_FIELDS = ("starts_at", "duration", "mode", "place", "subject", "counsellor")

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["counsellor", "starts_at"], name="appointment_counsellor_idx"),
            models.Index(
                fields=["person", "attendance", "starts_at"], name="appointment_person_idx"
            ),
            models.Index(
                fields=["starts_at"],
                condition=Q(reminder_sent_at__isnull=True, cancelled_at__isnull=True),
                name="appointment_reminder_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gt=timedelta(0), duration__lte=MAX_DURATION),
                name="appointment_duration_range",
            ),
            # A cancelled appointment did not take place: no attendance is recorded on it.
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(attendance=Attendance.PLANNED),
                name="appointment_cancelled_not_attended",
            ),
            models.CheckConstraint(
                condition=Q(attendance=Attendance.PLANNED, attendance_recorded_at__isnull=True)
                | (~Q(attendance=Attendance.PLANNED) & Q(attendance_recorded_at__isnull=False)),
                name="appointment_attendance_dated",
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=Attendance.values), name="appointment_attendance_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=Mode.values), name="appointment_mode_valid"
            ),
        ]

    def __str__(self):
        return f"Rendez-vous du {self.local_label()}"

    def local_label(self):
        """'12/03/2026 à 10:00' in the local time zone."""
        local = timezone.localtime(self.starts_at)
        return f"{local:%d/%m/%Y} à {local:%H:%M}"

    def long_label(self):
        """'mardi 12 mars 2026 à 10 h 00', for messages to the person."""
        local = timezone.localtime(self.starts_at)
        return f"{date_format(local, 'l j F Y')} à {local:%H} h {local:%M}"

    @property
    def ends_at(self):
        return self.starts_at + self.duration

    @property
    def duration_minutes(self):
        return int(self.duration.total_seconds() // 60)

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    def has_started(self, now=None):
        return self.starts_at <= (now or timezone.now())

    @property
    def awaits_attendance(self):
        """Started, not cancelled, and nobody has said yet whether the person came."""
        return (
            not self.is_cancelled and self.attendance == Attendance.PLANNED and self.has_started()
        )

    def attendance_tone(self):
        """The badge tone of the attendance (or of the cancellation)."""
        if self.is_cancelled:
            return "neutral"
        if self.awaits_attendance:
            return "warning"
        return {
            Attendance.PLANNED: "info",
            Attendance.PRESENT: "success",
            Attendance.EXCUSED: "warning",
            Attendance.ABSENT: "danger",
        }[self.attendance]

    def status_label(self):
        if self.is_cancelled:
            return "Annulé"
        if self.awaits_attendance:
            return "Présence à saisir"
        return self.get_attendance_display()


class CalendarFeed(models.Model):
    """A counsellor's private calendar feed: a secret URL their calendar software polls.

    Only a digest of the token is stored: the full URL is shown once, when it is made.
    Regenerating replaces the digest (the old URL stops working); revoking deletes the feed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name="conseiller",
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    last_used_at = models.DateTimeField("dernière lecture", null=True, blank=True)

    class Meta:
        verbose_name = "flux d'agenda"
        verbose_name_plural = "flux d'agenda"

    def __str__(self):
        return f"Flux d'agenda de {self.user}"
