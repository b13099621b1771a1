"""A counsellor builds the guidance profile of a person of the caseload and saves two targets
to the project; both appear on the person's timeline."""

import re

import pytest

from tests.factories import TEST_PASSWORD
from tests.guidance.subset import prepare_territory
from tests.people.factories import PersonFactory, follow
from tisserand.guidance.models import GuidanceProfile, GuidanceTarget
from tisserand.structures.roles import Role


@pytest.fixture
def caseload(tmp_path, settings, make_member):
    settings.TISSERAND_GEOCODER = "offline"
    prepare_territory(tmp_path)
    referent = make_member(Role.REFERENT)
    person = PersonFactory(
        owner_structure=referent.structure, first_name="Farida", last_name="Meziane"
    )
    follow(person, referent)
    return referent, person


def test_a_counsellor_saves_two_targets_to_the_project(page, login, caseload, assert_accessible):
    referent, person = caseload
    login(referent.user.email, TEST_PASSWORD)
    page.goto(f"/personnes/{person.public_id}/")
    panel = page.locator("#panel-guidance")
    panel.get_by_role("link", name="Construire le profil d'orientation").click()
    page.wait_for_url(re.compile(r"/orientation/personnes/.+/profil/$"))
    assert_accessible(page)

    page.get_by_role("combobox", name="Métier 1").press_sequentially("caris")
    page.get_by_role("option", name=re.compile(r"^Cariste")).first.click()
    page.get_by_label("C'est mon emploi actuel").first.check()
    page.get_by_role("button", name="Voir les compétences de ces métiers").click()
    page.wait_for_load_state()
    assert page.locator("input[name=competences]:checked").count() == 0
    for index in range(3):
        page.locator("input[name=competences]").nth(index).check()
    page.get_by_role("combobox", name="Votre commune").press_sequentially("roub")
    page.get_by_role("option", name="Roubaix (59100)").click()
    page.get_by_label("Pas de port de charges lourdes").check()
    page.get_by_role("button", name="Enregistrer le profil et voir les métiers").click()
    page.wait_for_url(re.compile(r"/orientation/personnes/[0-9a-f-]+/$"))
    assert "Le profil d'orientation est enregistré." in page.get_by_role("status").inner_text()
    assert GuidanceProfile.objects.get(person=person).skills.count() == 3
    assert_accessible(page)

    for _ in range(2):
        page.get_by_role("button", name=re.compile(r"^Retenir « ")).first.click()
        page.wait_for_load_state()
    targets = list(GuidanceTarget.objects.filter(person=person).select_related("fiche"))
    assert len(targets) == 2
    retained = page.get_by_role("region", name="Cibles retenues dans le projet")
    for target in targets:
        assert str(target) in retained.inner_text()
    assert_accessible(page)

    page.goto(f"/personnes/{person.public_id}/")
    timeline = page.locator(".timeline").inner_text()
    for target in targets:
        assert f"Cible d'orientation retenue : {target}" in timeline
    assert "Profil d'orientation créé" in timeline
    assert_accessible(page)
