"""Formations (search, htmx results, training page) and the vocabularies page, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import TEST_PASSWORD
from tests.referentials.trainings.conftest import DEMO_FILE, make_communes
from tisserand.referentials.trainings.importer import import_lheo_file
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.roles import Role


@pytest.fixture
def signed_in_referent(page, login, make_member):
    """A référent signed in, with the demo training offer imported."""
    import_lheo_file(DEMO_FILE, is_demo=True)
    membership = make_member(Role.REFERENT)
    login(membership.user.email, TEST_PASSWORD)
    return membership


def test_search_then_open_a_training(page, signed_in_referent, assert_accessible):
    page.get_by_role("link", name="Formations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formations")
    expect(page.get_by_role("heading", name="8 formations")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Métier ou code ROME").fill("K1303")
    page.get_by_label("Formations certifiantes uniquement").check()
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name="2 formations").wait_for()
    assert re.search(r"metier=K1303", page.url)  # the URL follows the search (htmx push)
    expect(page.locator("#resultats-annonce")).to_have_text("2 formations trouvées.")
    assert_accessible(page)

    page.get_by_role("link", name="CAP Accompagnant éducatif petite enfance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "CAP Accompagnant éducatif petite enfance"
    )
    expect(page.get_by_role("table", name="Session à Lys-lez-Lannoy")).to_be_visible()
    assert_accessible(page)


def test_search_around_a_commune_picked_in_the_list(page, signed_in_referent, assert_accessible):
    make_communes()
    page.goto("/formations/")
    page.get_by_label("Commune").fill("Roubaix")
    page.get_by_role("option", name="Roubaix (59)").click()
    page.get_by_label("Distance").select_option("5")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role(
        "heading", name="6 formations, de la plus proche à la plus éloignée"
    ).wait_for()
    assert "commune_code=59512" in page.url
    expect(page.get_by_text("à 0,4 km").first).to_be_visible()
    assert_accessible(page)


def test_search_works_without_javascript(browser_without_js, live_server, make_member):
    membership = make_member(Role.REFERENT)
    import_lheo_file(DEMO_FILE, is_demo=True)
    page = browser_without_js
    page.goto("/compte/login/")
    page.get_by_label("Adresse e-mail").fill(membership.user.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    page.goto("/formations/")
    page.get_by_label("Métier ou code ROME").fill("M1805")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="1 formation")).to_be_visible()
    assert "metier=M1805" in page.url


def test_errors_are_tied_to_their_field(page, signed_in_referent, assert_accessible):
    page.goto("/formations/")
    page.get_by_label("Distance").select_option("10")
    page.get_by_role("button", name="Rechercher").click()
    page.locator("#form-errors").wait_for()
    field = page.get_by_label("Commune")
    assert field.get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("Distance").select_option("")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name="8 formations").wait_for()
    assert not page.locator("#form-errors").count()  # the errors went away with the fix


def test_the_vocabularies_page_is_accessible(page, login, make_member, assert_accessible):
    load_vocabularies()
    membership = make_member(Role.REFERENT)
    login(membership.user.email, TEST_PASSWORD)
    page.goto("/vocabulaires/")
    expect(page.get_by_role("heading", name="Types de sortie")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def browser_without_js(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    yield page
    context.close()
