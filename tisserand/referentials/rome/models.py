"""ROME 4.0 occupations, NAF rév. 2 sectors and labour-market signals.

Referential rows are never deleted: a code that vanishes from a newer ROME version is marked
obsolete (``is_obsolete``, ``obsolete_since_version``) so that records using it stay valid.
Link rows (fiche ↔ skill, mobility…) are replaced as the official files say.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

ROME_CODE_PATTERN = r"^[A-N][0-9]{4}$"
NAF_CODE_PATTERN = r"^[0-9]{4}[A-Z]$"
RIASEC_LETTERS = "RIASEC"

validate_rome_code = RegexValidator(
    ROME_CODE_PATTERN, "Un code ROME est une lettre de A à N suivie de 4 chiffres (M1805)."
)
validate_naf_code = RegexValidator(
    NAF_CODE_PATTERN, "Un code NAF est composé de 4 chiffres et d'une lettre, sans point (6201Z)."
)


class ImportRun(models.Model):
    """One successful import of a referential file or pack (a failed one writes nothing)."""

    class Kind(models.TextChoices):
        ROME = "rome", "ROME 4.0"
        NAF = "naf", "NAF rév. 2"
        HIRINGS = "hirings", "Embauches par métier et secteur"
        TENSION = "tension", "Tensions par métier et bassin"
        FAP_TENSION = "fap_tension", "Tensions par famille professionnelle"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("référentiel", max_length=20, choices=Kind.choices)
    version = models.CharField("version", max_length=20, blank=True)
    source = models.CharField("source", max_length=500)
    started_at = models.DateTimeField("début")
    finished_at = models.DateTimeField("fin")
    stats = models.JSONField("bilan", default=dict)

    class Meta:
        verbose_name = "import de référentiel"
        verbose_name_plural = "imports de référentiels"
        ordering = ["-finished_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version} ({self.finished_at:%d/%m/%Y})"


class VersionedReference(models.Model):
    """A referential row keyed by an official code, kept (obsolete) when the code vanishes."""

    first_version = models.CharField("apparu en version", max_length=10)
    is_obsolete = models.BooleanField("obsolète", default=False)
    obsolete_since_version = models.CharField(
        "obsolète depuis la version", max_length=10, blank=True
    )

    class Meta:
        abstract = True

    @classmethod
    def obsolete_constraint(cls, name):
        return models.CheckConstraint(
            condition=Q(is_obsolete=False, obsolete_since_version="")
            | (Q(is_obsolete=True) & ~Q(obsolete_since_version="")),
            name=name,
        )


class Fiche(VersionedReference):
    """A ROME 4.0 occupation sheet (fiche métier)."""

    code = models.CharField("code ROME", max_length=5, unique=True, validators=[validate_rome_code])
    code_ogr = models.PositiveIntegerField("code OGR", unique=True)
    label = models.CharField("intitulé", max_length=250)
    parent_code = models.CharField(
        "code ROME parent", max_length=5, db_index=True, validators=[validate_rome_code]
    )
    sheet_number = models.PositiveIntegerField("numéro de fiche métier", null=True)
    major_domain_code = models.CharField("grand domaine", max_length=1, blank=True)
    major_domain_label = models.CharField("libellé du grand domaine", max_length=250, blank=True)
    domain_code = models.CharField("domaine professionnel", max_length=3, blank=True)
    domain_label = models.CharField("libellé du domaine professionnel", max_length=250, blank=True)
    riasec_major = models.CharField("RIASEC majeur", max_length=1, blank=True)
    riasec_minor = models.CharField("RIASEC mineur", max_length=1, blank=True)
    definition = models.TextField("définition", blank=True)
    access = models.TextField("accès au métier", blank=True)
    is_executive = models.BooleanField("emploi cadre", null=True)
    is_regulated = models.BooleanField("emploi réglementé", null=True)
    ecological_transition = models.CharField("transition écologique", max_length=100, blank=True)

    class Meta:
        verbose_name = "fiche ROME"
        verbose_name_plural = "fiches ROME"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=ROME_CODE_PATTERN), name="rome_fiche_code_format"
            ),
            models.CheckConstraint(
                condition=Q(parent_code__regex=ROME_CODE_PATTERN),
                name="rome_fiche_parent_code_format",
            ),
            models.CheckConstraint(
                condition=Q(riasec_major__in=["", *RIASEC_LETTERS])
                & Q(riasec_minor__in=["", *RIASEC_LETTERS]),
                name="rome_fiche_riasec_letters",
            ),
            VersionedReference.obsolete_constraint("rome_fiche_obsolete_version"),
        ]

    def __str__(self):
        return f"{self.code} — {self.label}"

    @property
    def has_parent(self):
        return self.parent_code != self.code

    def definition_lines(self):
        return [line for line in self.definition.splitlines() if line]

    def access_lines(self):
        return [line for line in self.access.splitlines() if line]


class Appellation(VersionedReference):
    """A job title (appellation) of a fiche; the words people search for."""

    class Classification(models.TextChoices):
        MAIN = "PRINCIPALE", "Principale"
        SYNONYM = "SYNONYME", "Synonyme"

    code_ogr = models.PositiveIntegerField("code OGR", unique=True)
    label = models.CharField("libellé", max_length=250)
    short_label = models.CharField("libellé court", max_length=250)
    fiche = models.ForeignKey(
        Fiche, on_delete=models.PROTECT, related_name="appellations", verbose_name="fiche ROME"
    )
    classification = models.CharField(max_length=10, choices=Classification.choices)
    is_rarely_used = models.BooleanField("peu usité", default=False)
    search_text = models.CharField("texte de recherche", max_length=600, db_index=True)

    class Meta:
        verbose_name = "appellation"
        verbose_name_plural = "appellations"
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(classification__in=["PRINCIPALE", "SYNONYME"]),
                name="rome_appellation_classification",
            ),
            VersionedReference.obsolete_constraint("rome_appellation_obsolete_version"),
        ]

    def __str__(self):
        return self.label


class Skill(VersionedReference):
    """A skill: savoir-faire, savoir-être professionnel (ROME « compétences ») or savoir."""

    class Kind(models.TextChoices):
        KNOW_HOW = "savoir_faire", "Savoir-faire"
        SOFT_SKILL = "savoir_etre", "Savoir-être professionnel"
        KNOWLEDGE = "savoir", "Savoir"

    code_ogr = models.PositiveIntegerField("code OGR", unique=True)
    label = models.CharField("libellé", max_length=300)
    kind = models.CharField("nature", max_length=12, choices=Kind.choices)
    is_macro = models.BooleanField("macro-compétence", default=False)
    macro = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skills",
        verbose_name="macro-compétence",
    )
    macro_code = models.CharField("code de macro-compétence", max_length=10, blank=True)
    category = models.CharField("catégorie", max_length=100, blank=True)
    subcategory = models.CharField("sous-catégorie", max_length=100, blank=True)
    definition = models.TextField("définition", blank=True)
    riasec_major = models.CharField("RIASEC majeur", max_length=1, blank=True)
    riasec_minor = models.CharField("RIASEC mineur", max_length=1, blank=True)

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["savoir_faire", "savoir_etre", "savoir"]),
                name="rome_skill_kind",
            ),
            models.CheckConstraint(
                condition=Q(macro__isnull=True) | Q(is_macro=False), name="rome_skill_macro_depth"
            ),
            VersionedReference.obsolete_constraint("rome_skill_obsolete_version"),
        ]

    def __str__(self):
        return self.label


class WorkContext(VersionedReference):
    """A work context (hours, place, physical conditions…)."""

    code_ogr = models.PositiveIntegerField("code OGR", unique=True)
    label = models.CharField("libellé", max_length=300)
    type_code = models.PositiveSmallIntegerField("type")
    type_label = models.CharField("libellé du type", max_length=200)

    class Meta:
        verbose_name = "contexte de travail"
        verbose_name_plural = "contextes de travail"
        ordering = ["type_code", "label"]
        constraints = [VersionedReference.obsolete_constraint("rome_context_obsolete_version")]

    def __str__(self):
        return self.label


class InterestCentre(VersionedReference):
    """An interest centre (« J'ai envie de… »)."""

    code = models.PositiveIntegerField("code", unique=True)
    label = models.CharField("libellé", max_length=250)
    definition = models.TextField("définition", blank=True)

    class Meta:
        verbose_name = "centre d'intérêt"
        verbose_name_plural = "centres d'intérêt"
        ordering = ["label"]
        constraints = [VersionedReference.obsolete_constraint("rome_interest_obsolete_version")]

    def __str__(self):
        return self.label


class FicheSkill(models.Model):
    class Rubrique(models.IntegerChoices):
        KNOW_HOW = 1, "Savoir-faire"
        SOFT_SKILLS = 2, "Savoir-être professionnels"
        KNOWLEDGE = 3, "Savoirs"

    class CoeurMetier(models.TextChoices):
        """The official « cœur de métier » flag of a skill for a fiche (coherence file)."""

        PRINCIPALE = "principale", "Cœur de métier"
        EMERGENTE = "emergente", "Compétence émergente"

    # The unique (fiche, skill) index serves lookups by fiche: no second index.
    fiche = models.ForeignKey(
        Fiche, on_delete=models.CASCADE, related_name="skill_links", db_index=False
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="fiche_links")
    rubrique = models.PositiveSmallIntegerField(choices=Rubrique.choices)
    coeur_metier = models.CharField(
        "cœur de métier", max_length=10, choices=CoeurMetier.choices, blank=True, default=""
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fiche", "skill"], name="rome_ficheskill_unique"),
            models.CheckConstraint(condition=Q(rubrique__in=[1, 2, 3]), name="rome_rubrique"),
        ]

    def __str__(self):
        return f"{self.fiche_id} → {self.skill_id} ({self.get_rubrique_display()})"


class FicheContext(models.Model):
    fiche = models.ForeignKey(
        Fiche, on_delete=models.CASCADE, related_name="context_links", db_index=False
    )
    context = models.ForeignKey(WorkContext, on_delete=models.PROTECT, related_name="fiche_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fiche", "context"], name="rome_fichecontext_unique")
        ]

    def __str__(self):
        return f"{self.fiche_id} → {self.context_id}"


