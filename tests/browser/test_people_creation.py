"""Creating a person in a real browser: the commune picker, the near-duplicate warning, axe."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory, follow
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.people.models import Person
from tisserand.referentials.geo import qpv_index
from tisserand.structures.roles import Role


@pytest.fixture
def member(make_member, settings):
    settings.TISSERAND_GEOCODER = "offline"
    make_roubaix_area()
    member = make_member(Role.REFERENT)
    existing = PersonFactory(
        owner_structure=member.structure,
        first_name="Karim",
        last_name="Haddad",
        birth_date=datetime.date(1988, 4, 12),
    )
    follow(existing, member)
    yield member
    qpv_index.invalidate()


def test_create_a_person_through_the_duplicate_warning(page, login, member, assert_accessible):
    login(member.user.email, TEST_PASSWORD)
    page.goto("/personnes/")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle personne").click()
    page.wait_for_url(re.compile(r"/personnes/nouvelle/$"))
    assert_accessible(page)

    page.get_by_label("Prénom").fill("Karim")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Hadad")
    page.get_by_label("Date de naissance").fill("1988-04-12")
    page.get_by_label("Homme").check()
    page.get_by_label("Adresse", exact=True).fill("3 rue de Lannoy")
    page.get_by_label("Code postal").fill("59100")
    page.get_by_role("combobox", name="Commune").press_sequentially("roub")
    page.get_by_role("option", name="Roubaix (59100)").click()
    page.get_by_label("Demandeur d'emploi").check()
    page.get_by_label("Dans cette situation depuis").fill("2024-03-01")
    page.get_by_role("button", name="Créer la fiche").last.click()
    page.wait_for_load_state()

    warning = page.get_by_role("alert")
    assert "Cette personne a peut-être déjà une fiche" in warning.inner_text()
    expect(warning.get_by_role("link", name="Karim HADDAD")).to_be_visible()
    assert Person.objects.count() == 1
    assert_accessible(page)

    warning.get_by_label("J'ai vérifié : il s'agit d'une autre personne").check()
    warning.get_by_role("button", name="Créer la fiche").click()
    page.wait_for_url(re.compile(r"/personnes/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Karim HADAD")
    assert "Roubaix" in page.content()
    assert_accessible(page)
    created = Person.objects.get(last_name="Hadad")
    assert created.commune.insee_code == "59512"
    assert created.situation == "job_seeker"
