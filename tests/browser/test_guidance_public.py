"""A resident explores alone, without an account, and takes the synthesis home (PDF)."""

import re

import pytest
from playwright.sync_api import expect

from tests.guidance.subset import prepare_territory
from tisserand.guidance.models import ContactRequest
from tisserand.structures.models import StructureKind


@pytest.fixture
def territory(tmp_path, settings):
    settings.TISSERAND_GEOCODER = "offline"
    return prepare_territory(tmp_path)


def choose(page, label, typed, option):
    page.get_by_role("combobox", name=label).press_sequentially(typed)
    page.get_by_role("option", name=option).click()


def test_a_resident_explores_alone_and_downloads_the_synthesis(
    page, territory, assert_accessible, structure
):
    structure.kind = StructureKind.MAISON_EMPLOI
    structure.save()
    page.goto("/orientation/decouvrir/")
    assert_accessible(page)

    choose(page, "Métier 1", "aide-soig", "Aide-soignant / Aide-soignante (J1501)")
    page.get_by_label("Durée (années)").first.fill("5")
    page.get_by_role("button", name="Voir les compétences de ces métiers").click()
    page.wait_for_load_state()
    skills = page.locator("input[name=competences]")
    assert skills.count() > 20
    # « Confirmed » means ticked: nothing is ticked in advance, core skills come first.
    assert page.locator("input[name=competences]:checked").count() == 0
    first_group = page.get_by_role("group", name="Savoir-faire").first
    expect(first_group.locator("li").first).to_contain_text("Cœur de métier")
    skills.nth(0).check()
    skills.nth(1).check()
    assert_accessible(page)

    page.get_by_label("Je souhaite prendre soin des autres").check()
    page.get_by_text("Questionnaire : ce que vous aimez faire").click()
    page.get_by_role("group", name="Aider, soigner ou conseiller des personnes").get_by_label(
        "Beaucoup"
    ).check()
    choose(page, "Votre commune", "roub", "Roubaix (59100)")
    page.get_by_label("Jusqu'où êtes-vous prêt(e) à aller travailler (km) ?").fill("15")
    page.get_by_label("Pas de travail de nuit").check()
    page.get_by_role("button", name="Voir les métiers qui me correspondent").click()
    page.wait_for_url(re.compile(r"/orientation/decouvrir/metiers/\?p="))

    suggestions = page.locator("article.guidance-suggestion")
    assert suggestions.count() == 20
    assert "Mobilité professionnelle officielle" in suggestions.first.inner_text()
    assert_accessible(page)

    first = suggestions.first.get_by_role("link").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(
        page.get_by_role("heading", name="Vos compétences et ce qui vous manque")
    ).to_be_visible()
    # Access requirements are compared with the profile, never listed as acquired.
    expect(page.get_by_role("heading", name="Conditions d'accès")).to_be_visible()
    expect(
        page.get_by_role("heading", name="En commun avec vos métiers, à confirmer")
    ).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.locator("input[name=cible]").nth(0).check()
    page.locator("input[name=cible]").nth(1).check()
    page.get_by_role("button", name="Voir ma synthèse").first.click()
    page.wait_for_url(re.compile(r"/orientation/decouvrir/synthese/"))
    assert page.locator("article.synthesis-target").count() == 2
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ma synthèse (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename == "synthese-orientation.pdf"

    page.get_by_role("link", name="Demander à être contacté(e)").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert ContactRequest.objects.count() == 0
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Adresse e-mail").fill("ines@example.org")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    assert "Votre accord est nécessaire" in page.content()
    assert ContactRequest.objects.count() == 0
    page.get_by_label("J'accepte que la Maison de l'Emploi conserve").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Votre demande est envoyée")).to_be_visible()
    assert_accessible(page)
    request = ContactRequest.objects.get()
    assert request.structure == structure and "Aide-soignant" in request.profile_summary
