"""The modules' figures in a real browser, axe on each page: the director reads the hire rate
of introductions and the clause jobs in the equal-opportunity view, the share of offers in
présentielle activities, and the observatory's offers by occupation and contract."""

import re
from datetime import date, datetime, time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accompaniment.conftest import ensure_initial_data
from tests.clauses.factories import ParticipantFactory
from tests.factories import TEST_PASSWORD, StructureFactory
from tests.opportunities.factories import IntroductionFactory, JobOfferFactory
from tests.reporting import factories as f
from tisserand.reporting import services
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role


@pytest.fixture
def world(make_member):
    ensure_initial_data()
    services.load_naf_spheres()
    house = StructureFactory(kind=StructureKind.MAISON_EMPLOI, name="Maison de l'Emploi test")
    today = timezone.localdate()
    made = timezone.make_aware(datetime.combine(date(today.year, 1, 15), time(10)))
    for status, qpv, count in (
        ("hired", "in_qpv", 6),
        ("sent", "in_qpv", 6),
        ("hired", "not_in_qpv", 7),
    ):
        for _ in range(count):
            IntroductionFactory(
                person=f.person(house, qpv=qpv), structure=house, status=status, created_at=made
            )
    for _ in range(6):
        ParticipantFactory(
            structure=house,
            is_eligible=True,
            qpv_at_start="in_qpv",
            starts_on=date(today.year, 1, 2),
        )
    JobOfferFactory(sector_code="47")
    return {"director": make_member(Role.DIRECTOR, house)}


def test_the_director_reads_the_modules_figures(page, login, world, assert_accessible):
    login(world["director"].user.email, TEST_PASSWORD)
    year = timezone.localdate().year
    page.goto(f"/pilotage/egalite-des-chances/?debut={year}-01-01&fin={year}-12-31")
    rate = page.get_by_role(
        "table", name=re.compile("Taux d'embauche des mises en relation par genre")
    )
    expect(rate.get_by_role("row", name=re.compile("Ensemble"))).to_contain_text("50.0 % (6 / 12)")
    expect(
        page.get_by_role("table", name=re.compile("Emplois en clause sociale par genre"))
    ).to_be_visible()
    assert_accessible(page)
    page.goto("/pilotage/emplois-non-delocalisables/")
    sources = page.get_by_role("table", name=re.compile("Part présentielle"))
    expect(sources.get_by_role("row", name=re.compile("Offres d'emploi"))).to_contain_text(
        "100.0 %"
    )
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/observatoire/")
    expect(page.get_by_role("table", name=re.compile("Offres d'emploi ouvertes"))).to_be_visible()
    assert_accessible(page)
