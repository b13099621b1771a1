"""The GPEC toolkit of one company (gestion prévisionnelle des emplois et des compétences):
positions described by a ROME job title, the company's skills, employees with minimal data
and their level in each skill — the skills matrix.

An employee carries no other personal data than a first name or a pseudonym, a birth year,
a hire year and the end of a fixed-term contract. Levels are 0 to 3 (a check constraint), one
per employee and skill (a unique constraint); a skill an employee was not rated on has no row
and is never counted as held.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

__all__ = [
    "BIRTH_YEAR_MAX",
    "BIRTH_YEAR_MIN",
    "DEFAULT_RETIREMENT_AGE",
    "GpecEmployee",
    "GpecLevel",
    "GpecPosition",
    "GpecPositionSkill",
    "GpecSkill",
    "GpecToolkit",
    "Level",
]

DEFAULT_RETIREMENT_AGE = 64
# The bounds a database constraint holds; the service also checks the age today (15 to 80).
BIRTH_YEAR_MIN = 1930
BIRTH_YEAR_MAX = 2015


class Level(models.IntegerChoices):
    NONE = 0, "0 — non acquis"
    LEARNING = 1, "1 — en apprentissage"
    AUTONOMOUS = 2, "2 — autonome"
    EXPERT = 3, "3 — expert, transmet"


class GpecToolkit(models.Model):
    """The toolkit of one establishment: its settings (the retirement age it anticipates)."""

    establishment = models.OneToOneField(
        "companies.Establishment", on_delete=models.CASCADE, related_name="gpec_toolkit"
    )
    retirement_age = models.PositiveSmallIntegerField(
        "âge de départ à la retraite retenu", default=DEFAULT_RETIREMENT_AGE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "outil GPEC"
        constraints = [
            models.CheckConstraint(
                condition=Q(retirement_age__gte=55, retirement_age__lte=70),
                name="companies_gpec_retirement_age_range",
            ),
        ]

    def __str__(self):
        return f"GPEC — {self.establishment}"


class GpecSkill(models.Model):
    """A skill of the company's catalogue: from the ROME (``rome_skill``) or written by the
    company. An employee is rated on a skill of the catalogue, whatever the position."""

    establishment = models.ForeignKey(
        "companies.Establishment", on_delete=models.CASCADE, related_name="gpec_skills"
    )
    rome_skill = models.ForeignKey(
        "rome.Skill", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label = models.CharField("compétence", max_length=300)

    class Meta:
        verbose_name = "compétence de l'entreprise"
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "label"], name="companies_gpec_skill_label_once"
            ),
            models.UniqueConstraint(
                fields=["establishment", "rome_skill"],
                condition=Q(rome_skill__isnull=False),
                name="companies_gpec_skill_rome_once",
            ),
            models.CheckConstraint(condition=~Q(label=""), name="companies_gpec_skill_labelled"),
        ]

    def __str__(self):
        return self.label


class GpecPosition(models.Model):
    """A position (poste) of the company, described by a ROME job title."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    establishment = models.ForeignKey(
        "companies.Establishment", on_delete=models.CASCADE, related_name="gpec_positions"
    )
    title = models.CharField("intitulé du poste", max_length=200)
    appellation = models.ForeignKey(
        "rome.Appellation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="métier (appellation ROME)",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "poste"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "title"], name="companies_gpec_position_title_once"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="companies_gpec_position_titled"),
        ]

    def __str__(self):
        return self.title


class GpecPositionSkill(models.Model):
    """A skill a position needs, at a required level; core skills (« cœur de métier ») marked."""

    position = models.ForeignKey(GpecPosition, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(GpecSkill, on_delete=models.CASCADE, related_name="positions")
    is_core = models.BooleanField("cœur de métier", default=False)
    required_level = models.PositiveSmallIntegerField(
        "niveau attendu", choices=Level.choices, default=Level.AUTONOMOUS
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = "compétence du poste"
        ordering = ["-is_core", "order", "skill__label"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "skill"], name="companies_gpec_position_skill_once"
            ),
            models.CheckConstraint(
                condition=Q(required_level__gte=1, required_level__lte=3),
                name="companies_gpec_required_level_1_3",
            ),
        ]

    def __str__(self):
        return f"{self.position} — {self.skill}"


class GpecEmployee(models.Model):
    """An employee, with minimal data only: no name, no birth date, nothing else."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    establishment = models.ForeignKey(
        "companies.Establishment", on_delete=models.CASCADE, related_name="gpec_employees"
    )
    alias = models.CharField("prénom ou pseudonyme", max_length=60)
    position = models.ForeignKey(
        GpecPosition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name="poste",
    )
    birth_year = models.PositiveSmallIntegerField("année de naissance")
    hire_year = models.PositiveSmallIntegerField("année d'embauche")
    is_fixed_term = models.BooleanField("contrat à durée déterminée", default=False)
    contract_end = models.DateField("fin du contrat", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "salarié·e"
        ordering = ["alias", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "alias"],
                name="companies_gpec_employee_alias_once",
                violation_error_message="Ce prénom ou pseudonyme est déjà dans la liste : "
                "choisissez-en un autre.",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__gte=BIRTH_YEAR_MIN, birth_year__lte=BIRTH_YEAR_MAX),
                name="companies_gpec_birth_year_plausible",
                violation_error_message="L'année de naissance n'est pas plausible.",
            ),
            models.CheckConstraint(
                condition=Q(hire_year__gte=F("birth_year") + 14),
                name="companies_gpec_hired_after_14",
                violation_error_message="L'année d'embauche doit être postérieure aux 14 ans "
                "de la personne.",
            ),
            models.CheckConstraint(
                condition=Q(is_fixed_term=True, contract_end__isnull=False)
                | Q(is_fixed_term=False, contract_end__isnull=True),
                name="companies_gpec_contract_end_iff_fixed_term",
                violation_error_message="Un contrat à durée déterminée a une date de fin, et "
                "seulement lui.",
            ),
            models.CheckConstraint(condition=~Q(alias=""), name="companies_gpec_employee_alias"),
        ]

    def __str__(self):
        return self.alias


class GpecLevel(models.Model):
    """The level of one employee in one skill of the catalogue: 0 to 3, one per pair."""

    employee = models.ForeignKey(GpecEmployee, on_delete=models.CASCADE, related_name="levels")
    skill = models.ForeignKey(GpecSkill, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField("niveau", choices=Level.choices)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "niveau de compétence"
        constraints = [
            models.UniqueConstraint(fields=["employee", "skill"], name="companies_gpec_level_once"),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=3), name="companies_gpec_level_0_3"
            ),
        ]

    def __str__(self):
        return f"{self.employee} — {self.skill} : {self.level}"
