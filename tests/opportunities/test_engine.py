"""The pure matching engine: each criterion, the explanations, and never claiming a skill or
a licence the person did not confirm."""

import pytest

from tisserand.opportunities.engine.ranking import rank_offers, rank_persons
from tisserand.opportunities.engine.scoring import (
    OfferFeatures,
    PersonProfile,
    haversine_km,
    score,
)

ROUBAIX = (50.69, 3.18)
LILLE = (50.63, 3.05)
DUNKERQUE = (51.03, 2.37)


def person(**kw):
    base = {
        "key": 1,
        "target_appellations": frozenset({11573}),
        "target_fiches": frozenset({"D1102"}),
        "confirmed_skills": frozenset({1}),
        "point": ROUBAIX,
        "radius_km": 15,
        "contract_types": frozenset({"CDI"}),
        "working_time": "full_time",
        "driving_licence": "b",
    }
    base.update(kw)
    return PersonProfile(**base)


def offer(**kw):
    base = {
        "key": "o1",
        "appellation": 11573,
        "fiche": "D1102",
        "skills": {1: True, 2: True},
        "fiche_skills": frozenset({1, 2, 3}),
        "core_skills": frozenset({1}),
        "point": ROUBAIX,
        "contract_type": "CDI",
        "working_time": "full_time",
    }
    base.update(kw)
    return OfferFeatures(**base)


LABELS = {1: "Pétrir la pâte", 2: "Façonner les pâtons", 3: "Cuire"}


def test_haversine_roubaix_lille():
    assert 10 < haversine_km(ROUBAIX, LILLE) < 13


def test_a_perfect_match_scores_high_and_says_why():
    match = score(person(), offer(), LABELS)
    assert match.percent >= 80
    assert "même métier que celui visé" in match.reasons
    assert any("Pétrir la pâte" in reason for reason in match.reasons)


def test_a_required_skill_not_confirmed_is_to_check_never_claimed():
    match = score(person(confirmed_skills=frozenset({1})), offer(), LABELS)
    assert "compétence à vérifier : Façonner les pâtons" in match.to_check
    assert not any("Façonner" in reason for reason in match.reasons)


def test_no_confirmed_skill_claims_none():
    match = score(person(confirmed_skills=frozenset()), offer(), LABELS)
    assert match.criteria["skills"] == 0
    assert not any("compétence" in reason for reason in match.reasons)


def test_core_skills_weigh_more():
    core = score(person(confirmed_skills=frozenset({1})), offer(skills={}), LABELS)
    other = score(person(confirmed_skills=frozenset({3})), offer(skills={}), LABELS)
    assert core.criteria["skills"] > other.criteria["skills"]


def test_official_mobility_counts_less_than_the_same_fiche():
    same = score(person(), offer(appellation=None), LABELS)
    near = score(
        person(
            target_fiches=frozenset({"D1104"}),
            neighbour_fiches=frozenset({"D1102"}),
            target_appellations=frozenset(),
        ),
        offer(appellation=None),
        LABELS,
    )
    assert same.criteria["occupation"] > near.criteria["occupation"] > 0


def test_distance_beyond_twice_the_radius_counts_zero():
    assert score(person(), offer(point=DUNKERQUE)).criteria["distance"] == 0
    assert score(person(), offer(point=LILLE)).criteria["distance"] == 1


def test_missing_licence_is_an_explained_penalty():
    without = score(person(driving_licence="none"), offer(requires_licence=True))
    with_licence = score(person(driving_licence="b"), offer(requires_licence=True))
    assert without.score < with_licence.score
    assert "permis de conduire exigé : la personne n'en a pas" in without.penalties
    assert with_licence.penalties == ()


def test_unknown_licence_is_to_check_not_a_penalty():
    match = score(person(driving_licence=""), offer(requires_licence=True))
    assert match.penalties == ()
    assert "permis de conduire exigé : à vérifier" in match.to_check


def test_childcare_barrier_against_unsocial_hours_is_explained():
    match = score(person(barriers=frozenset({"family"})), offer(unsocial_hours=True))
    assert any("garde d'enfants" in text for text in match.penalties)
    assert score(person(), offer(unsocial_hours=True)).penalties == ()


