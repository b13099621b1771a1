"""The suggestions engine on a small catalogue: scores, weights, explanations, determinism."""

from dataclasses import replace

import pytest

from tests.guidance import engine_fixtures as fx
from tisserand.guidance.engine import (
    EmptyProfileError,
    GuidanceError,
    HeldJob,
    Profile,
    UnknownCodeError,
    Weights,
    rank,
)
from tisserand.guidance.engine import catalogue as catalogue_module
from tisserand.guidance.engine.access import access_level
from tisserand.guidance.engine.reconversion import JobPaths, aggregate
from tisserand.guidance.engine.riasec import QUESTION_KEYS, code_from_answers, letter_similarity


@pytest.fixture
def catalogue():
    return fx.catalogue()


def carer(**changes):
    """Someone who worked as an aide-soignant and kept all its skills."""
    values = {
        "held_jobs": (HeldJob("J1501", "Aide-soignant", 3, True),),
        "skills": frozenset(fx.OCCUPATIONS[0].skills),
    }
    values.update(changes)
    return Profile(**values)


# --- weights --------------------------------------------------------------------------------


def test_rare_skills_weigh_more_than_shared_ones(catalogue):
    assert catalogue.idf[fx.HYGIENE_CARE] > catalogue.idf[fx.HOSPITAL_HYGIENE]
    assert catalogue.idf[fx.HOSPITAL_HYGIENE] > catalogue.idf[fx.RIGOUR]


def test_core_know_how_weighs_more_than_knowledge_and_soft_skills(catalogue):
    weights = catalogue.fiche_features[catalogue.position["J1501"]]
    # Same rarity would still rank know-how > knowledge > savoir-être by nature.
    assert catalogue_module.CORE_KNOW_HOW > catalogue_module.KNOWLEDGE
    assert catalogue_module.KNOWLEDGE > catalogue_module.SOFT_SKILL
    assert weights[fx.HYGIENE_CARE] > weights[fx.HOSPITAL_HYGIENE] > weights[fx.RIGOUR]


def test_a_core_skill_of_the_occupation_weighs_more_there():
    plain = fx.catalogue()
    flagged = [
        replace(occupation, core_skills=(fx.WATCH_HEALTH,))
        if occupation.code == "J1501"
        else occupation
        for occupation in fx.OCCUPATIONS
    ]
    core = catalogue_module.Catalogue(flagged, fx.SKILLS, fx.CENTRES)
    before = plain.fiche_features[plain.position["J1501"]]
    after = core.fiche_features[core.position["J1501"]]
    assert after[fx.WATCH_HEALTH] == pytest.approx(
        before[fx.WATCH_HEALTH] * catalogue_module.CORE_OF_OCCUPATION
    )
    assert after[fx.HYGIENE_CARE] == before[fx.HYGIENE_CARE]
    # Someone who has only the core skill covers more of the occupation than before.
    at = core.position["J1501"]
    assert (
        core.skill_scores({fx.WATCH_HEALTH})[1][at] > plain.skill_scores({fx.WATCH_HEALTH})[1][at]
    )


def test_a_detailed_skill_brings_its_family_at_a_lower_weight(catalogue):
    features = catalogue.features_of_skills({fx.HYGIENE_CARE})
    assert features == {fx.HYGIENE_CARE: 1.0, fx.CARE: catalogue_module.FAMILY}


def test_identical_skills_give_full_similarity_and_coverage(catalogue):
    cosine, coverage = catalogue.skill_scores(frozenset(fx.OCCUPATIONS[0].skills))
    at = catalogue.position["J1501"]
    assert cosine[at] == pytest.approx(1.0)
    assert coverage[at] == pytest.approx(1.0)
    assert 0 < coverage[catalogue.position["K2204"]] < 1


# --- ranking --------------------------------------------------------------------------------


def test_every_occupation_but_the_held_one_is_ranked(catalogue):
    ranking = rank(catalogue, carer())
    assert sorted(ranking.codes()) == sorted(o.code for o in fx.OCCUPATIONS if o.code != "J1501")
    assert ranking.rank_of("J1501") is None
    assert [ranking.rank_of(code) for code in ranking.codes()] == list(range(1, 7))


