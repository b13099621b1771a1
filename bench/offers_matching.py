"""Benchmark of the matching: one person ranked against N offers (default 50,000) by the
engine, beside the bare vectorised floor (one sparse matrix-vector product over the same skill
data), and the database path (``matching.offers_for_person``, candidates by fiche).

    .venv/bin/python bench/offers_matching.py [--offers 50000] [--runs 5]
"""

import argparse
import random
import time

import numpy as np
from offers_common import FICHE_CODES, median_ms

from tisserand.opportunities.engine.ranking import rank_offers
from tisserand.opportunities.engine.scoring import OfferFeatures, PersonProfile
from tisserand.opportunities.engine.vector import OfferMatrix, PersonMatrix

SKILLS = 600


def offers(rng, count):
    return [
        OfferFeatures(
            key=n,
            appellation=None,
            fiche=rng.choice(FICHE_CODES),
            skills={rng.randrange(SKILLS): rng.random() < 0.5 for _ in range(4)},
            fiche_skills=frozenset(rng.sample(range(SKILLS), 25)),
            core_skills=frozenset(rng.sample(range(SKILLS), 5)),
            point=(50.69 + rng.uniform(-0.6, 0.6), 3.18 + rng.uniform(-0.9, 0.9)),
            contract_type=rng.choice(["CDI", "CDD", "MIS"]),
            working_time=rng.choice(["full_time", "part_time"]),
            requires_licence=rng.random() < 0.2,
            unsocial_hours=rng.random() < 0.1,
        )
        for n in range(count)
    ]


def floor(features, person):
    """One product of a sparse offers × skills matrix (CSR, numpy) with the person's vector."""
    indptr, indices = [0], []
    for offer in features:
        codes = set(offer.skills) | offer.fiche_skills
        indices.extend(codes)
        indptr.append(len(indices))
    indptr, indices = np.array(indptr), np.array(indices)
    data = np.ones(len(indices))
    vector = np.zeros(SKILLS)
    vector[list(person.confirmed_skills)] = 1.0

    def product():
        # y = A·x for a CSR matrix: the gathered values summed per row.
        return np.add.reduceat(data * vector[indices], indptr[:-1])

    return product


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(13)
    features = offers(rng, args.offers)
    person = PersonProfile(
        key="p",
        target_fiches=frozenset(FICHE_CODES[:2]),
        neighbour_fiches=frozenset(FICHE_CODES[2:5]),
        confirmed_skills=frozenset(rng.sample(range(SKILLS), 30)),
        point=(50.69, 3.18),
        radius_km=15,
        contract_types=frozenset({"CDI"}),
        working_time="full_time",
        driving_licence="none",
        barriers=frozenset({"family"}),
    )
    started = time.perf_counter()
    matrix = OfferMatrix.build(features)
    built = time.perf_counter() - started
    samples = []
    for _ in range(max(args.runs, 20)):
        started = time.perf_counter()
        top = matrix.rank(person, limit=30)
        samples.append(time.perf_counter() - started)
    started = time.perf_counter()
    rank_offers(person, features, limit=30)
    scalar = time.perf_counter() - started
    product = floor(features, person)
    floor_samples = []
    for _ in range(max(args.runs, 20)):
        started = time.perf_counter()
        product()
        floor_samples.append(time.perf_counter() - started)
    engine, bare = median_ms(samples), median_ms(floor_samples)
    print(f"Matrice des offres construite une fois : {built:.1f} s")
    print(
        f"Moteur vectorisé (les 30 premiers expliqués) : {args.offers} offres, "
        f"médiane {engine:.1f} ms, meilleur score {top[0].percent} %"
    )
    print(f"Même classement en Python pur, offre par offre : {scalar * 1000:.0f} ms")
    print(f"Plancher vectorisé (un produit matrice creuse × vecteur) : {bare:.2f} ms")
    print(f"Rapport au plancher : {engine / bare:.1f}×")
    candidates = [f for f in features if f.fiche in person.target_fiches | person.neighbour_fiches]
    started = time.perf_counter()
    rank_offers(person, candidates, limit=30)
    elapsed = (time.perf_counter() - started) * 1000
    print(f"Filtre par fiche puis Python pur : {len(candidates)} candidates, {elapsed:.0f} ms")
    persons_for_one_offer(rng, args.persons, max(args.runs, 20))


def persons(rng, count):
    return [
        PersonProfile(
            key=n,
            target_fiches=frozenset(rng.sample(FICHE_CODES, 2)),
            neighbour_fiches=frozenset(rng.sample(FICHE_CODES, 3)),
            confirmed_skills=frozenset(rng.sample(range(SKILLS), rng.randrange(5, 30))),
            point=(50.69 + rng.uniform(-0.3, 0.3), 3.18 + rng.uniform(-0.4, 0.4)),
            radius_km=rng.choice([5, 10, 20, 30]),
            contract_types=frozenset(rng.sample(["CDI", "CDD", "MIS"], rng.randrange(3))),
            working_time=rng.choice(["any", "full_time", "part_time"]),
            driving_licence=rng.choice(["none", "b", "learning"]),
            barriers=frozenset(rng.sample(["family", "mobility", "health"], rng.randrange(3))),
        )
        for n in range(count)
    ]


def persons_for_one_offer(rng, count, runs):
    people = persons(rng, count)
    started = time.perf_counter()
    matrix = PersonMatrix.build(people)
    built = time.perf_counter() - started
    offer = offers(rng, 1)[0]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        matrix.rank(offer, limit=30)
        samples.append(time.perf_counter() - started)
    # The floor: one product of the persons × skills matrix with the offer's weights.
    weights = np.zeros(SKILLS)
    weights[list(set(offer.skills) | offer.fiche_skills)] = 1.0
    indptr, indices = [0], []
    for person in people:
        indices.extend(person.confirmed_skills)
        indptr.append(len(indices))
    indptr, indices = np.array(indptr), np.array(indices)
    floor_samples = []
    for _ in range(runs):
        started = time.perf_counter()
        np.add.reduceat(weights[indices], indptr[:-1])
        floor_samples.append(time.perf_counter() - started)
    engine, bare = median_ms(samples), median_ms(floor_samples)
    print(f"Personnes pour une offre : {count} profils (matrice construite en {built:.1f} s)")
    print(
        f"  moteur vectorisé, médiane {engine:.1f} ms ; plancher {bare:.2f} ms ; "
        f"{engine / bare:.1f}×"
    )


if __name__ == "__main__":
    main()
