"""The pages of a person's record in a real browser, each checked with axe."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, StructureFactory
from tests.people.factories import ConsentFactory, PersonFactory, follow
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.core.models import RecordAccess
from tisserand.people.models import Note, PublicStatus
from tisserand.referentials.geo import qpv_index
from tisserand.structures.roles import Role


@pytest.fixture
def record(make_member, settings):
    settings.TISSERAND_GEOCODER = "offline"
    area = make_roubaix_area()
    member = make_member(Role.REFERENT)
    person = PersonFactory(
        owner_structure=member.structure,
        first_name="Nadia",
        last_name="Lefebvre",
        birth_date=datetime.date(1979, 11, 3),
        commune=area["roubaix"],
        postal_code="59100",
    )
    follow(person, member)
    PublicStatus.objects.create(
        person=person, kind="rqth", valid_from=datetime.date(2022, 6, 1), proof="Notification"
    )
    ConsentFactory(person=person, structure=StructureFactory(name="CCAS de Roubaix"))
    Note.objects.create(
        person=person, author=member.user, structure=member.structure, text="Premier échange."
    )
    duplicate = PersonFactory(
        owner_structure=member.structure,
        first_name="Nadia",
        last_name="Lefèbvre",
        birth_date=datetime.date(1979, 11, 3),
    )
    follow(duplicate, member)
    yield member, person
    qpv_index.invalidate()


def test_record_pages_are_accessible(page, login, record, assert_accessible):
    member, person = record
    login(member.user.email, TEST_PASSWORD)
    page.goto(f"/personnes/{person.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nadia LEFEBVRE")
    assert "Travailleur handicapé (RQTH)" in page.content()
    assert_accessible(page)
    assert RecordAccess.objects.filter(subject_label__contains="sensibles").exists()

    for link, heading in [
        ("Modifier la fiche", "Modifier la fiche de Nadia LEFEBVRE"),
        ("Gérer les statuts", "Statuts publics de Nadia LEFEBVRE"),
        ("Gérer les consentements", "Consentements de Nadia LEFEBVRE"),
        ("Tout le journal, ajouter une note", "Journal de Nadia LEFEBVRE"),
        ("Fusionner avec une fiche en double", "Fusionner une fiche en double"),
    ]:
        page.goto(f"/personnes/{person.public_id}/")
        page.get_by_role("link", name=link).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text().startswith(heading)
        assert_accessible(page)

    # Merge: the probable duplicate is proposed, the confirmation page compares both records.
    page.get_by_role("link", name=re.compile("Nadia LEFÈBVRE")).click()
    page.wait_for_url(re.compile(r"/fusionner/[0-9a-f-]{36}/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Fusionner les deux fiches").click()
    page.wait_for_url(re.compile(rf"/personnes/{person.public_id}/$"))
    assert "Fusion : la fiche en double" in page.content()
    assert_accessible(page)


def test_a_bad_status_shows_its_error_next_to_the_field(page, login, record, assert_accessible):
    member, person = record
    login(member.user.email, TEST_PASSWORD)
    page.goto(f"/personnes/{person.public_id}/statuts/")
    page.get_by_label("Statut").select_option("rsa")
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    page.get_by_label("Valable depuis le").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Ajouter le statut").click()
    page.wait_for_load_state()
    field_error = page.locator("#id_valid_from-errors")
    assert "ne peut pas être dans le futur" in field_error.inner_text()
    assert page.get_by_label("Valable depuis le").get_attribute("aria-invalid") == "true"
    assert PublicStatus.objects.filter(person=person).count() == 1
    assert_accessible(page)


def test_the_person_search_forgives_a_typo(page, login, record, assert_accessible):
    member, _ = record
    login(member.user.email, TEST_PASSWORD)
    page.goto("/personnes/")
    page.get_by_label("Nom ou prénom").fill("lefebre")
    page.get_by_label("Nom ou prénom").press("Enter")
    page.wait_for_url(re.compile(r"q=lefebre"))
    expect(page.get_by_role("link", name="Nadia LEFEBVRE").first).to_be_visible()
    assert_accessible(page)
