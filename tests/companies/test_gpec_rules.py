"""The GPEC toolkit's invariants, each tried from the database and from the services: levels
0–3, one level per employee × skill, a plausible birth year, a contract end only for a
fixed-term contract, nothing written when a rule is broken."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.companies.factories import EstablishmentFactory
from tests.companies.portal_helpers import bakery_appellation, rate, skill_of, toolkit
from tests.factories import UserFactory
from tisserand.companies import gpec
from tisserand.companies.models import (
    GpecEmployee,
    GpecLevel,
    GpecPositionSkill,
    GpecSkill,
)
from tisserand.core.actor import Actor
from tisserand.core.models import TimelineEvent


@pytest.fixture
def kit():
    establishment = EstablishmentFactory()
    return {"establishment": establishment, **toolkit(establishment)}


def _breaks(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_a_position_is_prefilled_from_its_fiche_core_skills_marked(kit):
    links = list(GpecPositionSkill.objects.filter(position=kit["baker"]).select_related("skill"))
    assert {link.skill.label for link in links} == {
        "Pétrir la pâte",
        "Façonner les pains",
        "Cuire au four",
        "Tenir la caisse",
    }
    assert {link.skill.label for link in links if link.is_core} == {
        "Pétrir la pâte",
        "Cuire au four",
    }
    # The same ROME label in two positions is one skill of the company's catalogue.
    assert (
        GpecSkill.objects.filter(
            establishment=kit["establishment"], label="Tenir la caisse"
        ).count()
        == 1
    )


def test_the_database_refuses_a_level_outside_0_3(kit):
    employee = kit["people"]["Lina"]
    skill = skill_of(kit["baker"], "Cuire au four")
    _breaks(lambda: GpecLevel.objects.create(employee=employee, skill=skill, level=4))


def test_the_database_refuses_two_levels_for_one_employee_and_skill(kit):
    employee = kit["people"]["Lina"]
    skill = skill_of(kit["baker"], "Cuire au four")
    GpecLevel.objects.create(employee=employee, skill=skill, level=1)
    _breaks(lambda: GpecLevel.objects.create(employee=employee, skill=skill, level=2))


def test_the_database_refuses_an_implausible_birth_year_and_a_stray_contract_end(kit):
    establishment = kit["establishment"]
    _breaks(
        lambda: GpecEmployee.objects.create(
            establishment=establishment, alias="X", birth_year=1850, hire_year=1900
        )
    )
    _breaks(
        lambda: GpecEmployee.objects.create(
            establishment=establishment,
            alias="Y",
            birth_year=1990,
            hire_year=2015,
            contract_end=datetime.date(2030, 1, 1),
        )
    )
    _breaks(
        lambda: GpecEmployee.objects.create(
            establishment=establishment, alias="Z", birth_year=1990, hire_year=2000
        )
    )


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"birth_year": 1900}, "année de naissance"),
        ({"birth_year": timezone.localdate().year - 10}, "année de naissance"),
        ({"hire_year": timezone.localdate().year + 1}, "année d'embauche"),
        ({"hire_year": 1992}, "année d'embauche"),
        ({"is_fixed_term": True}, "date de fin"),
        ({"alias": "  "}, "pseudonyme"),
        ({"alias": "Lina"}, "déjà dans la liste"),
    ],
)
def test_the_service_refuses_bad_employee_data_and_writes_nothing(kit, changes, message):
    data = {"alias": "Nouvelle", "birth_year": 1985, "hire_year": 2010, **changes}
    count = GpecEmployee.objects.count()
    with pytest.raises(gpec.GpecError, match=message):
        gpec.add_employee(kit["establishment"], data=data, actor=kit["actor"])
    assert GpecEmployee.objects.count() == count


def test_a_permanent_contract_drops_a_contract_end(kit):
    employee = gpec.add_employee(
        kit["establishment"],
        data={
            "alias": "Paul",
            "birth_year": 1980,
            "hire_year": 2005,
            "is_fixed_term": False,
            "contract_end": datetime.date(2030, 1, 1),
        },
        actor=kit["actor"],
    )
    assert employee.contract_end is None


def test_the_matrix_saves_sets_and_clears_cells_and_records_it(kit):
    lina, bernard = kit["people"]["Lina"], kit["people"]["Bernard"]
    bake = skill_of(kit["baker"], "Cuire au four")
    knead = skill_of(kit["baker"], "Pétrir la pâte")
    rate(bernard, knead, 3)
    touched, cleared = gpec.save_matrix(
        kit["establishment"],
        data={(lina.pk, bake.pk): 2, (bernard.pk, knead.pk): None},
        actor=kit["actor"],
    )
    assert (touched, cleared) == (1, 1)
    assert dict(GpecLevel.objects.values_list("employee__alias", "level")) == {"Lina": 2}
    assert TimelineEvent.objects.filter(summary__startswith="GPEC : matrice").exists()


@pytest.mark.parametrize("level", [4, -1, 7])
def test_the_matrix_refuses_a_level_outside_0_3_and_writes_nothing(kit, level):
    lina = kit["people"]["Lina"]
    bake = skill_of(kit["baker"], "Cuire au four")
    knead = skill_of(kit["baker"], "Pétrir la pâte")
    with pytest.raises(gpec.GpecError, match="de 0 à 3"):
        gpec.save_matrix(
            kit["establishment"],
            data={(lina.pk, knead.pk): 2, (lina.pk, bake.pk): level},
            actor=kit["actor"],
        )
    assert not GpecLevel.objects.exists()


def test_the_matrix_refuses_another_company_s_employee(kit):
    other = EstablishmentFactory()
    stranger = gpec.add_employee(
        other, data={"alias": "Autre", "birth_year": 1980, "hire_year": 2000}, actor=kit["actor"]
    )
    bake = skill_of(kit["baker"], "Cuire au four")
    with pytest.raises(gpec.GpecError, match="autre entreprise"):
        gpec.save_matrix(kit["establishment"], data={(stranger.pk, bake.pk): 2}, actor=kit["actor"])
    assert not GpecLevel.objects.exists()


def test_a_position_title_is_unique_in_the_company(kit):
    with pytest.raises(gpec.GpecError, match="existe déjà"):
        gpec.add_position(
            kit["establishment"],
            data={"appellation": bakery_appellation(), "title": kit["baker"].title},
            actor=kit["actor"],
        )


def test_required_levels_are_1_to_3(kit):
    link = kit["baker"].skills.first()
    with pytest.raises(gpec.GpecError, match="de 1 à 3"):
        gpec.update_position_skills(kit["baker"], data={link.pk: (0, True)}, actor=kit["actor"])
    _breaks(lambda: GpecPositionSkill.objects.filter(pk=link.pk).update(required_level=4))


def test_the_retirement_age_is_bounded(kit):
    with pytest.raises(gpec.GpecError):
        gpec.set_retirement_age(
            kit["establishment"], data={"retirement_age": 40}, actor=Actor(UserFactory())
        )
    assert gpec.toolkit_of(kit["establishment"]).retirement_age == 64
