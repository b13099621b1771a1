"""Controlled vocabularies: the lists that reports count by code (barrier themes, exit types…).

A vocabulary is a list of terms; a term may belong to a category of the same vocabulary (exit
type "CDI" in "Emploi durable", qualification level 3 in ISCED group 3–4). Categories group
terms; only terms are picked. Labels may be edited and terms deactivated, codes never change:
other apps store the code and reports count by it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q


class Vocabulary(models.Model):
    code = models.SlugField("code", max_length=50, unique=True)
    label = models.CharField("libellé", max_length=120)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "vocabulaire"
        ordering = ["order", "code"]

    def __str__(self):
        return self.label


class Term(models.Model):
    vocabulary = models.ForeignKey(
        Vocabulary, on_delete=models.CASCADE, related_name="terms", verbose_name="vocabulaire"
    )
    code = models.SlugField("code", max_length=50)
    label = models.CharField("libellé", max_length=200)
    description = models.TextField("description", blank=True)
    is_category = models.BooleanField("catégorie", default=False)
    category = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="catégorie",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "terme"
        ordering = ["vocabulary", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_code_unique"),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(is_category=False),
                name="term_category_has_no_category",
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | ~Q(category=F("pk")),
                name="term_not_its_own_category",
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if self.category_id is None:
            return
        if self.category.vocabulary_id != self.vocabulary_id:
            raise ValidationError({"category": "La catégorie doit appartenir au même vocabulaire."})
        if not self.category.is_category:
            raise ValidationError({"category": "Ce terme n'est pas une catégorie."})
