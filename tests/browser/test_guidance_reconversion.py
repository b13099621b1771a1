"""Sécurisation des parcours: an employee's reconversion map, and a company's collective map."""

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.guidance.subset import prepare_territory
from tisserand.structures.roles import Role


@pytest.fixture
def territory(tmp_path, settings):
    settings.TISSERAND_GEOCODER = "offline"
    return prepare_territory(tmp_path)


def test_an_employee_gets_a_reconversion_map(page, territory, assert_accessible):
    page.goto("/orientation/reconversion/")
    assert_accessible(page)
    page.get_by_role("combobox", name="Votre métier actuel").press_sequentially("caris")
    page.get_by_role("option", name="Cariste (N1101)").click()
    page.get_by_label("Depuis combien d'années l'exercez-vous ?").fill("7")
    page.get_by_role("combobox", name="Commune où vous habitez").press_sequentially("roub")
    page.get_by_role("option", name="Roubaix (59100)").click()
    page.get_by_role("button", name="Voir les reconversions possibles").click()
    page.wait_for_load_state()
    table = page.get_by_role("table", name="métiers vers lesquels se reconvertir")
    rows = table.locator("tbody tr")
    assert rows.count() >= 6
    # Two paths at most stay in the forklift driver's own domain (N11).
    codes = [code.strip("()") for code in table.locator(".guidance-code").all_inner_texts()]
    assert sum(1 for code in codes if code.startswith("N11")) <= 2
    content = page.content()
    assert "Projet de transition professionnelle" in content
    assert "Contrat de sécurisation professionnelle" in content
    assert_accessible(page)


def test_the_exact_label_a_picker_proposes_can_be_typed(page, territory):
    """Typed in full instead of clicked, « Cariste (N1101) » is accepted."""
    page.goto("/orientation/reconversion/")
    page.get_by_role("combobox", name="Votre métier actuel").fill("Cariste (N1101)")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Voir les reconversions possibles").click()
    page.wait_for_load_state()
    expect(
        page.get_by_role("heading", name="Carte des reconversions depuis « Cariste »")
    ).to_be_visible()


def test_a_company_in_difficulty_gets_its_collective_map(
    page, login, territory, make_member, assert_accessible
):
    member = make_member(Role.BUSINESS)
    login(member.user.email, TEST_PASSWORD)
    page.goto("/orientation/")
    page.get_by_role("link", name="Reconversion collective").click()
    page.wait_for_load_state()
    assert_accessible(page)
    rows = [("caris", "Cariste (N1101)", "12"), ("prépara", None, "4")]
    for index, (typed, option, count) in enumerate(rows, start=1):
        line = page.get_by_role("group", name=f"Ligne {index}")
        line.get_by_role("combobox", name="Métier occupé").press_sequentially(typed)
        proposals = line.get_by_role("option")
        (proposals.get_by_text(option) if option else proposals.first).click()
        line.get_by_label("Nombre de salariés").fill(count)
    page.get_by_role("button", name="Dresser la carte des reconversions").click()
    page.wait_for_load_state()
    expect(
        page.get_by_role("heading", name="Carte des reconversions (16 salariés)")
    ).to_be_visible()
    assert page.get_by_role("table", name="Compétences à acquérir").locator("tbody tr").count() > 0
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter la carte (XLSX)").click()
    assert download.value.suggested_filename == "carte-reconversions.xlsx"
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter la carte (PDF)").click()
    with open(download.value.path(), "rb") as document:
        assert document.read(5) == b"%PDF-"