def test_official_mobility_and_shared_skills_come_first(catalogue):
    ranking = rank(catalogue, carer())
    assert ranking.codes()[0] == "J1301"
    first = ranking.top(1)[0]
    assert first.is_official_mobility
    assert first.mobility_reason.startswith("Mobilité professionnelle officielle (ROME)")
    assert first.mobility_reason.endswith("votre métier : Aide-soignant.")


def test_ranking_is_deterministic_and_ties_are_broken_by_code(catalogue):
    driver = Profile(skills=frozenset({fx.DRIVE_VEHICLE}))
    first, second = rank(catalogue, driver), rank(catalogue, driver)
    assert first.codes() == second.codes()
    # N4101 and J1502 have the same skills, letters and interests: the code decides.
    codes = first.codes()
    assert first.score_of("J1502") == first.score_of("N4101")
    assert codes.index("J1502") < codes.index("N4101")


def test_switching_the_mobility_signal_off(catalogue):
    without = rank(catalogue, carer(), weights=Weights().without("mobility"))
    assert "mobility" not in without.weights
    assert without.top(1)[0].components[0].name == "skills"


def test_interests_and_riasec_lift_matching_occupations(catalogue):
    plain = rank(catalogue, Profile(skills=frozenset({fx.RIGOUR})))
    driving = rank(
        catalogue, Profile(skills=frozenset({fx.RIGOUR}), interests=frozenset({fx.DRIVING}))
    )
    assert driving.components["interests"][catalogue.position["N4101"]] == 1.0
    assert driving.score_of("N4101") > driving.score_of("K2204")
    assert plain.score_of("N4101") - plain.score_of("K2204") < (
        driving.score_of("N4101") - driving.score_of("K2204")
    )
    by_riasec = rank(catalogue, Profile(riasec="C"))
    assert by_riasec.codes()[0] == "M1607"
    assert "RIASEC" in by_riasec.top(1)[0].interest_reason


def test_riasec_similarity_follows_the_hexagon():
    assert letter_similarity("R", "R") == 1.0
    assert letter_similarity("R", "I") == letter_similarity("R", "C") == 0.5
    assert letter_similarity("R", "S") == 0.0


def test_local_demand_raises_the_score_and_explains_itself(catalogue):
    tight = fx.demand(catalogue, {"K2204": 5, "N4101": 1})
    ranking = rank(catalogue, carer(), demand=tight)
    assert (
        ranking.components["demand"][catalogue.position["K2204"]]
        > ranking.components["demand"][catalogue.position["N4101"]]
    )
    suggestion = ranking.suggestion("K2204")
    assert suggestion.demand_reason.startswith(
        "Tension très forte dans le bassin d'emploi Bassin test (indice 5 sur 5)"
    )
    assert "100 offres pour 50 demandeurs d'emploi" in suggestion.demand_reason
    assert "surtout dans : Activités hospitalières" in suggestion.demand_reason
    unknown = ranking.suggestion("M1607")
    assert unknown.demand_reason.startswith("Pas d'indicateur")


def test_a_missing_qualification_level_lowers_the_access_score(catalogue):
    ranking = rank(catalogue, Profile(skills=frozenset({fx.RIGOUR}), qualification_level=2))
    access = ranking.components["access"]
    assert access[catalogue.position["K2204"]] == 1.0
    assert access[catalogue.position["M1607"]] == pytest.approx(0.5)
    assert "VAE" in ranking.suggestion("M1607").access_reason
    assert ranking.suggestion("K2204").access_reason.startswith("Accessible avec votre niveau")


def test_constraints_lower_the_score_and_warn(catalogue):
    free = rank(catalogue, carer())
    limited = rank(
        catalogue,
        carer(
            excluded_contexts=frozenset({fx.HEAVY_LOADS}),
            exclusion_reasons={fx.HEAVY_LOADS: "port de charges lourdes"},
        ),
    )
    assert limited.score_of("K2204") == pytest.approx(free.score_of("K2204") * 0.7)
    assert limited.suggestion("K2204").warnings == [
        "Attention : port de charges lourdes (contraire à ce que vous avez indiqué)."
    ]


