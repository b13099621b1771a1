"""The « Paramétrage » screen in a real browser, axe on both pages: the administrator of the
Maison de l'Emploi adds a programme, stops offering it, and adds a suggested action."""

import re

import pytest
from playwright.sync_api import expect

from tests.accompaniment.conftest import ensure_initial_data
from tests.factories import TEST_PASSWORD, StructureFactory
from tisserand.accompaniment.forms import OpenAccompanimentForm
from tisserand.accompaniment.models import SuggestedAction
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role

NEW_PROGRAMME = "Parcours clause locale"


@pytest.fixture
def mde_admin(make_member):
    ensure_initial_data()
    return make_member(Role.ADMIN, StructureFactory(kind=StructureKind.MAISON_EMPLOI))


def offered_programmes(membership):
    form = OpenAccompanimentForm(membership=membership)
    return [label for _, label in form.fields["programme"].choices]


def add_a_programme(page):
    page.get_by_label("Code (obligatoire)").fill("clause_locale")
    page.get_by_label("Libellé (obligatoire)").fill(NEW_PROGRAMME)
    page.get_by_label("Description").fill("Dispositif local de la métropole.")
    page.get_by_label("Ordre (obligatoire)").fill("60")
    page.get_by_role("button", name="Ajouter le programme").click()
    expect(page.get_by_role("status")).to_contain_text(f"Ajout enregistré : « {NEW_PROGRAMME} »")


def programme_row(page):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=NEW_PROGRAMME))


def test_the_administrator_configures_the_lists(page, login, assert_accessible, mde_admin):
    login(mde_admin.user.email, TEST_PASSWORD)
    page.get_by_role("link", name="Paramétrer les programmes et les actions").click()
    page.wait_for_url(re.compile(r"/parametrage/accompagnement/programmes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Paramétrage de l'accompagnement")
    assert_accessible(page)

    page.get_by_role("button", name="Ajouter le programme").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)

    add_a_programme(page)
    row = programme_row(page)
    expect(row.get_by_text("Proposé", exact=True)).to_be_visible()
    assert NEW_PROGRAMME in offered_programmes(mde_admin)

    row.get_by_role("button", name=f"Ne plus proposer « {NEW_PROGRAMME} »").click()
    expect(programme_row(page).get_by_text("Non proposé", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Historique")).to_contain_text(
        f"Programme modifié : « {NEW_PROGRAMME} » (proposé)"
    )
    assert NEW_PROGRAMME not in offered_programmes(mde_admin)
    assert_accessible(page)

    page.get_by_role("link", name="Actions suggérées").click()
    page.wait_for_url(re.compile(r"/parametrage/accompagnement/actions-suggerees/$"))
    page.get_by_label("Thématique (frein)").select_option(label="Mobilité")
    page.get_by_label("Type d'action").select_option(value="mobility_aid")
    page.get_by_label("Action proposée").fill("Prêt d'un vélo électrique")
    page.get_by_label("Ordre (obligatoire)").fill("50")
    page.get_by_role("button", name="Ajouter l'action").click()
    mobility = page.get_by_role("table", name="Actions suggérées pour « Mobilité »")
    expect(mobility.get_by_role("rowheader", name="Prêt d'un vélo électrique")).to_be_visible()
    assert SuggestedAction.objects.filter(label="Prêt d'un vélo électrique").exists()
    assert_accessible(page)
