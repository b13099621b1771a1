"""Issue 9, point 12: from a public contact request to the person's record and the booking of
the first appointment, as a counsellor of the Maison de l'Emploi does it; axe on each page."""

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.guidance.test_members import request_for
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.guidance.models import ContactRequest
from tisserand.people.models import Person
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role


@pytest.fixture
def counsellor(make_member, structure, settings):
    settings.TISSERAND_GEOCODER = "offline"
    make_roubaix_area()
    load_vocabularies()
    structure.kind = StructureKind.MAISON_EMPLOI
    structure.save()
    request_for(structure, phone="0612345678", message="Je cherche une formation.")
    return make_member(Role.REFERENT, structure, user__first_name="Nadia", user__last_name="Kaci")


@pytest.mark.browser
def test_a_counsellor_takes_a_request_creates_the_record_and_books(
    page, login, counsellor, assert_accessible
):
    login(counsellor.user.email, TEST_PASSWORD)
    page.goto("/orientation/demandes-de-contact/")
    assert_accessible(page)
    page.get_by_label("Attribuer la demande de Inès Martin à").select_option(
        label=str(counsellor.user)
    )
    page.get_by_role("button", name="Attribuer").click()
    expect(page.locator(".messages")).to_contain_text("est attribuée à Nadia")
    assert ContactRequest.objects.get().assigned_to == counsellor.user

    page.get_by_role("link", name="Créer la fiche de Inès Martin").click()
    page.wait_for_url("**/fiche/")
    expect(page.get_by_label("Prénom (obligatoire)")).to_have_value("Inès")
    expect(page.get_by_label("Téléphone")).to_have_value("06 12 34 56 78")
    assert_accessible(page)
    page.get_by_label("Date de naissance (obligatoire)").fill("1994-05-17")
    page.get_by_role("button", name="Créer la fiche").click()
    page.wait_for_url("**/rendez-vous/personne/*/nouveau/")
    expect(page.locator(".messages")).to_contain_text("Fixez son premier rendez-vous")
    assert_accessible(page)
    person = Person.objects.get()
    assert (person.first_name, person.phone) == ("Inès", "+33612345678")
    assert ContactRequest.objects.get().person == person