def test_explanations_list_skills_held_and_to_acquire(catalogue):
    suggestion = rank(catalogue, carer()).suggestion("J1301")
    assert suggestion.skills_have == ["Hygiène hospitalière", "Faire preuve de rigueur"]
    assert suggestion.skills_to_acquire == ["Accueillir un patient", "Entretenir les locaux"]
    assert suggestion.skills_reason.startswith("Vous avez déjà ")
    assert 0 < suggestion.percent <= 100
    assert suggestion.reasons[0] == suggestion.mobility_reason


def test_skills_of_a_job_held_nobody_ticked_are_shared_never_acquired(catalogue):
    ranking = rank(catalogue, carer(skills=frozenset()))
    suggestion = ranking.suggestion("J1301")
    assert suggestion.skills_have == [] and suggestion.skills_reason == ""
    assert suggestion.skills_from_jobs == ["Hygiène hospitalière", "Faire preuve de rigueur"]
    assert suggestion.coverage == 0.0 < suggestion.job_coverage
    assert "cochez dans votre profil" in suggestion.jobs_reason
    # The job still ranks its neighbours by skills, at a lower weight than ticked skills.
    assert ranking.components["skills"][catalogue.position["J1301"]] > 0
    assert ranking.rank_of("J1301") < ranking.rank_of("N4101")


def test_a_diploma_is_a_requirement_held_only_when_ticked(catalogue):
    unticked = rank(catalogue, Profile(held_jobs=(HeldJob("J1301"),))).suggestion("J1501")
    assert unticked.requirements == [("Diplôme d'État d'aide-soignant", False)]
    assert "Diplôme d'État d'aide-soignant" not in unticked.skills_from_jobs
    ticked = rank(catalogue, Profile(skills=frozenset({fx.CARER_DIPLOMA}))).suggestion("J1501")
    assert ticked.requirements == [("Diplôme d'État d'aide-soignant", True)]
    assert ticked.skills_have == []


def test_occupations_hired_by_the_same_employers_are_neighbours(catalogue):
    ranking = rank(catalogue, Profile(held_jobs=(HeldJob("N1101", "Cariste"),)))
    employers = ranking.components["employers"]
    # The driver shares the haulage sector; the cleaner only a temporary-work agency.
    assert employers[catalogue.position["N4101"]] > 0.3 > employers[catalogue.position["K2204"]]
    driver = ranking.suggestion("N4101")
    assert driver.has_same_employers
    assert driver.employers_reason == (
        "Recruté par les mêmes employeurs que votre métier (Cariste) : "
        "Transports routiers de fret interurbains."
    )
    assert not ranking.suggestion("K2204").has_same_employers
    assert ranking.rank_of("N4101") < ranking.rank_of("K2204")


def test_a_score_means_the_same_for_every_profile(catalogue):
    """One interest ticked does not make a « 100 % » suggestion: absent criteria count zero."""
    centre = fx.TAKE_CARE_OF_OTHERS
    interests_only = rank(catalogue, Profile(interests=frozenset({centre})))
    best = interests_only.top(1)[0]
    assert best.percent == round(100 * Weights().interests / Weights().total)
    assert interests_only.basis == (
        "Scores fondés sur vos envies seulement : ajoutez vos métiers pour affiner."
    )
    full = rank(catalogue, carer(interests=frozenset({centre}), qualification_level=4))
    assert full.suggestion("J1301").percent > best.percent
    assert full.basis.startswith("Scores fondés sur vos compétences, les employeurs de vos")
    assert sum(c.weight for c in full.suggestion("J1301").components) == pytest.approx(
        1 - Weights().demand / Weights().total
    )


def test_a_skill_of_the_same_family_is_close(catalogue):
    profile = Profile(skills=frozenset({fx.WATCH_HEALTH}))
    catalogue = fx.catalogue()
    occupations = [
        *fx.OCCUPATIONS,
        fx.Occupation("J1506", "Infirmier (fictif)", skills=(fx.HYGIENE_CARE, fx.RIGOUR)),
    ]
    catalogue = catalogue_module.Catalogue(occupations, fx.SKILLS, fx.CENTRES)
    suggestion = rank(catalogue, profile).suggestion("J1506")
    assert suggestion.skills_close == ["Réaliser des soins d'hygiène"]


