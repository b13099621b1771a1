"""The pilotage in a real browser, axe on every page: the house's administrator creates a
convention for the State and sets two objectives; the director sees them with their progress
and the QPV gap, and exports a table; the funder logs in and sees only aggregates."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accompaniment.conftest import ensure_initial_data
from tests.factories import TEST_PASSWORD, StructureFactory
from tests.reporting import factories as f
from tisserand.reporting.models import Objective
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role

CONVENTION = "Plan régional pour l'emploi 2026"


@pytest.fixture
def world(make_member):
    ensure_initial_data()
    house = StructureFactory(kind=StructureKind.MAISON_EMPLOI, name="Maison de l'Emploi test")
    funder = StructureFactory(kind=StructureKind.FUNDER, name="DDETS du Nord (financeur)")
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    entry = start + timedelta(days=10)
    exit_day = min(today, start + timedelta(days=100))
    f.many(house, 9, qpv="in_qpv", entry=entry, last_name="Secretnom")
    f.many(house, 6, qpv="in_qpv", entry=entry, exit_date=exit_day, exit_type="cdi")
    f.many(house, 5, qpv="in_qpv", entry=entry, exit_date=exit_day, exit_type="job_seeker")
    f.many(house, 8, qpv="not_in_qpv", entry=entry, exit_date=exit_day, exit_type="cdi")
    f.many(house, 3, qpv="unknown", entry=entry)
    return {
        "house": house,
        "funder_structure": funder,
        "admin": make_member(Role.ADMIN, house),
        "director": make_member(Role.DIRECTOR, house),
        "funder": make_member(Role.FUNDER, funder),
    }


def test_objectives_progress_gap_and_funder_aggregates(page, login, assert_accessible, world):
    today = timezone.localdate()
    # The house's administrator creates the State's convention and sets two objectives.
    login(world["admin"].user.email, TEST_PASSWORD)
    page.goto("/pilotage/conventions/")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle convention").click()
    page.get_by_label("Intitulé").fill(CONVENTION)
    page.get_by_label("Financeur ou partenaire").select_option(label="État")
    page.get_by_label("Structure du financeur").select_option(label="DDETS du Nord (financeur)")
    page.get_by_label("Début").fill(f"{today.year}-01-01")
    page.get_by_label("Fin (obligatoire)").fill(f"{today.year}-12-31")
    page.get_by_label("Maison de l'Emploi test").check()
    assert_accessible(page)
    page.get_by_role("button", name="Créer la convention").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CONVENTION)
    for label, target in (("Personnes accompagnées (v2)", "20"), ("dont résidents QPV (v2)", "60")):
        page.get_by_role("link", name="Ajouter un objectif").click()
        page.get_by_label("Indicateur (obligatoire)").select_option(label=label)
        page.get_by_label("Cible (obligatoire)").fill(target)
        assert_accessible(page)
        page.get_by_role("button", name="Ajouter l'objectif").click()
        expect(page.get_by_role("status").first).to_contain_text("Objectif ajouté")
    assert Objective.objects.filter(convention__name=CONVENTION).count() == 2
    progress = page.get_by_role("table", name=re.compile("Objectifs : réalisé"))
    expect(progress.get_by_role("row", name=re.compile("Personnes accompagnées"))).to_contain_text(
        "Atteint"
    )
    expect(page.get_by_text("1 objectif en retard")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    # The director sees them with their progress, the QPV gap, and exports a table.
    login(world["director"].user.email, TEST_PASSWORD)
    page.get_by_role("link", name="Ouvrir le tableau de bord").click()
    page.get_by_label("Périmètre", exact=True).select_option(label=f"Convention « {CONVENTION} »")
    page.get_by_role("button", name="Afficher").click()
    objectives = page.get_by_role("table", name=re.compile("Objectifs : réalisé"))
    expect(objectives).to_contain_text("dont résidents QPV")
    expect(objectives).to_contain_text("En retard")
    expect(page.locator("svg.chart")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Égalité des chances").first.click()
    evolution = page.get_by_role("table", name=re.compile("par trimestre : QPV et hors QPV"))
    expect(evolution.get_by_role("row", name=re.compile("Ensemble"))).to_contain_text(
        "54.5 % (6 / 11)"
    )
    expect(evolution.get_by_role("row", name=re.compile("Ensemble"))).to_contain_text("-45.5 pts")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter ces tableaux (XLSX)").click()
    assert download_info.value.suggested_filename == "egalite-des-chances.xlsx"
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Se déconnecter").click()

    # The funder logs in and sees only aggregates.
    login(world["funder"].user.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
    page.get_by_role("link", name="Ouvrir le tableau de bord").click()
    expect(page.get_by_role("combobox", name="Périmètre", exact=True)).to_have_text(
        f"Convention « {CONVENTION} »"
    )
    figures = page.get_by_role("table", name=re.compile("^Indicateurs"))
    expect(figures.get_by_role("row", name=re.compile("^dont 50 ans"))).to_contain_text("0")
    assert "Secretnom" not in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="FSE+").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs FSE+")
    expect(page.get_by_role("link", name="Exporter les participants (XLSX)")).to_have_count(0)
    assert "Secretnom" not in page.content()
    assert_accessible(page)
    assert page.goto("/pilotage/fse/participants.xlsx").status == 403
    assert page.goto("/personnes/").status == 403