class Mobility(models.Model):
    """An edge of the official mobility graph: from one fiche to a close one, ranked."""

    source = models.ForeignKey(
        Fiche, on_delete=models.CASCADE, related_name="mobilities", db_index=False
    )
    target = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="incoming_mobilities")
    rank = models.PositiveSmallIntegerField("rang")

    class Meta:
        verbose_name = "mobilité"
        verbose_name_plural = "mobilités"
        ordering = ["source", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="rome_mobility_unique"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="rome_mobility_loop"
            ),
        ]

    def __str__(self):
        return f"{self.source_id} → {self.target_id} (rang {self.rank})"


class FicheInterest(models.Model):
    centre = models.ForeignKey(InterestCentre, on_delete=models.PROTECT, related_name="fiche_links")
    fiche = models.ForeignKey(
        Fiche, on_delete=models.CASCADE, related_name="interest_links", db_index=False
    )
    is_main = models.BooleanField("principal", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fiche", "centre"], name="rome_ficheinterest_unique")
        ]

    def __str__(self):
        return f"{self.centre_id} → {self.fiche_id}"


class NafSection(models.Model):
    code = models.CharField("section", max_length=1, unique=True)
    label = models.CharField("libellé", max_length=250)

    class Meta:
        verbose_name = "section NAF"
        verbose_name_plural = "sections NAF"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-U]$"), name="rome_naf_section")
        ]

    def __str__(self):
        return f"{self.code} — {self.label}"


