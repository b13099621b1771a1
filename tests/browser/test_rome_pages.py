"""Métiers in Chromium: typo-tolerant search as you type, the fiche page, and no JavaScript."""

import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import TEST_PASSWORD
from tisserand.referentials.rome.loader import load
from tisserand.structures.roles import Role


@pytest.fixture
def signed_in_referent(page, login, make_member):
    """A référent signed in, with the shipped ROME, NAF and labour data."""
    load(io.StringIO())  # the shipped ROME 4.60, NAF and labour data
    membership = make_member(Role.REFERENT)
    login(membership.user.email, TEST_PASSWORD)
    return membership


def test_search_as_you_type_then_open_the_fiche(page, signed_in_referent, assert_accessible):
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Métiers"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Métiers")
    assert_accessible(page)

    page.get_by_label("Intitulé de métier ou code ROME").press_sequentially("aide soingant")
    first = page.locator("#resultats li").first
    first.get_by_role("link", name="Aide-soignant / Aide-soignante").wait_for()
    assert "q=aide+soingant" in page.url or "q=aide%20soingant" in page.url
    expect(page.get_by_role("status")).to_have_text("5 intitulés trouvés pour « aide soingant ».")
    assert_accessible(page)

    first.get_by_role("link").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "J1501 Aide-soignant / Aide-soignante"
    for section in (
        "Définition",
        "Compétences",
        "Mobilités professionnelles",
        "Secteurs qui recrutent",
    ):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Tension par bassin d'emploi")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="J1506 — Infirmier / Infirmière en soins généraux (IDE)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^J1506"))


def test_search_works_without_javascript(chromium, live_server, signed_in_referent):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.goto("/compte/login/")
        page.get_by_label("Adresse e-mail").fill(signed_in_referent.user.email)
        page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/compte/login/" not in url)
        page.goto("/metiers/")
        page.get_by_label("Intitulé de métier ou code ROME").fill("electricien")
        page.get_by_role("button", name="Rechercher").click()
        page.wait_for_url("**/metiers/?q=electricien")
        link = page.get_by_role("link", name="Electricien / Electricienne du bâtiment")
        expect(link).to_be_visible()
        assert "résultats pour « electricien »" in page.get_by_role("status").inner_text()
    finally:
        context.close()
