"""The same score as ``scoring.score``, computed for many offers at once with numpy.

``OfferMatrix`` holds the features of many offers as arrays (the skills as a sparse
offers × skills matrix of weights, in CSR form); ``rank`` scores one person against all of
them in a few vectorised passes — the skills part is one sparse matrix-vector product — and
explains only the best ones with ``scoring.score`` (same formula: a test checks that both
give the same scores).
"""

from dataclasses import dataclass, replace

import numpy as np

from tisserand.opportunities.engine import scoring
from tisserand.opportunities.engine.scoring import (
    CORE_WEIGHT,
    DEFAULT_RADIUS_KM,
    EARTH_RADIUS_KM,
    OFFER_SKILL_WEIGHT,
    PENALTY_CHILDCARE,
    PENALTY_LICENCE,
    PENALTY_MOBILITY,
    TOTAL_WEIGHT,
    WEIGHTS,
)

WORKING = {"any": 0, "full_time": 1, "part_time": 2}


@dataclass
class OfferMatrix:
    features: list
    fiche_codes: list
    fiche: np.ndarray
    appellation: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray
    totals: np.ndarray
    empty: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    placed: np.ndarray
    contract_codes: list
    contract: np.ndarray
    working: np.ndarray
    licence: np.ndarray
    unsocial: np.ndarray
    skill_index: dict

    @classmethod
    def build(cls, features):
        fiche_codes = sorted({f.fiche for f in features if f.fiche})
        fiche_of = {code: i for i, code in enumerate(fiche_codes)}
        contract_codes = sorted({f.contract_type for f in features if f.contract_type})
        contract_of = {code: i for i, code in enumerate(contract_codes)}
        skill_index = {}
        indptr, indices, weights = [0], [], []
        for offer in features:
            for code in set(offer.skills) | set(offer.fiche_skills):
                weight = CORE_WEIGHT if code in offer.core_skills else 1.0
                if code in offer.skills:
                    weight *= OFFER_SKILL_WEIGHT
                indices.append(skill_index.setdefault(code, len(skill_index)))
                weights.append(weight)
            indptr.append(len(indices))
        indptr = np.array(indptr, dtype=np.int64)
        weights = np.array(weights + [0.0])  # a trailing zero keeps reduceat in bounds
        indices = np.array(indices + [0], dtype=np.int64)
        empty = indptr[1:] == indptr[:-1]
        totals = np.add.reduceat(weights, indptr[:-1]) if len(features) else np.zeros(0)
        totals[empty] = 0.0
        placed = np.array([f.point is not None for f in features], dtype=bool)
        return cls(
            features=list(features),
            fiche_codes=fiche_codes,
            fiche=np.array([fiche_of.get(f.fiche, -1) for f in features], dtype=np.int64),
            appellation=np.array(
                [f.appellation if f.appellation is not None else -1 for f in features],
                dtype=np.int64,
            ),
            indptr=indptr,
            indices=indices,
            weights=weights,
            totals=totals,
            empty=empty,
            lat=np.radians([f.point[0] if f.point else 0.0 for f in features]),
            lon=np.radians([f.point[1] if f.point else 0.0 for f in features]),
            placed=placed,
            contract_codes=contract_codes,
            contract=np.array(
                [contract_of.get(f.contract_type, -1) for f in features], dtype=np.int64
            ),
            working=np.array([WORKING.get(f.working_time, 0) for f in features], dtype=np.int64),
            licence=np.array([f.requires_licence for f in features], dtype=bool),
            unsocial=np.array([f.unsocial_hours for f in features], dtype=bool),
            skill_index=skill_index,
        )

    def _codes(self, wanted, codes):
        return np.array([i for i, code in enumerate(codes) if code in wanted], dtype=np.int64)

    def scores(self, person):
        """The score of ``person`` for every offer (same formula as ``scoring.score``)."""
        n = len(self.features)
        if n == 0:
            return np.zeros(0)
        occupation = np.zeros(n)
        occupation[np.isin(self.fiche, self._codes(person.neighbour_fiches, self.fiche_codes))] = (
            0.6
        )
        occupation[np.isin(self.fiche, self._codes(person.target_fiches, self.fiche_codes))] = 0.9
        if person.target_appellations:
            occupation[np.isin(self.appellation, list(person.target_appellations))] = 1.0
        vector = np.zeros(len(self.skill_index) + 1)
        held = [self.skill_index[c] for c in person.confirmed_skills if c in self.skill_index]
        vector[held] = 1.0
        # The skills part: one sparse matrix-vector product (CSR rows summed by reduceat).
        overlap = np.add.reduceat(self.weights * vector[self.indices], self.indptr[:-1])
        overlap[self.empty] = 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            skills = np.where(
                self.totals > 0, overlap / np.where(self.totals > 0, self.totals, 1), 0.0
            )
        distance = np.zeros(n)
        km = None
        if person.point is not None:
            lat0, lon0 = np.radians(person.point[0]), np.radians(person.point[1])
            h = (
                np.sin((self.lat - lat0) / 2) ** 2
                + np.cos(lat0) * np.cos(self.lat) * np.sin((self.lon - lon0) / 2) ** 2
            )
            km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
            radius = person.radius_km or DEFAULT_RADIUS_KM
            distance = np.clip(1.0 - (km - radius) / radius, 0.0, 1.0)
            distance[~self.placed] = 0.0
        contract = np.zeros(n)
        if person.contract_types:
            contract[
                np.isin(self.contract, self._codes(person.contract_types, self.contract_codes))
            ] = 1.0
        working = np.zeros(n)
        wanted = WORKING.get(person.working_time, 0)
        if wanted:
            working[self.working == wanted] = 1.0
        value = (
            WEIGHTS["occupation"] * occupation
            + WEIGHTS["skills"] * skills
            + WEIGHTS["distance"] * distance
            + WEIGHTS["contract"] * contract
            + WEIGHTS["working_time"] * working
        ) / TOTAL_WEIGHT
        if person.driving_licence in ("none", "learning"):
            value -= PENALTY_LICENCE * self.licence
        if scoring.CHILDCARE_THEME in person.barriers:
            value -= PENALTY_CHILDCARE * self.unsocial
        if scoring.MOBILITY_THEME in person.barriers and km is not None and not person.has_vehicle:
            far = self.placed & (km > (person.radius_km or DEFAULT_RADIUS_KM) / 2)
            value -= PENALTY_MOBILITY * far
        return np.round(np.maximum(value, 0.0), 4)

    def rank(self, person, *, limit=50, skill_labels=None, min_score=0.05):
        """The best ``limit`` ``Match``es, explained (key: the offer's)."""
        values = self.scores(person)
        if len(values) == 0:
            return []
        keep = min(limit, len(values))
        top = np.argpartition(-values, keep - 1)[:keep]
        top = top[np.argsort(-values[top], kind="stable")]
        return [
            scoring.score(person, self.features[i], skill_labels)
            for i in top
            if values[i] >= min_score
        ]