class NafSubclass(models.Model):
    """A NAF rév. 2 sub-class (code without the dot: 6201Z)."""

    code = models.CharField("code NAF", max_length=5, unique=True, validators=[validate_naf_code])
    label = models.CharField("libellé", max_length=250)
    section = models.ForeignKey(NafSection, on_delete=models.PROTECT, related_name="subclasses")
    search_text = models.CharField("texte de recherche", max_length=300)

    class Meta:
        verbose_name = "sous-classe NAF"
        verbose_name_plural = "sous-classes NAF"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=NAF_CODE_PATTERN), name="rome_naf_code")
        ]

    def __str__(self):
        return f"{self.dotted_code} — {self.label}"

    @property
    def dotted_code(self):
        return f"{self.code[:2]}.{self.code[2:]}"


class Hiring(models.Model):
    """Hirings of one occupation in one NAF sub-class (France Travail open data)."""

    fiche = models.ForeignKey(
        Fiche, on_delete=models.CASCADE, related_name="hirings", db_index=False
    )
    naf = models.ForeignKey(NafSubclass, on_delete=models.PROTECT, related_name="hirings")
    source_rome_code = models.CharField("code ROME du fichier (v3)", max_length=5)
    via_parent = models.BooleanField("rattaché par le code parent", default=False)
    count = models.PositiveIntegerField("embauches")

    class Meta:
        verbose_name = "embauches par secteur"
        verbose_name_plural = "embauches par secteur"
        constraints = [
            models.UniqueConstraint(
                fields=["fiche", "naf", "source_rome_code"], name="rome_hiring_unique"
            )
        ]

    def __str__(self):
        return f"{self.source_rome_code} × {self.naf_id} : {self.count}"


