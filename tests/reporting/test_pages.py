"""The NAF classification page (the house's administrator only) and the observatory of a
territory (tension of the bassin, masked averages)."""

import pytest

from tests.accompaniment.factories import appellation
from tests.factories import StructureFactory
from tests.referentials.geo.factories import make_commune
from tisserand.referentials.geo.models import BassinEmploi
from tisserand.referentials.rome.models import BassinTension
from tisserand.reporting import services
from tisserand.reporting.models import NafSphere
from tisserand.structures.roles import Role


@pytest.fixture
def house():
    return StructureFactory(kind="maison_emploi")


def test_the_house_administrator_reviews_a_division(client_for, make_member, house):
    services.load_naf_spheres()
    client = client_for(make_member(Role.ADMIN, house))
    page = client.get("/pilotage/emplois-non-delocalisables/classification/?division=47")
    assert page.status_code == 200 and "Commerce de détail" in page.content.decode()
    refused = client.post(
        "/pilotage/emplois-non-delocalisables/classification/",
        {"division": "47", "sphere": "productive", "explanation": ""},
    )
    assert refused.status_code == 200
    assert NafSphere.objects.get(division="47").sphere == "presentielle"
    done = client.post(
        "/pilotage/emplois-non-delocalisables/classification/",
        {"division": "47", "sphere": "productive", "explanation": "Grandes surfaces de zone."},
    )
    assert done.status_code == 302
    assert NafSphere.objects.get(division="47").sphere == "productive"


def test_another_structures_administrator_may_not_review(client_for, make_member):
    services.load_naf_spheres()
    client = client_for(make_member(Role.ADMIN, StructureFactory(kind="plie")))
    response = client.post(
        "/pilotage/emplois-non-delocalisables/classification/",
        {"division": "47", "sphere": "productive", "explanation": "Non."},
    )
    assert response.status_code == 403
    assert NafSphere.objects.get(division="47").sphere == "presentielle"
    assert client.get("/pilotage/emplois-non-delocalisables/").status_code == 200


def test_the_observatory_of_the_bassin_masks_small_averages(client_for, make_member, house):
    bassin = BassinEmploi.objects.create(code="3217", name="Roubaix-Tourcoing")
    make_commune("59512", "Roubaix", bassin=bassin)
    fiche = appellation().fiche
    BassinTension.objects.create(
        fiche=fiche,
        source_rome_code="D1102",
        year=2021,
        bassin_code="3217",
        tension=5,
        job_offers=40.0,
        job_seekers=3.0,
    )
    client = client_for(make_member(Role.REFERENT, house))
    response = client.get("/observatoire/?territoire=commune:59512")
    assert response.status_code == 200
    tension = response.context["tables"][0]
    assert tension.rows == [[f"D1102 — {fiche.label}", 5, "très forte", 40, "< 5"]]
    assert client.get("/observatoire/?territoire=pays:FR").status_code == 404
    export = client.get("/observatoire/export.xlsx?territoire=bassin:3217")
    assert export.status_code == 200
