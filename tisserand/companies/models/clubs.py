"""HR clubs: company leaders of a territory meeting around a theme, with an animator."""

import uuid

from django.conf import settings
from django.db import models

from tisserand.core.documents import documents_relation

__all__ = [
    "HrClub",
    "HrClubAttendee",
    "HrClubMember",
    "HrClubRegistration",
    "HrClubResource",
    "HrClubSession",
]


class HrClub(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=200)
    theme = models.CharField("thème", max_length=200, blank=True)
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="structure animatrice",
    )
    animator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="animateur ou animatrice",
    )
    communes = models.ManyToManyField(
        "geo.Commune", blank=True, related_name="+", verbose_name="territoire"
    )
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "club RH"
        verbose_name_plural = "clubs RH"
        ordering = ["name"]

    def __str__(self):
        return self.name


class HrClubMember(models.Model):
    """A member company of a club."""

    club = models.ForeignKey(HrClub, on_delete=models.CASCADE, related_name="members")
    establishment = models.ForeignKey(
        "companies.Establishment", on_delete=models.CASCADE, related_name="club_memberships"
    )
    joined_on = models.DateField("membre depuis")
    left_on = models.DateField("a quitté le", null=True, blank=True)

    class Meta:
        verbose_name = "entreprise membre"
        constraints = [
            models.UniqueConstraint(
                fields=["club", "establishment"], name="companies_club_member_once"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="companies_club_member_left_after_joining",
            ),
        ]

    def __str__(self):
        return f"{self.establishment} ({self.club})"


class HrClubAttendee(models.Model):
    """A contact of a member company who takes part in the club (its attendee)."""

    member = models.ForeignKey(HrClubMember, on_delete=models.CASCADE, related_name="attendees")
    contact = models.ForeignKey(
        "companies.Contact", on_delete=models.CASCADE, related_name="club_attendances"
    )

    class Meta:
        verbose_name = "participant·e du club"
        ordering = ["contact__last_name", "contact__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "contact"], name="companies_club_attendee_once"
            ),
        ]

    def __str__(self):
        return str(self.contact)


class HrClubSession(models.Model):
    """A dated session of a club (until the events app holds club meetings as events)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    club = models.ForeignKey(HrClub, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField("date")
    title = models.CharField("intitulé", max_length=200)
    place = models.CharField("lieu", max_length=250, blank=True)
    capacity = models.PositiveIntegerField("places", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "séance de club RH"
        verbose_name_plural = "séances de club RH"
        ordering = ["date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title=""), name="companies_club_session_titled"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="companies_club_session_capacity_positive",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"


class HrClubRegistration(models.Model):
    """A contact registered to a session, and whether they attended (unknown until marked)."""

    session = models.ForeignKey(
        HrClubSession, on_delete=models.CASCADE, related_name="registrations"
    )
    contact = models.ForeignKey(
        "companies.Contact", on_delete=models.CASCADE, related_name="club_registrations"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    # None: not marked yet (« indéterminé », never shown as « non »).
    attended = models.BooleanField("présent·e", null=True, blank=True)

    class Meta:
        verbose_name = "inscription à une séance"
        ordering = ["contact__last_name", "contact__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "contact"], name="companies_club_registration_once"
            ),
        ]

    def __str__(self):
        return f"{self.contact} — {self.session}"


class HrClubResource(models.Model):
    """A resource shared with the club: its documents are visible to the club's members (the
    leaders of member companies) and to officers only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    club = models.ForeignKey(HrClub, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField("titre", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    documents = documents_relation()

    class Meta:
        verbose_name = "ressource partagée"
        ordering = ["-created_at", "title"]

    def __str__(self):
        return self.title
