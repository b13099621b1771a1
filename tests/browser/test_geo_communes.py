"""The commune search page in a real browser: the picker proposes, the choice opens the commune."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.referentials.geo.factories import ALMA, make_roubaix_area, write_geojson
from tisserand.referentials.geo import qpv_index
from tisserand.referentials.geo.qpv_import import import_qpv_file
from tisserand.structures.roles import Role


@pytest.fixture
def member(make_member, tmp_path):
    make_roubaix_area()
    import_qpv_file(write_geojson(tmp_path, [ALMA]))
    yield make_member(Role.REFERENT)
    qpv_index.invalidate()


def test_search_page_picker_and_commune_page(page, login, member, assert_accessible):
    login(member.user.email, TEST_PASSWORD)
    page.goto("/communes/")
    assert_accessible(page)
    field = page.get_by_role("combobox", name="Nom, code postal ou code INSEE")
    field.press_sequentially("roub")
    option = page.get_by_role("option", name="Roubaix (59100)")
    option.click()
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/communes/59512/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Roubaix")
    assert "QN05912M" in page.content()
    assert_accessible(page)


def test_search_without_javascript_lists_results(page, login, member, assert_accessible):
    login(member.user.email, TEST_PASSWORD)
    page.goto("/communes/?q=lys+lez+lannoy")
    results = page.get_by_role("table")
    assert "Lys-lez-Lannoy" in results.inner_text()
    assert_accessible(page)
    results.get_by_role("link", name="Lys-lez-Lannoy").click()
    page.wait_for_url(re.compile(r"/communes/59367/$"))
    expect(page.get_by_role("link", name="Roubaix")).to_be_visible()
