"""The GPEC pages through their views, officer side and portal side: the forms, the grid's
filter, and query counts that do not grow with the employees."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.companies.factories import EstablishmentFactory
from tests.companies.portal_helpers import client_of, leader_of, rate, skill_of, toolkit
from tisserand.companies import gpec, gpec_views
from tisserand.companies.models import GpecEmployee, GpecPositionSkill
from tisserand.structures.roles import Role


@pytest.fixture
def officer(make_member):
    return make_member(Role.BUSINESS)


def _url(name, establishment, *more):
    return reverse(name, args=[establishment.public_id, *more])


def test_an_officer_adds_edits_and_removes_an_employee(officer):
    company = EstablishmentFactory()
    kit = toolkit(company)
    client = client_of(officer.user)
    year = timezone.localdate().year
    response = client.post(
        _url("companies:gpec_employees", company),
        {
            "alias": "Ana",
            "position": kit["baker"].pk,
            "birth_year": year - 40,
            "hire_year": year - 3,
        },
    )
    assert response.status_code == 302
    ana = GpecEmployee.objects.get(alias="Ana")
    response = client.post(
        _url("companies:gpec_employee", company, ana.public_id),
        {"alias": "Ana", "birth_year": year - 40, "hire_year": year - 3, "is_fixed_term": "on"},
    )
    assert response.status_code == 200
    assert "a une date de fin" in response.content.decode()
    assert (
        client.get(_url("companies:gpec_employee_remove", company, ana.public_id)).status_code
        == 302
    )
    assert GpecEmployee.objects.filter(pk=ana.pk).exists()  # a GET removes nothing
    client.post(_url("companies:gpec_employee_remove", company, ana.public_id))
    assert not GpecEmployee.objects.filter(pk=ana.pk).exists()


def test_an_implausible_birth_year_is_refused_in_the_form(officer):
    company = EstablishmentFactory()
    response = client_of(officer.user).post(
        _url("companies:gpec_employees", company),
        {"alias": "Old", "birth_year": 1890, "hire_year": 1910},
    )
    assert response.status_code == 200
    assert "plausible" in response.content.decode()
    assert not GpecEmployee.objects.exists()


def test_an_officer_adjusts_a_position_s_skills(officer):
    company = EstablishmentFactory()
    kit = toolkit(company)
    baker = kit["baker"]
    client = client_of(officer.user)
    url = _url("companies:gpec_position", company, baker.public_id)
    client.post(
        url, {"ajouter": "1", "label": "Gérer les stocks", "required_level": "3", "is_core": "on"}
    )
    added = GpecPositionSkill.objects.get(position=baker, skill__label="Gérer les stocks")
    assert (added.required_level, added.is_core) == (3, True)
    client.post(url, {f"attendu-{added.pk}": "1"})
    added.refresh_from_db()
    assert (added.required_level, added.is_core) == (1, False)
    client.post(_url("companies:gpec_position_skill_remove", company, baker.public_id, added.pk))
    assert not GpecPositionSkill.objects.filter(pk=added.pk).exists()


def test_the_grid_filters_on_one_position(officer, monkeypatch):
    company = EstablishmentFactory()
    kit = toolkit(company)
    client = client_of(officer.user)
    url = _url("companies:gpec_matrix", company)
    page = client.get(url).content.decode()
    assert "Théo — Cuire au four" in page  # a small grid shows every cell
    monkeypatch.setattr(gpec_views, "MATRIX_MAX_CELLS", 4)
    page = client.get(url).content.decode()
    first = kit["baker"]  # positions are ordered by title: « Boulanger / Boulangère »
    assert f"Lina — {skill_of(first, 'Cuire au four')}" in page
    assert "Théo —" not in page
    page = client.get(url + "?poste=tous").content.decode()
    assert "Théo — Cuire au four" in page
    page = client.get(url + f"?poste={kit['seller'].public_id}").content.decode()
    assert "Théo — Conseiller la clientèle" in page and "Lina —" not in page


def test_a_refused_grid_keeps_the_levels_typed(officer):
    company = EstablishmentFactory()
    kit = toolkit(company)
    lina = kit["people"]["Lina"]
    bake, knead = skill_of(kit["baker"], "Cuire au four"), skill_of(kit["baker"], "Pétrir la pâte")
    response = client_of(officer.user).post(
        _url("companies:gpec_matrix", company),
        {f"niveau-{lina.pk}-{bake.pk}": "2", f"niveau-{lina.pk}-{knead.pk}": "x"},
    )
    assert response.status_code == 400
    assert '<option value="2" selected>' in response.content.decode()
    assert not lina.levels.exists()


@pytest.mark.parametrize(
    "name",
    ["companies:portal_gpec", "companies:portal_gpec_matrix", "companies:portal_gpec_employees"],
)
def test_the_pages_queries_do_not_grow_with_employees(name, django_assert_max_num_queries):
    leader = leader_of()
    company = leader.establishment
    kit = toolkit(company)
    # A gap from the start: the training plan searches once per position with a gap.
    rate(kit["people"]["Lina"], skill_of(kit["baker"], "Cuire au four"), 0)
    client = client_of(leader.user)
    url = _url(name, company)
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    year = timezone.localdate().year
    for n in range(12):
        employee = gpec.add_employee(
            company,
            data={
                "alias": f"E{n}",
                "position": kit["baker"],
                "birth_year": year - 20 - 3 * n,
                "hire_year": year - 1,
            },
            actor=kit["actor"],
        )
        rate(employee, skill_of(kit["baker"], "Cuire au four"), n % 4)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200
