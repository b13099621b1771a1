"""The GPEC computations: gaps per position and per person, departures, the age pyramid, the
closest internal people and the training plan — never counting an unrated skill as held."""

import datetime

import pytest
from django.utils import timezone

from tests.companies.factories import EstablishmentFactory
from tests.companies.portal_helpers import rate, skill_of, toolkit
from tests.guidance.helpers import make_training
from tests.referentials.geo.factories import make_commune
from tisserand.companies import gpec, gpec_analysis
from tisserand.companies.gpec_charts import pyramid_svg


@pytest.fixture
def kit():
    roubaix = make_commune("59512", "Roubaix", postal_codes=["59100"], lat=50.69, lon=3.18)
    establishment = EstablishmentFactory(commune=roubaix)
    return {"establishment": establishment, **toolkit(establishment)}


def _data(kit):
    return gpec_analysis.load(kit["establishment"])


def test_person_gaps_count_rated_skills_only(kit):
    lina = kit["people"]["Lina"]
    rate(lina, skill_of(kit["baker"], "Cuire au four"), 1)
    rate(lina, skill_of(kit["baker"], "Pétrir la pâte"), 3)
    gaps = gpec_analysis.person_gaps(_data(kit), lina)
    assert [(line.skill.label, line.gap) for line in gaps.gaps] == [("Cuire au four", 1)]
    # Two skills were not rated: « à évaluer », neither held nor a gap.
    assert {line.skill.label for line in gaps.unrated} == {"Façonner les pains", "Tenir la caisse"}
    assert gaps.total_gap == 1


def test_position_gaps_and_uncovered_skills(kit):
    bernard, lina = kit["people"]["Bernard"], kit["people"]["Lina"]
    bake = skill_of(kit["baker"], "Cuire au four")
    rate(bernard, bake, 3)
    rate(lina, bake, 1)
    gaps = gpec_analysis.position_gaps(_data(kit), kit["baker"])
    line = next(line for line in gaps.lines if line.skill == bake)
    assert (line.holders, line.below, line.unrated, line.company_holders) == (1, 1, 0, 1)
    assert {line.skill.label for line in gaps.uncovered} == {
        "Pétrir la pâte",
        "Façonner les pains",
        "Tenir la caisse",
    }


def test_departures_retirement_at_64_and_fixed_term_ends(kit):
    data = _data(kit)
    found = {d.employee.alias: d for d in gpec_analysis.departures(data)}
    year = timezone.localdate().year
    # Bernard is 63: retires next year; Théo's fixed-term contract ends in 90 days.
    assert set(found) == {"Bernard", "Théo"}
    assert (found["Bernard"].year, found["Bernard"].reason) == (year + 1, "retraite")
    assert found["Théo"].reason == "fin de CDD"
    assert found["Théo"].when == timezone.localdate() + datetime.timedelta(days=90)


def test_a_later_retirement_age_moves_departures_out_of_the_horizon(kit):
    gpec.set_retirement_age(kit["establishment"], data={"retirement_age": 67}, actor=kit["actor"])
    found = {d.employee.alias for d in gpec_analysis.departures(_data(kit))}
    assert found == {"Théo"}


def test_someone_past_the_retirement_age_leaves_this_year(kit):
    year = timezone.localdate().year
    gpec.add_employee(
        kit["establishment"],
        data={"alias": "Josette", "birth_year": year - 66, "hire_year": year - 40},
        actor=kit["actor"],
    )
    found = {d.employee.alias: d.year for d in gpec_analysis.departures(_data(kit))}
    assert found["Josette"] == year


def test_a_fixed_term_end_beyond_three_years_is_not_a_departure_ahead(kit):
    year = timezone.localdate().year
    gpec.add_employee(
        kit["establishment"],
        data={
            "alias": "Long",
            "birth_year": year - 30,
            "hire_year": year - 1,
            "is_fixed_term": True,
            "contract_end": datetime.date(year + 5, 6, 30),
        },
        actor=kit["actor"],
    )
    assert "Long" not in {d.employee.alias for d in gpec_analysis.departures(_data(kit))}


