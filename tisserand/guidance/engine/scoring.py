"""Ranking every occupation for a profile, with a transparent score.

The score of an occupation is the weighted sum of its components (each between 0 and 1) over
the sum of *all* the weights, reduced when the occupation's work contexts clash with the
person's constraints. A component the profile says nothing about (no interest given, no
level…) counts as zero: a score means the same for every profile, and ``Ranking.basis`` says
what it rests on. The components:

- ``skills``: cosine similarity between the person's skills and the fiche's, both weighted by
  nature and rarity (see ``catalogue``), on a fixed scale (``FULL_SKILLS_COSINE`` gives 1).
  Ticked skills count fully, the unticked skills of the jobs held at a lower weight;
- ``employers``: the cosine of the fiche's profile of hiring sectors with a job held's (the
  ROME × NAF hirings table): occupations hired by the same employers are neighbours across
  skills (a forklift driver and a delivery driver);
- ``interests``: the interest centres chosen that the fiche lists (a main centre counts fully),
  and the closeness of RIASEC codes on Holland's hexagon;
- ``mobility``: 1 when the official ROME mobility graph leads from a job held to the fiche
  (0.5 at two steps, when asked);
- ``demand``: the tension in the person's labour-market area (index 1–5), or the region's, or
  the national share of difficult hirings, for 3/4; the yearly hirings of the occupation for 1/4;
- ``access``: 1 when the person's qualification reaches the level the fiche names, less per
  missing level.

Ties are broken by ROME code: the order is stable.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from tisserand.guidance.engine import riasec
from tisserand.guidance.engine.catalogue import Catalogue, DemandVector
from tisserand.guidance.engine.errors import (
    EmptyProfileError,
    GuidanceError,
    UnknownCodeError,
)
from tisserand.guidance.engine.explain import explain
from tisserand.guidance.engine.profile import Profile

# Per fiche reached by mobility: the paths [(held code, via code or None)].
MobilityPaths = dict[int, list[tuple[str, str | None]]]

COMPONENTS = ("skills", "employers", "interests", "mobility", "demand", "access")
COMPONENT_LABELS = {
    "skills": "Compétences",
    "employers": "Mêmes employeurs que vos métiers",
    "interests": "Envies et profil RIASEC",
    "mobility": "Mobilité professionnelle officielle",
    "demand": "Recrutements sur le territoire",
    "access": "Niveau d'accès",
}
# What each component rests on, for the sentence saying what a score is founded on.
BASIS_WORDS = {
    "skills": "vos compétences",
    "employers": "les employeurs de vos métiers",
    "interests": "vos envies",
    "mobility": "les mobilités officielles de vos métiers",
    "demand": "les recrutements",
    "access": "votre niveau de diplôme",
}
UNKNOWN_TENSION = 0.25
TENSION_SHARE = 0.75
SECOND_DEGREE_MOBILITY = 0.5
ACCESS_PENALTY_PER_LEVEL = 0.25
CONFLICT_PENALTY = 0.3
MIN_CONFLICT_FACTOR = 0.1
# The skills cosine that counts as a full skills score: about the closest neighbour's
# similarity for nine held jobs in ten (measured on ROME 4.60 by bench/guidance_ranking.py).
# A fixed scale, not the best of each profile, keeps a score comparable across profiles.
FULL_SKILLS_COSINE = 0.45


@dataclass(frozen=True)
class Weights:
    """Each component's weight; a score is the weighted sum over the sum of all weights, so a
    component the profile says nothing about counts as zero, never as « not asked »."""

    skills: float = 0.35
    employers: float = 0.15
    interests: float = 0.15
    mobility: float = 0.10
    demand: float = 0.15
    access: float = 0.10

    def without(self, *names: str) -> "Weights":
        return replace(self, **dict.fromkeys(names, 0.0))

    def only(self, *names: str) -> "Weights":
        return self.without(*(name for name in COMPONENTS if name not in names))

    @property
    def total(self) -> float:
        return sum(getattr(self, name) for name in COMPONENTS)


DEFAULT_WEIGHTS = Weights()
# Career securing: the local labour market, the jobs' neighbours and their employers matter
# more than tastes.
RECONVERSION_WEIGHTS = Weights(
    skills=0.30, employers=0.20, interests=0.0, mobility=0.10, demand=0.35, access=0.05
)


@dataclass(frozen=True)
class ComponentScore:
    name: str
    label: str
    value: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    @property
    def value_percent(self) -> int:
        return round(self.value * 100)

    @property
    def weight_percent(self) -> int:
        return round(self.weight * 100)


@dataclass
class Suggestion:
    code: str
    label: str
    rank: int | None
    score: float
    components: list
    is_held: bool = False
    coverage: float = 0.0
    job_coverage: float = 0.0
    skills_have: list = field(default_factory=list)
    skills_from_jobs: list = field(default_factory=list)
    skills_close: list = field(default_factory=list)
    skills_to_acquire: list = field(default_factory=list)
    # [(label, stated)]: the diplomas and licences the fiche names, held (ticked) or not.
    requirements: list = field(default_factory=list)
    jobs_reason: str = ""
    mobility_from: list = field(default_factory=list)
    mobility_reason: str = ""
    employers_reason: str = ""
    demand: object = None
    demand_reason: str = ""
    interests_matched: list = field(default_factory=list)
    interest_reason: str = ""
    access_reason: str = ""
    warnings: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def is_official_mobility(self) -> bool:
        return bool(self.mobility_from)

    @property
    def has_same_employers(self) -> bool:
        return bool(self.employers_reason)

    @property
    def reasons(self) -> list[str]:
        """The French sentences explaining the suggestion, most telling first."""
        return [
            text
            for text in (
                self.mobility_reason,
                self.employers_reason,
                self.skills_reason,
                self.jobs_reason,
                self.interest_reason,
                self.demand_reason,
                self.access_reason,
                *self.warnings,
            )
            if text
        ]

    @property
    def skills_reason(self) -> str:
        if not self.skills_have:
            return ""
        return (
            f"Vous avez déjà {round(self.coverage * 100)} % des compétences du métier, parmi "
            "celles que vous avez cochées (pondérées : le cœur du métier compte plus que les "
            "savoir-être)."
        )


class Ranking:
    """Every occupation of the catalogue scored for one profile, best first."""

    def __init__(
        self,
        catalogue: Catalogue,
        profile: Profile,
        components: dict[str, np.ndarray],
        weights: dict[str, float],
        factors: np.ndarray,
        context: dict[str, Any],
        total_weight: float,
    ) -> None:
        self.catalogue = catalogue
        self.profile = profile
        self.components = components
        self.weights = weights
        self.factors = factors
        self.context = context
        self.total_weight = total_weight
        total = np.zeros(catalogue.size)
        for name, weight in weights.items():
            total += weight * components[name]
        if total_weight > 0:
            total /= total_weight
        self.totals = np.round(total * factors, 12)
        held = np.zeros(catalogue.size, dtype=bool)
        held[[catalogue.position[code] for code in profile.held_codes]] = True
        self.held = held
        order = np.argsort(-self.totals, kind="stable")
        self.order = order[~held[order]]
        self._rank_of = np.zeros(catalogue.size, dtype=np.int32)
        self._rank_of[self.order] = np.arange(1, len(self.order) + 1)

    def __len__(self) -> int:
        return len(self.order)

    @property
    def reach(self) -> float:
        """The share of the score the profile can reach (1 when every component applies)."""
        return sum(self.weights.values()) / self.total_weight if self.total_weight else 0.0

    @property
    def basis(self) -> str:
        """A French sentence saying what the scores rest on, and what would refine them."""
        used = [BASIS_WORDS[name] for name in COMPONENTS if name in self.weights]
        if not used:
            return ""
        sentence = "Scores fondés sur " + _french_list(used)
        if not self.profile.held_jobs and not self.profile.skills:
            return sentence + " seulement : ajoutez vos métiers pour affiner."
        missing: list[str] = []
        if not (self.profile.interests or self.profile.riasec):
            missing.append("vos envies")
        if self.profile.qualification_level is None:
            missing.append("votre niveau de diplôme")
        if missing:
            return sentence + f" ; ajoutez {_french_list(missing)} pour affiner."
        return sentence + "."

    def codes(self) -> list[str]:
        """Every occupation not already held, best first."""
        return [self.catalogue.occupations[at].code for at in self.order]

    def rank_of(self, code: str) -> int | None:
        """1-based rank of an occupation, None for a job held."""
        at = self.catalogue.position[code]
        return None if self.held[at] else int(self._rank_of[at])

    def score_of(self, code: str) -> float:
        return float(self.totals[self.catalogue.position[code]])

    def top(self, count: int = 20) -> list[Suggestion]:
        return [self._suggestion(at) for at in self.order[:count]]

    def suggestion(self, code: str) -> Suggestion:
        if code not in self.catalogue.position:
            raise UnknownCodeError("métier", [code])
        return self._suggestion(self.catalogue.position[code])

    def _suggestion(self, at: int) -> Suggestion:
        occupation = self.catalogue.occupations[at]
        components = [
            ComponentScore(
                name,
                COMPONENT_LABELS[name],
                float(self.components[name][at]),
                weight / self.total_weight,
            )
            for name, weight in self.weights.items()
        ]
        suggestion = Suggestion(
            code=occupation.code,
            label=occupation.label,
            rank=None if self.held[at] else int(self._rank_of[at]),
            score=float(self.totals[at]),
            components=components,
            is_held=bool(self.held[at]),
        )
        explain(suggestion, self, at)
        return suggestion


def _french_list(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def validate(catalogue: Catalogue, profile: Profile) -> None:
    if profile.is_empty():
        raise EmptyProfileError
    unknown_jobs = [code for code in profile.held_codes if code not in catalogue.position]
    if unknown_jobs:
        raise UnknownCodeError("métier", unknown_jobs)
    unknown_skills = [code for code in profile.skills if code not in catalogue.skills]
    if unknown_skills:
        raise UnknownCodeError("compétence", unknown_skills)
    unknown_centres = [code for code in profile.interests if code not in catalogue.centres]
    if unknown_centres:
        raise UnknownCodeError("centre d'intérêt", unknown_centres)
    if not riasec.is_valid_code(profile.riasec):
        raise GuidanceError(f"Code RIASEC invalide : « {profile.riasec} ».")
    level = profile.qualification_level
    if level is not None and not 1 <= level <= 8:
        raise GuidanceError("Le niveau de qualification va de 1 à 8.")


def rank(
    catalogue: Catalogue,
    profile: Profile,
    *,
    demand: DemandVector | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    second_degree: bool = False,
) -> Ranking:
    """Scores every occupation of ``catalogue`` for ``profile``; returns a ``Ranking``.

    ``demand`` is a ``DemandVector`` of the person's area (``catalogue.demand_vector``).
    Raises ``EmptyProfileError`` or ``UnknownCodeError`` (French messages).
    """
    validate(catalogue, profile)
    size = catalogue.size
    components: dict[str, np.ndarray] = {}
    used: dict[str, float] = {}
    context: dict[str, Any] = {}

    presumed = catalogue.presumed_skills(profile.held_codes, profile.skills)
    cosine, coverage = catalogue.skill_scores(profile.skills, presumed)
    components["skills"] = np.minimum(1.0, cosine / FULL_SKILLS_COSINE)
    context["coverage"], context["presumed"] = coverage, presumed
    context["skills_cosine"] = cosine
    context["job_coverage"] = (
        catalogue.coverage(profile.skills | presumed) if presumed else coverage
    )
    if profile.skills or presumed:
        used["skills"] = weights.skills

    interests = catalogue.interest_scores(profile.interests)
    riasec_fit = catalogue.riasec_scores(profile.riasec)
    context["interest_scores"], context["riasec_scores"] = interests, riasec_fit
    if profile.interests and profile.riasec:
        components["interests"] = (interests + riasec_fit) / 2
    else:
        components["interests"] = interests if profile.interests else riasec_fit
    if profile.interests or profile.riasec:
        used["interests"] = weights.interests

    components["employers"], context["employer_origin"] = catalogue.employer_scores(
        profile.held_codes
    )
    if profile.held_codes:
        used["employers"] = weights.employers

    components["mobility"], context["mobility_paths"] = _mobility(
        catalogue, profile.held_codes, second_degree
    )
    if profile.held_codes:
        used["mobility"] = weights.mobility

    components["demand"] = _demand(demand, size)
    context["demand"] = demand
    if demand is not None:
        used["demand"] = weights.demand

    components["access"] = _access(catalogue, profile.qualification_level)
    if profile.qualification_level is not None:
        used["access"] = weights.access

    factors, context["conflicts"] = _constraints(catalogue, profile.excluded_contexts)
    used = {name: used[name] for name in COMPONENTS if used.get(name, 0) > 0}
    return Ranking(catalogue, profile, components, used, factors, context, weights.total)


def _mobility(
    catalogue: Catalogue, held_codes: Iterable[str], second_degree: bool
) -> tuple[np.ndarray, MobilityPaths]:
    """Mobility component and, per fiche reached, the paths [(held code, via code or None)]."""
    values = np.zeros(catalogue.size)
    paths: MobilityPaths = {}
    for code in held_codes:
        for target in catalogue.mobility_targets.get(code, ()):
            values[target] = 1.0
            paths.setdefault(target, []).append((code, None))
    if second_degree:
        for code in held_codes:
            for step in catalogue.mobility_targets.get(code, ()):
                via = catalogue.occupations[step].code
                for target in catalogue.mobility_targets.get(via, ()):
                    if values[target] < 1.0:
                        values[target] = SECOND_DEGREE_MOBILITY
                        paths.setdefault(target, []).append((code, via))
    return values, paths


def _demand(demand: DemandVector | None, size: int) -> np.ndarray:
    if demand is None:
        return np.zeros(size)
    tension = np.where(np.isnan(demand.tension), UNKNOWN_TENSION, demand.tension)
    return TENSION_SHARE * tension + (1 - TENSION_SHARE) * demand.hirings


def _access(catalogue: Catalogue, level: int | None) -> np.ndarray:
    if level is None:
        return np.ones(catalogue.size)
    required = catalogue.access_levels.astype(float)
    missing = np.clip(required - level, 0, None)
    return np.where(required == 0, 1.0, np.clip(1 - ACCESS_PENALTY_PER_LEVEL * missing, 0, 1))


def _constraints(
    catalogue: Catalogue, excluded: Collection[int]
) -> tuple[np.ndarray, dict[int, list[int]]]:
    counts = np.zeros(catalogue.size)
    conflicts: dict[int, list[int]] = {}
    for context in sorted(excluded):
        positions = catalogue.context_positions.get(context)
        if positions is None:
            continue
        counts[positions] += 1
        for at in positions.tolist():
            conflicts.setdefault(at, []).append(context)
    factors = np.maximum(MIN_CONFLICT_FACTOR, 1 - CONFLICT_PENALTY * counts)
    return factors, conflicts
