import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class TimelineEvent(models.Model):
    """Something that happened to an object: who did it, when, and which fields changed."""

    class Verb(models.TextChoices):
        CREATED = "created", "Création"
        CHANGED = "changed", "Modification"
        STATUS_CHANGED = "status_changed", "Changement de statut"
        ACTION = "action", "Action"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField("date", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    actor_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure de l'auteur",
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64)
    verb = models.CharField("type", max_length=32, choices=Verb.choices)
    summary = models.CharField("résumé", max_length=300)
    changes = models.JSONField("champs modifiés", default=list, blank=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "-occurred_at"], name="timeline_subject_idx"
            ),
        ]

    def __str__(self):
        return self.summary


class TimelineMention(models.Model):
    """A record on whose timeline an event appears: its subject, and every record it concerns.

    An appointment's event mentions the appointment and the person; an introduction mentions the
    person, the company and the offer, so that each of their timelines shows it. The event's
    date is copied here (it is set once), so that a record's timeline, newest first, is read in
    the order of one index and a page of it costs that page's rows only.
    """

    event = models.ForeignKey(
        TimelineEvent, on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    occurred_at = models.DateTimeField("date")

    class Meta:
        verbose_name = "mention dans un historique"
        verbose_name_plural = "mentions dans les historiques"
        constraints = [
            # Also the index of the event's own mentions (the foreign key's).
            models.UniqueConstraint(
                fields=["event", "content_type", "object_id"], name="timeline_mention_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-occurred_at", "-event"],
                name="timeline_mention_newest_idx",
            )
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}"


class RecordAccess(models.Model):
    """Who opened which record of a person, when, acting for which structure."""

    accessed_at = models.DateTimeField("date", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="utilisateur",
    )
    acting_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="au titre de",
    )
    owner_structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="record_accesses",
        verbose_name="structure détentrice du dossier",
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    subject_label = models.CharField("dossier", max_length=200)
    path = models.CharField("page", max_length=300)

    class Meta:
        verbose_name = "accès à un dossier"
        verbose_name_plural = "accès aux dossiers"
        ordering = ["-accessed_at", "-id"]
        indexes = [
            models.Index(fields=["owner_structure", "-accessed_at"], name="access_owner_idx")
        ]

    def __str__(self):
        return f"{self.user} a ouvert {self.subject_label}"


def document_path(document, filename):
    """Stored under a random name: neither the person's name nor the file's reaches the disk."""
    return f"documents/{timezone.localdate():%Y/%m}/{document.public_id}"


class Document(models.Model):
    """A supporting document (*pièce justificative*) attached to a record's item: a person's
    public status, a consent, an attestation… The app owning the item's model says who may
    open it (``core.documents.attachables``); the file lives in the private ``MEDIA_ROOT``."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "image JPEG"
        PNG = "image/png", "image PNG"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    file = models.FileField("fichier", upload_to=document_path, max_length=200)
    original_name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=32, choices=Kind.choices)
    size = models.PositiveIntegerField("taille (octets)")
    label = models.CharField("nature du document", max_length=200)
    issued_on = models.DateField("date du document", null=True, blank=True)
    issuer = models.CharField("émis par", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)

    class Meta:
        verbose_name = "pièce justificative"
        verbose_name_plural = "pièces justificatives"
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="document_subject_idx")]

    def __str__(self):
        return self.label


class RetentionNotice(models.Model):
    """A record's référent was told, once, that a retention rule will soon process the record."""

    rule = models.CharField("règle", max_length=64)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64)
    due_on = models.DateField("traitement prévu le")
    notified_at = models.DateTimeField("prévenu le", default=timezone.now)

    class Meta:
        verbose_name = "avis de fin de conservation"
        verbose_name_plural = "avis de fin de conservation"
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id"], name="retention_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.rule} — {self.subject_type_id}:{self.subject_id}"


class LegalHold(models.Model):
    """A record no retention rule may touch while the hold stands (a dispute, an audit…)."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64)
    reason = models.CharField("motif", max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    placed_at = models.DateTimeField("posé le", default=timezone.now)
    lifted_at = models.DateTimeField("levé le", null=True, blank=True)

    class Meta:
        verbose_name = "gel de conservation"
        verbose_name_plural = "gels de conservation"
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="legal_hold_idx")]

    def __str__(self):
        return f"Gel {self.subject_type_id}:{self.subject_id} — {self.reason}"
