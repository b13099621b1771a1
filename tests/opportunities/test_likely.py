"""Companies likely to hire: the sector's share of hirings in the occupation, the size, the
recent activity and the relationship, each explained; an establishment that asked to be left
out never appears."""

import pytest

from tests.companies.factories import EstablishmentFactory, HrClubFactory
from tests.opportunities.helpers import territory
from tisserand.companies.models import HrClubMember
from tisserand.opportunities import likely
from tisserand.opportunities.models import HiringOptOut
from tisserand.referentials.rome.models import Fiche, Hiring, NafSection, NafSubclass


@pytest.fixture
def sectors(area):
    section = NafSection.objects.create(code="C", label="Industrie manufacturière")
    bakery = NafSubclass.objects.create(
        code="1071C",
        label="Boulangerie et boulangerie-pâtisserie",
        section=section,
        search_text="boulangerie",
    )
    retail = NafSubclass.objects.create(
        code="4711D", label="Supermarchés", section=section, search_text="supermarches"
    )
    other = Fiche.objects.create(
        code="D1507", code_ogr=999, label="Mise en rayon", parent_code="D1507", first_version="4.60"
    )
    fiche = area["boulanger"].fiche
    Hiring.objects.create(fiche=fiche, naf=bakery, source_rome_code="D1102", count=800)
    Hiring.objects.create(fiche=other, naf=bakery, source_rome_code="D1507", count=200)
    Hiring.objects.create(fiche=fiche, naf=retail, source_rome_code="D1102", count=50)
    Hiring.objects.create(fiche=other, naf=retail, source_rome_code="D1507", count=950)
    return bakery, retail


@pytest.fixture
def area():
    return territory()


def test_ranked_by_sector_affinity_size_and_relationship(area, sectors):
    bakery, retail = sectors
    roubaix = area["roubaix"]
    point = {"commune": roubaix, "latitude": roubaix.latitude, "longitude": roubaix.longitude}
    small = EstablishmentFactory(
        name="Petite boulangerie", naf=bakery, headcount_band="01", **point
    )
    big = EstablishmentFactory(name="Grande boulangerie", naf=bakery, headcount_band="21", **point)
    market = EstablishmentFactory(name="Supermarché", naf=retail, headcount_band="22", **point)
    HrClubMember.objects.create(club=HrClubFactory(), establishment=small, joined_on="2026-01-05")
    results = likely.rank(area["boulanger"].fiche, point=(roubaix.latitude, roubaix.longitude))
    names = [p.establishment for p in results]
    assert names[0] == big and names[-1] == market
    first = results[0]
    assert first.reasons[0].startswith("80% des embauches du secteur « Boulangerie")
    assert any("club RH" in r for r in next(p for p in results if p.establishment == small).reasons)


def test_an_establishment_that_asked_is_left_out(area, sectors):
    bakery, _ = sectors
    shy = EstablishmentFactory(name="Discrète", naf=bakery)
    assert [p.establishment for p in likely.rank(area["boulanger"].fiche)] == [shy]
    HiringOptOut.objects.create(establishment=shy)
    assert likely.rank(area["boulanger"].fiche) == []


def test_an_unknown_size_does_not_count(area, sectors):
    bakery, _ = sectors
    EstablishmentFactory(naf=bakery)
    [potential] = likely.rank(area["boulanger"].fiche)
    assert potential.parts["size"] == 0 and "effectif inconnu (ne compte pas)" in potential.reasons