def _index_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


TENSION_LEVELS = {1: "très faible", 2: "faible", 3: "moyenne", 4: "forte", 5: "très forte"}
TENSION_INDICES = {
    "tension": "Tension",
    "hiring_intensity": "Intensité des embauches",
    "labour_shortage": "Manque de main-d'œuvre disponible",
    "job_durability": "Durabilité de l'emploi",
    "working_conditions": "Conditions de travail contraignantes",
    "geographic_mismatch": "Inadéquation géographique",
    "training_specificity": "Lien formation-emploi",
}


class BassinTension(models.Model):
    """Labour-market tension of one occupation in one bassin d'emploi (indices 1 to 5).

    The bassin is stored as its code and name: the geography app owns the Bassin model.
    """

    fiche = models.ForeignKey(
        Fiche, on_delete=models.CASCADE, related_name="tensions", db_index=False
    )
    source_rome_code = models.CharField("code ROME du fichier (v3)", max_length=5)
    year = models.PositiveSmallIntegerField("année")
    bassin_code = models.CharField("code du bassin d'emploi", max_length=4, db_index=True)
    bassin_name = models.CharField("bassin d'emploi", max_length=150, blank=True)
    region_code = models.CharField("code région", max_length=2, blank=True, db_index=True)
    job_offers = models.FloatField("offres d'emploi (moyenne)", null=True)
    job_seekers = models.FloatField("demandeurs d'emploi (moyenne)", null=True)
    tension = _index_field("tension")
    hiring_intensity = _index_field("intensité des embauches")
    labour_shortage = _index_field("manque de main-d'œuvre")
    job_durability = _index_field("durabilité de l'emploi")
    working_conditions = _index_field("conditions de travail")
    geographic_mismatch = _index_field("inadéquation géographique")
    training_specificity = _index_field("lien formation-emploi")

    class Meta:
        verbose_name = "tension par bassin"
        verbose_name_plural = "tensions par bassin"
        ordering = ["bassin_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiche", "bassin_code", "year"], name="rome_tension_unique"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"rome_tension_{name}_range",
                )
                for name in TENSION_INDICES
            ],
        ]

    def __str__(self):
        return f"{self.source_rome_code} × {self.bassin_code} ({self.year})"

    def indices(self):
        return [(label, getattr(self, name)) for name, label in TENSION_INDICES.items()]

    @property
    def tension_level(self):
        return TENSION_LEVELS.get(self.tension, "non renseignée")


class FapTension(models.Model):
    """Share of difficult hirings of a professional family (FAP), linked to a fiche."""

    fap_code = models.CharField("code FAP", max_length=5)
    fap_label = models.CharField("famille professionnelle", max_length=250)
    tension_pct = models.FloatField(
        "tension (%)", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="fap_tensions")
    source_rome_code = models.CharField("code ROME du fichier (v3)", max_length=5)

    class Meta:
        verbose_name = "tension par famille professionnelle"
        verbose_name_plural = "tensions par famille professionnelle"
        constraints = [
            models.UniqueConstraint(fields=["fap_code", "fiche"], name="rome_fap_unique"),
            models.CheckConstraint(
                condition=Q(tension_pct__gte=0, tension_pct__lte=100), name="rome_fap_pct"
            ),
        ]

    def __str__(self):
        return f"{self.fap_code} ({self.source_rome_code}) : {self.tension_pct} %"
