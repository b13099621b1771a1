"""A company leader's needs (recruitment, HR, skills…), from the catalogue of subjects the
house's administrator edits. Routing, assignments and the computed status build on these."""

import uuid

from django.conf import settings
from django.db import models

__all__ = ["Need", "NeedKind", "NeedSubject"]


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
    is_active = models.BooleanField("proposé", default=True)
    order = models.PositiveIntegerField("ordre", default=100)

    class Meta:
        verbose_name = "sujet de besoin"
        verbose_name_plural = "sujets de besoin"
        ordering = ["kind", "order", "label"]

    def __str__(self):
        return self.label


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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "besoin"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} — {self.establishment}"

    @property
    def is_recruitment(self):
        return self.subject.kind == NeedKind.RECRUITMENT