def _rows_by(persons, attribute):
    """value → array of the rows of ``persons`` whose ``attribute`` (a set) holds it."""
    index = {}
    for row, person in enumerate(persons):
        for value in getattr(person, attribute):
            index.setdefault(value, []).append(row)
    return {value: np.array(rows, dtype=np.int64) for value, rows in index.items()}


@dataclass
class PersonMatrix:
    """Many persons' profiles as arrays, to rank them for one offer (same formula)."""

    persons: list
    by_appellation: dict
    by_fiche: dict
    by_neighbour: dict
    by_contract: dict
    skill_indptr: np.ndarray
    skill_indices: np.ndarray
    skill_index: dict
    lat: np.ndarray
    lon: np.ndarray
    placed: np.ndarray
    radius: np.ndarray
    working: np.ndarray
    no_licence: np.ndarray
    childcare: np.ndarray
    mobility: np.ndarray

    @classmethod
    def build(cls, persons):
        skill_index, indptr, indices = {}, [0], []
        for person in persons:
            indices.extend(
                skill_index.setdefault(c, len(skill_index)) for c in person.confirmed_skills
            )
            indptr.append(len(indices))
        return cls(
            persons=list(persons),
            by_appellation=_rows_by(persons, "target_appellations"),
            by_fiche=_rows_by(persons, "target_fiches"),
            by_neighbour=_rows_by(persons, "neighbour_fiches"),
            by_contract=_rows_by(persons, "contract_types"),
            skill_indptr=np.array(indptr, dtype=np.int64),
            skill_indices=np.array(indices + [0], dtype=np.int64),
            skill_index=skill_index,
            lat=np.radians([p.point[0] if p.point else 0.0 for p in persons]),
            lon=np.radians([p.point[1] if p.point else 0.0 for p in persons]),
            placed=np.array([p.point is not None for p in persons], dtype=bool),
            radius=np.array([p.radius_km or DEFAULT_RADIUS_KM for p in persons], dtype=float),
            working=np.array([WORKING.get(p.working_time, 0) for p in persons], dtype=np.int64),
            no_licence=np.array([p.driving_licence in ("none", "learning") for p in persons]),
            childcare=np.array([scoring.CHILDCARE_THEME in p.barriers for p in persons]),
            mobility=np.array(
                [scoring.MOBILITY_THEME in p.barriers and not p.has_vehicle for p in persons]
            ),
        )

    def scores(self, offer):
        n = len(self.persons)
        if n == 0:
            return np.zeros(0)
        occupation = np.zeros(n)
        if offer.fiche:
            occupation[self.by_neighbour.get(offer.fiche, [])] = 0.6
            occupation[self.by_fiche.get(offer.fiche, [])] = 0.9
        if offer.appellation is not None:
            occupation[self.by_appellation.get(offer.appellation, [])] = 1.0
        wanted = set(offer.skills) | set(offer.fiche_skills)
        skills = np.zeros(n)
        if wanted:
            weights = np.zeros(len(self.skill_index) + 1)
            total = 0.0
            for code in wanted:
                weight = CORE_WEIGHT if code in offer.core_skills else 1.0
                if code in offer.skills:
                    weight *= OFFER_SKILL_WEIGHT
                total += weight
                if code in self.skill_index:
                    weights[self.skill_index[code]] = weight
            # One sparse matrix-vector product: each person's held skills, weighted.
            held = np.add.reduceat(weights[self.skill_indices], self.skill_indptr[:-1])
            held[self.skill_indptr[1:] == self.skill_indptr[:-1]] = 0.0
            skills = held / total
        distance = np.zeros(n)
        km = None
        if offer.point is not None:
            lat0, lon0 = np.radians(offer.point[0]), np.radians(offer.point[1])
            h = (
                np.sin((self.lat - lat0) / 2) ** 2
                + np.cos(lat0) * np.cos(self.lat) * np.sin((self.lon - lon0) / 2) ** 2
            )
            km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
            distance = np.clip(1.0 - (km - self.radius) / self.radius, 0.0, 1.0)
            distance[~self.placed] = 0.0
        contract = np.zeros(n)
        if offer.contract_type:
            contract[self.by_contract.get(offer.contract_type, [])] = 1.0
        working = np.zeros(n)
        code = WORKING.get(offer.working_time, 0)
        if code:
            working[(self.working == code)] = 1.0
        value = (
            WEIGHTS["occupation"] * occupation
            + WEIGHTS["skills"] * skills
            + WEIGHTS["distance"] * distance
            + WEIGHTS["contract"] * contract
            + WEIGHTS["working_time"] * working
        ) / TOTAL_WEIGHT
        if offer.requires_licence:
            value -= PENALTY_LICENCE * self.no_licence
        if offer.unsocial_hours:
            value -= PENALTY_CHILDCARE * self.childcare
        if km is not None:
            value -= PENALTY_MOBILITY * (self.mobility & self.placed & (km > self.radius / 2))
        return np.round(np.maximum(value, 0.0), 4)

    def rank(self, offer, *, limit=50, skill_labels=None, min_score=0.05):
        """The best ``limit`` ``Match``es for ``offer``, explained (key: the person's)."""
        values = self.scores(offer)
        if len(values) == 0:
            return []
        keep = min(limit, len(values))
        top = np.argpartition(-values, keep - 1)[:keep]
        top = top[np.argsort(-values[top], kind="stable")]
        return [
            replace(scoring.score(self.persons[i], offer, skill_labels), key=self.persons[i].key)
            for i in top
            if values[i] >= min_score
        ]
