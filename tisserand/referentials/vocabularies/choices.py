"""Fixed vocabularies that the code itself relies on, shared by several apps.

Unlike the terms of ``models.Vocabulary`` (loaded, labels editable), these lists are part of
the schema: their codes appear in choices and check constraints. They live here, below every
app that uses them, so that no service has to import another's models for a shared term.
"""

from django.db import models


class WorkingTime(models.TextChoices):
    """Working time sought or offered: professional project, guidance profile, job offers."""

    FULL_TIME = "full_time", "Temps plein"
    PART_TIME = "part_time", "Temps partiel"
    ANY = "any", "Indifférent"