def test_a_score_never_goes_below_zero():
    match = score(
        person(
            barriers=frozenset({"family", "mobility"}),
            driving_licence="none",
            target_fiches=frozenset(),
            target_appellations=frozenset(),
            confirmed_skills=frozenset(),
            contract_types=frozenset(),
        ),
        offer(requires_licence=True, unsocial_hours=True, point=LILLE),
    )
    assert match.score == 0


def test_rankings_best_first():
    offers = [
        offer(key="far", point=DUNKERQUE),
        offer(key="near"),
        offer(key="other", fiche="K2204", appellation=None, skills={}, fiche_skills=frozenset()),
    ]
    ranked = rank_offers(person(), offers, skill_labels=LABELS)
    assert [m.key for m in ranked][:2] == ["near", "far"]
    persons = [person(key="a"), person(key="b", point=DUNKERQUE)]
    assert [m.key for m in rank_persons(offer(), persons)] == ["a", "b"]


def test_the_vectorised_scores_are_the_scalar_scores():
    import random

    from tisserand.opportunities.engine.vector import OfferMatrix

    rng = random.Random(7)
    offers = [
        offer(
            key=n,
            appellation=rng.choice([None, 11573, 2]),
            fiche=rng.choice(["D1102", "D1104", "K2204", ""]),
            skills={rng.randrange(12): rng.random() < 0.5 for _ in range(rng.randrange(4))},
            fiche_skills=frozenset(rng.sample(range(12), rng.randrange(5))),
            core_skills=frozenset(rng.sample(range(12), 2)),
            point=rng.choice([None, ROUBAIX, LILLE, DUNKERQUE, (50.7, 3.2)]),
            contract_type=rng.choice(["CDI", "CDD", ""]),
            working_time=rng.choice(["any", "full_time", "part_time"]),
            requires_licence=rng.random() < 0.3,
            unsocial_hours=rng.random() < 0.3,
        )
        for n in range(300)
    ]
    matrix = OfferMatrix.build(offers)
    for profile in (
        person(),
        person(
            driving_licence="none",
            barriers=frozenset({"family", "mobility"}),
            neighbour_fiches=frozenset({"D1104"}),
        ),
        person(
            point=None,
            contract_types=frozenset(),
            working_time="any",
            confirmed_skills=frozenset({1, 2, 3}),
        ),
    ):
        vector = matrix.scores(profile)
        scalar = [score(profile, o).score for o in offers]
        # Both round to 4 decimals: a value on a rounding edge may differ by one unit.
        assert list(vector) == pytest.approx(scalar, abs=1.5e-4)
        ranked = matrix.rank(profile, limit=10)
        assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)
        assert ranked[0].score == pytest.approx(max(scalar), abs=1.5e-4)


def test_the_vectorised_persons_scores_are_the_scalar_scores():
    import random

    from tisserand.opportunities.engine.vector import PersonMatrix

    rng = random.Random(11)
    persons = [
        person(
            key=n,
            target_appellations=frozenset(rng.sample([11573, 2, 3], rng.randrange(2))),
            target_fiches=frozenset(rng.sample(["D1102", "D1104", "K2204"], rng.randrange(3))),
            neighbour_fiches=frozenset(rng.sample(["D1102", "D1106"], rng.randrange(2))),
            confirmed_skills=frozenset(rng.sample(range(12), rng.randrange(6))),
            point=rng.choice([None, ROUBAIX, LILLE, DUNKERQUE]),
            radius_km=rng.choice([None, 5, 30]),
            contract_types=frozenset(rng.sample(["CDI", "CDD"], rng.randrange(3))),
            working_time=rng.choice(["any", "full_time", "part_time"]),
            driving_licence=rng.choice(["", "none", "b", "learning"]),
            has_vehicle=rng.random() < 0.5,
            barriers=frozenset(rng.sample(["family", "mobility", "health"], rng.randrange(3))),
        )
        for n in range(300)
    ]
    matrix = PersonMatrix.build(persons)
    for target in (
        offer(),
        offer(requires_licence=True, unsocial_hours=True, point=LILLE, appellation=None),
        offer(skills={}, fiche_skills=frozenset(), point=None, contract_type=""),
    ):
        vector = matrix.scores(target)
        scalar = [score(p, target).score for p in persons]
        assert list(vector) == pytest.approx(scalar, abs=1.5e-4)
        ranked = matrix.rank(target, limit=5)
        assert ranked[0].score == pytest.approx(max(scalar), abs=1.5e-4)
        assert all(isinstance(m.key, int) for m in ranked)