def test_the_pyramid_counts_every_employee_once_with_those_leaving(kit):
    bands = {band.label: band for band in gpec_analysis.pyramid(_data(kit))}
    assert sum(band.total for band in bands.values()) == 4
    assert (bands["moins de 25 ans"].staying, bands["moins de 25 ans"].leaving) == (0, 1)
    assert (bands["60 ans et plus"].staying, bands["60 ans et plus"].leaving) == (0, 1)
    assert bands["25 à 34 ans"].staying == 1
    assert bands["45 à 54 ans"].staying == 1
    svg = pyramid_svg(list(bands.values()))
    assert svg.startswith("<svg") and "<title" in svg


def test_the_closest_internal_people_rank_by_rated_coverage_and_skip_those_leaving(kit):
    bernard, lina, zoe = (kit["people"][name] for name in ("Bernard", "Lina", "Zoé"))
    baker = kit["baker"]
    for label in ("Pétrir la pâte", "Cuire au four", "Façonner les pains"):
        rate(bernard, skill_of(baker, label), 3)
    # Zoé (seller) knows the till and some kneading; Théo (leaving) would be better but leaves.
    rate(zoe, skill_of(baker, "Tenir la caisse"), 3)
    rate(zoe, skill_of(baker, "Pétrir la pâte"), 1)
    theo = kit["people"]["Théo"]
    for label in ("Pétrir la pâte", "Cuire au four"):
        rate(theo, skill_of(baker, label), 3)
    rows = {row.position.title: row for row in gpec_analysis.anticipation(_data(kit))}
    baker_row = rows[baker.title]
    assert [d.employee for d in baker_row.departures] == [bernard]
    assert [c.employee for c in baker_row.candidates] == [zoe]
    candidate = baker_row.candidates[0]
    # Required 2 on each of 4 skills = 8; Zoé covers min(3,2) + min(1,2) = 3 → 38 %.
    assert candidate.coverage == 38
    assert (candidate.rated, candidate.unrated) == (2, 2)
    assert lina not in [c.employee for c in baker_row.candidates]  # she holds the position


def test_an_unrated_person_is_never_proposed_as_closest(kit):
    rows = gpec_analysis.anticipation(_data(kit))
    assert all(row.candidates == [] for row in rows)


def test_the_training_plan_comes_from_rated_gaps_and_trainings_nearby(kit):
    lina = kit["people"]["Lina"]
    rate(lina, skill_of(kit["baker"], "Cuire au four"), 0)
    training = make_training(kit["baker"].appellation.fiche.code, title="CAP Boulanger")
    make_training("Z9999", title="Sans rapport")
    plan = gpec_analysis.training_plan(_data(kit))
    assert len(plan) == 1
    line = plan[0]
    assert line.position == kit["baker"]
    assert line.employees == [lina]
    assert line.skills == ["Cuire au four"]
    assert [match.training for match in line.trainings] == [training]


def test_no_training_is_proposed_for_skills_nobody_rated(kit):
    make_training(kit["baker"].appellation.fiche.code)
    assert gpec_analysis.training_plan(_data(kit)) == []


def test_loading_takes_a_fixed_number_of_queries(kit, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        data = _data(kit)
        gpec_analysis.summary(data)
        gpec_analysis.anticipation(data)
        gpec_analysis.pyramid(data)


def test_without_a_commune_the_plan_says_it_searched_without_distance():
    establishment = EstablishmentFactory(commune=None)
    kit = toolkit(establishment)
    rate(kit["people"]["Lina"], skill_of(kit["baker"], "Cuire au four"), 0)
    make_training(kit["baker"].appellation.fiche.code)
    (line,) = gpec_analysis.training_plan(gpec_analysis.load(establishment))
    assert line.near is False and len(line.trainings) == 1
