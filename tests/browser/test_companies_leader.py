"""A company leader logs in, lands on their portal, describes two positions from the ROME,
adds employees, fills the skills matrix, sees the age pyramid and downloads the PDF
synthesis; axe finds no serious or critical violation on these pages."""

import re

import pytest
from django.utils import timezone

from tests.companies.factories import EstablishmentFactory
from tests.companies.portal_helpers import bakery_appellation, leader_of, seller_appellation
from tests.factories import TEST_PASSWORD
from tisserand.companies.models import GpecLevel


@pytest.fixture
def leader():
    bakery_appellation()
    seller_appellation()
    return leader_of(EstablishmentFactory(name="Boulangerie du Pile"))


def _describe(page, typed, option, title):
    page.get_by_role("combobox", name="Métier (appellation ROME)").press_sequentially(typed)
    page.get_by_role("option", name=option).click()
    page.get_by_label("Intitulé du poste dans l'entreprise").fill(title)
    page.get_by_role("button", name="Décrire le poste").click()
    page.wait_for_url(re.compile(r"/gpec/postes/[0-9a-f-]+/$"))


def _employee(page, alias, position, birth_year, hire_year):
    page.get_by_label("Prénom ou pseudonyme").fill(alias)
    page.get_by_label("Poste").select_option(label=position)
    page.get_by_label("Année de naissance").fill(str(birth_year))
    page.get_by_label("Année d'embauche").fill(str(hire_year))
    page.get_by_role("button", name="Ajouter").click()
    page.wait_for_load_state()


def test_a_leader_fills_the_gpec_toolkit_and_downloads_the_synthesis(
    page, login, leader, assert_accessible
):
    login(leader.user.email, TEST_PASSWORD)
    page.wait_for_url(re.compile(rf"/portail/{leader.establishment.public_id}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Boulangerie du Pile"
    assert_accessible(page)

    page.get_by_role("link", name="Outil GPEC").first.click()
    tabs = page.get_by_role("navigation", name="Outil GPEC")
    tabs.get_by_role("link", name="Postes").click()
    _describe(page, "Boulang", "Boulanger / Boulangère (D1102)", "Boulanger")
    assert "compétences pré-remplies" in page.get_by_role("status").inner_text()
    assert "Cuire au four" in page.locator("table").inner_text()
    assert_accessible(page)
    tabs.get_by_role("link", name="Postes").click()
    _describe(page, "Vendeur", "Vendeur / Vendeuse en boulangerie (D1106)", "Vendeuse")

    tabs.get_by_role("link", name="Salarié·es").click()
    year = timezone.localdate().year
    _employee(page, "Bernard", "Boulanger", year - 63, year - 30)
    _employee(page, "Zoé", "Vendeuse", year - 30, year - 4)
    assert "Bernard" in page.locator("table").inner_text()
    assert_accessible(page)

    tabs.get_by_role("link", name="Matrice des compétences").click()
    page.get_by_label("Bernard — Cuire au four").select_option("3")
    page.get_by_label("Zoé — Cuire au four").select_option("1")
    page.get_by_label("Zoé — Tenir la caisse").select_option("2")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la matrice").click()
    page.wait_for_load_state()
    assert "Matrice enregistrée : 3 niveau(x) saisi(s)" in page.get_by_role("status").inner_text()
    assert GpecLevel.objects.filter(employee__establishment=leader.establishment).count() == 3

    tabs.get_by_role("link", name="Synthèse").click()
    pyramid = page.get_by_role("img", name=re.compile("Pyramide des âges"))
    assert pyramid.is_visible()
    table = page.get_by_role("table", name=re.compile("Pyramide des âges")).inner_text()
    assert "60 ans et plus" in table
    anticipation = page.get_by_role("region", name=re.compile("Anticipation")).inner_text()
    assert "Bernard — retraite en" in anticipation and "Zoé" in anticipation
    page.screenshot(path="/tmp/companies-leader-gpec.png", full_page=True)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la synthèse (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename == "gpec-boulangerie-du-pile.pdf"
