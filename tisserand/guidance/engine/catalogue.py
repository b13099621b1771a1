"""Every occupation, with what ranking needs precomputed once: skill weights, arrays.

Skill weights. Each fiche requires skills of four natures; a detailed savoir-faire is the core
of an occupation and counts most, a savoir counts less and a savoir-être (shared by hundreds of
fiches) least. A detailed skill also makes its fiche belong to the skill's family (its
macro-skill), at a lower weight: two occupations needing different detailed skills of the same
family are close. On top of the nature, each skill (or family) is weighted by its rarity, an
IDF: ``ln((N + 1) / (df + 1)) + 1`` where ``df`` is the number of fiches requiring it — a skill
every fiche asks for says little about which occupation fits. Last, the skills France Travail
flags as the « cœur de métier » of a fiche weigh ``CORE_OF_OCCUPATION`` times more in it: they
are what defines the occupation, where the others are shared with its neighbours.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from tisserand.guidance.engine import riasec
from tisserand.guidance.engine.data import DemandFacts, InterestCentre, Occupation, Skill, SkillKind

# {skill or family code: weight}
Features = dict[int, float]

# Weight of a skill by its nature (before rarity).
CORE_KNOW_HOW = 1.0
MACRO_KNOW_HOW = 0.7
KNOWLEDGE = 0.8
SOFT_SKILL = 0.3
# Weight of belonging to the family of a detailed skill.
FAMILY = 0.5
# Factor of a skill flagged « cœur de métier » of the fiche.
CORE_OF_OCCUPATION = 1.5
# Factor of a skill of a job held that the person did not tick (presumed, not confirmed).
PRESUMED = 0.5
# Interest centres: a main centre of the fiche, a secondary one.
MAIN_INTEREST, SECONDARY_INTEREST = 1.0, 0.6
NO_LETTER = len(riasec.LETTERS)


def nature_factor(skill: Skill) -> float:
    if skill.kind == SkillKind.SOFT_SKILL:
        return SOFT_SKILL
    if skill.kind == SkillKind.KNOWLEDGE:
        return KNOWLEDGE
    return MACRO_KNOW_HOW if skill.is_macro else CORE_KNOW_HOW


@dataclass(frozen=True)
class DemandVector:
    """Demand facts of a place aligned on the catalogue: tension and hirings parts (0–1)."""

    tension: np.ndarray  # NaN where unknown
    hirings: np.ndarray
    facts: dict  # {code: DemandFacts}
    area_label: str = ""


class Catalogue:
    def __init__(
        self,
        occupations: Iterable[Occupation],
        skills: Iterable[Skill],
        centres: Iterable[InterestCentre] = (),
        version: str = "",
        sector_labels: Mapping[str, str] | None = None,
    ) -> None:
        self.version = version
        self.occupations = tuple(sorted(occupations, key=lambda occupation: occupation.code))
        self.size = len(self.occupations)
        self.position = {occupation.code: at for at, occupation in enumerate(self.occupations)}
        self.skills = {skill.code: skill for skill in skills}
        self.centres = {centre.code: centre for centre in centres}
        self._index_skills()
        self._index_interests()
        self._index_riasec()
        self._index_mobilities()
        self._index_contexts()
        self.sector_labels = dict(sector_labels or {})
        self._index_sectors()
        self.access_levels = np.array(
            [occupation.access_level or 0 for occupation in self.occupations], dtype=np.int8
        )

    def __len__(self) -> int:
        return self.size

    def occupation(self, code: str) -> Occupation:
        return self.occupations[self.position[code]]

    # --- skills ----------------------------------------------------------------------------

    def features_of_skills(self, skill_codes: Iterable[int]) -> Features:
        """{feature: nature weight} of a set of skills: the skills and their families."""
        features: Features = {}
        for code in skill_codes:
            skill = self.skills.get(code)
            if skill is None:
                continue
            _keep_max(features, code, nature_factor(skill))
            if skill.macro is not None:
                _keep_max(features, skill.macro, FAMILY)
        return features

    def _occupation_features(self, occupation: Occupation) -> Features:
        """{feature: nature weight} of an occupation's skills, its core skills weighing more."""
        features = self.features_of_skills(occupation.skills)
        for code in occupation.core_skills:
            if code in features:
                features[code] *= CORE_OF_OCCUPATION
        return features

    def _index_skills(self) -> None:
        per_fiche = [self._occupation_features(o) for o in self.occupations]
        document_frequency: dict[int, int] = {}
        for features in per_fiche:
            for feature in features:
                document_frequency[feature] = document_frequency.get(feature, 0) + 1
        self.idf = {
            feature: math.log((self.size + 1) / (count + 1)) + 1.0
            for feature, count in document_frequency.items()
        }
        self.fiche_features = [
            {feature: factor * self.idf[feature] for feature, factor in features.items()}
            for features in per_fiche
        ]
        self.fiche_weight_sums = np.array([sum(f.values()) for f in self.fiche_features])
        self.fiche_norms = np.sqrt(
            np.array([sum(w * w for w in f.values()) for f in self.fiche_features])
        )
        # Postings: for each feature, the fiches requiring it and their weight of it.
        rows: dict[int, list[int]] = {}
        values: dict[int, list[float]] = {}
        for at, features in enumerate(self.fiche_features):
            for feature, weight in features.items():
                rows.setdefault(feature, []).append(at)
                values.setdefault(feature, []).append(weight)
        self.postings = {
            feature: (np.array(rows[feature], dtype=np.int32), np.array(values[feature]))
            for feature in rows
        }

    def person_weights(self, skill_codes: Iterable[int], presumed: Iterable[int] = ()) -> Features:
        """{feature: weight} of a person's skills (features no fiche requires are dropped).

        ``presumed``: skills of the jobs held that the person did not tick; they weigh
        ``PRESUMED`` times less than the ticked ones.
        """
        weights = {
            feature: PRESUMED * factor * self.idf[feature]
            for feature, factor in self.features_of_skills(presumed).items()
            if feature in self.idf
        }
        for feature, factor in self.features_of_skills(skill_codes).items():
            if feature in self.idf:
                weights[feature] = factor * self.idf[feature]
        return weights

    def presumed_skills(self, held_codes: Iterable[str], ticked: Iterable[int]) -> frozenset[int]:
        """The skills of the jobs held that were not ticked, diplomas and licences excepted."""
        codes = {code for held in held_codes for code in self.occupation(held).skills}
        return frozenset(
            code
            for code in codes - set(ticked)
            if code in self.skills and not self.skills[code].is_certification
        )

    def _sparse_products(self, person: Mapping[int, float]) -> tuple[np.ndarray, np.ndarray]:
        """(dot product with each fiche, weight of each fiche's features the person has)."""
        if not person:
            return np.zeros(self.size), np.zeros(self.size)
        features = sorted(person)
        rows = np.concatenate([self.postings[feature][0] for feature in features])
        fiche_weights = np.concatenate([self.postings[feature][1] for feature in features])
        person_weights = np.concatenate(
            [np.full(len(self.postings[feature][0]), person[feature]) for feature in features]
        )
        dot = np.bincount(rows, weights=fiche_weights * person_weights, minlength=self.size)
        covered = np.bincount(rows, weights=fiche_weights, minlength=self.size)
        return dot, covered

    def skill_scores(
        self, skill_codes: Iterable[int], presumed: Iterable[int] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """(cosine similarity, weighted coverage of each fiche's requirements), per fiche.

        The cosine uses the ticked skills and the presumed ones; the coverage, which the
        explanations quote as « vous avez déjà … % », only the ticked ones.
        """
        person = self.person_weights(skill_codes, presumed)
        dot, _ = self._sparse_products(person)
        person_norm = math.sqrt(sum(weight * weight for weight in person.values()))
        cosine = dot / np.maximum(self.fiche_norms * person_norm, 1e-12)
        return cosine, self.coverage(skill_codes)

    def coverage(self, skill_codes: Iterable[int]) -> np.ndarray:
        """The weighted share of each fiche's skills (and families) found in ``skill_codes``."""
        _, covered = self._sparse_products(self.person_weights(skill_codes))
        return covered / np.maximum(self.fiche_weight_sums, 1e-12)

    # --- interests, RIASEC -----------------------------------------------------------------

    def _index_interests(self) -> None:
        codes = sorted({c for o in self.occupations for c in o.interests} | set(self.centres))
        self.centre_column = {code: at for at, code in enumerate(codes)}
        matrix = np.zeros((self.size, max(len(codes), 1)))
        for at, occupation in enumerate(self.occupations):
            for centre in occupation.interests:
                matrix[at, self.centre_column[centre]] = SECONDARY_INTEREST
            for centre in occupation.main_interests:
                matrix[at, self.centre_column[centre]] = MAIN_INTEREST
        self.interest_matrix = matrix

    def interest_scores(self, centre_codes: Iterable[int]) -> np.ndarray:
        columns = [self.centre_column[c] for c in sorted(centre_codes) if c in self.centre_column]
        if not columns:
            return np.zeros(self.size)
        return np.minimum(1.0, self.interest_matrix[:, columns].sum(axis=1))

    def _index_riasec(self) -> None:
        def index(letter: str) -> int:
            return riasec.LETTERS.index(letter) if letter else NO_LETTER

        self.riasec_major = np.array([index(o.riasec[:1]) for o in self.occupations])
        self.riasec_minor = np.array([index(o.riasec[1:2]) for o in self.occupations])
        self.riasec_similarity = np.array(riasec.similarity_matrix())

    def riasec_scores(self, code: str) -> np.ndarray:
        """Closeness of each fiche's RIASEC letters to the person's code (0–1)."""
        if not code:
            return np.zeros(self.size)
        first = riasec.LETTERS.index(code[0])
        second = riasec.LETTERS.index(code[1]) if len(code) > 1 else NO_LETTER
        sim = self.riasec_similarity
        major, minor = self.riasec_major, self.riasec_minor
        has_minor = (minor != NO_LETTER).astype(float)
        has_second = 1.0 if second != NO_LETTER else 0.0
        total = 0.5 * sim[first, major] + 0.15 * sim[first, minor] * has_minor
        weight = 0.5 + 0.15 * has_minor
        if has_second:
            total = total + 0.25 * sim[second, major] + 0.1 * sim[second, minor] * has_minor
            weight = weight + 0.25 + 0.1 * has_minor
        return np.where(major == NO_LETTER, 0.0, total / weight)

    # --- mobility, contexts, demand --------------------------------------------------------

    def _index_mobilities(self) -> None:
        self.mobility_targets = {
            o.code: tuple(self.position[t] for t in o.mobilities if t in self.position)
            for o in self.occupations
        }

    def _index_contexts(self) -> None:
        positions: dict[int, list[int]] = {}
        for at, occupation in enumerate(self.occupations):
            for context in occupation.contexts:
                positions.setdefault(context, []).append(at)
        self.context_positions = {c: np.array(p, dtype=np.int32) for c, p in positions.items()}

    # --- the same employers ------------------------------------------------------------------

    def _index_sectors(self) -> None:
        """Each fiche's profile of the sectors hiring it, as a unit row of ``sector_matrix``.

        A sector's share of the fiche's hirings is square-rooted (a sector hiring 60 % of it
        should not drown one hiring 15 %) and weighted by its rarity among fiches, as skills
        are: temporary-work agencies and public administration hire nearly everything and say
        little about which occupations share employers.
        """
        codes = sorted({naf for o in self.occupations for naf, _ in o.sectors})
        self.sector_codes = tuple(codes)
        column = {code: at for at, code in enumerate(codes)}
        matrix = np.zeros((self.size, max(len(codes), 1)))
        for at, occupation in enumerate(self.occupations):
            for naf, count in occupation.sectors:
                matrix[at, column[naf]] += count
        totals = matrix.sum(axis=1, keepdims=True)
        shares = np.sqrt(matrix / np.maximum(totals, 1e-12))
        fiches_per_sector = (matrix > 0).sum(axis=0)
        shares *= np.log((self.size + 1) / (fiches_per_sector + 1)) + 1.0
        norms = np.linalg.norm(shares, axis=1, keepdims=True)
        self.sector_matrix = shares / np.maximum(norms, 1e-12)
        # Sparse postings (a fiche is hired by a few dozen sectors at most): one similarity
        # costs the postings of the held job's sectors, not a dense product.
        self.sector_rows = [np.flatnonzero(row) for row in self.sector_matrix]
        self.sector_postings = [
            (np.flatnonzero(column), column[np.flatnonzero(column)])
            for column in self.sector_matrix.T
        ]

    def employer_scores(self, held_codes: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """(cosine of each fiche's sector profile with the closest job held, that job's row)."""
        best = np.zeros(self.size)
        origin = np.full(self.size, -1, dtype=np.int32)
        for code in held_codes:
            row = self.position[code]
            similarity = np.zeros(self.size)
            for column in self.sector_rows[row].tolist():
                fiches, values = self.sector_postings[column]
                similarity[fiches] += values * self.sector_matrix[row, column]
            closer = similarity > best
            best = np.where(closer, similarity, best)
            origin = np.where(closer, row, origin)
        return best, origin

    def shared_sectors(self, first: int, second: int, count: int = 3) -> list[str]:
        """Labels of the sectors that weigh most in both fiches' profiles (rows)."""
        products = self.sector_matrix[first] * self.sector_matrix[second]
        best = np.argsort(-products, kind="stable")[:count]
        return [
            self.sector_labels.get(self.sector_codes[at], self.sector_codes[at])
            for at in best
            if products[at] > 0
        ]

    def demand_vector(
        self, facts_by_code: Mapping[str, DemandFacts], area_label: str = ""
    ) -> DemandVector:
        """Aligns demand facts ({code: DemandFacts}) on the catalogue, once per place."""
        tension = np.full(self.size, np.nan)
        hirings = np.zeros(self.size)
        for code, facts in facts_by_code.items():
            at = self.position.get(code)
            if at is None:
                continue
            if facts.tension is not None:
                tension[at] = (facts.tension - 1) / 4
            elif facts.difficult_hirings_pct is not None:
                tension[at] = facts.difficult_hirings_pct / 100
            hirings[at] = math.log1p(facts.hirings)
        top = hirings.max() if self.size else 0
        if top > 0:
            hirings = hirings / top
        return DemandVector(tension, hirings, dict(facts_by_code), area_label)


def _keep_max(mapping: Features, key: int, value: float) -> None:
    if mapping.get(key, 0.0) < value:
        mapping[key] = value
