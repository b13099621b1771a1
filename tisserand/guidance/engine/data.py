"""Plain data the engine works on, loaded by an adapter (from the database, or from files)."""

from dataclasses import dataclass, field


class SkillKind:
    """The nature of a ROME skill (the values of the rome app's ``Skill.Kind``)."""

    KNOW_HOW = "savoir_faire"
    SOFT_SKILL = "savoir_etre"
    KNOWLEDGE = "savoir"


@dataclass(frozen=True)
class Skill:
    code: int
    label: str
    kind: str
    is_macro: bool = False
    # The macro-skill (skill family) a detailed skill belongs to, if any.
    macro: int | None = None
    # A diploma, certificate, licence or habilitation (ROME savoirs « Certifications et
    # habilitations »): an access requirement the person holds or not, never a skill to presume.
    is_certification: bool = False


@dataclass(frozen=True)
class InterestCentre:
    code: int
    label: str


@dataclass(frozen=True)
class Occupation:
    """A ROME fiche as the engine sees it."""

    code: str
    label: str
    skills: tuple = ()
    # The skills France Travail flags as the « cœur de métier » of this occupation.
    core_skills: tuple = ()
    # RIASEC major then minor letter ("RI", "S" or "").
    riasec: str = ""
    interests: tuple = ()
    main_interests: tuple = ()
    # Official mobility targets (ROME codes), closest first.
    mobilities: tuple = ()
    # Work contexts (ROME code_ogr): hours, physical conditions…
    contexts: tuple = ()
    # Lowest qualification level of the 2019 national frame (1 to 8) giving access, if known.
    access_level: int | None = None
    access_summary: str = ""
    is_regulated: bool = False
    # Yearly hirings per sector (NAF code, count), from the ROME × NAF hirings table: which
    # employers hire this occupation (the parent fiche's figures for a new fiche).
    sectors: tuple = ()


@dataclass(frozen=True)
class DemandFacts:
    """What is known of the demand for one occupation in one place."""

    # Tension index 1 (low) to 5 (very high) and where it was measured.
    tension: int | None = None
    # "bassin", "région" or "" (unknown); area_label names it.
    scope: str = ""
    area_label: str = ""
    job_offers: float | None = None
    job_seekers: float | None = None
    # Share of difficult hirings of the professional family (national), in %.
    difficult_hirings_pct: float | None = None
    # Yearly hirings of the occupation (all sectors) and the sectors hiring most of it.
    hirings: int = 0
    top_sectors: tuple = field(default_factory=tuple)
