"""An officer creates a company from its SIRET in a real browser: the State's company search
(a recorded answer) fills the form, the record's page shows its sections; axe on every page."""

import json
import re
from pathlib import Path

import httpx
import pytest
import respx
from playwright.sync_api import expect

from tests.companies.factories import EstablishmentFactory
from tests.companies.records_helpers import make_naf
from tests.factories import TEST_PASSWORD
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.companies.models import Establishment
from tisserand.referentials.geo import qpv_index
from tisserand.structures.roles import Role

RECORDED = Path(__file__).parent.parent / "companies" / "records" / "recorded"
DEPOT = "83512345600286"


@pytest.fixture
def officer(make_member, settings):
    settings.TISSERAND_GEOCODER = "offline"
    settings.TISSERAND_COMPANY_LOOKUP = "api"
    area = make_roubaix_area()
    naf = make_naf()
    EstablishmentFactory(name="Filature du Trichon", commune=area["roubaix"], naf=naf["1310Z"])
    member = make_member(Role.BUSINESS)
    yield member
    qpv_index.invalidate()


@pytest.fixture
def company_search():
    answer = json.loads((RECORDED / "recherche_entreprises_siret.json").read_text())
    with respx.mock(assert_all_called=False) as mock:
        mock.route(host="recherche-entreprises.api.gouv.fr").mock(
            return_value=httpx.Response(200, json=answer)
        )
        mock.route().pass_through()
        yield mock


def test_an_officer_creates_a_company_from_its_siret(
    page, login, officer, company_search, assert_accessible
):
    login(officer.user.email, TEST_PASSWORD)
    page.goto("/entreprises/")
    expect(page.get_by_role("heading", name="Entreprises", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Filature du Trichon")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nouvelle entreprise").click()
    page.wait_for_url(re.compile(r"/entreprises/nouvelle/$"))
    assert_accessible(page)
    page.get_by_label("SIRET").fill("835 123 456 00285")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("link", name=re.compile("SIRET : SIRET invalide"))).to_be_visible()
    assert_accessible(page)

    page.get_by_label("SIRET").fill("835 123 456 00286")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("pré-remplies depuis la recherche d'entreprises")).to_be_visible()
    expect(page.get_by_label("Dénomination de l'unité légale")).to_have_value(
        "Les Ateliers du Trichon"
    )
    expect(page.get_by_label("Enseigne ou nom d'usage")).to_have_value("Trichon Logistique")
    expect(page.get_by_label("Adresse", exact=True)).to_have_value("4 avenue des Nations Unies")
    assert_accessible(page)
    page.get_by_role("button", name="Créer la fiche").click()

    page.wait_for_url(re.compile(r"/entreprises/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", name="Trichon Logistique", level=1)).to_be_visible()
    for section in ("Identité et adresse", "Activité", "Contacts", "Étiquettes"):
        expect(page.get_by_role("heading", name=section)).to_be_visible()
    expect(page.get_by_text("52.29A — Messagerie, fret express")).to_be_visible()
    expect(page.get_by_text("Fiche entreprise créée : Trichon Logistique")).to_be_visible()
    assert_accessible(page)
    company = Establishment.objects.get(siret=DEPOT)
    assert company.legal_unit.name == "Les Ateliers du Trichon" and company.is_social_economy

    page.get_by_role("link", name="Ajouter un contact").click()
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Haddad")
    page.get_by_label("Accepte d'être contacté·e").check()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("region", name="Contacts").get_by_role("strong")).to_have_text(
        "Nadia Haddad"
    )
    expect(page.get_by_text(re.compile(r"accord du \d\d/\d\d/\d{4}"))).to_be_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"la page déborde : {width} px"

    page.goto("/entreprises/importer/")
    expect(page.get_by_role("heading", name="Importer des entreprises")).to_be_visible()
    assert_accessible(page)