def test_second_degree_mobility_counts_half(catalogue):
    ranking = rank(
        catalogue,
        Profile(held_jobs=(HeldJob("J1301"),)),
        second_degree=True,
    )
    mobility = ranking.components["mobility"]
    assert mobility[catalogue.position["J1501"]] == 1.0
    assert mobility[catalogue.position["K2204"]] == 0.5
    assert "en passant par : Aide-soignant" in ranking.suggestion("K2204").mobility_reason


# --- bad input ------------------------------------------------------------------------------


def test_an_empty_profile_is_refused_in_french(catalogue):
    with pytest.raises(EmptyProfileError, match="Le profil est vide"):
        rank(catalogue, Profile())


@pytest.mark.parametrize(
    ("profile", "what"),
    [
        (Profile(held_jobs=(HeldJob("Z9999"),)), "métier"),
        (Profile(skills=frozenset({123456})), "compétence"),
        (Profile(interests=frozenset({77})), "centre d'intérêt"),
    ],
)
def test_unknown_codes_are_refused(catalogue, profile, what):
    with pytest.raises(UnknownCodeError, match=f"Code\\(s\\) inconnu\\(s\\) \\({what}\\)"):
        rank(catalogue, profile)


@pytest.mark.parametrize(
    "profile",
    [Profile(riasec="XY"), Profile(riasec="RR"), Profile(riasec="S", qualification_level=9)],
)
def test_invalid_riasec_or_level_is_refused(catalogue, profile):
    with pytest.raises(GuidanceError):
        rank(catalogue, profile)


def test_unknown_target_code(catalogue):
    with pytest.raises(UnknownCodeError):
        rank(catalogue, carer()).suggestion("A0000")


# --- questionnaire, access text, collective map -----------------------------------------------


def test_riasec_questionnaire_gives_the_two_strongest_letters():
    answers = dict.fromkeys(QUESTION_KEYS, 0)
    answers.update({"s1": 2, "s2": 2, "s3": 1, "e1": 2, "c1": 1})
    assert code_from_answers(answers) == "SE"
    assert code_from_answers({"r1": 1, "a1": 1}) == "RA"  # tie: R-I-A-S-E-C order
    assert code_from_answers({"c2": 2}) == "C"
    assert code_from_answers({}) == ""
    assert code_from_answers({"r1": 7, "zz": 2}) == ""


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Cet emploi est accessible sans diplôme particulier.", 1),
        ("Cet emploi est accessible avec un CAP ou un BEP.", 3),
        ("Cet emploi est accessible avec un Bac professionnel.", 4),
        ("Cet emploi est accessible avec un niveau Bac+2 à Bac+5 en informatique.", 5),
        ("Cet emploi est accessible avec une Licence ou un Master.", 6),
        ("Cet emploi est accessible avec un Master.", 7),
        ("Cet emploi est accessible avec un Diplôme d'État d'aide-soignant.", 4),
        ("Ce métier s'exerce au sein du ministère de la Défense.", None),
        ("", None),
    ],
)
def test_access_level_read_from_the_rome_text(text, level):
    assert access_level(text) == level


def test_collective_aggregation_counts_employees_per_target(catalogue):
    ranking = rank(catalogue, carer())
    other = rank(
        catalogue, Profile(held_jobs=(HeldJob("K2204"),), skills=frozenset({fx.CLEAN_ROOMS}))
    )
    jobs = [
        JobPaths("Aide-soignant", "J1501", 12, ranking.top(3)),
        JobPaths("Agent de propreté", "K2204", 5, other.top(3)),
    ]
    targets, needs = aggregate(jobs, targets_per_job=3)
    assert sum(t.employees for t in targets) == 12 * 3 + 5 * 3
    shared = {t.code: t for t in targets}["J1301"]
    assert shared.employees == 17 and shared.jobs == ["Aide-soignant", "Agent de propreté"]
    assert needs[0].employees >= needs[-1].employees
